// Settings, WhatsApp numbers: the owner connects a number (its token never shows again), renames
// it and rotates the token, another business cannot take the same phone_number_id (409 under the
// field) until it is removed; "Tes" shows what Graph (laris-sim) says, or why not in plain
// words; an agent sees no numbers at all.
// Business settings: the owner sets opening hours with a lunch break, a window past midnight
// and a closed date, the greeting and SLA targets (mistakes shown beside their fields, the
// form's own checks and the server's), adds, changes and deletes a keyword auto-reply, switches
// distribution to manual, and after a reload everything is as saved; the conversation header
// counts down to the first-response due time.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  DESKTOP,
  PASSWORD,
  addMemberViaApi,
  launchBrowser,
  logInViaPage,
  newContext,
  randomDigits,
  shoot,
  signupViaApi,
  sql,
  uniqueEmail,
} from './lib.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

// 15 digits, never starting with 0: a phone_number_id of this run only.
const randomToken = () => `EAAG${randomBytes(24).toString('base64url')}`; // 36 characters

async function pageText(page) {
  return page.evaluate(() => document.body.innerText);
}

// Fills the connect form of the page's settings (only the fields given).
async function fillConnect(page, fields) {
  const form = page.getByRole('region', { name: 'Hubungkan nomor' });
  const labels = {
    display: 'Nomor WhatsApp',
    pnid: 'ID nomor telepon',
    waba: 'ID akun WhatsApp Business',
    token: 'Token akses',
    name: 'Nama nomor',
  };
  for (const [k, v] of Object.entries(fields)) {
    await form.getByLabel(new RegExp(`^${labels[k]}( \\(opsional\\))?$`)).fill(v);
  }
  return form;
}

describe('settings: WhatsApp numbers', () => {
  it('owner connects, renames and removes a number; a second business gets 409 meanwhile', async () => {
    const pnid = randomDigits(15);
    const waba = randomDigits(15);
    const token = randomToken();
    const rotated = randomToken();
    assert.ok(token.length >= 30);

    const owner = await signupViaApi({ business_name: 'Toko Batik Sekar', name: 'Sekar' });
    const ctx = await newContext(browser, { viewport: DESKTOP });
    const page = await ctx.page();
    await logInViaPage(page, owner.email, owner.password);
    await page.getByRole('navigation', { name: 'Menu utama' }).getByRole('link', { name: 'Pengaturan' }).click();
    await page.waitForURL('**/settings');
    const section = page.getByRole('region', { name: 'Nomor WhatsApp' });
    await section.getByText('Belum ada nomor yang terhubung.').waitFor();
    await shoot(page, 'settings-wa-empty');

    // The form checks itself first: errors under their fields.
    const form = page.getByRole('region', { name: 'Hubungkan nomor' });
    await form.getByRole('button', { name: 'Hubungkan nomor' }).click();
    assert.equal(await form.getByLabel('ID nomor telepon').getAttribute('aria-invalid'), 'true');
    assert.equal(await form.getByLabel('Token akses', { exact: true }).getAttribute('aria-invalid'), 'true');
    await form.getByText('Wajib diisi.').first().waitFor();
    await fillConnect(page, { pnid: '12ab', token: 'pendek' });
    await form.getByRole('button', { name: 'Hubungkan nomor' }).click();
    await form.getByText('Isi dengan angka saja, maksimal 32 digit.').waitFor();
    await form.getByText('Minimal 20 karakter.').waitFor();
    await shoot(page, 'settings-wa-errors');

    // The token is a password-style input.
    assert.equal(await form.getByLabel('Token akses', { exact: true }).getAttribute('type'), 'password');
    await fillConnect(page, { display: '0812-3456-7890', pnid, waba, token, name: 'CS Toko' });
    await form.getByRole('button', { name: 'Hubungkan nomor' }).click();
    await page.getByText('Nomor “CS Toko” sudah terhubung.').waitFor();
    const list = page.getByRole('region', { name: 'Nomor yang terhubung' });
    await list.getByText('CS Toko', { exact: true }).waitFor();
    await list.getByText('+62 812-3456-7890').waitFor();
    await list.getByText(pnid).waitFor();
    await list.getByText(waba).waitFor();
    await list.getByText('80 pesan/detik').waitFor();
    await list.getByText('Aktif', { exact: true }).waitFor();
    await list.getByText('Token akses: tersimpan').waitFor();
    await list.getByText('App secret: belum ada').waitFor();
    assert.equal(await form.getByLabel('Token akses', { exact: true }).inputValue(), '', 'the form forgot the token');
    assert.ok(!(await pageText(page)).includes(token), 'the token is nowhere in the page text');
    assert.ok(!(await page.content()).includes(token), 'the token is nowhere in the page');
    await shoot(page, 'settings-wa-list');

    // Rename, change the speed and rotate the token.
    await list.getByRole('button', { name: 'Ubah nomor CS Toko' }).click();
    await list.getByLabel(/^Nama nomor/).fill('CS Cabang Solo');
    await list.getByLabel('Kecepatan kirim').fill('20');
    await list.getByLabel(/^Token akses baru/).fill(rotated);
    await shoot(page, 'settings-wa-edit');
    await list.getByRole('button', { name: 'Simpan' }).click();
    await page.getByText('Perubahan nomor “CS Cabang Solo” tersimpan.').waitFor();
    await list.getByText('CS Cabang Solo', { exact: true }).waitFor();
    await list.getByText('20 pesan/detik').waitFor();
    const text = await pageText(page);
    assert.ok(!text.includes(token) && !text.includes(rotated), 'no token in the page text');

    // A second business tries the same phone_number_id: the 409 lands under the field.
    const other = await signupViaApi({ business_name: 'Toko Sebelah', name: 'Tetangga' });
    const octx = await newContext(browser);
    const op = await octx.page();
    await logInViaPage(op, other.email, other.password);
    await op.goto('/settings');
    await op.getByText('Belum ada nomor yang terhubung.').waitFor();
    octx.allow(409, '/api/v1/wa-numbers');
    const oform = await fillConnect(op, { display: '0813-1111-2222', pnid, waba: randomDigits(15), token: randomToken() });
    await oform.getByRole('button', { name: 'Hubungkan nomor' }).click();
    await oform
      .locator('.field-error', { hasText: 'Nomor ini sudah terhubung ke akun Laris lain. Hapus dulu dari akun itu.' })
      .waitFor();
    assert.equal(await oform.getByLabel('ID nomor telepon').getAttribute('aria-invalid'), 'true');
    await oform.getByText('Periksa lagi isian yang ditandai.').waitFor();
    await shoot(op, 'settings-wa-conflict');

    // The owner removes the number, after a confirmation.
    await list.getByRole('button', { name: 'Hapus nomor CS Cabang Solo' }).click();
    await list.getByText('Hapus nomor “CS Cabang Solo”?', { exact: false }).waitFor();
    await shoot(page, 'settings-wa-confirm');
    await list.getByRole('button', { name: 'Ya, hapus' }).click();
    await page.getByText('Nomor “CS Cabang Solo” sudah dihapus.').waitFor();
    await list.getByText('Belum ada nomor yang terhubung.').waitFor();
    await shoot(page, 'settings-wa-removed');

    // ... and now the other business can connect it.
    await oform.getByRole('button', { name: 'Hubungkan nomor' }).click();
    await op.getByText(/^Nomor “\+62 813-1111-2222” sudah terhubung\.$/).waitFor();
    ctx.assertClean();
    octx.assertClean();
    await ctx.close();
    await octx.close();
  });

  it('owner tests a number: Graph\'s answer, then a refused token in plain words', async () => {
    const sim = process.env.LARIS_SIM_URL;
    assert.ok(sim, 'LARIS_SIM_URL (from the stack.env) is needed to give laris-sim the number');
    const pnid = randomDigits(15);
    const waba = randomDigits(15);
    const token = randomToken();
    const simNumber = async (accessToken) => {
      const res = await fetch(`${sim}/_sim/numbers`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          phone_number_id: pnid,
          waba_id: waba,
          display_phone_number: '6281377778888',
          access_token: accessToken,
          verified_name: 'Toko Tes Sekar',
        }),
      });
      assert.equal(res.status, 201);
    };
    await simNumber(token);

    const owner = await signupViaApi({ business_name: 'Toko Tes Sekar', name: 'Sekar' });
    const ctx = await newContext(browser, { viewport: DESKTOP });
    const page = await ctx.page();
    await logInViaPage(page, owner.email, owner.password);
    await page.goto('/settings');
    const form = await fillConnect(page, { display: '0813-7777-8888', pnid, waba, token, name: 'CS Tes' });
    await form.getByRole('button', { name: 'Hubungkan nomor' }).click();
    const list = page.getByRole('region', { name: 'Nomor yang terhubung' });
    await list.getByText('CS Tes', { exact: true }).waitFor();

    await list.getByRole('button', { name: 'Tes koneksi nomor CS Tes' }).click();
    await list.getByText('Tersambung: +62 813-7777-8888 · Toko Tes Sekar · kualitas tinggi.').waitFor();
    await shoot(page, 'settings-wa-test-ok');

    // Meta no longer takes the stored token (laris-sim now expects another): 190, in words.
    await simNumber(randomToken());
    await list.getByRole('button', { name: 'Tes koneksi nomor CS Tes' }).click();
    await list.getByText(/^Tes gagal: Token akses WhatsApp sudah kedaluwarsa/).waitFor();
    await list.getByText(/Masukkan token akses baru lewat Ubah, lalu tes lagi\.$/).waitFor();
    await list.getByText('Terputus', { exact: true }).waitFor();
    assert.ok(!(await page.content()).includes(token), 'the token is nowhere in the page');
    await shoot(page, 'settings-wa-test-failed');
    ctx.assertClean();
    await ctx.close();
  });

  it('an agent sees the settings shell without the numbers', async () => {
    const owner = await signupViaApi({ business_name: 'Toko Kopi Pagi' });
    const agent = { email: uniqueEmail('agent'), name: 'Dewi Agen', password: PASSWORD, role: 'agent' };
    await addMemberViaApi(owner, agent);
    const ctx = await newContext(browser);
    const page = await ctx.page();
    await logInViaPage(page, agent.email, agent.password);
    await page.getByRole('navigation', { name: 'Menu utama' }).getByRole('link', { name: 'Pengaturan' }).click();
    await page.getByRole('heading', { level: 1, name: 'Pengaturan' }).waitFor();
    await page.getByRole('link', { name: /^Profil saya/ }).first().waitFor();
    assert.equal(await page.getByRole('region', { name: 'Nomor WhatsApp' }).count(), 0);
    assert.equal(await page.getByRole('button', { name: 'Hubungkan nomor' }).count(), 0);
    assert.equal(await page.getByText('Token akses').count(), 0);
    await shoot(page, 'settings-wa-agent');
    ctx.assertClean();
    await ctx.close();
  });
});

describe('settings: service hours, auto-replies, distribution', () => {
  it('owner sets hours with a lunch break and a closed date, adds a keyword rule, reloads: all saved', async () => {
    const owner = await signupViaApi({ business_name: 'Warung Bu Tini', name: 'Tini' });
    const ctx = await newContext(browser);
    const page = await ctx.page();
    await logInViaPage(page, owner.email, owner.password);
    await page.goto('/settings');
    const hours = page.getByRole('region', { name: 'Jam operasional' });
    await hours.getByText('Zona waktu usaha: Asia/Jakarta (WIB)').waitFor();

    // Hours per day: Monday 08:00-12:00 and 13:00-17:00 (lunch break), copied to Tuesday-Friday.
    const always = hours.getByLabel('Buka 24 jam setiap hari');
    if (await always.isChecked()) await always.uncheck();
    const monday = hours.getByRole('group', { name: 'Senin' });
    await monday.getByText('Tutup', { exact: true }).waitFor();
    await monday.getByRole('button', { name: 'Tambah jam buka hari Senin' }).click();
    await monday.getByLabel('Tutup (jam ke-1)').fill('12:00');
    await monday.getByRole('button', { name: 'Tambah jam buka hari Senin' }).click();
    await monday.getByLabel('Buka (jam ke-2)').fill('11:00');
    await monday.getByLabel('Tutup (jam ke-2)').fill('17:00');
    // Saturday night runs past midnight.
    const saturday = hours.getByRole('group', { name: 'Sabtu' });
    await saturday.getByRole('button', { name: 'Tambah jam buka hari Sabtu' }).click();
    await saturday.getByLabel('Buka (jam ke-1)').fill('22:00');
    await saturday.getByLabel('Tutup (jam ke-1)').fill('02:00');
    await saturday.getByText('Lewat tengah malam: tutup keesokan harinya.').waitFor();
    // The greeting switched on without a text, and an SLA target out of range.
    await hours.getByLabel('Kirim pesan sambutan').check();
    await hours.getByLabel('Target di jam buka (menit)').fill('0');

    // The form's own checks, beside their fields.
    await hours.getByRole('button', { name: 'Simpan jam operasional' }).click();
    await monday.getByText('Jam ini bertabrakan dengan jam buka lain.').waitFor();
    assert.equal(await monday.getByLabel('Buka (jam ke-2)').getAttribute('aria-invalid'), 'true');
    await hours.locator('.field-error', { hasText: 'Wajib diisi.' }).waitFor();
    assert.equal(await hours.getByLabel('Isi pesan sambutan').getAttribute('aria-invalid'), 'true');
    await hours.getByText('Isi angka 1 sampai 10080.').waitFor();
    await hours.getByText('Periksa lagi isian yang ditandai.').waitFor();
    await shoot(page, 'settings-hours-errors');

    await monday.getByLabel('Buka (jam ke-2)').fill('13:00');
    await monday.getByRole('button', { name: 'Salin ke Selasa–Jumat' }).click();
    await hours.getByRole('group', { name: 'Jumat' }).getByLabel('Buka (jam ke-2)').waitFor();
    await hours.getByLabel('Isi pesan sambutan').fill('Halo Kak, terima kasih sudah menghubungi Warung Bu Tini!');
    await hours.getByLabel('Target di jam buka (menit)').fill('15');
    await hours.getByLabel('Tambah tanggal libur').fill('2026-12-25');
    await hours.getByRole('button', { name: 'Tambah', exact: true }).click();
    await hours.getByText('25 Des 2026').waitFor();

    // A reason only the server gives lands beside its field too.
    let refused = false;
    await page.route('**/api/v1/settings/service', async (route) => {
      if (route.request().method() !== 'PUT' || refused) return route.continue();
      refused = true;
      return route.fulfill({
        status: 422,
        contentType: 'application/problem+json',
        body: JSON.stringify({
          type: 'https://laris.id/problems/validation-failed',
          title: 'Validation failed',
          status: 422,
          errors: [{ field: 'away_text', message: 'must not be blank' }],
        }),
      });
    });
    ctx.allow(422, '/api/v1/settings/service');
    await hours.getByRole('button', { name: 'Simpan jam operasional' }).click();
    await hours.locator('.field-error', { hasText: 'Wajib diisi.' }).waitFor();
    assert.equal(await hours.getByLabel('Isi pesan di luar jam').getAttribute('aria-invalid'), 'true');
    await page.unroute('**/api/v1/settings/service');

    await hours.getByRole('button', { name: 'Simpan jam operasional' }).click();
    await hours.getByText('Jam operasional tersimpan.').waitFor();
    await shoot(page, 'settings-hours-saved');

    // A keyword rule: checked first, then added, then changed.
    const replies = page.getByRole('region', { name: 'Balasan otomatis' });
    await replies.getByText('Belum ada balasan otomatis.').waitFor();
    const newRule = replies.getByRole('region', { name: 'Tambah balasan otomatis' });
    await newRule.getByRole('button', { name: 'Tambah balasan' }).click();
    assert.equal(await newRule.getByLabel('Kata kunci', { exact: true }).getAttribute('aria-invalid'), 'true');
    await newRule.getByLabel('Kata kunci', { exact: true }).fill('ongkir, biaya kirim');
    await newRule.getByRole('radio', { name: 'Persis sama' }).check();
    await newRule.getByLabel('Teks balasan').fill('Ongkir ke Jabodetabek mulai Rp10.000, Kak.');
    await newRule.getByRole('button', { name: 'Tambah balasan' }).click();
    await replies.getByText('Balasan otomatis ditambahkan.').waitFor();
    const list = replies.getByRole('region', { name: 'Aturan kata kunci' });
    await list.getByText('biaya kirim', { exact: true }).waitFor();
    await list.getByRole('button', { name: 'Ubah balasan otomatis ongkir' }).click();
    await list.getByLabel('Teks balasan').fill('Ongkir ke Jabodetabek Rp10.000, luar kota Rp20.000.');
    await list.getByRole('button', { name: 'Simpan' }).click();
    await replies.getByText('Balasan otomatis tersimpan.').waitFor();
    await shoot(page, 'settings-auto-replies');

    // Distribution by hand, with a longer grace period.
    const dist = page.getByRole('region', { name: 'Distribusi chat' });
    await dist.getByRole('radio', { name: 'Manual' }).check();
    await dist.getByLabel('Batas offline (menit)').fill('10');
    await dist.getByRole('button', { name: 'Simpan distribusi' }).click();
    await dist.getByText('Pengaturan distribusi tersimpan.').waitFor();

    // After a reload everything is as saved.
    await page.reload();
    await monday.getByLabel('Tutup (jam ke-1)').waitFor();
    assert.equal(await hours.getByLabel('Buka 24 jam setiap hari').isChecked(), false);
    assert.equal(await monday.getByLabel('Buka (jam ke-1)').inputValue(), '08:00');
    assert.equal(await monday.getByLabel('Tutup (jam ke-1)').inputValue(), '12:00');
    assert.equal(await monday.getByLabel('Buka (jam ke-2)').inputValue(), '13:00');
    assert.equal(await monday.getByLabel('Tutup (jam ke-2)').inputValue(), '17:00');
    const friday = hours.getByRole('group', { name: 'Jumat' });
    assert.equal(await friday.getByLabel('Buka (jam ke-2)').inputValue(), '13:00');
    assert.equal(await saturday.getByLabel('Tutup (jam ke-1)').inputValue(), '02:00');
    await hours.getByRole('group', { name: 'Minggu' }).getByText('Tutup', { exact: true }).waitFor();
    await hours.getByText('25 Des 2026').waitFor();
    assert.equal(
      await hours.getByLabel('Isi pesan sambutan').inputValue(),
      'Halo Kak, terima kasih sudah menghubungi Warung Bu Tini!',
    );
    assert.equal(await hours.getByLabel('Kirim pesan sambutan').isChecked(), true);
    assert.equal(await hours.getByLabel('Target di jam buka (menit)').inputValue(), '15');
    await list.getByText('Ongkir ke Jabodetabek Rp10.000, luar kota Rp20.000.').waitFor();
    await list.getByText('ongkir', { exact: true }).waitFor();
    await list.getByText('Persis sama').waitFor();
    assert.equal(await dist.getByLabel('Manual').isChecked(), true);
    assert.equal(await dist.getByLabel('Batas offline (menit)').inputValue(), '10');
    await page.setViewportSize(DESKTOP);
    await shoot(page, 'settings-business-reloaded');

    // The closed date and the rule can go again.
    await hours.getByRole('button', { name: 'Hapus tanggal libur 25 Des 2026' }).click();
    await hours.getByText('Belum ada tanggal libur.').waitFor();
    await list.getByRole('button', { name: 'Hapus balasan otomatis ongkir' }).click();
    await list.getByRole('button', { name: 'Ya, hapus' }).click();
    await replies.getByText('Balasan otomatis dihapus.').waitFor();
    await list.getByText('Belum ada balasan otomatis.').waitFor();
    ctx.assertClean();
    await ctx.close();
  });

  it('the conversation header counts down to the first-response due time', async () => {
    const owner = await signupViaApi({ business_name: 'Toko SLA Cepat', name: 'Rudi' });
    const phone = `62813${randomDigits(8)}`;
    sql(`WITH t AS (SELECT tenant_id FROM users WHERE email = '${owner.email}'),
              c AS (INSERT INTO contacts (tenant_id, wa_id, phone, name)
                    SELECT tenant_id, '${phone}', '${phone}', 'Pak Joko' FROM t RETURNING tenant_id, id)
         INSERT INTO conversations (tenant_id, contact_id, status, last_message_at, first_inbound_at, sla_due_at)
         SELECT tenant_id, id, 'open', now(), now(), now() + interval '25 minutes' FROM c`);
    const ctx = await newContext(browser);
    const page = await ctx.page();
    await logInViaPage(page, owner.email, owner.password);
    await page.getByRole('button', { name: 'Semua', exact: true }).click();
    await page.getByRole('region', { name: 'Daftar chat' }).getByRole('button', { name: /Pak Joko/ }).click();
    const chat = page.getByRole('region', { name: 'Chat dengan Pak Joko' });
    await chat.getByText(/^SLA: Balas dalam 2[45] mnt$/).waitFor();
    await shoot(page, 'inbox-sla-badge');
    ctx.assertClean();
    await ctx.close();
  });
});

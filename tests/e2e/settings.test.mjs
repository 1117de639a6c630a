// Settings, WhatsApp numbers: the owner connects a number (its token never shows again), renames
// it and rotates the token, another business cannot take the same phone_number_id (409 under the
// field) until it is removed; "Tes" shows what Graph (laris-sim) says, or why not in plain
// words; an agent sees no numbers at all.
import assert from 'node:assert/strict';
import { randomBytes, randomInt } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  DESKTOP,
  PASSWORD,
  addMemberViaApi,
  launchBrowser,
  logInViaPage,
  newContext,
  shoot,
  signupViaApi,
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
const randomDigits = (n) => String(randomInt(1, 10)) + Array.from({ length: n - 1 }, () => randomInt(0, 10)).join('');
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

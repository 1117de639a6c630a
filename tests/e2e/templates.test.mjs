// WhatsApp message templates, as an owner and the team use them: the owner creates a template in
// Settings (variables, their examples and a preview), WhatsApp (laris-sim) approves it and the
// badge follows, sync pulls the list; then a customer's 24-hour window is closed and the inbox's
// template picker fills the name variable with the customer's name, previews the message, and
// sends it: it appears in the timeline as a template and laris-sim received a template send.
// A template whose link button ends in a variable: the picker asks for the end of the link
// (no spaces), previews the link and sends it as Meta's URL button parameter; then the owner
// deletes it in Settings after a confirmation (agents see no Settings templates at all).
// Screenshots at 375 and 1280 px (axe-checked).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  DESKTOP,
  PASSWORD,
  addMemberViaApi,
  connectSimNumber,
  launchBrowser,
  logInViaPage,
  newContext,
  ownerApi,
  randomDigits,
  shoot,
  signupViaApi,
  sim,
  sql,
  uniqueEmail,
  until,
} from './lib.mjs';


// A customer (a new number) writes through laris-sim as profile_name with text; once the chat
// is in the inbox its 24-hour window is closed by hand. Returns the conversation's id.
async function customerWroteLongAgo(setup, pnid, profileName, text) {
  const customer = `628${randomDigits(10)}`;
  await sim('POST', '/_sim/inbound', {
    phone_number_id: pnid,
    from: customer,
    profile_name: profileName,
    type: 'text',
    text,
  });
  let conversationId = null;
  await until(async () => {
    const page1 = await setup.send('GET', '/api/v1/conversations', undefined, 200);
    conversationId = page1.items[0]?.id ?? null;
    return conversationId !== null;
  }, 'the customer\'s message reached Laris');
  sql(`UPDATE contacts SET last_inbound_at = now() - interval '25 hours' WHERE wa_id = '${customer}'`);
  return conversationId;
}

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

describe('templates', () => {
  it('owner creates one, WhatsApp approves it; with the window closed the agent sends it from the picker', async () => {
    const owner = await signupViaApi({ business_name: 'Toko Kue Rina', name: 'Rina Pemilik' });
    const setup = await ownerApi(owner);
    const { pnid } = await connectSimNumber(setup, { display: '6281377778888', verifiedName: 'Toko Kue Rina' });
    await setup.send('PUT', '/api/v1/settings', { distribution_mode: 'manual' }, 200);

    const ctx = await newContext(browser, { viewport: DESKTOP });
    const page = await ctx.page();
    await logInViaPage(page, owner.email, owner.password);
    await page.goto('/settings');
    const section = page.getByRole('region', { name: 'Template pesan' });
    await section.getByText('Belum ada template.', { exact: false }).waitFor();

    // Create: the variables ask for examples, the preview fills them in.
    const name = `pesanan_siap_${randomDigits(6)}`;
    const form = section.getByRole('region', { name: 'Buat template' });
    await form.getByLabel('Nama template').fill('Pesanan Siap');
    await form.getByText('Pakai huruf kecil, angka dan garis bawah saja.').waitFor();
    await form.getByLabel('Nama template').fill(name);
    await form.getByLabel('Kategori').selectOption('UTILITY');
    await form.getByLabel('Isi pesan').fill('Halo {{nama}}, pesanan {{nomor}} sudah siap diambil.');
    await form.getByLabel('Contoh isi {{nama}}').fill('Siti');
    await form.getByLabel('Contoh isi {{nomor}}').fill('A-42');
    await form.getByLabel('Catatan kaki (opsional)').fill('Toko Kue Rina');
    await form.getByText('Halo Siti, pesanan A-42 sudah siap diambil.').waitFor();
    await shoot(page, 'settings-templates-form');
    await form.getByRole('button', { name: 'Kirim untuk ditinjau' }).click();
    await page.getByText(`Template ${name} dikirim ke WhatsApp untuk ditinjau.`).waitFor();
    const list = section.getByRole('region', { name: 'Template Anda' });
    const item = list.getByRole('listitem').filter({ hasText: name });
    await item.getByText('Sedang ditinjau').waitFor();

    // WhatsApp approves (laris-sim's review sends the status webhook); sync shows it.
    const { items } = await setup.send('GET', '/api/v1/templates', undefined, 200);
    const created = items.find((x) => x.name === name);
    assert.ok(created?.meta_template_id, 'the template carries Meta\'s id');
    await sim('POST', `/_sim/templates/${created.meta_template_id}/status`, { status: 'APPROVED' });
    await until(async () => {
      const t = await setup.send('GET', `/api/v1/templates/${created.id}`, undefined, 200);
      return t.status === 'APPROVED';
    }, 'the approval webhook reached Laris');
    await section.getByRole('button', { name: 'Sinkronkan dari WhatsApp' }).click();
    await page.getByText('1 template disinkronkan dari WhatsApp.').waitFor();
    await item.getByText('Disetujui').waitFor();
    await shoot(page, 'settings-templates');

    // A customer wrote more than 24 hours ago: only a template may go out.
    const conversationId = await customerWroteLongAgo(setup, pnid, 'Bu Ani',
      'Kue ulang tahun pesanan saya sudah jadi?');

    await page.goto(`/inbox?c=${conversationId}`);
    const chat = page.getByRole('region', { name: /Chat dengan/ });
    await chat.getByText(/Pelanggan terakhir menulis lebih dari 24 jam lalu/).waitFor();
    const picker = chat.getByRole('region', { name: 'Kirim template' });
    await picker.getByLabel('Template yang disetujui').selectOption({ label: `${name} (id)` });
    assert.equal(await picker.getByLabel('Isi {{nama}}').inputValue(), 'Bu Ani', 'the name is filled in');
    await picker.getByRole('button', { name: 'Kirim template' }).click();
    await picker.getByText('Isi semua variabel dulu.').waitFor();
    await picker.getByLabel('Isi {{nomor}}').fill('B-7');
    await picker.getByText('Halo Bu Ani, pesanan B-7 sudah siap diambil.').waitFor();
    await shoot(page, 'inbox-template-picker');
    await picker.getByRole('button', { name: 'Kirim template' }).click();
    await chat.getByRole('list', { name: /Riwayat/ }).getByText(new RegExp(`Template ${name}`)).waitFor();
    // The picker starts over for the next one.
    assert.equal(await picker.getByLabel('Template yang disetujui').inputValue(), '');

    // laris-worker sent it to WhatsApp as a template with the agent's values.
    await until(async () => {
      const { data } = await sim('GET', '/_sim/sent');
      return data.some(
        (s) => s.type === 'template' && s.request?.template?.name === name && JSON.stringify(s.request).includes('B-7'),
      );
    }, 'laris-sim received the template send');
    await shoot(page, 'inbox-template-sent');
    ctx.assertClean();
    await ctx.close();
    await setup.dispose();
  });

  it('a link button asks for the end of its link; the owner deletes the template after a confirmation', async () => {
    const owner = await signupViaApi({ business_name: 'Toko Sepatu Budi', name: 'Budi Pemilik' });
    const setup = await ownerApi(owner);
    const { pnid } = await connectSimNumber(setup, { display: '6281377779999', verifiedName: 'Toko Sepatu Budi' });
    await setup.send('PUT', '/api/v1/settings', { distribution_mode: 'manual' }, 200);
    // Made through the API (the Settings form writes a body and a footer only).
    const name = `lacak_${randomDigits(6)}`;
    const created = await setup.send(
      'POST',
      '/api/v1/templates',
      {
        name,
        language: 'id',
        category: 'UTILITY',
        components: [
          { type: 'BODY', text: 'Pesanan {{1}} sedang dikirim.', example: { body_text: [['A-1']] } },
          {
            type: 'BUTTONS',
            buttons: [
              { type: 'URL', text: 'Lacak pesanan', url: 'https://toko.id/lacak/{{1}}', example: ['https://toko.id/lacak/A-1'] },
            ],
          },
        ],
      },
      201,
    );
    await sim('POST', `/_sim/templates/${created.meta_template_id}/status`, { status: 'APPROVED' });
    await until(async () => {
      const t = await setup.send('GET', `/api/v1/templates/${created.id}`, undefined, 200);
      return t.status === 'APPROVED';
    }, 'the approval webhook reached Laris');

    const conversationId = await customerWroteLongAgo(setup, pnid, 'Pak Dedi',
      'Sepatu saya sudah dikirim?');

    const ctx = await newContext(browser, { viewport: DESKTOP });
    const page = await ctx.page();
    await logInViaPage(page, owner.email, owner.password);
    await page.goto(`/inbox?c=${conversationId}`);
    const chat = page.getByRole('region', { name: /Chat dengan/ });
    const picker = chat.getByRole('region', { name: 'Kirim template' });
    await picker.getByLabel('Template yang disetujui').selectOption({ label: `${name} (id)` });
    await picker.getByLabel('Isi {{1}}').fill('S-77');
    const link = picker.getByLabel('Akhir tautan tombol “Lacak pesanan”');
    await picker.getByText('Ditambahkan ke https://toko.id/lacak/, tanpa spasi.').waitFor();
    await picker.getByRole('button', { name: 'Kirim template' }).click();
    await picker.getByText('Isi semua variabel dulu.').waitFor();
    await link.fill('S 77');
    await picker.getByRole('button', { name: 'Kirim template' }).click();
    await picker.getByText('Akhir tautan tidak boleh berisi spasi.').waitFor();
    await link.fill('S-77?dari=wa');
    await picker.getByText('Lacak pesanan: https://toko.id/lacak/S-77?dari=wa').waitFor();
    await shoot(page, 'inbox-template-link-button');
    await picker.getByRole('button', { name: 'Kirim template' }).click();
    await chat.getByRole('list', { name: /Riwayat/ }).getByText(new RegExp(`Template ${name}`)).waitFor();
    await until(async () => {
      const { data } = await sim('GET', '/_sim/sent');
      return data.some((s) =>
        s.request?.template?.name === name &&
        s.request.template.components?.some(
          (c) => c.type === 'button' && c.sub_type === 'url' && c.index === '0' && c.parameters?.[0]?.text === 'S-77?dari=wa',
        ),
      );
    }, 'laris-sim accepted the template with its link parameter');

    // The owner deletes it in Settings: a question first, Cancel keeps it, Yes deletes it.
    await page.goto('/settings');
    const section = page.getByRole('region', { name: 'Template pesan' });
    const item = section.getByRole('listitem').filter({ hasText: name });
    await item.getByText('Disetujui').waitFor();
    await item.getByRole('button', { name: `Hapus template ${name} (id)` }).click();
    await item.getByText(`Hapus template “${name}” di WhatsApp?`, { exact: false }).waitFor();
    await item.getByRole('button', { name: 'Batal' }).click();
    await item.getByRole('button', { name: `Hapus template ${name} (id)` }).click();
    await shoot(page, 'settings-template-delete');
    await item.getByRole('button', { name: 'Ya, hapus' }).click();
    await page.getByText(`Template ${name} sudah dihapus.`).waitFor();
    await until(async () => (await item.count()) === 0, 'the deleted template left the list');
    await setup.send('GET', `/api/v1/templates/${created.id}`, undefined, 404);
    const res = await fetch(`${process.env.LARIS_SIM_URL}/_sim/templates/${created.meta_template_id}/status`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ status: 'APPROVED' }),
    });
    assert.equal(res.status, 404, 'laris-sim (Meta) no longer holds the template');
    ctx.assertClean();
    await ctx.close();

    // An agent sees no templates in Settings, so no delete button either.
    const agent = { name: 'Agen Sari', email: uniqueEmail('agent'), password: PASSWORD, role: 'agent' };
    await addMemberViaApi(owner, agent);
    const agentCtx = await newContext(browser, { viewport: DESKTOP });
    const agentPage = await agentCtx.page();
    await logInViaPage(agentPage, agent.email, agent.password);
    await agentPage.goto('/settings');
    await agentPage.getByRole('heading', { level: 1 }).waitFor();
    assert.equal(await agentPage.getByRole('region', { name: 'Template pesan' }).count(), 0);
    assert.equal(await agentPage.getByRole('button', { name: /^Hapus template/ }).count(), 0);
    agentCtx.assertClean();
    await agentCtx.close();
    await setup.dispose();
  });
});

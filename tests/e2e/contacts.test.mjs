// The customer beside a chat and the customer book. The owner opens a chat, sets the customer
// hot, records an order of two items in the side panel and sees the panel's summary show it,
// marks it paid; on a phone the panel is a toggle; the contacts page finds the customer by a
// number typed another way and by lead status, and opens the card. Screenshots at 375 and
// 1280 px (axe-checked).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DESKTOP, PHONE, launchBrowser, logInViaPage, newContext, shoot, signupViaApi, sql } from './lib.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

const money = (text) => text.replace(/\s/g, ' ');

describe('contacts', () => {
  it('sets a chat customer hot, records an order in the side panel and finds them in the book', async () => {
    const owner = await signupViaApi({ business_name: 'Kopi Kenangan Mantan' });
    const tenant = sql(`SELECT tenant_id FROM users WHERE email = '${owner.email}'`);
    const digits = `62857${String(Date.now()).slice(-8)}`;
    const contact = sql(
      `INSERT INTO contacts (tenant_id, wa_id, phone, profile_name, last_inbound_at)
       VALUES (${tenant}, '${digits}', '${digits}', 'Rina Pembeli', now()) RETURNING id`,
    );
    const conv = sql(
      `INSERT INTO conversations (tenant_id, contact_id) VALUES (${tenant}, ${contact}) RETURNING id`,
    );
    sql(
      `INSERT INTO messages (tenant_id, conversation_id, contact_id, direction, type, body, wamid)
       VALUES (${tenant}, ${conv}, ${contact}, 'in', 'text', 'Kak, pesan kopi susu 2 ya', 'wamid.e2e${digits}')`,
    );

    const ctx = await newContext(browser, { viewport: DESKTOP });
    const page = await ctx.page();
    await logInViaPage(page, owner.email, owner.password);
    await page.goto(`/inbox?c=${conv}`);
    const panel = page.getByRole('complementary', { name: 'Info pelanggan' });
    // Wide screen: the panel stands open beside the chat.
    await panel.getByText('Rina Pembeli').waitFor();
    assert.equal(await panel.getByTestId('order-count').innerText(), '0');

    const patched = page.waitForResponse((r) => r.url().endsWith(`/api/v1/contacts/${contact}`) && r.request().method() === 'PATCH');
    await panel.getByRole('radio', { name: 'Hot' }).check();
    assert.equal((await patched).status(), 200);
    assert.equal(sql(`SELECT lead_status FROM contacts WHERE id = ${contact}`), 'hot');

    await panel.locator('summary', { hasText: 'Catat pesanan' }).click();
    await panel.getByLabel('Barang 1', { exact: true }).fill('Kopi Susu Gula Aren');
    await panel.getByLabel('Jumlah barang 1', { exact: true }).fill('2');
    await panel.getByLabel('Harga satuan barang 1 (Rp)', { exact: true }).fill('25.000');
    await panel.getByRole('button', { name: 'Tambah barang' }).click();
    await panel.getByLabel('Barang 2', { exact: true }).fill('Roti Bakar');
    await panel.getByLabel('Harga satuan barang 2 (Rp)', { exact: true }).fill('15000');
    assert.equal(money(await panel.locator('.order-total').innerText()), 'Total: Rp 65.000');
    // A double tap records one order (one Idempotency-Key per order meant).
    const submit = panel.getByRole('button', { name: 'Catat pesanan', exact: true });
    await submit.dblclick();
    await panel.getByText('Pesanan dicatat.').waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="order-count"]')?.textContent === '1');
    assert.equal(money(await panel.getByTestId('unpaid-total').innerText()), 'Rp 65.000');
    assert.equal(sql(`SELECT count(*) FROM orders WHERE contact_id = ${contact}`), '1');
    assert.equal(sql(`SELECT total FROM orders WHERE contact_id = ${contact}`), '65000');
    await panel.getByText('2 × Kopi Susu Gula Aren', { exact: false }).waitFor();
    await shoot(page, 'inbox-contact-panel');

    await panel.getByRole('button', { name: 'Tandai lunas' }).click();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="paid-total"]')?.textContent?.replace(/\s/g, ' ') === 'Rp 65.000',
    );
    assert.equal(money(await panel.getByTestId('unpaid-total').innerText()), 'Rp 0');

    // A phone: the panel waits behind its toggle.
    await page.setViewportSize(PHONE);
    await page.reload();
    const toggle = panel.getByRole('button', { name: 'Info pelanggan' });
    await toggle.waitFor();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    await toggle.click();
    await page.waitForFunction(() => document.querySelector('[data-testid="order-count"]')?.textContent === '1');
    assert.equal(await panel.getByRole('radio', { name: 'Hot' }).isChecked(), true);

    // The customer book: found by the number typed the Indonesian way, and by lead status.
    await page.setViewportSize(DESKTOP);
    await page.goto('/contacts');
    await page.getByRole('heading', { level: 1, name: 'Kontak' }).waitFor();
    const local = `0${digits.slice(2, 5)}-${digits.slice(5, 9)}-${digits.slice(9)}`;
    await page.getByLabel('Cari kontak', { exact: true }).fill(local);
    await page.getByLabel('Cari kontak').press('Enter');
    await page.locator('.contact-item').filter({ hasText: 'Rina Pembeli' }).waitFor();
    assert.equal(await page.locator('.contact-item').count(), 1);
    await page.getByLabel('Cari kontak', { exact: true }).fill('');
    await page.getByLabel('Cari kontak').press('Enter');
    await page.getByLabel('Status prospek').selectOption('cold');
    await page.getByText('Belum ada kontak di sini.').waitFor();
    await page.getByLabel('Status prospek').selectOption('hot');
    await page.locator('.contact-item').filter({ hasText: 'Rina Pembeli' }).waitFor();
    await shoot(page, 'contacts');
    await page.getByRole('link', { name: /Rina Pembeli/ }).click();
    await page.waitForURL(`**/contacts?id=${contact}`);
    await page.getByRole('heading', { level: 3, name: 'Rina Pembeli' }).waitFor();
    await page.getByLabel('Kota', { exact: true }).fill('Yogyakarta');
    await page.getByRole('button', { name: 'Simpan' }).click();
    await page.getByText('Data pelanggan disimpan.').waitFor();
    assert.equal(sql(`SELECT city FROM contacts WHERE id = ${contact}`), 'Yogyakarta');
    await shoot(page, 'contact-detail');
    ctx.assertClean();
    await ctx.close();
  });
});

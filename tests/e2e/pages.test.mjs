// Every page at 375 px and 1280 px wide (screenshots, axe), the shell pages saying what will be
// there, dates in the tenant's time zone, and the keyboard path through the login form.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launchBrowser, logInViaPage, newContext, shoot, signupViaApi } from './lib.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

describe('pages', () => {
  it('shows every page of the shell, readable at both widths', async () => {
    const owner = await signupViaApi({ business_name: 'Toko Sepatu Nusantara', timezone: 'Asia/Jayapura' });
    const ctx = await newContext(browser);
    const page = await ctx.page();
    await logInViaPage(page, owner.email, owner.password);

    const shells = [
      ['/broadcasts', 'Siaran', 'Di sini Anda akan mengirim promosi'],
      ['/reports', 'Laporan', 'Di sini Anda akan melihat siapa yang paling laris menjual'],
    ];
    const nav = page.getByRole('navigation', { name: 'Menu utama' });
    for (const [path, title, text] of shells) {
      await nav.getByRole('link', { name: title }).click();
      await page.waitForURL(`**${path}`);
      const heading = page.getByRole('heading', { level: 1, name: title });
      await heading.waitFor();
      // After a navigation the new page's heading has the focus, and the link says where we are.
      await page.waitForFunction(() => document.activeElement?.tagName === 'H1');
      assert.equal(await nav.getByRole('link', { name: title }).getAttribute('aria-current'), 'page');
      await page.getByText(text, { exact: false }).waitFor();
      await page.getByText('Segera hadir').first().waitFor();
      assert.equal(await page.title(), `${title} · Laris`);
      await shoot(page, path.slice(1));
    }

    await nav.getByRole('link', { name: 'Pengaturan' }).click();
    await page.getByRole('heading', { level: 1, name: 'Pengaturan' }).waitFor();
    await shoot(page, 'settings');

    // The team list shows the last login in the tenant's zone (WIT, UTC+9), not the browser's UTC.
    await page.goto('/team');
    const meta = await page.locator('.member-meta').first().innerText();
    const when = meta.match(/Terakhir masuk (\d{1,2} \w{3} \d{4}, \d{2}\.\d{2})/);
    assert.ok(when, `a last-login time in "${meta}"`);
    const expected = new Intl.DateTimeFormat('id-ID', {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: 'Asia/Jayapura',
    }).format(new Date());
    // Logged in moments ago: the same minute, or the one before.
    const minuteBefore = new Intl.DateTimeFormat('id-ID', {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: 'Asia/Jayapura',
    }).format(new Date(Date.now() - 60000));
    assert.ok([expected, minuteBefore].includes(when[1]), `${when[1]} is WIT (${expected})`);

    await page.goto('/profile');
    await page.getByRole('heading', { level: 1, name: 'Profil saya' }).waitFor();
    await page.getByRole('radio', { name: 'Online' }).check();
    await page.getByText('Status Anda sekarang Online.').waitFor();
    await page.getByLabel('Nama', { exact: true }).fill('Andi Saputra');
    await page.getByRole('button', { name: 'Simpan' }).click();
    await page.getByText('Nama tersimpan.').waitFor();
    await page.getByRole('link', { name: 'Profil saya: Andi Saputra (Online)' }).waitFor();

    await page.goto('/halaman-yang-tidak-ada');
    await page.getByRole('heading', { name: 'Halaman tidak ditemukan' }).waitFor();
    await shoot(page, 'not-found');
    ctx.assertClean();
    await ctx.close();
  });

  it('the login form works with the keyboard alone, with a visible focus', async () => {
    const owner = await signupViaApi();
    const ctx = await newContext(browser);
    const page = await ctx.page();
    await page.goto('/login');
    await page.getByRole('heading', { name: 'Masuk ke Laris' }).waitFor();

    const focused = () =>
      page.evaluate(() => {
        const el = document.activeElement;
        const style = el ? getComputedStyle(el) : null;
        return {
          label: el?.getAttribute('name') ?? el?.textContent?.trim() ?? '',
          outline: style ? `${style.outlineStyle} ${style.outlineWidth}` : '',
        };
      });
    const order = [];
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press('Tab');
      const f = await focused();
      order.push(f.label);
      assert.notEqual(f.outline.split(' ')[0], 'none', `${f.label} shows where the focus is`);
    }
    assert.deepEqual(order, ['English', 'email', 'password', 'Tampilkan', 'Masuk']);

    await page.getByLabel('Email').focus();
    await page.keyboard.type(owner.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(owner.password);
    await page.keyboard.press('Enter');
    await page.waitForURL('**/inbox');
    // Landing after login, the focus is on the new page's heading.
    await page.waitForFunction(() => document.activeElement?.tagName === 'H1');

    // On a fresh load the skip link comes first and jumps over the navigation.
    await page.reload();
    await page.getByRole('heading', { name: 'Kotak Masuk' }).waitFor();
    await page.keyboard.press('Tab');
    const skip = await focused();
    assert.equal(skip.label, 'Langsung ke isi halaman');
    assert.notEqual(skip.outline.split(' ')[0], 'none');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.id === 'main');
    ctx.assertClean();
    await ctx.close();
  });
});

// Signing up, logging in and out, the wrong-password message, sessions that end, and the
// language switch, in Debian's Chromium against a live stack.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  DESKTOP,
  PASSWORD,
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

describe('auth', () => {
  it('signs up a business and its owner, with errors next to their fields', async () => {
    const ctx = await newContext(browser);
    const page = await ctx.page();
    await page.goto('/signup');
    await page.getByRole('heading', { name: 'Daftarkan usaha Anda' }).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'id');
    await shoot(page, 'signup');

    // Nothing filled in: each required field says so, and the focus goes to the first one.
    await page.getByRole('button', { name: 'Daftar' }).click();
    const business = page.getByLabel('Nama usaha');
    assert.equal(await business.getAttribute('aria-invalid'), 'true');
    assert.ok(await business.evaluate((el) => el === document.activeElement));
    assert.equal(await page.locator('.field-error', { hasText: 'Wajib diisi.' }).count(), 4);
    await page.getByLabel('Email').fill('bukan-email');
    await page.getByLabel('Kata sandi').fill('pendek');
    await page.getByRole('button', { name: 'Daftar' }).click();
    await page.getByText('Masukkan email yang benar, misalnya nama@contoh.com.').waitFor();
    await page.getByText('Minimal 8 karakter.', { exact: true }).waitFor();
    await shoot(page, 'signup-errors');

    const email = uniqueEmail('signup');
    await business.fill('Warung Bu Sari');
    await page.getByLabel('Nomor WhatsApp usaha').fill('0812-3456-7890');
    await page.getByLabel('Zona waktu').selectOption('Asia/Makassar');
    await page.getByLabel('Nama Anda').fill('Sari Wulandari');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Kata sandi').fill(PASSWORD);
    await page.getByRole('button', { name: 'Daftar' }).click();
    await page.waitForURL('**/inbox');
    await page.getByRole('heading', { name: 'Kotak Masuk' }).waitFor();
    await page.locator('.tenant-name', { hasText: 'Warung Bu Sari' }).waitFor();
    await page.getByRole('link', { name: /Profil saya: Sari Wulandari/ }).waitFor();
    await shoot(page, 'inbox');
    ctx.assertClean();
    await ctx.close();

    // The same email again: the server's 409 lands next to the email field, in Indonesian.
    const again = await newContext(browser);
    again.allow(409, '/api/v1/signup');
    const p2 = await again.page();
    await p2.goto('/signup');
    await p2.getByLabel('Nama usaha').fill('Warung Kedua');
    await p2.getByLabel('Nama Anda').fill('Sari');
    await p2.getByLabel('Email').fill(email);
    await p2.getByLabel('Kata sandi').fill(PASSWORD);
    await p2.getByRole('button', { name: 'Daftar' }).click();
    const emailField = p2.getByLabel('Email');
    await p2.locator('.field-error', { hasText: 'Email ini sudah terdaftar.' }).waitFor();
    assert.equal(await emailField.getAttribute('aria-invalid'), 'true');
    const describedBy = await emailField.getAttribute('aria-describedby');
    assert.match(
      await p2.locator(`[id="${describedBy}"]`).innerText(),
      /Email ini sudah terdaftar\./,
    );
    assert.ok(await emailField.evaluate((el) => el === document.activeElement));
    await shoot(p2, 'signup-email-taken');
    again.assertClean();
    await again.close();
  });

  it('logs in, logs out, and sends a visitor without a session to the login page', async () => {
    const owner = await signupViaApi({ business_name: 'Toko Maju Jaya' });
    const ctx = await newContext(browser);
    const page = await ctx.page();
    await page.goto('/login');
    await page.getByRole('heading', { name: 'Masuk ke Laris' }).waitFor();
    await shoot(page, 'login');
    await logInViaPage(page, owner.email, owner.password);
    await page.locator('.tenant-name', { hasText: 'Toko Maju Jaya' }).waitFor();

    // A reload keeps the session (GET /me) and the page.
    await page.goto('/settings');
    await page.getByRole('heading', { name: 'Pengaturan' }).waitFor();

    await page.getByRole('button', { name: 'Keluar' }).click();
    await page.waitForURL('**/login');
    await page.getByText('Anda sudah keluar. Sampai jumpa!').waitFor();

    await page.goto('/team');
    await page.waitForURL((u) => u.pathname === '/login' && u.searchParams.get('next') === '/team');
    await logInViaPage(page, owner.email, owner.password, { landing: '/team', open: false });
    await page.getByRole('heading', { name: 'Tim', exact: true }).waitFor();
    ctx.assertClean();
    await ctx.close();
  });

  it('says a wrong password in Bahasa Indonesia', async () => {
    const owner = await signupViaApi();
    const ctx = await newContext(browser);
    ctx.allow(401, '/api/v1/auth/login');
    const page = await ctx.page();
    await page.goto('/login');
    await page.getByLabel('Email').fill(owner.email);
    await page.getByLabel('Kata sandi').fill('kata-sandi-salah');
    await page.getByRole('button', { name: 'Masuk' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Email atau kata sandi salah.' });
    await alert.waitFor();
    assert.equal(new URL(page.url()).pathname, '/login');
    await shoot(page, 'login-wrong-password');
    ctx.assertClean();
    await ctx.close();
  });

  it('ends the other session when the password changes, and brings that person back', async () => {
    const owner = await signupViaApi({ business_name: 'Toko Dua Sesi' });
    const phone = await newContext(browser);
    const laptop = await newContext(browser, { viewport: DESKTOP });
    // The laptop's session ends: its next call answers 401.
    laptop.allow(401, '/api/v1/me/presence');
    const p1 = await phone.page();
    const p2 = await laptop.page();
    await logInViaPage(p1, owner.email, owner.password);
    await logInViaPage(p2, owner.email, owner.password);
    await p2.goto('/profile');
    await p2.getByRole('heading', { name: 'Profil saya' }).waitFor();

    await p1.goto('/profile');
    await p1.getByLabel('Kata sandi sekarang', { exact: true }).fill('bukan-kata-sandi');
    await p1.getByLabel('Kata sandi baru', { exact: true }).fill('kata-sandi-baru-1');
    await p1.getByLabel('Ulangi kata sandi baru', { exact: true }).fill('kata-sandi-baru-2');
    await p1.getByRole('button', { name: 'Ganti kata sandi' }).click();
    await p1.getByText('Kedua kata sandi tidak sama.').waitFor();
    await p1.getByLabel('Ulangi kata sandi baru', { exact: true }).fill('kata-sandi-baru-1');
    phone.allow(422, '/api/v1/me/password');
    await p1.getByRole('button', { name: 'Ganti kata sandi' }).click();
    await p1.locator('.field-error', { hasText: 'Kata sandi sekarang tidak cocok.' }).waitFor();
    await p1.getByLabel('Kata sandi sekarang', { exact: true }).fill(owner.password);
    await p1.getByLabel('Kata sandi baru', { exact: true }).fill('kata-sandi-baru-1');
    await p1.getByLabel('Ulangi kata sandi baru', { exact: true }).fill('kata-sandi-baru-1');
    await p1.getByRole('button', { name: 'Ganti kata sandi' }).click();
    await p1.getByText('Kata sandi sudah diganti.', { exact: false }).waitFor();
    await shoot(p1, 'profile-password-changed');

    // On the laptop the next action finds the session gone: to the login page, then back.
    // (click, not check: the page is gone before the radio could show the change)
    await p2.getByRole('radio', { name: 'Istirahat' }).click();
    await p2.waitForURL((u) => u.pathname === '/login' && u.searchParams.get('next') === '/profile');
    await p2.getByText('Sesi Anda sudah berakhir. Silakan masuk lagi.').waitFor();
    await shoot(p2, 'login-session-ended');
    await p2.getByLabel('Email').fill(owner.email);
    await p2.getByLabel('Kata sandi').fill('kata-sandi-baru-1');
    await p2.getByRole('button', { name: 'Masuk' }).click();
    await p2.waitForURL('**/profile');
    await p2.getByRole('heading', { name: 'Profil saya' }).waitFor();

    // The phone, where the password was changed, kept its session.
    await p1.goto('/team');
    await p1.getByRole('heading', { name: 'Anggota tim' }).waitFor();
    phone.assertClean();
    laptop.assertClean();
    await phone.close();
    await laptop.close();
  });

  it('switches to English and remembers it for the user', async () => {
    const owner = await signupViaApi({ name: 'Budi Santoso' });
    const ctx = await newContext(browser);
    const page = await ctx.page();

    // Before login, the switch changes the page at once.
    await page.goto('/login');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Log in to Laris' }).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    await page.getByRole('button', { name: 'Bahasa Indonesia' }).click();
    await page.getByRole('heading', { name: 'Masuk ke Laris' }).waitFor();

    // The user's own language comes from the account after login; switching stores it there.
    await logInViaPage(page, owner.email, owner.password);
    await page.goto('/profile');
    await shoot(page, 'profile');
    await page.getByRole('radio', { name: 'English' }).check();
    await page.getByRole('heading', { name: 'My profile' }).waitFor();
    await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Inbox' }).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    await shoot(page, 'profile-english');
    ctx.assertClean();
    await ctx.close();

    // Another device, nothing stored there: English after login all the same.
    const other = await newContext(browser, { viewport: DESKTOP });
    const p2 = await other.page();
    await p2.goto('/login');
    await p2.getByRole('heading', { name: 'Masuk ke Laris' }).waitFor();
    await logInViaPage(p2, owner.email, owner.password);
    await p2.getByRole('heading', { name: 'Inbox' }).waitFor();
    await p2.getByRole('button', { name: 'Log out' }).waitFor();
    await shoot(p2, 'inbox-english');
    other.assertClean();
    await other.close();
  });
});

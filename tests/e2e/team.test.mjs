// The team and API tokens: the owner adds people and changes roles, an agent sees no admin
// actions, a supervisor adds agents only, deactivation ends a session, a token's secret shows once.
import assert from 'node:assert/strict';
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

describe('team', () => {
  it('owner adds an agent and a supervisor; the agent sees no team admin actions', async () => {
    const owner = await signupViaApi({ business_name: 'Toko Kain Melati', name: 'Melati' });
    const ctx = await newContext(browser, { viewport: DESKTOP });
    const page = await ctx.page();
    await logInViaPage(page, owner.email, owner.password);
    await page.getByRole('navigation', { name: 'Menu utama' }).getByRole('link', { name: 'Pengaturan' }).click();
    await page.getByRole('link', { name: /^Tim/ }).click();
    await page.waitForURL('**/team');
    await page.getByText(owner.email).waitFor();
    await shoot(page, 'team');

    // The form checks itself first: errors sit under their fields.
    const add = page.getByRole('region', { name: 'Tambah anggota' });
    await add.getByRole('button', { name: 'Tambahkan' }).click();
    assert.equal(await add.getByLabel('Nama', { exact: true }).getAttribute('aria-invalid'), 'true');
    await add.getByText('Wajib diisi.').first().waitFor();

    const agentEmail = uniqueEmail('agent');
    await add.getByLabel('Nama', { exact: true }).fill('Sari Agen');
    await add.getByLabel('Email').fill(agentEmail);
    await add.getByLabel('Kata sandi awal').fill('sandi-agen-123');
    await add.getByLabel('Peran').selectOption('agent');
    await add.getByRole('button', { name: 'Tambahkan' }).click();
    await page.getByText('Sari Agen sudah ditambahkan sebagai Agen.').waitFor();

    const supEmail = uniqueEmail('sup');
    await add.getByLabel('Nama', { exact: true }).fill('Budi Supervisor');
    await add.getByLabel('Email').fill(supEmail);
    await add.getByLabel('Kata sandi awal').fill('sandi-super-123');
    await add.getByLabel('Peran').selectOption('supervisor');
    await add.getByRole('button', { name: 'Tambahkan' }).click();
    await page.getByText('Budi Supervisor sudah ditambahkan sebagai Supervisor.').waitFor();

    // An email already in use: the server's answer lands under the email field.
    ctx.allow(409, '/api/v1/users');
    await add.getByLabel('Nama', { exact: true }).fill('Sari Lagi');
    await add.getByLabel('Email').fill(agentEmail);
    await add.getByLabel('Kata sandi awal').fill('sandi-agen-123');
    await add.getByRole('button', { name: 'Tambahkan' }).click();
    await add.locator('.field-error', { hasText: 'Email ini sudah terdaftar.' }).waitFor();
    await add.getByLabel('Email').fill('');
    await add.getByLabel('Nama', { exact: true }).fill('');
    await add.getByLabel('Kata sandi awal').fill('');

    // The owner changes roles (not their own: no control for it).
    const roleOfBudi = page.getByLabel('Peran Budi Supervisor');
    await roleOfBudi.selectOption('agent');
    await page.getByText('Peran Budi Supervisor sekarang Agen.').waitFor();
    await roleOfBudi.selectOption('supervisor');
    await page.getByText('Peran Budi Supervisor sekarang Supervisor.').waitFor();
    assert.equal(await page.getByLabel('Peran Melati').count(), 0);
    assert.equal(await page.getByRole('button', { name: 'Nonaktifkan Melati' }).count(), 0);
    await shoot(page, 'team-members');

    // The agent: no Broadcasts, Reports, Team or tokens; the team page says so and offers nothing.
    const agentCtx = await newContext(browser);
    const ap = await agentCtx.page();
    await logInViaPage(ap, agentEmail, 'sandi-agen-123');
    const nav = ap.getByRole('navigation', { name: 'Menu utama' });
    await nav.getByRole('link', { name: 'Kotak Masuk' }).waitFor();
    assert.equal(await nav.getByRole('link', { name: 'Siaran' }).count(), 0);
    assert.equal(await nav.getByRole('link', { name: 'Laporan' }).count(), 0);
    await nav.getByRole('link', { name: 'Pengaturan' }).click();
    await ap.getByRole('link', { name: /^Profil saya/ }).first().waitFor();
    assert.equal(await ap.getByRole('link', { name: /^Tim/ }).count(), 0);
    assert.equal(await ap.getByRole('link', { name: /^Token API/ }).count(), 0);
    await shoot(ap, 'agent-settings');
    await ap.goto('/team');
    await ap.getByText('Halaman ini hanya untuk pemilik dan supervisor.').waitFor();
    assert.equal(await ap.getByRole('button', { name: /Tambahkan|Nonaktifkan/ }).count(), 0);
    assert.equal(await ap.getByRole('combobox').count(), 0);
    assert.equal(await ap.getByText(owner.email).count(), 0);
    await shoot(ap, 'agent-team');
    await ap.goto('/tokens');
    await ap.getByText('Hanya pemilik usaha yang bisa mengelola token API.').waitFor();

    // The owner deactivates the agent: the agent's session ends and the login is refused.
    await page.getByRole('button', { name: 'Nonaktifkan Sari Agen' }).click();
    await page.getByText('Nonaktifkan Sari Agen? Ia langsung keluar dan tidak bisa masuk lagi.').waitFor();
    await page.getByRole('button', { name: 'Ya, nonaktifkan' }).click();
    await page.getByText('Sari Agen sudah dinonaktifkan.').waitFor();
    await page.getByText('Nonaktif', { exact: true }).waitFor();
    await shoot(page, 'team-deactivated');

    agentCtx.allow(401, '/api/v1/me');
    agentCtx.allow(401, '/api/v1/auth/login');
    await ap.goto('/inbox');
    await ap.waitForURL((u) => u.pathname === '/login' && u.searchParams.get('next') === '/inbox');
    await ap.getByText('Sesi Anda sudah berakhir. Silakan masuk lagi.').waitFor();
    await ap.getByLabel('Email').fill(agentEmail);
    await ap.getByLabel('Kata sandi').fill('sandi-agen-123');
    await ap.getByRole('button', { name: 'Masuk' }).click();
    await ap.getByText('Email atau kata sandi salah.').waitFor();

    // ... and reactivates her.
    await page.getByRole('button', { name: 'Aktifkan lagi Sari Agen' }).click();
    await page.getByText('Sari Agen aktif lagi.').waitFor();
    ctx.assertClean();
    agentCtx.assertClean();
    await ctx.close();
    await agentCtx.close();
  });

  it('a supervisor adds agents only and changes no roles', async () => {
    const owner = await signupViaApi({ business_name: 'Toko Buah Segar' });
    const sup = { email: uniqueEmail('sup'), name: 'Rina Supervisor', password: PASSWORD, role: 'supervisor' };
    await addMemberViaApi(owner, sup);
    await addMemberViaApi(owner, { email: uniqueEmail('agent'), name: 'Joko Agen', password: PASSWORD, role: 'agent' });
    const ctx = await newContext(browser);
    const page = await ctx.page();
    await logInViaPage(page, sup.email, sup.password);
    await page.goto('/team');
    await page.getByText('Joko Agen').waitFor();
    await page.getByText('Sebagai supervisor, Anda bisa menambahkan agen.').waitFor();
    const add = page.getByRole('region', { name: 'Tambah anggota' });
    assert.equal(await add.getByLabel('Peran').count(), 0);
    assert.equal(await page.getByLabel(/^Peran /).count(), 0, 'no role controls');
    await page.getByRole('button', { name: 'Nonaktifkan Joko Agen' }).waitFor();
    assert.equal(await page.getByRole('button', { name: /^Nonaktifkan Andi/ }).count(), 0);

    const agentEmail = uniqueEmail('agent');
    await add.getByLabel('Nama', { exact: true }).fill('Tono Agen');
    await add.getByLabel('Email').fill(agentEmail);
    await add.getByLabel('Kata sandi awal').fill('sandi-tono-123');
    await add.getByRole('button', { name: 'Tambahkan' }).click();
    await page.getByText('Tono Agen sudah ditambahkan sebagai Agen.').waitFor();
    await shoot(page, 'team-supervisor');
    ctx.assertClean();
    await ctx.close();
  });

  it('owner creates an API token, copies its secret shown once, and revokes it', async () => {
    const owner = await signupViaApi({ business_name: 'Toko Online Laris' });
    const ctx = await newContext(browser, { permissions: ['clipboard-read', 'clipboard-write'] });
    const page = await ctx.page();
    await logInViaPage(page, owner.email, owner.password);
    await page.goto('/settings');
    await page.getByRole('link', { name: /^Token API/ }).click();
    await page.waitForURL('**/tokens');
    await page.getByText('Belum ada token.').waitFor();
    await shoot(page, 'tokens');

    await page.getByLabel('Nama token').fill('Toko online');
    await page.getByLabel('Hak akses').selectOption('agent');
    await page.getByRole('button', { name: 'Buat token' }).click();
    const secretField = page.getByLabel('Token rahasia');
    await secretField.waitFor();
    const secret = await secretField.inputValue();
    assert.match(secret, /^lrs_\d+_[A-Za-z0-9_-]{20,}$/);
    await page.getByRole('button', { name: 'Salin' }).click();
    await page.getByText('Tersalin!').waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), secret);
    await shoot(page, 'tokens-secret');

    await page.getByRole('button', { name: 'Sudah saya simpan' }).click();
    assert.equal(await page.getByLabel('Token rahasia').count(), 0, 'the secret is gone');
    assert.equal(await page.getByText(secret).count(), 0);
    const list = page.getByRole('region', { name: 'Token yang ada' });
    await list.getByText('Toko online').waitFor();
    await list.getByText('Belum pernah dipakai').waitFor();

    // The token works for a program, until it is revoked.
    const asProgram = await ctx.context.request.get('/api/v1/me', {
      headers: { Authorization: `Bearer ${secret}` },
    });
    assert.equal(asProgram.status(), 200);

    await page.getByRole('button', { name: 'Cabut token Toko online' }).click();
    await page.getByRole('button', { name: 'Ya, cabut' }).click();
    await page.getByText('Token “Toko online” sudah dicabut.').waitFor();
    await list.getByText(/^Dicabut /).waitFor();
    const revoked = await ctx.context.request.get('/api/v1/me', {
      headers: { Authorization: `Bearer ${secret}` },
    });
    assert.equal(revoked.status(), 401);
    await shoot(page, 'tokens-revoked');
    ctx.assertClean();
    await ctx.close();
  });
});

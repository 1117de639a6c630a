// Shared helpers of the browser tests: Debian's Chromium driven by playwright-core (from
// frontend/node_modules; no browser is ever downloaded), a console watcher, screenshots at
// phone and desktop widths, axe accessibility checks, and tenants made through the API.
//
// Environment: LARIS_E2E_URL (required: the stack, e.g. http://127.0.0.1:8080),
// LARIS_CHROMIUM (default /usr/bin/chromium), LARIS_SCREENSHOT_DIR (default
// tests/e2e/screenshots, git-ignored).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(new URL('../../frontend/package.json', import.meta.url));
const { chromium, request } = require('playwright-core');
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const BASE_URL = (process.env.LARIS_E2E_URL ?? '').replace(/\/+$/, '');
if (!BASE_URL) throw new Error('set LARIS_E2E_URL to the stack under test, e.g. http://127.0.0.1:8080');
const CHROMIUM = process.env.LARIS_CHROMIUM ?? '/usr/bin/chromium';
export const SHOT_DIR =
  process.env.LARIS_SCREENSHOT_DIR ?? fileURLToPath(new URL('./screenshots/', import.meta.url));
export const PHONE = { width: 375, height: 812 };
export const DESKTOP = { width: 1280, height: 800 };
export const PASSWORD = 'rahasia-sekali-123';

export async function launchBrowser() {
  // launch() gives every run a fresh temporary profile (user data dir) of its own.
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

// A client address of its own per context (198.18.0.0/15 is for benchmarks: never routed), so
// the signup and login throttles of one test do not answer another's requests.
function randomAddress() {
  const r = () => Math.floor(Math.random() * 254) + 1;
  return `198.18.${r()}.${r()}`;
}

// Chromium logs every 4xx/5xx answer to fetch as "Failed to load resource" on the console. The
// tests that provoke one on purpose (a wrong password) declare it with allow(); anything else on
// the console at level error, and any uncaught exception, fails the test.
const NETWORK_LOG = /^Failed to load resource: the server responded with a status of (\d{3})/;

export async function newContext(browser, opts = {}) {
  const context = await browser.newContext({
    baseURL: BASE_URL,
    viewport: opts.viewport ?? PHONE,
    // The browser's own clock is UTC: dates must follow the tenant's zone, not this.
    timezoneId: 'UTC',
    locale: opts.locale ?? 'id-ID',
    extraHTTPHeaders: { 'X-Forwarded-For': randomAddress() },
    permissions: opts.permissions ?? [],
  });
  context.setDefaultTimeout(15000);
  const problems = [];
  const allowed = [];
  context.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const text = msg.text();
    const m = NETWORK_LOG.exec(text);
    if (m) {
      const url = new URL(msg.location().url || BASE_URL);
      const ok = allowed.find((a) => a.status === Number(m[1]) && a.path === url.pathname);
      if (ok) return;
      problems.push(`console: ${text} (${url.pathname})`);
      return;
    }
    problems.push(`console: ${text}`);
  });
  context.on('weberror', (err) => problems.push(`uncaught: ${err.error().message}`));
  context.on('response', (res) => {
    if (res.status() >= 500) problems.push(`server error ${res.status()} for ${res.url()}`);
  });
  return {
    context,
    async page() {
      return context.newPage();
    },
    // An API answer this test provokes on purpose (method-insensitive, by path).
    allow(status, path) {
      allowed.push({ status, path });
    },
    assertClean() {
      assert.deepEqual(problems, [], 'the browser console stayed clean');
    },
    async close() {
      await context.close();
    },
  };
}

let counter = 0;
export function uniqueEmail(prefix) {
  counter += 1;
  const stamp = `${Date.now().toString(36)}${process.pid.toString(36)}${counter}`;
  return `${prefix}-${stamp}@e2e.laris.test`;
}

// A cookie jar of its own for setting up data through the API, apart from any browser page.
async function apiSession() {
  return request.newContext({
    baseURL: BASE_URL,
    extraHTTPHeaders: { 'X-Forwarded-For': randomAddress() },
  });
}

// A tenant and its owner through the API (the signup page itself is tested in auth.test.mjs).
export async function signupViaApi(fields = {}) {
  const owner = {
    business_name: fields.business_name ?? 'Toko Uji Coba',
    name: fields.name ?? 'Andi Pemilik',
    email: fields.email ?? uniqueEmail('owner'),
    password: fields.password ?? PASSWORD,
    timezone: fields.timezone ?? 'Asia/Jakarta',
  };
  const api = await apiSession();
  try {
    const res = await api.post('/api/v1/signup', { data: owner });
    assert.equal(res.status(), 201, `signup answered ${res.status()}: ${await res.text()}`);
  } finally {
    await api.dispose();
  }
  return owner;
}

// Adds a team member through the API, as the owner (or a supervisor) given.
export async function addMemberViaApi(by, member) {
  const api = await apiSession();
  try {
    const login = await api.post('/api/v1/auth/login', {
      data: { email: by.email, password: by.password },
    });
    assert.equal(login.status(), 200, `login for setup answered ${login.status()}`);
    const { csrf_token: csrf } = await login.json();
    const res = await api.post('/api/v1/users', {
      data: { max_chats: 10, ...member },
      headers: { 'X-CSRF-Token': csrf },
    });
    assert.equal(res.status(), 201, `adding a member answered ${res.status()}: ${await res.text()}`);
    await api.post('/api/v1/auth/logout', { headers: { 'X-CSRF-Token': csrf } });
    return res.json();
  } finally {
    await api.dispose();
  }
}

// Logs in through the form: on a fresh /login, or (open: false) on the login page already shown.
export async function logInViaPage(page, email, password, { landing = '/inbox', open = true } = {}) {
  if (open) await page.goto('/login');
  await page.getByLabel(/^(Email)$/).fill(email);
  await page.getByLabel(/^(Kata sandi|Password)$/).fill(password);
  await page.getByRole('button', { name: /^(Masuk|Log in)$/ }).click();
  await page.waitForURL((u) => u.pathname === landing);
}

// Screenshots of the page as it is, at 375 px and at 1280 px wide, each also checked by axe.
export async function shoot(page, name, opts = {}) {
  mkdirSync(SHOT_DIR, { recursive: true });
  const before = page.viewportSize();
  for (const size of [PHONE, DESKTOP]) {
    await page.setViewportSize(size);
    await page.evaluate(() => document.fonts.ready);
    if (opts.axe !== false) await checkAccessibility(page, `${name} at ${size.width} px`);
    // The whole page in one picture, with the fixed and sticky bars where a person sees them:
    // a window as tall as the page rather than a stitched full-page capture.
    await page.evaluate(() => window.scrollTo(0, 0));
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.setViewportSize({ width: size.width, height: Math.max(size.height, height) });
    await page.screenshot({ path: join(SHOT_DIR, `${name}-${size.width}.png`) });
  }
  if (before) await page.setViewportSize(before);
}

// WCAG 2.x A and AA rules of axe-core: labels, names, contrast, landmarks, ARIA use.
export async function checkAccessibility(page, what) {
  const hasAxe = await page.evaluate(() => typeof window.axe !== 'undefined');
  // Evaluated through the DevTools protocol, so a Content-Security-Policy does not block it.
  if (!hasAxe) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    });
    return result.violations.map((v) => ({
      rule: v.id,
      impact: v.impact,
      nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}: ${n.failureSummary}`),
    }));
  });
  assert.deepEqual(violations, [], `axe found accessibility problems on ${what}`);
}

// n random decimal digits, never starting with 0 (unique Cloud API ids per test).
export const randomDigits = (n) => Array.from(randomBytes(n), (b) => String(b % 10)).join('').replace(/^0/, '1');
const SIM = process.env.LARIS_SIM_URL;

// laris-sim's control API ($LARIS_SIM_URL): method path with an optional JSON body; the JSON answer.
export async function sim(method, path, body) {
  assert.ok(SIM, 'LARIS_SIM_URL (from the stack.env) is needed to drive laris-sim');
  const res = await fetch(`${SIM}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  assert.ok(res.status < 300, `laris-sim ${method} ${path} answered ${res.status}: ${text}`);
  return JSON.parse(text);
}

// The owner's API session for setting things up and reading back: send(method, path, data,
// expected status) answers the parsed JSON.
export async function ownerApi(owner) {
  const api = await request.newContext({
    baseURL: BASE_URL,
    extraHTTPHeaders: { 'X-Forwarded-For': `198.19.${1 + (process.pid % 250)}.${1 + Math.floor(Math.random() * 250)}` },
  });
  const login = await api.post('/api/v1/auth/login', { data: { email: owner.email, password: owner.password } });
  assert.equal(login.status(), 200);
  const { csrf_token: csrf } = await login.json();
  const send = async (method, path, data, status) => {
    const res = await api.fetch(path, { method, data, headers: { 'X-CSRF-Token': csrf } });
    const text = await res.text();
    assert.equal(res.status(), status, `${method} ${path} answered ${res.status()}: ${text}`);
    return JSON.parse(text);
  };
  return { send, dispose: () => api.dispose() };
}

// Waits until check() holds, polling every 100 ms; fails with what after ms.
export async function until(check, what = 'the page reached the expected state in time', ms = 15000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    assert.ok(Date.now() < end, what);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// One statement on the stack's database as the superuser (fixtures the API has no route for);
// its output, trimmed.
export function sql(statement) {
  const url = process.env.LARIS_DATABASE_SUPER_URL;
  assert.ok(url, 'LARIS_DATABASE_SUPER_URL (from the stack.env) is needed for database fixtures');
  return execFileSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-qAtc', statement]).toString().trim();
}

// A number laris-sim knows (new random ids and token), connected through the owner's API
// session setup (ownerApi). Answers its ids.
export async function connectSimNumber(setup, { display, verifiedName, name }) {
  const pnid = randomDigits(15);
  const waba = randomDigits(15);
  const token = `EAA${randomBytes(24).toString('hex')}`;
  await sim('POST', '/_sim/numbers', {
    phone_number_id: pnid,
    waba_id: waba,
    display_phone_number: display,
    access_token: token,
    verified_name: verifiedName,
  });
  const number = { phone_number_id: pnid, waba_id: waba, display_phone_number: display, access_token: token };
  if (name) number.name = name;
  await setup.send('POST', '/api/v1/wa-numbers', number, 201);
  return { pnid, waba };
}

// Who is logged in, and what happens when that changes: the session from GET /me or the login
// answer, the tenant's time zone, the user's language, and the way back after a session ends.
import { computed, signal } from '@preact/signals';
import { api, isApiError } from '../api/client';
import type { Locale, Me, Role, User } from '../api/types';
import { timeZone } from '../i18n/format';
import { locale, setLocale, type Msg } from '../i18n';
import { isPublicPath, loginUrl } from './next';
import { currentUrl, location, navigate } from './router';

export const session = signal<Me | null>(null);
export const bootState = signal<'loading' | 'ready' | 'failed'>('loading');
// A notice for the next page (the login page shows why the user landed there).
export const flash = signal<Msg | null>(null);

export const user = computed(() => session.value?.user ?? null);
export const tenant = computed(() => session.value?.tenant ?? null);

const RANK: Record<Role, number> = { agent: 1, supervisor: 2, owner: 3 };
export function roleAtLeast(role: Role | undefined, least: Role): boolean {
  return role !== undefined && RANK[role] >= RANK[least];
}

// This device had a session: worth asking GET /me on a public page. Without it the login page
// makes no request at all (and logs no 401).
const HINT_KEY = 'laris.signedIn';
function hint(on?: boolean): boolean {
  try {
    if (on === true) localStorage.setItem(HINT_KEY, '1');
    else if (on === false) localStorage.removeItem(HINT_KEY);
    return localStorage.getItem(HINT_KEY) === '1';
  } catch {
    return true;
  }
}

let lastCheck = 0;
// This device believed it had a session when the app started (so a 401 then means it ended).
let expected = false;

export function setSession(me: Me): void {
  session.value = me;
  timeZone.value = me.tenant.timezone;
  if (me.user.locale !== locale.value) setLocale(me.user.locale);
  hint(true);
  lastCheck = Date.now();
}

export function updateUser(changes: Partial<User>): void {
  const s = session.value;
  if (s) session.value = { ...s, user: { ...s.user, ...changes } };
}

function clearSession(): void {
  session.value = null;
  api.csrfToken = null;
  hint(false);
}

// Any call answered 401: the session ended (expired, password changed elsewhere, deactivated).
export function sessionEnded(): void {
  const had = session.value !== null || expected;
  expected = false;
  clearSession();
  if (had) flash.value = { key: 'login.expired' };
  if (!isPublicPath(location.value.path)) navigate(loginUrl(currentUrl()), { replace: true });
}

export async function refreshSession(): Promise<void> {
  try {
    setSession(await api.me());
  } catch (e) {
    if (!isApiError(e) || e.status !== 401) throw e;
  }
}

export async function startSession(): Promise<void> {
  api.config.onUnauthorized = sessionEnded;
  bootState.value = 'loading';
  expected = hint();
  if (!expected) {
    // Nothing says this device is logged in: no need to ask (and log a 401). A protected page
    // goes to the login page with the way back.
    bootState.value = 'ready';
    return;
  }
  try {
    await refreshSession();
    expected = false;
    bootState.value = 'ready';
  } catch {
    bootState.value = 'failed';
  }
}

export async function logIn(email: string, password: string): Promise<void> {
  setSession(await api.login({ email, password }));
  flash.value = null;
}

export async function logOut(): Promise<void> {
  try {
    await api.logout();
  } catch {
    // the session is gone either way on this device
  }
  clearSession();
  flash.value = { key: 'login.loggedOut' };
  navigate('/login');
}

// The language switch: remembered on the user's account when logged in, on the device always.
export async function changeLocale(next: Locale): Promise<void> {
  const before = locale.value;
  setLocale(next);
  if (!session.value) return;
  try {
    const u = await api.updateMe({ locale: next });
    updateUser(u);
  } catch (e) {
    setLocale(before);
    throw e;
  }
}

// Coming back to the tab after a while: check the session is still there, so an ended one sends
// the person to the login page now rather than on their next click.
if (typeof document !== 'undefined') {
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState !== 'visible' || !session.value) return;
    if (Date.now() - lastCheck < 60000) return;
    lastCheck = Date.now();
    refreshSession().catch(() => {});
  });
}

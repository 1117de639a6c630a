import { describe, expect, it, vi } from 'vitest';
import { ApiError, createClient, fillPath, parseRetryAfter, slugOf } from './client';
import type { Me } from './types';

const ME: Me = {
  user: {
    id: 7,
    email: 'andi@maju.id',
    name: 'Andi',
    role: 'owner',
    presence: 'online',
    max_chats: 10,
    locale: 'id',
    active: true,
    created_at: '2026-11-23T12:00:00Z',
    last_login_at: null,
  },
  tenant: {
    id: 3,
    name: 'Toko Maju',
    status: 'active',
    timezone: 'Asia/Jakarta',
    locale: 'id',
    phone: null,
    plan: 'trial',
    created_at: '2026-11-23T12:00:00Z',
  },
  csrf_token: 'csrf-1',
};

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  const type = status >= 400 ? 'application/problem+json' : 'application/json';
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': type, ...headers } });
}

function problem(status: number, slug: string, errors?: { field: string; message: string }[]) {
  return {
    type: `https://laris.id/problems/${slug}`,
    title: 'English title',
    status,
    detail: 'English detail the app never shows.',
    ...(errors ? { errors } : {}),
  };
}

interface Call {
  url: string;
  init: RequestInit;
}

// A fetch that answers from a queue and records what it was asked.
function fakeFetch(...answers: (Response | Error | (() => Promise<Response>))[]) {
  const calls: Call[] = [];
  const fn = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    const next = answers.shift();
    if (!next) throw new Error(`unexpected request ${String(url)}`);
    if (next instanceof Error) throw next;
    if (typeof next === 'function') return next();
    return next;
  });
  return { fetch: fn as unknown as typeof fetch, calls };
}

function header(c: Call | undefined, name: string): string | undefined {
  return (c?.init.headers as Record<string, string> | undefined)?.[name];
}

describe('api client', () => {
  it('keeps the CSRF token from GET /me and sends it only on unsafe requests', async () => {
    const f = fakeFetch(json(200, ME), json(200, { presence: 'away' }), json(200, { items: [], next_cursor: null }));
    const api = createClient({ fetch: f.fetch });
    const me = await api.me();
    expect(me.user.name).toBe('Andi');
    expect(api.csrfToken).toBe('csrf-1');
    await api.setPresence({ presence: 'away' });
    await api.listUsers();
    expect(header(f.calls[0], 'X-CSRF-Token')).toBeUndefined();
    expect(header(f.calls[1], 'X-CSRF-Token')).toBe('csrf-1');
    expect(header(f.calls[1], 'Content-Type')).toBe('application/json');
    expect(f.calls[1]?.init.method).toBe('PUT');
    expect(f.calls[1]?.init.body).toBe('{"presence":"away"}');
    expect(f.calls[1]?.init.credentials).toBe('same-origin');
    expect(header(f.calls[2], 'X-CSRF-Token')).toBeUndefined();
  });

  it('takes the CSRF token from the login answer', async () => {
    const f = fakeFetch(json(200, { ...ME, csrf_token: 'csrf-login' }), new Response(null, { status: 204 }));
    const api = createClient({ fetch: f.fetch });
    await api.login({ email: 'andi@maju.id', password: 'rahasia-sekali' });
    expect(api.csrfToken).toBe('csrf-login');
    await expect(api.logout()).resolves.toBeUndefined();
    expect(header(f.calls[1], 'X-CSRF-Token')).toBe('csrf-login');
    expect(api.csrfToken).toBeNull();
  });

  it('turns problem+json into an ApiError with slug and field errors', async () => {
    const errors = [
      { field: 'email', message: 'is already registered' },
      { field: 'password', message: 'must be at least 8 characters' },
    ];
    const f = fakeFetch(json(409, problem(409, 'conflict', errors), { 'X-Request-Id': 'abc' }));
    const api = createClient({ fetch: f.fetch });
    const err = await api
      .signup({ business_name: 'Toko', name: 'Andi', email: 'a@b.id', password: 'x' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    const e = err as ApiError;
    expect(e.status).toBe(409);
    expect(e.slug).toBe('conflict');
    expect(e.fields).toEqual(errors);
    expect(e.requestId).toBe('abc');
  });

  it('reports a 401 on a session call as an ended session', async () => {
    const onUnauthorized = vi.fn();
    const f = fakeFetch(json(401, problem(401, 'unauthorized')));
    const api = createClient({ fetch: f.fetch, onUnauthorized });
    api.csrfToken = 'old';
    await expect(api.listUsers()).rejects.toMatchObject({ status: 401, slug: 'unauthorized' });
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
    expect(api.csrfToken).toBeNull();
  });

  it('does not treat a wrong password as an ended session', async () => {
    const onUnauthorized = vi.fn();
    const f = fakeFetch(json(401, problem(401, 'unauthorized')));
    const api = createClient({ fetch: f.fetch, onUnauthorized });
    await expect(api.login({ email: 'a@b.id', password: 'salah' })).rejects.toMatchObject({ status: 401 });
    expect(onUnauthorized).not.toHaveBeenCalled();
  });

  it('reads Retry-After on 429', async () => {
    const f = fakeFetch(json(429, problem(429, 'rate-limited'), { 'Retry-After': '120' }));
    const api = createClient({ fetch: f.fetch });
    await expect(api.login({ email: 'a@b.id', password: 'x' })).rejects.toMatchObject({
      slug: 'rate-limited',
      retryAfter: 120,
    });
  });

  it('names an error page that is not problem+json by its status', async () => {
    const f = fakeFetch(new Response('<html>502 Bad Gateway</html>', { status: 502, headers: { 'Content-Type': 'text/html' } }));
    const api = createClient({ fetch: f.fetch, retryDelayMs: 0 });
    await expect(api.me()).rejects.toMatchObject({ status: 502, slug: 'service-unavailable', fields: [] });
  });

  it('tries a GET that got no answer once more, but never a POST', async () => {
    const f = fakeFetch(new TypeError('Failed to fetch'), json(200, ME));
    const api = createClient({ fetch: f.fetch, retryDelayMs: 0 });
    await expect(api.me()).resolves.toMatchObject({ user: { id: 7 } });
    expect(f.calls).toHaveLength(2);

    const g = fakeFetch(new TypeError('Failed to fetch'));
    const api2 = createClient({ fetch: g.fetch, retryDelayMs: 0 });
    await expect(api2.createToken({ name: 'x' })).rejects.toMatchObject({ status: 0, slug: 'network' });
    expect(g.calls).toHaveLength(1);
  });

  it('gives up on a request that takes too long', async () => {
    const slow = (_url: RequestInfo | URL, init?: RequestInit) =>
      new Promise<Response>((_, reject) => {
        init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      });
    const api = createClient({ fetch: slow as typeof fetch, timeoutMs: 5 });
    await expect(api.createUser({ email: 'a@b.id', name: 'A', password: '12345678', role: 'agent' })).rejects.toMatchObject({
      status: 0,
      slug: 'timeout',
    });
  });

  it('returns nothing for 204 and fills path parameters', async () => {
    const f = fakeFetch(new Response(null, { status: 204 }));
    const api = createClient({ fetch: f.fetch });
    await expect(api.deactivateUser(42)).resolves.toBeUndefined();
    expect(f.calls[0]?.url).toBe('/api/v1/users/42');
    expect(f.calls[0]?.init.method).toBe('DELETE');
  });

  it('puts cursor and limit in the query only when given', async () => {
    const f = fakeFetch(json(200, { items: [], next_cursor: null }), json(200, { items: [], next_cursor: null }));
    const api = createClient({ fetch: f.fetch, baseUrl: 'http://x' });
    await api.listTokens();
    await api.listTokens('abc/=', 20);
    expect(f.calls[0]?.url).toBe('http://x/api/v1/tokens');
    expect(f.calls[1]?.url).toBe('http://x/api/v1/tokens?cursor=abc%2F%3D&limit=20');
  });

  it('retries an unsafe call once when its CSRF token belonged to an older session', async () => {
    const f = fakeFetch(
      json(403, problem(403, 'forbidden')),
      json(200, { ...ME, csrf_token: 'csrf-new' }),
      json(201, { token: { id: 1 }, secret: 'lrs_3_x' }),
    );
    const api = createClient({ fetch: f.fetch });
    api.csrfToken = 'csrf-old';
    await expect(api.createToken({ name: 'Toko online' })).resolves.toMatchObject({ secret: 'lrs_3_x' });
    expect(header(f.calls[0], 'X-CSRF-Token')).toBe('csrf-old');
    expect(f.calls[1]?.url).toBe('/api/v1/me');
    expect(header(f.calls[2], 'X-CSRF-Token')).toBe('csrf-new');
  });

  it('does not retry a 403 that is about the role', async () => {
    const f = fakeFetch(json(403, problem(403, 'forbidden')), json(200, ME));
    const api = createClient({ fetch: f.fetch });
    api.csrfToken = 'csrf-1';
    await expect(api.createToken({ name: 'x' })).rejects.toMatchObject({ status: 403, slug: 'forbidden' });
    expect(f.calls).toHaveLength(2);
  });
});

describe('client helpers', () => {
  it('slugOf takes the slug from the problem type, else from the status', () => {
    expect(slugOf('https://laris.id/problems/validation-failed', 422)).toBe('validation-failed');
    expect(slugOf(undefined, 404)).toBe('not-found');
    expect(slugOf('about:blank', 500)).toBe('internal-error');
  });

  it('parseRetryAfter reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('30')).toBe(30);
    const now = Date.parse('2026-11-23T12:00:00Z');
    expect(parseRetryAfter('Mon, 23 Nov 2026 12:02:00 GMT', now)).toBe(120);
    expect(parseRetryAfter('soon')).toBeNull();
    expect(parseRetryAfter(null)).toBeNull();
  });

  it('fillPath encodes parameters and refuses missing ones', () => {
    expect(fillPath('/api/v1/users/{id}', { id: 5 })).toBe('/api/v1/users/5');
    expect(() => fillPath('/api/v1/users/{id}')).toThrow(/id/);
  });
});

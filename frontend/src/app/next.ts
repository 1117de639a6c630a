// Where to go after logging in: only a path inside this app, never another site.
export function safeNext(next: string | null | undefined, fallback = '/inbox'): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) {
    return fallback;
  }
  if (/^\/(login|signup)(\/|\?|$)/.test(next)) return fallback;
  return next;
}

export function loginUrl(next: string): string {
  const target = safeNext(next, '');
  return target && target !== '/' ? `/login?next=${encodeURIComponent(target)}` : '/login';
}

// The pages one sees logged out.
export const PUBLIC_PATHS = ['/login', '/signup'];
export function isPublicPath(path: string): boolean {
  return PUBLIC_PATHS.includes(path);
}

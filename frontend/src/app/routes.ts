// Which page a path shows and where a visitor is sent instead (pure, so it is easy to test).
import { isPublicPath, loginUrl, safeNext } from './next';

export type PageName =
  | 'login'
  | 'signup'
  | 'inbox'
  | 'contacts'
  | 'broadcasts'
  | 'reports'
  | 'settings'
  | 'team'
  | 'profile'
  | 'tokens'
  | 'notFound';

const PAGES: Record<string, PageName> = {
  '/login': 'login',
  '/signup': 'signup',
  '/inbox': 'inbox',
  '/contacts': 'contacts',
  '/broadcasts': 'broadcasts',
  '/reports': 'reports',
  '/settings': 'settings',
  '/team': 'team',
  '/profile': 'profile',
  '/tokens': 'tokens',
};

export type Decision = { redirect: string } | { page: PageName };

export function decide(path: string, search: URLSearchParams, loggedIn: boolean): Decision {
  const clean = path.length > 1 ? path.replace(/\/+$/, '') : path;
  if (clean !== path) return { redirect: clean + (search.size ? `?${search}` : '') };
  if (isPublicPath(path)) {
    if (loggedIn) return { redirect: safeNext(search.get('next')) };
    return { page: PAGES[path] ?? 'notFound' };
  }
  if (!loggedIn) return { redirect: loginUrl(path + (search.size ? `?${search}` : '')) };
  if (path === '/') return { redirect: '/inbox' };
  return { page: PAGES[path] ?? 'notFound' };
}

import { describe, expect, it } from 'vitest';
import { loginUrl, safeNext } from './next';
import { decide } from './routes';

const q = (s = '') => new URLSearchParams(s);

describe('safeNext', () => {
  it('keeps paths inside the app and nothing else', () => {
    expect(safeNext('/team?x=1')).toBe('/team?x=1');
    expect(safeNext(null)).toBe('/inbox');
    expect(safeNext('https://evil.example/')).toBe('/inbox');
    expect(safeNext('//evil.example/')).toBe('/inbox');
    expect(safeNext('/\\evil.example')).toBe('/inbox');
    expect(safeNext('/login?next=/team')).toBe('/inbox');
  });

  it('loginUrl carries where the person was', () => {
    expect(loginUrl('/tokens')).toBe('/login?next=%2Ftokens');
    expect(loginUrl('/')).toBe('/login');
  });
});

describe('decide', () => {
  it('sends a visitor without a session to the login page, remembering the page', () => {
    expect(decide('/team', q(), false)).toEqual({ redirect: '/login?next=%2Fteam' });
    expect(decide('/inbox', q('a=1'), false)).toEqual({ redirect: '/login?next=%2Finbox%3Fa%3D1' });
    expect(decide('/', q(), false)).toEqual({ redirect: '/login' });
  });

  it('shows the public pages without a session and leaves them with one', () => {
    expect(decide('/login', q(), false)).toEqual({ page: 'login' });
    expect(decide('/signup', q(), false)).toEqual({ page: 'signup' });
    expect(decide('/login', q('next=%2Fprofile'), true)).toEqual({ redirect: '/profile' });
    expect(decide('/signup', q(), true)).toEqual({ redirect: '/inbox' });
  });

  it('maps the app pages and the rest', () => {
    expect(decide('/', q(), true)).toEqual({ redirect: '/inbox' });
    expect(decide('/tokens', q(), true)).toEqual({ page: 'tokens' });
    expect(decide('/team/', q(), true)).toEqual({ redirect: '/team' });
    expect(decide('/nowhere', q(), true)).toEqual({ page: 'notFound' });
  });
});

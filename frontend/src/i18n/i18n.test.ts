import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterEach, describe, expect, it } from 'vitest';
import { en } from './en';
import { formatDate, formatDateTime, formatNumber, formatRupiah, formatTime } from './format';
import { id } from './id';
import { catalogs, locale, t, translate } from './index';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('catalogs', () => {
  it('id and en have exactly the same keys', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(id).sort());
  });

  it('every message is filled in and uses the same placeholders in both languages', () => {
    for (const key of Object.keys(id) as (keyof typeof id)[]) {
      expect(id[key].trim(), `id ${key}`).not.toBe('');
      expect(en[key].trim(), `en ${key}`).not.toBe('');
      expect(placeholders(en[key]), key).toEqual(placeholders(id[key]));
    }
  });

  it('has the words UMKM owners know', () => {
    expect(id['login.submit']).toBe('Masuk');
    expect(id['signup.submit']).toBe('Daftar');
    expect(id['field.password']).toBe('Kata sandi');
    expect(id['nav.inbox']).toBe('Kotak Masuk');
    expect(id['nav.broadcasts']).toBe('Siaran');
    expect(id['team.title']).toBe('Tim');
  });

  // Keys used as literals ('nav.inbox') or through a template (`role.${role}`).
  it('has no message that nothing uses', () => {
    const src = fileURLToPath(new URL('..', import.meta.url));
    const code: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.tsx?$/.test(p) && !/\.test\.ts$/.test(p) && !/i18n\/(id|en)\.ts$/.test(p)) {
          code.push(readFileSync(p, 'utf8'));
        }
      }
    };
    walk(src);
    const all = code.join('\n');
    const unused = Object.keys(id).filter((key) => {
      const prefix = key.slice(0, key.lastIndexOf('.'));
      return !all.includes(`'${key}'`) && !all.includes(`\`${prefix}.\${`);
    });
    expect(unused).toEqual([]);
  });

  // Every string the person sees comes from the catalogs: no words typed into the components.
  it('no component holds user-visible text of its own', () => {
    const src = fileURLToPath(new URL('..', import.meta.url));
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (p.endsWith('.tsx')) files.push(p);
      }
    };
    walk(src);
    expect(files.length).toBeGreaterThan(10);
    const offenders: string[] = [];
    const SPOKEN = new Set(['aria-label', 'placeholder', 'title', 'alt', 'label', 'question', 'yes']);
    for (const file of files) {
      const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
      const visit = (node: ts.Node) => {
        if (ts.isJsxText(node) && /\p{L}{2,}/u.test(node.text)) {
          offenders.push(`${file}: text "${node.text.trim()}"`);
        }
        if (
          ts.isJsxAttribute(node) &&
          SPOKEN.has(node.name.getText(source)) &&
          node.initializer &&
          ts.isStringLiteral(node.initializer) &&
          /\p{L}/u.test(node.initializer.text)
        ) {
          offenders.push(`${file}: ${node.name.getText(source)}="${node.initializer.text}"`);
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect(offenders).toEqual([]);
  });
});

describe('t()', () => {
  afterEach(() => {
    locale.value = 'id';
  });

  it('speaks Bahasa Indonesia by default and follows the locale signal', () => {
    expect(t('login.wrongPassword')).toBe('Email atau kata sandi salah.');
    locale.value = 'en';
    expect(t('login.wrongPassword')).toBe('The email or password is incorrect.');
  });

  it('fills placeholders, including messages nested in messages', () => {
    expect(t('team.added', { name: 'Sari', role: { key: 'role.agent' } })).toBe(
      'Sari sudah ditambahkan sebagai Agen.',
    );
    expect(
      translate('en', 'problem.rate-limited', { wait: { key: 'wait.minutes', params: { n: 15 } } }),
    ).toBe('Too many attempts. Try again in 15 minutes.');
    expect(t('error.minLength', {})).toBe('Minimal {n} karakter.');
  });

  it('has a catalog for every locale', () => {
    expect(Object.keys(catalogs).sort()).toEqual(['en', 'id']);
  });
});

describe('formatting for id-ID in the tenant time zone', () => {
  const at = '2026-11-23T12:33:43Z';

  it('shows the same moment in WIB, WITA and WIT', () => {
    expect(formatDateTime(at, 'Asia/Jakarta')).toBe('23 Nov 2026, 19.33');
    expect(formatDateTime(at, 'Asia/Makassar')).toBe('23 Nov 2026, 20.33');
    expect(formatDateTime(at, 'Asia/Jayapura')).toBe('23 Nov 2026, 21.33');
  });

  it('crosses midnight by the tenant clock, not the browser clock', () => {
    expect(formatDate('2026-08-16T17:30:00Z', 'Asia/Jakarta')).toBe('17 Agu 2026');
    expect(formatDate('2026-08-16T17:30:00Z', 'UTC')).toBe('16 Agu 2026');
    expect(formatTime('2026-08-16T17:30:00Z', 'Asia/Jayapura')).toBe('02.30');
  });

  it('falls back to WIB for an unknown zone and to nothing for a bad date', () => {
    expect(formatDateTime(at, 'Mars/Base')).toBe('23 Nov 2026, 19.33');
    expect(formatDateTime('not a date', 'Asia/Jakarta')).toBe('');
  });

  it('writes rupiah the Indonesian way', () => {
    expect(formatRupiah(150000)).toBe('Rp\u00a0150.000');
    expect(formatRupiah(1250000.6)).toBe('Rp\u00a01.250.001');
    expect(formatRupiah(0)).toBe('Rp\u00a00');
    expect(formatNumber(1234567)).toBe('1.234.567');
  });
});

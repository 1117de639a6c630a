import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { translate } from '../i18n';
import { errorsFromProblem, fieldMessage, problemMessage, rules, validate, waitMessage } from './validate';

const run = (rule: ReturnType<(typeof rules)[keyof typeof rules]>, v: string, all: Record<string, string> = {}) =>
  rule(v, all)?.key ?? null;

describe('rules', () => {
  it('required ignores spaces', () => {
    expect(run(rules.required(), '')).toBe('error.required');
    expect(run(rules.required(), '   ')).toBe('error.required');
    expect(run(rules.required(), 'Andi')).toBeNull();
  });

  it('minLength and maxLength count characters, not bytes', () => {
    expect(rules.minLength(8)('1234567', {})).toEqual({ key: 'error.minLength', params: { n: 8 } });
    expect(run(rules.minLength(8), '12345678')).toBeNull();
    expect(run(rules.minLength(8), '')).toBeNull(); // required says that
    expect(run(rules.maxLength(3), 'abc')).toBeNull();
    expect(run(rules.maxLength(3), '😀😀😀')).toBeNull();
    expect(run(rules.maxLength(3), 'abcd')).toBe('error.maxLength');
  });

  it('email wants something@something.tld', () => {
    expect(run(rules.email(), 'andi@maju.id')).toBeNull();
    expect(run(rules.email(), ' andi@maju.id ')).toBeNull();
    expect(run(rules.email(), 'andi')).toBe('error.email');
    expect(run(rules.email(), 'andi@maju')).toBe('error.email');
    expect(run(rules.email(), 'an di@maju.id')).toBe('error.email');
    expect(run(rules.email(), '')).toBeNull();
  });

  it('phone takes the common Indonesian forms', () => {
    for (const ok of ['0812-3456-7890', '+62 812 3456 7890', '6281234567890', '(021) 555-1234', '']) {
      expect(run(rules.phone(), ok), ok).toBeNull();
    }
    for (const bad of ['12', 'abc', '0812-abc', '+62 812 3456 7890 1234 5678']) {
      expect(run(rules.phone(), bad), bad).toBe('error.phone');
    }
  });

  it('intRange wants a whole number in range', () => {
    expect(run(rules.intRange(1, 200), '10')).toBeNull();
    expect(rules.intRange(1, 200)('0', {})).toEqual({ key: 'error.range', params: { min: 1, max: 200 } });
    expect(run(rules.intRange(1, 200), '201')).toBe('error.range');
    expect(run(rules.intRange(1, 200), '2.5')).toBe('error.range');
    expect(run(rules.intRange(1, 200), '')).toBeNull();
  });

  it('oneOf and sameAs', () => {
    expect(run(rules.oneOf(['agent', 'supervisor']), 'agent')).toBeNull();
    expect(run(rules.oneOf(['agent', 'supervisor']), 'owner')).toBe('error.choice');
    expect(run(rules.sameAs('new_password'), 'abc', { new_password: 'abc' })).toBeNull();
    expect(run(rules.sameAs('new_password'), 'abd', { new_password: 'abc' })).toBe('error.mismatch');
  });
});

describe('validate', () => {
  it('gives each field its first failing rule, in the schema order', () => {
    const errors = validate(
      { name: '', email: 'x', password: 'short', phone: '' },
      {
        name: [rules.required()],
        email: [rules.required(), rules.email()],
        password: [rules.required(), rules.minLength(8)],
        phone: [rules.phone()],
      },
    );
    expect(errors).toEqual({
      name: { key: 'error.required' },
      email: { key: 'error.email' },
      password: { key: 'error.minLength', params: { n: 8 } },
    });
  });
});

describe("the API's field errors in the user's language", () => {
  // The messages laris-api sends today (src/core, src/crm).
  const cases: [string, string, string][] = [
    ['business_name', 'must be at least 1 character', 'Wajib diisi.'],
    ['password', 'must be at least 8 characters', 'Minimal 8 karakter.'],
    ['name', 'must be at most 100 characters', 'Maksimal 100 karakter.'],
    ['email', 'is already registered', 'Email ini sudah terdaftar.'],
    ['email', 'must be an email address such as nama@contoh.com', 'Masukkan email yang benar, misalnya nama@contoh.com.'],
    ['phone', 'must be a phone number such as 0812-3456-7890', 'Masukkan nomor HP yang benar, misalnya 0812-3456-7890.'],
    ['current_password', 'is not your current password', 'Kata sandi sekarang tidak cocok.'],
    ['role', 'must be one of: supervisor, agent', 'Pilih salah satu dari daftar.'],
    ['max_chats', 'must be between 1 and 200', 'Isi angka 1 sampai 200.'],
    ['max_chats', 'must be a whole number from 1 to 200', 'Isi angka 1 sampai 200.'],
    ['timezone', 'must be a time zone such as Asia/Jakarta', 'Pilih zona waktu dari daftar.'],
    ['name', 'must not contain control characters', 'Ada karakter yang tidak diizinkan.'],
    ['email', 'is required', 'Wajib diisi.'],
    ['name', 'something the server says tomorrow', 'Isian ini tidak valid.'],
  ];
  it.each(cases)('%s: "%s"', (field, message, expected) => {
    const m = fieldMessage(field, message);
    expect(translate('id', m.key, m.params)).toBe(expected);
  });

  it('puts field errors next to their fields and sums them up above the button', () => {
    const err = new ApiError(409, 'conflict', [{ field: 'email', message: 'is already registered' }]);
    const r = errorsFromProblem(err, ['name', 'email', 'password'] as const);
    expect(r.fields).toEqual({ email: { key: 'error.emailTaken' } });
    expect(r.form).toEqual({ key: 'common.errorSummary' });
  });

  it('says something above the button about errors on fields the form does not show', () => {
    const err = new ApiError(422, 'validation-failed', [
      { field: 'name', message: 'must be at least 1 character' },
      { field: 'timezone', message: 'must be a time zone such as Asia/Jakarta' },
    ]);
    const r = errorsFromProblem(err, ['name'] as const);
    expect(r.fields).toEqual({ name: { key: 'error.required' } });
    expect(r.form).toEqual({ key: 'problem.validation-failed' });
  });

  it('words the form-level message by problem type, never the server detail', () => {
    const rl = problemMessage(new ApiError(429, 'rate-limited', [], 900));
    expect(translate('id', rl.key, rl.params)).toBe('Terlalu banyak percobaan. Coba lagi dalam 15 menit.');
    expect(translate('en', rl.key, rl.params)).toBe('Too many attempts. Try again in 15 minutes.');
    const net = problemMessage(new ApiError(0, 'network'));
    expect(translate('id', net.key)).toBe('Tidak ada koneksi. Periksa internet Anda, lalu coba lagi.');
    expect(problemMessage(new ApiError(403, 'forbidden')).key).toBe('problem.forbidden');
    expect(problemMessage(new ApiError(500, 'internal-error')).key).toBe('problem.generic');
  });

  it('waitMessage rounds Retry-After to words', () => {
    expect(waitMessage(null)).toEqual({ key: 'wait.moment' });
    expect(waitMessage(45)).toEqual({ key: 'wait.seconds', params: { n: 45 } });
    expect(waitMessage(61 * 60)).toEqual({ key: 'wait.minutes', params: { n: 61 } });
  });
});

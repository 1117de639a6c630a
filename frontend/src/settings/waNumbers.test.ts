import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import type { WaNumber } from '../api/types';
import { errorsFromProblem, fieldMessage, validate } from '../forms/validate';
import { translate } from '../i18n';
import {
  connectInitial,
  connectSchema,
  createBody,
  credential,
  digits,
  editInitial,
  editSchema,
  formatWaNumber,
  testSummary,
  updateBody,
} from './waNumbers';

const number: WaNumber = {
  id: 7,
  name: 'CS Toko',
  phone_number_id: '123456789012345',
  waba_id: '987654321',
  display_phone_number: '6281234567890',
  throughput_mps: 80,
  status: 'active',
  has_access_token: true,
  has_app_secret: false,
  has_verify_token: false,
  created_at: '2026-11-23T06:00:00Z',
  updated_at: '2026-11-23T06:00:00Z',
};

describe('formatWaNumber', () => {
  it('writes Indonesian numbers as +62 812-3456-7890', () => {
    expect(formatWaNumber('6281234567890')).toBe('+62 812-3456-7890');
    expect(formatWaNumber('628123456789')).toBe('+62 812-3456-789');
    expect(formatWaNumber('6221555123')).toBe('+62 215-5512-3');
  });
  it('leaves other countries as + and digits, and nothing as nothing', () => {
    expect(formatWaNumber('14155550123')).toBe('+14155550123');
    expect(formatWaNumber(null)).toBe('');
    expect(formatWaNumber(undefined)).toBe('');
    expect(formatWaNumber('')).toBe('');
  });
});

describe('rules', () => {
  it('digits wants 1 to 32 digits, forgiving spaces', () => {
    expect(digits()('123 456', {})).toBeNull();
    expect(digits()('', {})).toBeNull();
    expect(digits()('12a', {})).toEqual({ key: 'error.digits', params: { n: 32 } });
    expect(digits()('1'.repeat(33), {})).toEqual({ key: 'error.digits', params: { n: 32 } });
  });
  it('credential refuses spaces and non-ASCII', () => {
    expect(credential()('EAAGm0PX4ZCpsBA-x_y', {})).toBeNull();
    expect(credential()('', {})).toBeNull();
    expect(credential()('EAAG m0', {})).toEqual({ key: 'error.credential' });
    expect(credential()('tokén', {})).toEqual({ key: 'error.credential' });
  });
  it('the connect form needs the ids, the number and a long enough token', () => {
    const errs = validate(connectInitial, connectSchema);
    expect(Object.keys(errs).sort()).toEqual(['access_token', 'display_phone_number', 'phone_number_id', 'waba_id']);
    const ok = {
      ...connectInitial,
      phone_number_id: '123456789012345',
      waba_id: '987654321',
      display_phone_number: '0812-3456-7890',
      access_token: 'x'.repeat(20),
    };
    expect(validate(ok, connectSchema)).toEqual({});
    expect(validate({ ...ok, access_token: 'x'.repeat(19) }, connectSchema).access_token?.key).toBe('error.minLength');
    expect(validate({ ...ok, app_secret: 'short' }, connectSchema).app_secret?.key).toBe('error.minLength');
    expect(validate({ ...ok, throughput_mps: '0' }, connectSchema).throughput_mps?.key).toBe('error.range');
    expect(validate({ ...ok, display_phone_number: '12' }, connectSchema).display_phone_number?.key).toBe('error.phone');
  });
  it('the edit form needs a throughput and takes an empty token', () => {
    expect(validate(editInitial(number), editSchema)).toEqual({});
    expect(validate({ ...editInitial(number), throughput_mps: '' }, editSchema).throughput_mps?.key).toBe('error.required');
    expect(validate({ ...editInitial(number), access_token: 'abc' }, editSchema).access_token?.key).toBe('error.minLength');
  });
});

describe('request bodies', () => {
  it('createBody leaves out empty optional fields and sends numbers as numbers', () => {
    const body = createBody({
      ...connectInitial,
      phone_number_id: ' 1234 5678 ',
      waba_id: '42',
      display_phone_number: ' 0812-3456-7890 ',
      access_token: 'tok'.repeat(10),
      name: '  ',
    });
    expect(body).toEqual({
      phone_number_id: '12345678',
      waba_id: '42',
      display_phone_number: '0812-3456-7890',
      access_token: 'tok'.repeat(10),
      throughput_mps: 80,
    });
    const full = createBody({ ...connectInitial, name: ' CS ', app_secret: 's'.repeat(16), verify_token: 'v'.repeat(8), throughput_mps: '' });
    expect(full.name).toBe('CS');
    expect(full.app_secret).toBe('s'.repeat(16));
    expect(full.verify_token).toBe('v'.repeat(8));
    expect('throughput_mps' in full).toBe(false);
  });
  it('updateBody sends only what changed', () => {
    expect(updateBody(editInitial(number), number)).toEqual({});
    expect(updateBody({ name: 'CS Cabang', throughput_mps: '80', access_token: '' }, number)).toEqual({ name: 'CS Cabang' });
    expect(updateBody({ name: '', throughput_mps: '20', access_token: 't'.repeat(25) }, number)).toEqual({
      throughput_mps: 20,
      access_token: 't'.repeat(25),
    });
    expect(updateBody({ name: 'Baru', throughput_mps: '80', access_token: '' }, { ...number, name: null })).toEqual({
      name: 'Baru',
    });
  });
});

describe('server field errors', () => {
  it('a number connected elsewhere is said next to phone_number_id, in both languages', () => {
    const err = new ApiError(409, 'conflict', [{ field: 'phone_number_id', message: 'is already connected' }]);
    const r = errorsFromProblem(err, Object.keys(connectInitial) as (keyof typeof connectInitial)[]);
    expect(r.fields).toEqual({ phone_number_id: { key: 'error.numberConnected' } });
    expect(r.form).toEqual({ key: 'common.errorSummary' });
    expect(translate('id', 'error.numberConnected')).toMatch(/sudah terhubung/);
    expect(translate('en', 'error.numberConnected')).toMatch(/already connected/);
  });
  it('digits and credential messages are ours', () => {
    expect(fieldMessage('waba_id', 'must be 1 to 32 digits')).toEqual({ key: 'error.digits', params: { n: 32 } });
    expect(fieldMessage('access_token', 'must be printable ASCII without spaces or control characters')).toEqual({
      key: 'error.credential',
    });
    expect(fieldMessage('display_phone_number', 'is not a phone number (for example 0812-3456-7890)')).toEqual({
      key: 'error.phone',
    });
    expect(fieldMessage('email', 'is already registered')).toEqual({ key: 'error.emailTaken' });
  });
});

describe('testSummary', () => {
  it('says who Graph says the number is, in both languages', () => {
    const ok = { ok: true, display_phone_number: '+6281234567890', verified_name: 'Toko Maju', quality_rating: 'GREEN' };
    expect(testSummary(ok, 'id')).toBe('Tersambung: +62 812-3456-7890 · Toko Maju · kualitas tinggi.');
    expect(testSummary(ok, 'en')).toBe('Connected: +62 812-3456-7890 · Toko Maju · quality high.');
    expect(testSummary({ ok: true, quality_rating: 'PURPLE' }, 'en')).toBe('Connected: — · — · quality PURPLE.');
  });
  it('gives the server plain words in the right language and what to do for a refused token', () => {
    const failed = {
      ok: false,
      error: { code: 190, message: 'The WhatsApp access token has expired.', message_id: 'Token akses kedaluwarsa.' },
      needs_new_token: true,
    };
    expect(testSummary(failed, 'id')).toBe(
      'Tes gagal: Token akses kedaluwarsa. Masukkan token akses baru lewat Ubah, lalu tes lagi.',
    );
    expect(testSummary({ ...failed, needs_new_token: false }, 'en')).toBe(
      'Test failed: The WhatsApp access token has expired.',
    );
  });
});

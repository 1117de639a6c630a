// Pure helpers of the WhatsApp numbers settings: how a number is shown, the form's rules (the
// limits of openapi.yaml's POST/PATCH /api/v1/wa-numbers) and the request bodies built from the
// form's strings (empty optional fields are left out, never sent as "").
import type { Locale, WaNumber, WaNumberCreate, WaNumberTest, WaNumberUpdate } from '../api/types';
import { translate, type MessageKey } from '../i18n';
import { rules, type Rule, type Schema } from '../forms/validate';

export const THROUGHPUT_DEFAULT = 80;
export const ID_MAX_DIGITS = 32;

// "6281234567890" -> "+62 812-3456-7890"; other countries: "+" and the digits.
export function formatWaNumber(e164: string | null | undefined): string {
  const digits = (e164 ?? '').replace(/\D/g, '');
  if (digits === '') return '';
  if (digits.startsWith('62') && digits.length >= 10 && digits.length <= 15) {
    const rest = digits.slice(2);
    const groups = [rest.slice(0, 3), rest.slice(3, 7), rest.slice(7)].filter(Boolean);
    return `+62 ${groups.join('-')}`;
  }
  return `+${digits}`;
}

// Meta's ids: 1 to 32 digits (spaces a copy-paste brought along are forgiven).
export const digits =
  (max: number = ID_MAX_DIGITS): Rule =>
  (v) => {
    const s = v.replace(/\s/g, '');
    if (s === '') return null;
    return /^\d+$/.test(s) && s.length <= max ? null : { key: 'error.digits', params: { n: max } };
  };

// A credential: printable ASCII without spaces, as the server wants it.
export const credential = (): Rule => (v) =>
  v === '' || /^[\x21-\x7e]+$/.test(v) ? null : { key: 'error.credential' };

export type ConnectField =
  | 'phone_number_id'
  | 'waba_id'
  | 'display_phone_number'
  | 'access_token'
  | 'app_secret'
  | 'verify_token'
  | 'throughput_mps'
  | 'name';

export type EditField = 'name' | 'throughput_mps' | 'access_token';

export const connectInitial: Record<ConnectField, string> = {
  phone_number_id: '',
  waba_id: '',
  display_phone_number: '',
  access_token: '',
  app_secret: '',
  verify_token: '',
  throughput_mps: String(THROUGHPUT_DEFAULT),
  name: '',
};

export const connectSchema: Schema<ConnectField> = {
  phone_number_id: [rules.required(), digits()],
  waba_id: [rules.required(), digits()],
  display_phone_number: [rules.required(), rules.phone()],
  access_token: [rules.required(), credential(), rules.minLength(20), rules.maxLength(1024)],
  app_secret: [credential(), rules.minLength(16), rules.maxLength(256)],
  verify_token: [credential(), rules.minLength(8), rules.maxLength(256)],
  throughput_mps: [rules.intRange(1, 1000)],
  name: [rules.maxLength(100)],
};

export const editSchema: Schema<EditField> = {
  name: [rules.maxLength(100)],
  throughput_mps: [rules.required(), rules.intRange(1, 1000)],
  access_token: [credential(), rules.minLength(20), rules.maxLength(1024)],
};

export function editInitial(n: WaNumber): Record<EditField, string> {
  return { name: n.name ?? '', throughput_mps: String(n.throughput_mps), access_token: '' };
}

export function createBody(v: Record<ConnectField, string>): WaNumberCreate {
  const body: WaNumberCreate = {
    phone_number_id: v.phone_number_id.replace(/\s/g, ''),
    waba_id: v.waba_id.replace(/\s/g, ''),
    display_phone_number: v.display_phone_number.trim(),
    access_token: v.access_token,
  };
  if (v.app_secret !== '') body.app_secret = v.app_secret;
  if (v.verify_token !== '') body.verify_token = v.verify_token;
  if (v.throughput_mps.trim() !== '') body.throughput_mps = Number(v.throughput_mps.trim());
  if (v.name.trim() !== '') body.name = v.name.trim();
  return body;
}

// Only what changed. An emptied name keeps the old one (the API has no way to clear it); an
// empty access token keeps the stored one.
export function updateBody(v: Record<EditField, string>, n: WaNumber): WaNumberUpdate {
  const body: WaNumberUpdate = {};
  const name = v.name.trim();
  if (name !== '' && name !== (n.name ?? '')) body.name = name;
  const mps = Number(v.throughput_mps.trim());
  if (v.throughput_mps.trim() !== '' && mps !== n.throughput_mps) body.throughput_mps = mps;
  if (v.access_token !== '') body.access_token = v.access_token;
  return body;
}

const QUALITIES = ['GREEN', 'YELLOW', 'RED', 'UNKNOWN'] as const;

// What a test of a number says, in lang: who Graph says the number is, or why it failed in the
// server's plain words (Bahasa Indonesia or English), with what to do when the token is refused.
export function testSummary(r: WaNumberTest, lang: Locale): string {
  if (r.ok) {
    const q = (QUALITIES as readonly string[]).includes(r.quality_rating ?? '')
      ? translate(lang, `wa.quality.${r.quality_rating}` as MessageKey)
      : (r.quality_rating ?? translate(lang, 'wa.quality.UNKNOWN'));
    return translate(lang, 'wa.testOk', {
      number: formatWaNumber(r.display_phone_number) || '—',
      name: r.verified_name ?? '—',
      quality: q,
    });
  }
  const reason = (lang === 'id' ? r.error?.message_id : r.error?.message) ?? r.error?.message ?? '';
  const failed = translate(lang, 'wa.testFailed', { reason });
  return r.needs_new_token ? `${failed} ${translate(lang, 'wa.testNeedsToken')}` : failed;
}

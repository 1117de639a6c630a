// Form validation: the same limits as openapi.yaml, checked before a request goes out, and the
// API's field errors turned into messages in the user's language (never the server's English).
import type { ApiError } from '../api/client';
import type { Msg } from '../i18n';

export type Rule = (value: string, values: Record<string, string>) => Msg | null;
export type Schema<F extends string> = Partial<Record<F, Rule[]>>;
export type Errors<F extends string> = Partial<Record<F, Msg>>;

// The same loose check the server makes: something@something.tld, no spaces.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
// Indonesian phone numbers in any common form: 0812-3456-7890, +62 812 3456 7890, 6281234567890.
const PHONE_CHARS = /^\+?[\d\s().-]+$/;

export const rules = {
  required: (): Rule => (v) => (v.trim() === '' ? { key: 'error.required' } : null),
  minLength:
    (n: number): Rule =>
    (v) =>
      v !== '' && [...v].length < n ? { key: 'error.minLength', params: { n } } : null,
  maxLength:
    (n: number): Rule =>
    (v) =>
      [...v].length > n ? { key: 'error.maxLength', params: { n } } : null,
  email: (): Rule => (v) =>
    v.trim() !== '' && (!EMAIL.test(v.trim()) || v.trim().length > 254)
      ? { key: 'error.email' }
      : null,
  phone: (): Rule => (v) => {
    const s = v.trim();
    if (s === '') return null;
    if (!PHONE_CHARS.test(s)) return { key: 'error.phone' };
    let digits = s.replace(/\D/g, '');
    if (digits.startsWith('62')) digits = digits.slice(2);
    else if (digits.startsWith('0')) digits = digits.slice(1);
    return digits.length >= 8 && digits.length <= 13 ? null : { key: 'error.phone' };
  },
  intRange:
    (min: number, max: number): Rule =>
    (v) => {
      const s = v.trim();
      if (s === '') return null;
      const n = Number(s);
      return /^\d+$/.test(s) && n >= min && n <= max
        ? null
        : { key: 'error.range', params: { min, max } };
    },
  oneOf:
    (choices: readonly string[]): Rule =>
    (v) =>
      v === '' || choices.includes(v) ? null : { key: 'error.choice' },
  sameAs:
    (other: string): Rule =>
    (v, values) =>
      v !== '' && v !== values[other] ? { key: 'error.mismatch' } : null,
};

// The first failing rule of each field.
export function validate<F extends string>(
  values: Record<F, string>,
  schema: Schema<F>,
): Errors<F> {
  const errors: Errors<F> = {};
  for (const field of Object.keys(schema) as F[]) {
    for (const rule of schema[field] ?? []) {
      const msg = rule(values[field] ?? '', values);
      if (msg) {
        errors[field] = msg;
        break;
      }
    }
  }
  return errors;
}

// One of the API's field error messages, in our words. The server's messages are fixed English
// sentences ("must be at least 8 characters", "is already registered", ...); anything not
// recognised becomes a plain "not valid".
export function fieldMessage(field: string, message: string): Msg {
  const m = message.toLowerCase();
  let r: RegExpMatchArray | null;
  if (m.includes('already connected')) return { key: 'error.numberConnected' };
  if (m.includes('already registered') || m.includes('already'))
    return field === 'email' ? { key: 'error.emailTaken' } : { key: 'error.taken' };
  if (m.includes('not your current password')) return { key: 'error.currentPassword' };
  if (m.includes('is required') || m.includes('must not be empty')) return { key: 'error.required' };
  if ((r = m.match(/at least (\d+) character/))) {
    const n = Number(r[1]);
    return n <= 1 ? { key: 'error.required' } : { key: 'error.minLength', params: { n } };
  }
  if ((r = m.match(/at most (\d+) character/)))
    return { key: 'error.maxLength', params: { n: Number(r[1]) } };
  if ((r = m.match(/\d+ to (\d+) digits/))) return { key: 'error.digits', params: { n: Number(r[1]) } };
  if (m.includes('printable ascii')) return { key: 'error.credential' };
  if (m.includes('email')) return { key: 'error.email' };
  if (m.includes('phone')) return { key: 'error.phone' };
  if (m.includes('time zone')) return { key: 'error.timezone' };
  if ((r = m.match(/(?:between|from) (\d+) (?:and|to) (\d+)/)))
    return { key: 'error.range', params: { min: Number(r[1]), max: Number(r[2]) } };
  if (m.includes('one of')) return { key: 'error.choice' };
  if (m.includes('control character')) return { key: 'error.controlChars' };
  return { key: 'error.invalid' };
}

// How long to wait, in words, from a Retry-After in seconds.
export function waitMessage(seconds: number | null): Msg {
  if (seconds === null || seconds <= 0) return { key: 'wait.moment' };
  if (seconds < 90) return { key: 'wait.seconds', params: { n: seconds } };
  return { key: 'wait.minutes', params: { n: Math.ceil(seconds / 60) } };
}

// The message for an error as a whole (shown above the submit button).
export function problemMessage(err: ApiError): Msg {
  switch (err.slug) {
    case 'validation-failed':
    case 'unauthorized':
    case 'forbidden':
    case 'not-found':
    case 'conflict':
    case 'service-unavailable':
    case 'network':
    case 'timeout':
      return { key: `problem.${err.slug}` };
    case 'rate-limited':
      return { key: 'problem.rate-limited', params: { wait: waitMessage(err.retryAfter) } };
    default:
      return { key: 'problem.generic' };
  }
}

// Splits an API error into messages for the form's own fields and one for the form as a whole.
// Field errors about fields the form does not show go to the form-level message.
export function errorsFromProblem<F extends string>(
  err: ApiError,
  fields: readonly F[],
): { fields: Errors<F>; form: Msg | null } {
  const out: Errors<F> = {};
  let unplaced = false;
  for (const fe of err.fields) {
    if ((fields as readonly string[]).includes(fe.field)) {
      const f = fe.field as F;
      if (!out[f]) out[f] = fieldMessage(fe.field, fe.message);
    } else {
      unplaced = true;
    }
  }
  const placed = Object.keys(out).length > 0;
  let form: Msg | null = null;
  if (!placed || unplaced) form = problemMessage(err);
  else if (err.slug === 'validation-failed' || err.slug === 'conflict')
    form = { key: 'common.errorSummary' };
  return { fields: out, form };
}

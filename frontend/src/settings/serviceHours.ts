// Pure helpers of the service hours settings: the week as the form edits it (windows per day,
// several a day, across midnight), the same checks the server makes (src/core/hours.c: times,
// a window that starts and ends together, overlaps, at most 70 windows; dates; texts; SLA
// ranges), and the PUT /api/v1/settings/service body built from the form's strings.
import type { HoursWindow, ServiceSettings, ServiceSettingsUpdate } from '../api/types';
import type { Msg } from '../i18n';

export const MAX_WINDOWS = 70;
export const MAX_CLOSED = 400;
export const TEXT_MAX = 1000;
export const SLA_MAX_MINUTES = 10080; // 604800 s, a week
export const WARNING_MAX_MINUTES = 1440; // 86400 s
const DAY_MINUTES = 1440;
const WEEK_MINUTES = 7 * DAY_MINUTES;

// Monday first, as Indonesians read a week; the API counts 0 Sunday ... 6 Saturday.
export const WEEK_ORDER = [1, 2, 3, 4, 5, 6, 0] as const;

export interface WindowDraft {
  key: number; // stable for rendering while rows come and go
  start: string; // "HH:MM" as <input type="time"> gives it
  end: string; // "00:00" as an end means midnight (the API's "24:00")
}
export type WeekDraft = WindowDraft[][]; // index: the API's day

export interface ServiceDraft {
  alwaysOpen: boolean; // business_hours null
  week: WeekDraft;
  closed: string[]; // "2026-12-25", sorted
  greetingOn: boolean;
  greeting: string;
  awayOn: boolean;
  away: string;
  slaMinutes: string;
  outOfHoursMinutes: string; // '' : counted from the next opening
  warningMinutes: string;
  autoEscalate: boolean;
}

// Field errors by name: the API's field names, and `w.<day>.<index>` for one window.
export type DraftErrors = Record<string, Msg>;

let nextKey = 1;
export function newWindow(start = '08:00', end = '17:00'): WindowDraft {
  return { key: nextKey++, start, end };
}

// "08:30" -> 510; "24:00" -> 1440; anything else null.
export function minutesOf(text: string): number | null {
  const m = /^(\d{2}):(\d{2})$/.exec(text);
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (min > 59 || h > 24 || (h === 24 && min !== 0)) return null;
  return h * 60 + min;
}

// A window's end in minutes: midnight ("00:00" or "24:00") is the end of the day.
function endMinutes(text: string): number | null {
  const m = minutesOf(text);
  return m === 0 ? DAY_MINUTES : m;
}

// True when the window runs past midnight into the next day (22:00-02:00).
export function crossesMidnight(w: WindowDraft): boolean {
  const s = minutesOf(w.start);
  const e = endMinutes(w.end);
  return s !== null && e !== null && e < s;
}

export function weekFromApi(hours: HoursWindow[] | null): WeekDraft {
  const week: WeekDraft = [[], [], [], [], [], [], []];
  for (const h of hours ?? []) {
    week[h.day]?.push(newWindow(h.start, h.end === '24:00' ? '00:00' : h.end));
  }
  for (const day of week) day.sort((a, b) => (minutesOf(a.start) ?? 0) - (minutesOf(b.start) ?? 0));
  return week;
}

export function weekToApi(week: WeekDraft): HoursWindow[] {
  const out: HoursWindow[] = [];
  week.forEach((windows, day) => {
    for (const w of windows) out.push({ day, start: w.start, end: w.end === '00:00' ? '24:00' : w.end });
  });
  return out;
}

// Seconds as whole minutes for an input ('' for null).
export function minutesText(seconds: number | null): string {
  return seconds === null ? '' : String(Math.ceil(seconds / 60));
}

export function draftFromApi(s: ServiceSettings): ServiceDraft {
  return {
    alwaysOpen: s.business_hours === null,
    week: weekFromApi(s.business_hours),
    closed: [...s.closed_dates].sort(),
    greetingOn: s.greeting_enabled,
    greeting: s.greeting_text ?? '',
    awayOn: s.away_enabled,
    away: s.away_text ?? '',
    slaMinutes: minutesText(s.sla_first_response_seconds),
    outOfHoursMinutes: minutesText(s.sla_out_of_hours_seconds),
    warningMinutes: minutesText(s.sla_warning_seconds),
    autoEscalate: s.sla_auto_escalate,
  };
}

// "2026-12-25", a real day from 1970 on (2026-02-30 is not).
export function isDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1970) return false;
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

function checkMinutes(text: string, min: number, max: number, optional: boolean): Msg | null {
  const s = text.trim();
  if (s === '') return optional ? null : { key: 'error.required' };
  const n = Number(s);
  return /^\d+$/.test(s) && n >= min && n <= max ? null : { key: 'error.range', params: { min, max } };
}

function checkText(on: boolean, text: string): Msg | null {
  if ([...text].length > TEXT_MAX) return { key: 'error.maxLength', params: { n: TEXT_MAX } };
  if (on && text.trim() === '') return { key: 'error.required' };
  return null;
}

// The week's problems: a window with a bad time or starting and ending together, and the
// later of two overlapping windows (a crossing window reaches into the next day; Saturday's
// into Sunday).
export function checkWeek(week: WeekDraft): DraftErrors {
  const errors: DraftErrors = {};
  const spans: { id: string; start: number; length: number }[] = [];
  week.forEach((windows, day) =>
    windows.forEach((w, i) => {
      const id = `w.${day}.${i}`;
      const s = minutesOf(w.start);
      const e = endMinutes(w.end);
      if (s === null || s >= DAY_MINUTES || e === null) errors[id] = { key: 'hours.badTime' };
      else if (s === e) errors[id] = { key: 'hours.sameTime' };
      else spans.push({ id, start: day * DAY_MINUTES + s, length: (e > s ? e : e + DAY_MINUTES) - s });
    }),
  );
  const mod = (n: number) => ((n % WEEK_MINUTES) + WEEK_MINUTES) % WEEK_MINUTES;
  for (let i = 0; i < spans.length; i++) {
    for (let j = i + 1; j < spans.length; j++) {
      const a = spans[i]!;
      const b = spans[j]!;
      if (mod(b.start - a.start) < a.length || mod(a.start - b.start) < b.length) {
        errors[b.id] = { key: 'hours.overlap' };
      }
    }
  }
  const count = week.reduce((n, d) => n + d.length, 0);
  if (count > MAX_WINDOWS) errors.business_hours = { key: 'hours.tooMany', params: { n: MAX_WINDOWS } };
  return errors;
}

// Every problem of the draft, under the API's field names (and w.<day>.<i> for windows).
export function checkDraft(d: ServiceDraft): DraftErrors {
  const errors: DraftErrors = d.alwaysOpen ? {} : checkWeek(d.week);
  if (d.closed.length > MAX_CLOSED) errors.closed_dates = { key: 'hours.tooManyDates', params: { n: MAX_CLOSED } };
  else if (!d.closed.every(isDate)) errors.closed_dates = { key: 'hours.badDate' };
  const greeting = checkText(d.greetingOn, d.greeting);
  if (greeting) errors.greeting_text = greeting;
  const away = checkText(d.awayOn, d.away);
  if (away) errors.away_text = away;
  const sla = checkMinutes(d.slaMinutes, 1, SLA_MAX_MINUTES, false);
  if (sla) errors.sla_first_response_seconds = sla;
  const ooh = checkMinutes(d.outOfHoursMinutes, 1, SLA_MAX_MINUTES, true);
  if (ooh) errors.sla_out_of_hours_seconds = ooh;
  const warning = checkMinutes(d.warningMinutes, 0, WARNING_MAX_MINUTES, false);
  if (warning) errors.sla_warning_seconds = warning;
  return errors;
}

// The PUT body. A minutes field the owner did not touch keeps its seconds as stored (a target
// of 90 s is not rounded to 2 minutes by saving something else).
export function draftToBody(d: ServiceDraft, saved: ServiceSettings): ServiceSettingsUpdate {
  const seconds = (text: string, was: number | null): number | null => {
    if (text.trim() === '') return null;
    return text.trim() === minutesText(was) ? was : Number(text.trim()) * 60;
  };
  const text = (s: string) => (s.trim() === '' ? null : s);
  return {
    business_hours: d.alwaysOpen ? null : weekToApi(d.week),
    closed_dates: d.closed,
    greeting_enabled: d.greetingOn,
    greeting_text: text(d.greeting),
    away_enabled: d.awayOn,
    away_text: text(d.away),
    sla_first_response_seconds: seconds(d.slaMinutes, saved.sla_first_response_seconds) ?? 0,
    sla_out_of_hours_seconds: seconds(d.outOfHoursMinutes, saved.sla_out_of_hours_seconds),
    sla_warning_seconds: seconds(d.warningMinutes, saved.sla_warning_seconds) ?? 0,
    sla_auto_escalate: d.autoEscalate,
  };
}

// The server's English reason for business_hours or closed_dates, in our words.
export function hoursProblem(message: string): Msg {
  const m = message.toLowerCase();
  if (m.includes('overlap')) return { key: 'hours.overlap' };
  if (m.includes('same time')) return { key: 'hours.sameTime' };
  if (m.includes('too many opening')) return { key: 'hours.tooMany', params: { n: MAX_WINDOWS } };
  if (m.includes('too many closed')) return { key: 'hours.tooManyDates', params: { n: MAX_CLOSED } };
  if (m.includes('date')) return { key: 'hours.badDate' };
  return { key: 'hours.badTime' };
}

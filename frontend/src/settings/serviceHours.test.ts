import { describe, expect, it } from 'vitest';
import type { ServiceSettings } from '../api/types';
import {
  checkDraft,
  checkWeek,
  crossesMidnight,
  draftFromApi,
  draftToBody,
  hoursProblem,
  isDate,
  minutesOf,
  newWindow,
  weekFromApi,
  weekToApi,
  type WeekDraft,
} from './serviceHours';

const saved: ServiceSettings = {
  timezone: 'Asia/Jakarta',
  business_hours: [
    { day: 1, start: '08:00', end: '12:00' },
    { day: 1, start: '13:00', end: '17:00' },
    { day: 5, start: '22:00', end: '24:00' },
  ],
  closed_dates: ['2026-12-25', '2026-01-01'],
  greeting_enabled: true,
  greeting_text: 'Halo!',
  away_enabled: false,
  away_text: null,
  sla_first_response_seconds: 90,
  sla_out_of_hours_seconds: null,
  sla_warning_seconds: 60,
  sla_auto_escalate: false,
  open_now: true,
  next_change_at: null,
};

function week(days: Record<number, [string, string][]>): WeekDraft {
  return [0, 1, 2, 3, 4, 5, 6].map((d) => (days[d] ?? []).map(([s, e]) => newWindow(s, e)));
}

describe('times and dates', () => {
  it('reads HH:MM up to 24:00 and nothing else', () => {
    expect(minutesOf('08:30')).toBe(510);
    expect(minutesOf('24:00')).toBe(1440);
    for (const bad of ['8:30', '24:01', '12:60', '', 'ab:cd', '08:30:00']) expect(minutesOf(bad)).toBeNull();
  });

  it('knows real dates only', () => {
    expect(isDate('2026-12-25')).toBe(true);
    expect(isDate('2028-02-29')).toBe(true);
    for (const bad of ['2026-02-30', '2026-13-01', '1969-12-31', '25-12-2026', '']) expect(isDate(bad)).toBe(false);
  });
});

describe('the week', () => {
  it('turns midnight into 24:00 and back, days kept', () => {
    const w = weekFromApi(saved.business_hours);
    expect(w[5]?.[0]?.end).toBe('00:00');
    expect(w[1]?.map((x) => x.start)).toEqual(['08:00', '13:00']);
    expect(weekToApi(w)).toEqual(saved.business_hours);
  });

  it('sees a window across midnight', () => {
    expect(crossesMidnight(newWindow('22:00', '02:00'))).toBe(true);
    expect(crossesMidnight(newWindow('22:00', '00:00'))).toBe(false);
    expect(crossesMidnight(newWindow('08:00', '17:00'))).toBe(false);
  });

  it('allows a lunch break and Friday prayer, refuses overlaps like the server', () => {
    expect(checkWeek(week({ 1: [['08:00', '12:00'], ['13:00', '17:00']], 5: [['08:00', '11:30'], ['13:00', '17:00']] }))).toEqual({});
    expect(checkWeek(week({ 1: [['08:00', '12:00'], ['12:00', '17:00']] }))).toEqual({}); // touching is fine
    expect(checkWeek(week({ 1: [['08:00', '12:00'], ['11:00', '17:00']] }))).toEqual({ 'w.1.1': { key: 'hours.overlap' } });
    // Across midnight into the next morning, and Saturday night into Sunday.
    expect(checkWeek(week({ 1: [['22:00', '02:00']], 2: [['01:00', '05:00']] }))).toEqual({ 'w.2.0': { key: 'hours.overlap' } });
    expect(checkWeek(week({ 0: [['01:00', '05:00']], 6: [['22:00', '02:00']] }))).toEqual({ 'w.6.0': { key: 'hours.overlap' } });
    expect(checkWeek(week({ 0: [['00:00', '00:00']] }))).toEqual({}); // the whole day
  });

  it('refuses bad and empty windows and too many', () => {
    expect(checkWeek(week({ 3: [['09:00', '09:00']] }))).toEqual({ 'w.3.0': { key: 'hours.sameTime' } });
    expect(checkWeek(week({ 3: [['', '10:00']] }))).toEqual({ 'w.3.0': { key: 'hours.badTime' } });
    const many = week({});
    for (let i = 0; i < 71; i++) many[i % 7]!.push(newWindow(`${String(Math.floor(i / 7)).padStart(2, '0')}:00`, `${String(Math.floor(i / 7)).padStart(2, '0')}:30`));
    expect(checkWeek(many).business_hours).toEqual({ key: 'hours.tooMany', params: { n: 70 } });
  });
});

describe('the whole draft', () => {
  it('checks texts, dates and minutes with the API limits', () => {
    const d = draftFromApi(saved);
    expect(checkDraft(d)).toEqual({});
    const bad = {
      ...d,
      greeting: '   ',
      awayOn: true,
      away: 'x'.repeat(1001),
      closed: ['2026-02-30'],
      slaMinutes: '0',
      outOfHoursMinutes: '10081',
      warningMinutes: '-1',
    };
    expect(checkDraft(bad)).toEqual({
      greeting_text: { key: 'error.required' },
      away_text: { key: 'error.maxLength', params: { n: 1000 } },
      closed_dates: { key: 'hours.badDate' },
      sla_first_response_seconds: { key: 'error.range', params: { min: 1, max: 10080 } },
      sla_out_of_hours_seconds: { key: 'error.range', params: { min: 1, max: 10080 } },
      sla_warning_seconds: { key: 'error.range', params: { min: 0, max: 1440 } },
    });
    // Always open: the week is not checked (nor sent).
    expect(checkDraft({ ...d, alwaysOpen: true, week: week({ 1: [['09:00', '09:00']] }) })).toEqual({});
  });

  it('builds the body: untouched minutes keep their seconds, empty texts are null', () => {
    const d = draftFromApi(saved);
    expect(d.slaMinutes).toBe('2');
    expect(d.closed).toEqual(['2026-01-01', '2026-12-25']);
    const body = draftToBody(d, saved);
    expect(body.sla_first_response_seconds).toBe(90);
    expect(body.sla_warning_seconds).toBe(60);
    expect(body.sla_out_of_hours_seconds).toBeNull();
    expect(body.away_text).toBeNull();
    expect(body.business_hours).toEqual(saved.business_hours);
    const changed = draftToBody({ ...d, slaMinutes: '15', outOfHoursMinutes: '120', alwaysOpen: true }, saved);
    expect(changed.sla_first_response_seconds).toBe(900);
    expect(changed.sla_out_of_hours_seconds).toBe(7200);
    expect(changed.business_hours).toBeNull();
  });

  it('puts the server reasons in our words', () => {
    expect(hoursProblem('Two opening windows overlap.')).toEqual({ key: 'hours.overlap' });
    expect(hoursProblem('A window must not start and end at the same time.')).toEqual({ key: 'hours.sameTime' });
    expect(hoursProblem('Each closed date must be a date like "2026-12-25".')).toEqual({ key: 'hours.badDate' });
    expect(hoursProblem('something else')).toEqual({ key: 'hours.badTime' });
  });
});

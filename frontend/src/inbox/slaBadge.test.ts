import { describe, expect, it } from 'vitest';
import { translate } from '../i18n';
import { durationMsg, listSlaAlert, slaView } from './slaBadge';

const due = '2026-11-23T10:00:00Z';
const at = (iso: string) => Date.parse(iso);
const words = (v: ReturnType<typeof slaView>) => (v ? translate('id', v.msg.key, v.msg.params) : null);

describe('the SLA badge', () => {
  it('says nothing without a due time', () => {
    expect(slaView(undefined, 0)).toBeNull();
    expect(slaView({ sla_due_at: null }, 0)).toBeNull();
  });

  it('counts down, warns, then shows how late', () => {
    const sla = { sla_due_at: due };
    const early = slaView(sla, at('2026-11-23T09:35:00Z'));
    expect(early?.tone).toBe('due');
    expect(words(early)).toBe('Balas dalam 25 mnt');
    const warned = slaView({ ...sla, sla_warned_at: '2026-11-23T09:55:00Z' }, at('2026-11-23T09:57:30Z'));
    expect(warned?.tone).toBe('warn');
    expect(words(warned)).toBe('Segera balas: sisa 2 mnt');
    const late = slaView(sla, at('2026-11-23T12:05:00Z'));
    expect(late?.tone).toBe('late');
    expect(words(late)).toBe('Lewat batas 2 j 5 mnt');
  });

  it('shows the first response once there is one', () => {
    const ok = slaView(
      { sla_due_at: due, first_response_at: '2026-11-23T09:50:00Z', first_response_seconds: 45 },
      at('2026-11-23T11:00:00Z'),
    );
    expect(ok?.tone).toBe('ok');
    expect(words(ok)).toBe('Dibalas dalam 45 dtk');
    const late = slaView(
      {
        sla_due_at: due,
        sla_breached_at: due,
        first_response_at: '2026-11-23T10:20:00Z',
        first_response_seconds: 4 * 86400,
      },
      at('2026-11-23T11:00:00Z'),
    );
    expect(late?.tone).toBe('late');
    expect(words(late)).toBe('Dibalas terlambat, dalam 4 hari');
  });

  it('rounds durations to what matters', () => {
    expect(durationMsg(-5)).toEqual({ key: 'sla.seconds', params: { n: 0 } });
    expect(durationMsg(3599)).toEqual({ key: 'sla.minutes', params: { n: 59 } });
    expect(durationMsg(3600 * 47)).toEqual({ key: 'sla.hoursMinutes', params: { h: 47, m: 0 } });
  });
});

describe("the list's SLA badge", () => {
  const waiting = { sla_due_at: due };
  const warned = { ...waiting, sla_warned_at: '2026-11-23T09:59:00Z' };
  const breached = { ...warned, sla_breached_at: due };
  const liveWarning = { level: 'warning', dueAt: due } as const;
  const liveBreach = { level: 'breached', dueAt: due } as const;

  it('comes from the list after a reload, with no live event', () => {
    expect(listSlaAlert(undefined, undefined)).toBeUndefined();
    expect(listSlaAlert(waiting, undefined)).toBeUndefined();
    expect(listSlaAlert(warned, undefined)).toEqual({ level: 'warning', dueAt: due });
    expect(listSlaAlert(breached, undefined)).toEqual({ level: 'breached', dueAt: due });
  });

  it('ends with the first answer', () => {
    expect(listSlaAlert({ ...breached, first_response_at: '2026-11-23T10:03:00Z' }, undefined)).toBeUndefined();
  });

  it('takes the stronger of the list and a live event', () => {
    expect(listSlaAlert(waiting, liveWarning)).toBe(liveWarning);
    expect(listSlaAlert(warned, liveBreach)).toBe(liveBreach);
    expect(listSlaAlert(breached, liveWarning)).toEqual({ level: 'breached', dueAt: due });
    expect(listSlaAlert(warned, liveWarning)).toBe(liveWarning);
  });
});

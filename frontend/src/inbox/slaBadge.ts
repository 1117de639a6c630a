// What the conversation header says about a chat's first-response SLA (GET /conversations/{id}
// carries it): answered (in how long), overdue (since when), soon due (warned), or due at a
// time, with how long is left; and the list's badge (every list item carries the SLA too).
// Pure, so the countdown can be tested with any clock.
import type { ConversationSla, ConversationSlaTimes } from '../api/types';

// What a badge is drawn from: a list item's SLA times, or a whole chat's figures.
export type SlaFigures = ConversationSlaTimes & Partial<Pick<ConversationSla, 'first_response_seconds'>>;
import type { Msg } from '../i18n';
import type { SlaAlert } from './live';

export type SlaTone = 'ok' | 'due' | 'warn' | 'late';

export interface SlaView {
  tone: SlaTone;
  msg: Msg;
}

// A length of time in the biggest units that matter: "45 dtk", "12 mnt", "2 j 5 mnt", "3 hari".
export function durationMsg(seconds: number): Msg {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return { key: 'sla.seconds', params: { n: s } };
  const m = Math.floor(s / 60);
  if (m < 60) return { key: 'sla.minutes', params: { n: m } };
  const h = Math.floor(m / 60);
  if (h < 48) return { key: 'sla.hoursMinutes', params: { h, m: m % 60 } };
  return { key: 'sla.days', params: { n: Math.floor(h / 24) } };
}

const time = (iso: string | null | undefined): number | null => {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
};

// null when there is nothing to say (no customer message waiting for a first answer yet).
export function slaView(sla: SlaFigures | undefined, now: number): SlaView | null {
  if (!sla) return null;
  const due = time(sla.sla_due_at);
  const answered = time(sla.first_response_at);
  const breached = time(sla.sla_breached_at);
  if (answered !== null) {
    const took = sla.first_response_seconds ?? null;
    const late = breached !== null || (due !== null && answered > due);
    if (took === null) return { tone: late ? 'late' : 'ok', msg: { key: late ? 'sla.answeredLate' : 'sla.answered' } };
    return {
      tone: late ? 'late' : 'ok',
      msg: { key: late ? 'sla.answeredLateIn' : 'sla.answeredIn', params: { d: durationMsg(took) } },
    };
  }
  if (due === null) return null;
  if (breached !== null || now >= due) {
    return { tone: 'late', msg: { key: 'sla.overdue', params: { d: durationMsg((now - due) / 1000) } } };
  }
  const left = durationMsg((due - now) / 1000);
  if (time(sla.sla_warned_at) !== null) return { tone: 'warn', msg: { key: 'sla.soon', params: { d: left } } };
  return { tone: 'due', msg: { key: 'sla.due', params: { d: left } } };
}

// The list's badge for a chat: the stronger of what the list answered (laris-worker's warning and
// breach, until the first answer) and the live alert received since the page opened (which may
// be newer than the list). undefined: no badge.
export function listSlaAlert(sla: ConversationSlaTimes | undefined, live: SlaAlert | undefined): SlaAlert | undefined {
  let listed: SlaAlert | undefined;
  if (sla && !sla.first_response_at && (sla.sla_breached_at || sla.sla_warned_at)) {
    listed = { level: sla.sla_breached_at ? 'breached' : 'warning', dueAt: sla.sla_due_at ?? '' };
  }
  if (!listed || !live) return listed ?? live;
  return live.level === 'breached' || listed.level === 'warning' ? live : listed;
}

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  COALESCE_MS,
  FALLBACK_POLL_MS,
  changes,
  checkSeq,
  listChanges,
  liveState,
  nextSla,
  nextTyping,
  openConversation,
  parseEvent,
  pruneTyping,
  refetchOf,
  shouldPoll,
  slaAlerts,
  startLive,
  typing,
  type LiveDeps,
  type LiveEvent,
} from './live';

const ev = (e: Partial<LiveEvent> & { kind: string; seq: number }): LiveEvent => e;

describe('seq per channel', () => {
  it('takes the first event of a stream, then the next one; drops repeats; sees gaps', () => {
    expect(checkSeq(undefined, 41)).toBe('next');
    expect(checkSeq(41, 42)).toBe('next');
    expect(checkSeq(42, 42)).toBe('repeat');
    expect(checkSeq(42, 7)).toBe('repeat');
    expect(checkSeq(42, 44)).toBe('gap');
  });

  it('parses our events and nothing else', () => {
    expect(parseEvent('{"kind":"message.new","seq":3,"conversation_id":9}')).toMatchObject({ kind: 'message.new', seq: 3 });
    expect(parseEvent('not json')).toBeNull();
    expect(parseEvent('[1]')).toBeNull();
    expect(parseEvent('{"kind":"typing"}')).toBeNull();
    expect(parseEvent('{"kind":"typing","seq":"4"}')).toBeNull();
    expect(parseEvent('null')).toBeNull();
  });
});

describe('what an event changes', () => {
  it('refetches the list for new messages and owner changes, only the chat for ticks', () => {
    expect(refetchOf(ev({ kind: 'message.new', seq: 1, conversation_id: 5 }))).toEqual({ list: true, chat: 5 });
    expect(refetchOf(ev({ kind: 'conversation.assigned', seq: 1, conversation_id: 5 }))).toEqual({ list: true, chat: 5 });
    expect(refetchOf(ev({ kind: 'conversation.escalated', seq: 1, conversation_id: 5 }))).toEqual({ list: true, chat: 5 });
    expect(refetchOf(ev({ kind: 'conversation.status', seq: 1, conversation_id: 5 }))).toEqual({ list: true, chat: 5 });
    expect(refetchOf(ev({ kind: 'message.status', seq: 1, conversation_id: 5 }))).toEqual({ list: false, chat: 5 });
    expect(refetchOf(ev({ kind: 'typing', seq: 1, conversation_id: 5 }))).toEqual({ list: false, chat: null });
    expect(refetchOf(ev({ kind: 'sla.warning', seq: 1, conversation_id: 5 }))).toEqual({ list: false, chat: null });
  });

  it('keeps a teammate typing for as long as the server says, never oneself, until they send', () => {
    const t0 = 1_000_000;
    const typingEv = (user: number) =>
      ev({
        kind: 'typing',
        seq: 1,
        conversation_id: 5,
        user_id: user,
        user_name: 'Sari',
        at: '2026-11-23T10:00:00.000Z',
        expires_at: '2026-11-23T10:00:05.000Z',
      });
    expect(nextTyping({}, typingEv(7), 7, t0)).toEqual({});
    const on = nextTyping({}, typingEv(8), 7, t0);
    expect(on).toEqual({ 5: { userId: 8, name: 'Sari', until: t0 + 5000 } });
    expect(pruneTyping(on, t0 + 4999)).toBe(on);
    expect(pruneTyping(on, t0 + 5000)).toEqual({});
    expect(nextTyping(on, ev({ kind: 'message.new', seq: 2, conversation_id: 5, direction: 'in' }), 7, t0)).toBe(on);
    expect(nextTyping(on, ev({ kind: 'message.new', seq: 2, conversation_id: 5, direction: 'out' }), 7, t0)).toEqual({});
  });

  it('marks a chat warned or breached until someone replies', () => {
    const warn = nextSla({}, ev({ kind: 'sla.warning', seq: 1, conversation_id: 5, level: 'warning', due_at: 'D' }));
    expect(warn).toEqual({ 5: { level: 'warning', dueAt: 'D' } });
    const late = nextSla(warn, ev({ kind: 'sla.warning', seq: 2, conversation_id: 5, level: 'breached', due_at: 'D' }));
    expect(late[5]?.level).toBe('breached');
    expect(nextSla(late, ev({ kind: 'sla.warning', seq: 3, conversation_id: 5, level: 'warning', due_at: 'D' }))).toBe(late);
    expect(nextSla(late, ev({ kind: 'sla.warning', seq: 3, conversation_id: 5, level: 'bogus' }))).toBe(late);
    expect(nextSla(late, ev({ kind: 'message.new', seq: 4, conversation_id: 5, direction: 'in' }))).toBe(late);
    expect(nextSla(late, ev({ kind: 'message.new', seq: 4, conversation_id: 5, direction: 'out' }))).toEqual({});
  });

  it('polls only while the stream is not open, the tab shown and the device online', () => {
    expect(shouldPoll('open', true, true)).toBe(false);
    expect(shouldPoll('offline', true, true)).toBe(true);
    expect(shouldPoll('connecting', true, true)).toBe(true);
    expect(shouldPoll('offline', false, true)).toBe(false);
    expect(shouldPoll('offline', true, false)).toBe(false);
  });
});

// An EventSource the test drives: open, deliver, fail (the browser retries) or close.
class FakeSource {
  static all: FakeSource[] = [];
  readyState = 0;
  onopen: (() => void) | null = null;
  onmessage: ((m: { data: string }) => void) | null = null;
  onerror: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeSource.all.push(this);
  }
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  send(e: object) {
    this.onmessage?.({ data: JSON.stringify(e) });
  }
  drop(closed: boolean) {
    this.readyState = closed ? 2 : 0;
    this.onerror?.();
  }
  close() {
    this.readyState = 2;
  }
}

describe('the stream', () => {
  let stop: () => void;
  let win: EventTarget;
  let shown: boolean;
  const latest = () => FakeSource.all[FakeSource.all.length - 1]!;
  const counts = () => ({ list: listChanges.value, chat: changes.value });

  beforeEach(() => {
    vi.useFakeTimers();
    FakeSource.all = [];
    win = new EventTarget();
    shown = true;
    listChanges.value = 0;
    changes.value = 0;
    openConversation.value = 5;
    const deps: LiveDeps = {
      EventSource: FakeSource as unknown as LiveDeps['EventSource'],
      now: () => Date.now(),
      visible: () => shown,
      online: () => true,
      target: win,
      doc: win,
    };
    stop = startLive('/rt/sub/tenant/3', 7, deps);
  });
  afterEach(() => {
    stop();
    vi.useRealTimers();
  });

  it('makes no request of its own while open; one refetch per burst of events', () => {
    expect(latest().url).toBe('/rt/sub/tenant/3');
    latest().open();
    expect(liveState.value).toBe('open');
    vi.advanceTimersByTime(FALLBACK_POLL_MS * 4);
    expect(counts()).toEqual({ list: 0, chat: 0 });
    latest().send({ kind: 'message.new', seq: 10, conversation_id: 5, direction: 'in' });
    latest().send({ kind: 'message.new', seq: 11, conversation_id: 5, direction: 'in' });
    latest().send({ kind: 'message.status', seq: 12, conversation_id: 9, status: 'read' });
    vi.advanceTimersByTime(COALESCE_MS);
    expect(counts()).toEqual({ list: 1, chat: 1 });
    // Another chat's tick: neither the list nor the open chat fetches.
    latest().send({ kind: 'message.status', seq: 13, conversation_id: 9, status: 'read' });
    vi.advanceTimersByTime(COALESCE_MS);
    expect(counts()).toEqual({ list: 1, chat: 1 });
  });

  it('drops repeats, refetches once on a gap', () => {
    latest().open();
    latest().send({ kind: 'typing', seq: 1, conversation_id: 9, user_id: 8 });
    latest().send({ kind: 'typing', seq: 1, conversation_id: 9, user_id: 8 });
    vi.advanceTimersByTime(COALESCE_MS);
    expect(counts()).toEqual({ list: 0, chat: 0 });
    latest().send({ kind: 'message.new', seq: 2, conversation_id: 9, direction: 'in' });
    latest().send({ kind: 'message.new', seq: 2, conversation_id: 9, direction: 'in' });
    vi.advanceTimersByTime(COALESCE_MS);
    expect(counts()).toEqual({ list: 1, chat: 0 });
    latest().send({ kind: 'typing', seq: 9, conversation_id: 9, user_id: 8 });
    vi.advanceTimersByTime(COALESCE_MS);
    expect(counts()).toEqual({ list: 2, chat: 1 });
    latest().send({ kind: 'typing', seq: 10, conversation_id: 9, user_id: 8 });
    vi.advanceTimersByTime(COALESCE_MS);
    expect(counts()).toEqual({ list: 2, chat: 1 });
  });

  it('polls slowly only while the stream is down; the browser retry resumes without a refetch', () => {
    latest().open();
    latest().send({ kind: 'message.new', seq: 1, conversation_id: 9, direction: 'in' });
    vi.advanceTimersByTime(COALESCE_MS);
    latest().drop(false);
    expect(liveState.value).toBe('offline');
    vi.advanceTimersByTime(FALLBACK_POLL_MS + COALESCE_MS);
    expect(counts()).toEqual({ list: 2, chat: 1 });
    shown = false;
    vi.advanceTimersByTime(FALLBACK_POLL_MS * 2);
    expect(counts()).toEqual({ list: 2, chat: 1 });
    shown = true;
    // The browser reconnected with Last-Event-ID; nchan replays 2 and 3.
    latest().open();
    latest().send({ kind: 'message.new', seq: 2, conversation_id: 5, direction: 'in' });
    latest().send({ kind: 'message.new', seq: 3, conversation_id: 5, direction: 'in' });
    vi.advanceTimersByTime(COALESCE_MS);
    expect(counts()).toEqual({ list: 3, chat: 2 });
    vi.advanceTimersByTime(FALLBACK_POLL_MS * 3);
    expect(counts()).toEqual({ list: 3, chat: 2 });
    expect(FakeSource.all).toHaveLength(1);
  });

  it('opens a new stream after the browser gave up, and catches up once when it opens', () => {
    latest().open();
    latest().send({ kind: 'message.new', seq: 40, conversation_id: 9, direction: 'in' });
    vi.advanceTimersByTime(COALESCE_MS);
    latest().drop(true);
    vi.advanceTimersByTime(FALLBACK_POLL_MS);
    expect(FakeSource.all).toHaveLength(2);
    vi.advanceTimersByTime(COALESCE_MS);
    expect(counts()).toEqual({ list: 2, chat: 1 });
    latest().open();
    vi.advanceTimersByTime(COALESCE_MS);
    expect(counts()).toEqual({ list: 3, chat: 2 });
    // A new stream starts its own numbering: no gap is seen against the old one.
    latest().send({ kind: 'typing', seq: 95, conversation_id: 9, user_id: 8 });
    latest().send({ kind: 'typing', seq: 96, conversation_id: 9, user_id: 8 });
    vi.advanceTimersByTime(COALESCE_MS);
    expect(counts()).toEqual({ list: 3, chat: 2 });
    // Coming back online reopens a closed stream at once.
    latest().drop(true);
    win.dispatchEvent(new Event('online'));
    expect(FakeSource.all).toHaveLength(3);
  });

  it('shows who types and which chats are late, and forgets both when stopped', () => {
    latest().open();
    latest().send({
      kind: 'typing',
      seq: 1,
      conversation_id: 5,
      user_id: 8,
      user_name: 'Budi',
      at: '2026-11-23T10:00:00Z',
      expires_at: '2026-11-23T10:00:05Z',
    });
    latest().send({ kind: 'sla.warning', seq: 2, conversation_id: 5, level: 'warning', due_at: '2026-11-23T10:01:00Z' });
    expect(typing.value[5]?.name).toBe('Budi');
    expect(slaAlerts.value[5]?.level).toBe('warning');
    vi.advanceTimersByTime(5100);
    expect(typing.value[5]).toBeUndefined();
    stop();
    expect(slaAlerts.value).toEqual({});
    stop = () => {};
  });
});

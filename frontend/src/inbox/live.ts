// The one place the inbox learns that something changed: an EventSource on the tenant's nchan
// channel (README "Live events": every event of the tenant is published there, the agent
// channels carry a subset of it, so one stream is enough). Each event becomes signals: the list
// and the open conversation fetch again what changed (a burst of events is one fetch), typing
// notices and SLA warnings are kept here for the screens to draw.
//
// Every event has a per-channel seq. A repeat (seq ≤ the last) is dropped; a gap (seq > last + 1:
// events older than nchan's buffer, or nchan restarted) refetches the list and the open chat
// once, and both merge by id, so nothing shows twice and nothing is lost. The browser reconnects
// by itself and sends Last-Event-ID, and nchan replays what was missed. Only while the stream is
// not open does a slow poll run (every 15 s, while the tab is visible and the device online);
// a stream the browser gave up on (an HTTP error: the session ended, nginx was down) is opened
// anew on that poll, and that new stream (which gets only new events) refetches once.
import { signal } from '@preact/signals';
import { api, isApiError } from '../api/client';

export const FALLBACK_POLL_MS = 15000;
export const COALESCE_MS = 100;
export const TYPING_EVERY_MS = 3000; // the server's notice lasts 5 s
const TYPING_MAX_MS = 10000;

// Moves when the open conversation should be fetched again.
export const changes = signal(0);
// Moves when the list should be fetched again.
export const listChanges = signal(0);
// The conversation on screen (InboxPage sets it): only its events refetch it.
export const openConversation = signal<number | null>(null);
// 'connecting' until the stream first opens, 'open', or 'offline' (the slow poll runs).
export type LiveState = 'connecting' | 'open' | 'offline';
export const liveState = signal<LiveState>('connecting');

export interface Typist {
  userId: number;
  name: string;
  until: number; // local clock, ms
}
// Who else is typing in which chat.
export const typing = signal<Record<number, Typist>>({});

export interface SlaAlert {
  level: 'warning' | 'breached';
  dueAt: string;
}
// Chats whose first answer is due soon or overdue, from sla.warning events (and the open chat's
// GET …/sla); a reply ends it.
export const slaAlerts = signal<Record<number, SlaAlert>>({});

// One event as laris-events publishes it (ids only; README "Live events").
export interface LiveEvent {
  kind: string;
  seq: number;
  at?: string;
  conversation_id?: number;
  direction?: string;
  user_id?: number;
  user_name?: string;
  expires_at?: string;
  level?: string;
  due_at?: string;
}

// One SSE data field as an event; null for anything else.
export function parseEvent(data: string): LiveEvent | null {
  let v: unknown;
  try {
    v = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null) return null;
  const e = v as Partial<LiveEvent>;
  if (typeof e.kind !== 'string' || typeof e.seq !== 'number' || !Number.isInteger(e.seq)) return null;
  return e as LiveEvent;
}

export type SeqVerdict = 'next' | 'repeat' | 'gap';

// An event's seq against the channel's last one (undefined: nothing seen on this stream yet).
export function checkSeq(last: number | undefined, seq: number): SeqVerdict {
  if (last === undefined) return 'next';
  if (seq <= last) return 'repeat';
  return seq === last + 1 ? 'next' : 'gap';
}

// What an event asks the screens to fetch again: the list, and which chat (if it is open).
export function refetchOf(ev: LiveEvent): { list: boolean; chat: number | null } {
  const chat = ev.conversation_id ?? null;
  switch (ev.kind) {
    case 'message.new':
    case 'conversation.assigned':
    case 'conversation.escalated':
    case 'conversation.status':
      return { list: true, chat };
    case 'message.status': // ticks: the list shows none
      return { list: false, chat };
    default: // typing, sla.warning: drawn from this module's signals
      return { list: false, chat: null };
  }
}

// The typing notices after an event: another person's notice lasts as long as the server says
// (measured on the server's clock, so a skewed local clock does not matter); our own is not
// shown; a message sent in the chat ends the notice.
export function nextTyping(cur: Record<number, Typist>, ev: LiveEvent, me: number, now: number): Record<number, Typist> {
  const c = ev.conversation_id;
  if (c === undefined) return cur;
  if (ev.kind === 'typing' && ev.user_id !== undefined && ev.user_id !== me) {
    const lasts = Date.parse(ev.expires_at ?? '') - Date.parse(ev.at ?? '');
    const ms = Number.isFinite(lasts) ? Math.min(Math.max(lasts, 0), TYPING_MAX_MS) : 5000;
    return { ...cur, [c]: { userId: ev.user_id, name: ev.user_name ?? '', until: now + ms } };
  }
  if (ev.kind === 'message.new' && ev.direction === 'out' && cur[c]) return without(cur, c);
  return cur;
}

function without<T>(cur: Record<number, T>, key: number): Record<number, T> {
  const out = { ...cur };
  delete out[key];
  return out;
}

// The notices still running at now.
export function pruneTyping(cur: Record<number, Typist>, now: number): Record<number, Typist> {
  const keep = Object.entries(cur).filter(([, v]) => v.until > now);
  return keep.length === Object.keys(cur).length ? cur : Object.fromEntries(keep);
}

// The SLA alerts after an event: a warning or breach sets the chat's, a reply ends it.
export function nextSla(cur: Record<number, SlaAlert>, ev: LiveEvent): Record<number, SlaAlert> {
  const c = ev.conversation_id;
  if (c === undefined) return cur;
  if (ev.kind === 'sla.warning' && (ev.level === 'warning' || ev.level === 'breached')) {
    if (cur[c]?.level === 'breached' && ev.level === 'warning') return cur; // replayed out of order
    return { ...cur, [c]: { level: ev.level, dueAt: ev.due_at ?? '' } };
  }
  if (ev.kind === 'message.new' && ev.direction === 'out' && cur[c]) return without(cur, c);
  return cur;
}

// The slow poll runs only while the stream is not open, the tab is shown and the device online.
export function shouldPoll(state: LiveState, visible: boolean, online: boolean): boolean {
  return state !== 'open' && visible && online;
}

// What the browser gives us, so tests can hand in their own.
export interface LiveDeps {
  EventSource: new (url: string) => EventSource;
  now: () => number;
  visible: () => boolean;
  online: () => boolean;
  target: EventTarget; // where visibilitychange and online are heard (window)
  doc: EventTarget; // document
}

function browserDeps(): LiveDeps {
  return {
    EventSource,
    now: () => Date.now(),
    visible: () => document.visibilityState === 'visible',
    online: () => navigator.onLine,
    target: window,
    doc: document,
  };
}

// The tenant's channel path.
export function tenantChannel(tenantId: number): string {
  return `/rt/sub/tenant/${tenantId}`;
}

// Listens on channel as user me; returns the function that stops everything.
export function startLive(channel: string, me: number, deps: LiveDeps = browserDeps()): () => void {
  let source: EventSource | null = null;
  let last: number | undefined;
  let everOpen = false; // some stream of this page was open: a later new stream must catch up
  let pending = { list: false, chat: false };
  let flushTimer: ReturnType<typeof setTimeout> | undefined;
  let pruneTimer: ReturnType<typeof setTimeout> | undefined;

  const flush = () => {
    flushTimer = undefined;
    if (pending.list) listChanges.value++;
    if (pending.chat) changes.value++;
    pending = { list: false, chat: false };
  };
  const schedule = (list: boolean, chat: boolean) => {
    if (!list && !chat) return;
    pending = { list: pending.list || list, chat: pending.chat || chat };
    flushTimer ??= setTimeout(flush, COALESCE_MS);
  };
  const resync = () => schedule(true, openConversation.peek() !== null);

  const prune = () => {
    pruneTimer = undefined;
    typing.value = pruneTyping(typing.value, deps.now());
    const next = Math.min(...Object.values(typing.value).map((v) => v.until));
    if (Number.isFinite(next)) pruneTimer = setTimeout(prune, Math.max(next - deps.now(), 0) + 50);
  };

  const onEvent = (data: string) => {
    const ev = parseEvent(data);
    if (!ev) return;
    const verdict = checkSeq(last, ev.seq);
    if (verdict === 'repeat') return;
    last = ev.seq;
    if (verdict === 'gap') resync();
    const before = typing.value;
    typing.value = nextTyping(before, ev, me, deps.now());
    if (typing.value !== before && pruneTimer === undefined) prune();
    slaAlerts.value = nextSla(slaAlerts.value, ev);
    const r = refetchOf(ev);
    schedule(r.list, r.chat !== null && r.chat === openConversation.peek());
  };

  const open = () => {
    const es = new deps.EventSource(channel);
    source = es;
    const fresh = everOpen; // a new stream after an old one: only new events come
    let opened = false;
    es.onopen = () => {
      if (!opened && fresh) {
        last = undefined;
        resync();
      }
      opened = true;
      everOpen = true;
      liveState.value = 'open';
    };
    es.onmessage = (m: MessageEvent<string>) => onEvent(m.data);
    es.onerror = () => {
      // CONNECTING: the browser retries with Last-Event-ID; CLOSED: the poll opens a new one.
      liveState.value = 'offline';
    };
  };

  const tick = () => {
    if (!shouldPoll(liveState.peek(), deps.visible(), deps.online())) return;
    resync();
    if (source?.readyState === 2) open(); // EventSource.CLOSED
  };
  const onVisibility = () => {
    if (deps.visible()) tick();
  };
  const onOnline = () => {
    if (source?.readyState === 2) open();
  };

  liveState.value = 'connecting';
  open();
  const poll = setInterval(tick, FALLBACK_POLL_MS);
  deps.doc.addEventListener('visibilitychange', onVisibility);
  deps.target.addEventListener('online', onOnline);
  return () => {
    clearInterval(poll);
    clearTimeout(flushTimer);
    clearTimeout(pruneTimer);
    deps.doc.removeEventListener('visibilitychange', onVisibility);
    deps.target.removeEventListener('online', onOnline);
    source?.close();
    source = null;
    typing.value = {};
    slaAlerts.value = {};
    liveState.value = 'connecting';
  };
}

// Resolves once the stream is open or has failed (then the slow poll runs), or after ms: the
// list loads after the stream opened, so no event falls between its load and the stream.
export function whenLive(ms: number): Promise<void> {
  if (liveState.peek() !== 'connecting') return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    const stop = liveState.subscribe((s) => {
      if (s !== 'connecting') done();
    });
    function done() {
      clearTimeout(timer);
      queueMicrotask(stop);
      resolve();
    }
  });
}

const typingSent = new Map<number, number>();

// Tells the others "I am typing" in this chat, at most every TYPING_EVERY_MS (the Composer calls
// it on each keystroke).
export function notifyTyping(conversationId: number, now: number = Date.now()): void {
  const at = typingSent.get(conversationId) ?? 0;
  if (now - at < TYPING_EVERY_MS) return;
  typingSent.set(conversationId, now);
  api.typing(conversationId).catch((e: unknown) => {
    if (!isApiError(e)) throw e;
  });
}

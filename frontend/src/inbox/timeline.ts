// Pure helpers of the inbox: one timeline from messages and notes, merging polled pages by id,
// the tick an outbound message shows, a failure in plain words, the "/shortcut" being typed and
// its replacement by a quick reply, and how a contact is named.
import type { ConversationContact, Message, Note } from '../api/types';
import type { MessageKey } from '../i18n';
import { formatWaNumber } from '../settings/waNumbers';

export type TimelineEntry = { kind: 'message'; at: string; item: Message } | { kind: 'note'; at: string; item: Note };

// Messages and notes by created_at (ties: by id, messages first); read receipts are not shown.
export function mergeTimeline(messages: Message[], notes: Note[]): TimelineEntry[] {
  const entries: TimelineEntry[] = [
    ...messages
      .filter((m) => m.type !== 'read')
      .map((m): TimelineEntry => ({ kind: 'message', at: m.created_at ?? '', item: m })),
    ...notes.map((n): TimelineEntry => ({ kind: 'note', at: n.created_at, item: n })),
  ];
  return entries.sort((a, b) => {
    const ta = Date.parse(a.at) || 0;
    const tb = Date.parse(b.at) || 0;
    if (ta !== tb) return ta - tb;
    if (a.kind !== b.kind) return a.kind === 'message' ? -1 : 1;
    return a.item.id - b.item.id;
  });
}

// A polled page merged into what is shown: one entry per id, the newer copy winning (a status
// that moved from sent to read), in the order of `current` with new ids appended.
export function mergeById<T extends { id: number }>(current: T[], fresh: T[]): T[] {
  const byId = new Map(fresh.map((x) => [x.id, x]));
  const out = current.map((x) => byId.get(x.id) ?? x);
  const known = new Set(current.map((x) => x.id));
  for (const x of fresh) if (!known.has(x.id)) out.push(x);
  return out;
}

export interface Tick {
  symbol: string; // what is drawn
  label: MessageKey; // what a screen reader says
  tone: 'wait' | 'sent' | 'read' | 'failed';
}

// The tick of an outbound message's status (inbound messages have none).
export function tickOf(status: string | null | undefined): Tick {
  switch (status) {
    case 'accepted':
    case 'sent':
      return { symbol: '✓', label: 'inbox.tick.sent', tone: 'sent' };
    case 'delivered':
      return { symbol: '✓✓', label: 'inbox.tick.delivered', tone: 'sent' };
    case 'read':
    case 'played':
      return { symbol: '✓✓', label: 'inbox.tick.read', tone: 'read' };
    case 'failed':
      return { symbol: '⚠', label: 'inbox.tick.failed', tone: 'failed' };
    case 'unknown':
      return { symbol: '?', label: 'inbox.tick.unknown', tone: 'wait' };
    default: // queued, sending
      return { symbol: '◷', label: 'inbox.tick.queued', tone: 'wait' };
  }
}

// Why a message failed, as WhatsApp said it (its message, else its title), without the code.
export function failureReason(error: Message['error']): string {
  const text = error?.message?.trim() || error?.title?.trim() || '';
  return text;
}

export interface ShortcutAt {
  start: number; // where the "/" is
  query: string; // "/" and what follows it, up to the caret
}

// The "/shortcut" the caret is at the end of: a "/" at the start or after a space, then letters,
// digits, "_" or "-" (what a shortcut may hold).
export function shortcutAt(text: string, caret: number): ShortcutAt | null {
  const before = text.slice(0, caret);
  const m = /(^|\s)(\/[a-z0-9_-]{0,32})$/i.exec(before);
  if (!m || m[2] === undefined) return null;
  return { start: caret - m[2].length, query: m[2].toLowerCase() };
}

// The text with the shortcut replaced by the quick reply, and where the caret goes (after it).
export function insertQuickReply(
  text: string,
  at: ShortcutAt,
  caret: number,
  reply: string,
): { value: string; caret: number } {
  const value = text.slice(0, at.start) + reply + text.slice(caret);
  return { value, caret: at.start + reply.length };
}

// A contact as agents know it: the name saved, else the WhatsApp profile name, else the number.
export function contactTitle(c: ConversationContact): string {
  return c.name?.trim() || c.profile_name?.trim() || formatWaNumber(c.phone ?? c.wa_id) || '?';
}

// The contact's number as Indonesians write it ("+62 812-3456-7890").
export function contactPhone(c: ConversationContact): string {
  return formatWaNumber(c.phone ?? c.wa_id);
}

// The kind of file a picked attachment is sent as (WhatsApp's types; the API checks the rest).
export function attachmentType(mime: string): 'image' | 'video' | 'audio' | 'document' {
  if (mime === 'image/jpeg' || mime === 'image/png') return 'image';
  if (mime.startsWith('video/')) return 'video';
  if (mime.startsWith('audio/')) return 'audio';
  return 'document';
}

// A fresh key per message the agent means to send (the same key when the same send is retried).
export function newIdempotencyKey(): string {
  return globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

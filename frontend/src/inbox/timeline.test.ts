import { describe, expect, it } from 'vitest';
import type { Message, Note } from '../api/types';
import {
  attachmentType,
  contactPhone,
  contactTitle,
  failureReason,
  insertQuickReply,
  mergeById,
  mergeTimeline,
  shortcutAt,
  tickOf,
} from './timeline';

function msg(id: number, at: string, extra: Partial<Message> = {}): Message {
  return { id, conversation_id: 1, direction: 'in', type: 'text', status: null, created_at: at, ...extra };
}
function note(id: number, at: string): Note {
  return { id, kind: 'note', conversation_id: 1, body: `n${id}`, author: null, created_at: at };
}

describe('mergeTimeline', () => {
  it('orders messages and notes by created_at, messages first on a tie, receipts left out', () => {
    const t = mergeTimeline(
      [
        msg(1, '2026-11-23T10:00:00Z'),
        msg(3, '2026-11-23T10:05:00Z'),
        msg(4, '2026-11-23T10:06:00Z', { type: 'read', direction: 'out' }),
      ],
      [note(7, '2026-11-23T10:05:00Z'), note(8, '2026-11-23T10:01:00+07:00')],
    );
    expect(t.map((e) => `${e.kind[0]}${e.item.id}`)).toEqual(['n8', 'm1', 'm3', 'n7']);
  });
});

describe('mergeById', () => {
  it('keeps one copy per id, the fresh one, and appends new ids', () => {
    const a = [msg(1, 'x', { status: 'sent' }), msg(2, 'x')];
    const merged = mergeById(a, [msg(1, 'x', { status: 'read' }), msg(3, 'x')]);
    expect(merged.map((m) => m.id)).toEqual([1, 2, 3]);
    expect(merged[0]?.status).toBe('read');
  });
});

describe('tickOf', () => {
  it('maps every status to its tick', () => {
    expect(tickOf('queued')).toMatchObject({ symbol: '◷', tone: 'wait' });
    expect(tickOf('sending').label).toBe('inbox.tick.queued');
    expect(tickOf('sent')).toMatchObject({ symbol: '✓', tone: 'sent' });
    expect(tickOf('accepted').symbol).toBe('✓');
    expect(tickOf('delivered')).toMatchObject({ symbol: '✓✓', tone: 'sent' });
    expect(tickOf('read')).toMatchObject({ symbol: '✓✓', tone: 'read', label: 'inbox.tick.read' });
    expect(tickOf('played').tone).toBe('read');
    expect(tickOf('failed')).toMatchObject({ symbol: '⚠', tone: 'failed' });
    expect(tickOf('unknown').label).toBe('inbox.tick.unknown');
  });

  it('says why a message failed in words, the message before the title', () => {
    expect(failureReason({ code: 131047, title: 'Re-engagement message', message: 'More than 24 hours' })).toBe(
      'More than 24 hours',
    );
    expect(failureReason({ code: 1, title: 'Rate limit hit', message: ' ' })).toBe('Rate limit hit');
    expect(failureReason(null)).toBe('');
  });
});

describe('quick replies', () => {
  it('finds the shortcut the caret ends', () => {
    expect(shortcutAt('/ong', 4)).toEqual({ start: 0, query: '/ong' });
    expect(shortcutAt('halo /Ong', 9)).toEqual({ start: 5, query: '/ong' });
    expect(shortcutAt('/', 1)).toEqual({ start: 0, query: '/' });
    expect(shortcutAt('a/b', 3)).toBeNull();
    expect(shortcutAt('/ong kir', 8)).toBeNull();
    expect(shortcutAt('http://x', 8)).toBeNull();
  });

  it('replaces the shortcut and puts the caret after the reply', () => {
    const text = 'Halo /ong ya';
    const at = shortcutAt(text, 9)!;
    expect(insertQuickReply(text, at, 9, 'Ongkir Rp10.000')).toEqual({
      value: 'Halo Ongkir Rp10.000 ya',
      caret: 20,
    });
  });
});

describe('contacts', () => {
  const base = { id: 1, name: null, profile_name: null, phone: '6281234567890', wa_id: '6281234567890' };
  it('are named by name, profile name, then their number', () => {
    expect(contactTitle({ ...base, name: 'Bu Sari' })).toBe('Bu Sari');
    expect(contactTitle({ ...base, profile_name: 'sari' })).toBe('sari');
    expect(contactTitle(base)).toBe('+62 812-3456-7890');
    expect(contactPhone({ ...base, phone: null })).toBe('+62 812-3456-7890');
    expect(contactPhone({ ...base, phone: '14155550100', wa_id: null })).toBe('+14155550100');
  });
});

describe('attachmentType', () => {
  it('sends each file as its WhatsApp type', () => {
    expect(attachmentType('image/png')).toBe('image');
    expect(attachmentType('image/webp')).toBe('document');
    expect(attachmentType('video/mp4')).toBe('video');
    expect(attachmentType('audio/ogg')).toBe('audio');
    expect(attachmentType('application/pdf')).toBe('document');
  });
});

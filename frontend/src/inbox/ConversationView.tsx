// One open conversation: who it is with and who owns it (claim an unassigned chat; "taken by"
// when another agent has it), messages and notes in one timeline kept fresh by the live signal,
// marked read when opened and when new messages come in, and the reply box.
import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { api, isApiError } from '../api/client';
import type { Conversation, Message, Note } from '../api/types';
import { roleAtLeast, user } from '../app/session';
import { problemMessage } from '../forms/validate';
import { t, type Msg } from '../i18n';
import { FormError } from '../ui/Messages';
import { ChatActions } from './ChatActions';
import { Composer } from './Composer';
import { ContactPanel } from './ContactPanel';
import { changes } from './live';
import { LiveNotices } from './LiveNotices';
import { MessageItem, NoteItem } from './MessageItem';
import { SlaBadge } from './SlaBadge';
import { contactPhone, contactTitle, mergeById, mergeTimeline } from './timeline';

const WINDOW_MS = 24 * 60 * 60 * 1000;
const MAX_PAGES = 20;

interface Props {
  id: number;
  onBack: () => void;
  onChanged: () => void;
}

// Walks the pages from `cursor` on; answers the items and the cursor of the last page fetched
// (the next poll starts there, so new messages and the last page's ticks come in).
async function walk<T>(
  fetchPage: (cursor: string | null) => Promise<{ items: T[]; next_cursor: string | null }>,
  cursor: string | null,
): Promise<{ items: T[]; last: string | null }> {
  const items: T[] = [];
  let at = cursor;
  for (let i = 0; i < MAX_PAGES; i++) {
    const page = await fetchPage(at);
    items.push(...page.items);
    if (!page.next_cursor || page.items.length === 0) break;
    at = page.next_cursor;
  }
  return { items, last: at };
}

export function ConversationView({ id, onBack, onChanged }: Props) {
  const conv = useSignal<Conversation | null>(null);
  const messages = useSignal<Message[]>([]);
  const notes = useSignal<Note[]>([]);
  const error = useSignal<Msg | null>(null);
  const takenBy = useSignal<string | null>(null);
  const claiming = useSignal(false);
  const cursors = useRef<{ m: string | null; n: string | null }>({ m: null, n: null });
  const lastInbound = useRef(0);
  const inFlight = useRef(false);
  const again = useRef(false); // a refetch asked for while a fetch is out runs once after it
  const listEnd = useRef<HTMLDivElement>(null);
  const me = user.value;

  async function load(first: boolean) {
    if (inFlight.current && !first) {
      again.current = true; // the event may be newer than what that fetch reads
      return;
    }
    inFlight.current = true;
    try {
      const [c, ms, ns] = await Promise.all([
        api.getConversation(id),
        walk((cur) => api.listMessages(id, cur), cursors.current.m),
        walk((cur) => api.listNotes(id, cur), cursors.current.n),
      ]);
      cursors.current = { m: ms.last, n: ns.last };
      conv.value = c;
      const before = messages.value.length + notes.value.length;
      messages.value = first ? ms.items : mergeById(messages.value, ms.items);
      notes.value = first ? ns.items : mergeById(notes.value, ns.items);
      const newestIn = ms.items.filter((m) => m.direction === 'in').reduce((a, m) => Math.max(a, m.id), 0);
      if (newestIn > lastInbound.current || (first && c.unread_count > 0)) {
        lastInbound.current = Math.max(lastInbound.current, newestIn);
        await api.markRead(id);
        onChanged();
      }
      if (first || messages.value.length + notes.value.length > before) {
        requestAnimationFrame(() => listEnd.current?.scrollIntoView({ block: 'end' }));
      }
    } catch (e) {
      if (!isApiError(e)) throw e;
      if (e.status !== 401) error.value = problemMessage(e);
    } finally {
      inFlight.current = false;
      if (again.current) {
        again.current = false;
        void load(false);
      }
    }
  }

  useEffect(() => {
    conv.value = null;
    messages.value = [];
    notes.value = [];
    takenBy.value = null;
    error.value = null;
    cursors.current = { m: null, n: null };
    lastInbound.current = 0;
    void load(true);
  }, [id]);

  // The live signal (live.ts: an event about this chat, or a catch-up): fetch what is new.
  const tick = changes.value;
  useEffect(() => {
    if (tick > 0 && conv.peek()) void load(false);
  }, [tick]);

  async function claim() {
    claiming.value = true;
    error.value = null;
    try {
      await api.claim(id);
      await load(false);
      onChanged();
    } catch (e) {
      if (!isApiError(e)) throw e;
      if (e.status === 409 && e.owner) takenBy.value = e.owner;
      else if (e.status !== 401) error.value = problemMessage(e);
    } finally {
      claiming.value = false;
    }
  }

  const c = conv.value;
  const assignee = c?.assignee ?? null;
  const owner = assignee?.id !== undefined && assignee.id !== me?.id ? (assignee.name ?? '—') : takenBy.value;
  const canOverride = roleAtLeast(me?.role, 'supervisor');
  const lastIn = c?.contact.last_inbound_at ? Date.parse(c.contact.last_inbound_at) : 0;
  const windowClosed = c !== null && Date.now() - lastIn >= WINDOW_MS;
  const title = c ? contactTitle(c.contact) : t('app.loading');

  return (
    <section class="conv" aria-label={t('inbox.conversationWith', { name: title })}>
      <header class="conv-head">
        <button type="button" class="btn btn-quiet btn-small conv-back" onClick={onBack}>
          <span aria-hidden="true">← </span>
          {t('inbox.back')}
        </button>
        <div class="conv-who">
          <h2 class="conv-title">{title}</h2>
          {c && <p class="conv-phone">{contactPhone(c.contact)}</p>}
          {c && c.status !== 'resolved' && <SlaBadge sla={c.sla} />}
        </div>
        {c && !assignee && !takenBy.value && (
          <button type="button" class="btn btn-primary btn-small" disabled={claiming.value} onClick={() => void claim()}>
            {t('inbox.claim')}
          </button>
        )}
      </header>
      {c && <ContactPanel contactId={c.contact.id} conversationId={id} />}
      {c && owner && <p class="alert alert-info conv-taken">{t('inbox.takenBy', { name: owner })}</p>}
      {c && assignee && assignee.id === me?.id && <p class="conv-mine">{t('inbox.yours')}</p>}
      {c && c.status !== 'resolved' && (assignee?.id === me?.id || canOverride) && (
        <ChatActions
          conversationId={id}
          canTransfer={canOverride}
          onDone={() => {
            void load(false);
            onChanged();
          }}
        />
      )}
      <FormError msg={error.value} />
      <ol class="timeline" aria-label={t('inbox.history')}>
        {mergeTimeline(messages.value, notes.value).map((e) =>
          e.kind === 'message' ? <MessageItem key={`m${e.item.id}`} m={e.item} /> : <NoteItem key={`n${e.item.id}`} n={e.item} />,
        )}
      </ol>
      <div ref={listEnd} />
      <LiveNotices conversationId={id} />
      {windowClosed && <p class="alert alert-info">{t('inbox.windowClosed')}</p>}
      {c && (
        <Composer
          conversationId={id}
          disabled={owner !== null && !canOverride}
          windowClosed={windowClosed}
          contactName={c.contact.name ?? c.contact.profile_name ?? null}
          onSent={(m) => {
            messages.value = mergeById(messages.value, [m]);
            requestAnimationFrame(() => listEnd.current?.scrollIntoView({ block: 'end' }));
            onChanged();
          }}
          onTaken={(name) => {
            takenBy.value = name;
            void load(false);
          }}
        />
      )}
    </section>
  );
}

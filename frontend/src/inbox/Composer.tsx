// The reply box: text with quick replies ("/" lists them, Enter or Tab inserts), a file attached
// and sent as its WhatsApp type, one Idempotency-Key per message (a double tap sends once), and
// in words why a reply was refused (the 24-hour window, another agent's chat). When the window
// is closed (or a reply was refused for it), the template picker sends an approved template.
import { useSignal } from '@preact/signals';
import { useRef } from 'preact/hooks';
import { api, isApiError, type ApiError } from '../api/client';
import type { Message, MessageSend, RenderedQuickReply } from '../api/types';
import { problemMessage } from '../forms/validate';
import { t, type Msg } from '../i18n';
import { PaperclipIcon } from '../ui/icons';
import { FormError } from '../ui/Messages';
import { notifyTyping } from './live';
import { TemplatePicker } from './TemplatePicker';
import { attachmentType, insertQuickReply, newIdempotencyKey, shortcutAt, type ShortcutAt } from './timeline';

interface Props {
  conversationId: number;
  disabled: boolean;
  windowClosed: boolean;
  contactName: string | null;
  onSent: (m: Message) => void;
  onTaken: (owner: string | null) => void;
}

const windowRefusal = (e: ApiError) => e.status === 422 && e.fields.some((f) => f.field === 'type');

// The message a refused reply gets: the window and the owner in words, the rest as usual.
function refusal(e: ApiError): Msg {
  if (windowRefusal(e)) return { key: 'inbox.windowClosedSend' };
  if (e.status === 409 && e.owner) return { key: 'inbox.takenBy', params: { name: e.owner } };
  return problemMessage(e);
}

export function Composer({ conversationId, disabled, windowClosed, contactName, onSent, onTaken }: Props) {
  const text = useSignal('');
  const needTemplate = useSignal(false); // the API said the window is closed
  const templatesSent = useSignal(0); // a new picker (cleared) after each template sent
  const sending = useSignal(false);
  const error = useSignal<Msg | null>(null);
  const matches = useSignal<RenderedQuickReply[]>([]);
  const active = useSignal(0);
  const shortcut = useRef<ShortcutAt | null>(null);
  const key = useRef(newIdempotencyKey()); // the draft's key: kept until it is sent
  const lookup = useRef(0);
  const box = useRef<HTMLTextAreaElement>(null);
  const listId = `qr-${conversationId}`;

  async function findQuickReplies(value: string, caret: number) {
    const at = shortcutAt(value, caret);
    shortcut.current = at;
    const mine = ++lookup.current;
    if (!at) {
      matches.value = [];
      return;
    }
    try {
      const r = await api.quickReplies(conversationId, at.query);
      if (mine !== lookup.current) return;
      matches.value = r.items;
      active.value = 0;
    } catch (e) {
      if (!isApiError(e)) throw e;
      if (mine === lookup.current) matches.value = [];
    }
  }

  function choose(reply: RenderedQuickReply) {
    const el = box.current;
    const at = shortcut.current;
    if (!el || !at) return;
    const r = insertQuickReply(text.value, at, el.selectionStart, reply.text);
    text.value = r.value;
    matches.value = [];
    shortcut.current = null;
    requestAnimationFrame(() => {
      el.value = r.value;
      el.setSelectionRange(r.caret, r.caret);
      el.focus();
    });
  }

  async function send(body: MessageSend) {
    if (sending.value) return; // a second tap while the first is on its way
    sending.value = true;
    error.value = null;
    try {
      const m = await api.sendMessage(conversationId, body, key.current);
      key.current = newIdempotencyKey();
      if (body.type === 'text') text.value = '';
      if (body.type === 'template') templatesSent.value += 1;
      onSent(m);
    } catch (e) {
      if (!isApiError(e)) throw e;
      if (e.status === 409) onTaken(e.owner);
      // The same key again on a retry: a send whose answer was lost is not sent twice.
      if (e.status !== 0) key.current = newIdempotencyKey();
      if (windowRefusal(e)) needTemplate.value = true;
      if (e.status !== 401) error.value = refusal(e);
    } finally {
      sending.value = false;
    }
  }

  function sendText() {
    const body = text.value.trim();
    if (body) void send({ type: 'text', text: { body } });
  }

  async function attach(file: File) {
    sending.value = true;
    error.value = null;
    let graphId: string | null = null;
    try {
      const media = await api.uploadMedia(file);
      graphId = media.graph_media_id;
    } catch (e) {
      if (!isApiError(e)) throw e;
      if (e.status !== 401) error.value = problemMessage(e);
    } finally {
      sending.value = false;
    }
    if (!graphId) return;
    const type = attachmentType(file.type);
    if (type === 'document') await send({ type, document: { id: graphId, filename: file.name } });
    else await send({ type, [type]: { id: graphId } });
  }

  function onKeyDown(e: KeyboardEvent) {
    const list = matches.value;
    if (list.length > 0) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        const step = e.key === 'ArrowDown' ? 1 : list.length - 1;
        active.value = (active.value + step) % list.length;
        return;
      }
      if (e.key === 'Enter' || e.key === 'Tab') {
        const pick = list[active.value];
        if (pick) {
          e.preventDefault();
          choose(pick);
        }
        return;
      }
      if (e.key === 'Escape') {
        matches.value = [];
        return;
      }
    }
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      sendText();
    }
  }

  const open = matches.value.length > 0;
  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        sendText();
      }}
    >
      <FormError msg={error.value} />
      {(windowClosed || needTemplate.value) && (
        <TemplatePicker
          key={templatesSent.value}
          contactName={contactName}
          disabled={disabled}
          sending={sending.value}
          onSend={(template) => void send({ type: 'template', template })}
        />
      )}
      {open && (
        <ul class="qr-list" id={listId} role="listbox" aria-label={t('inbox.quickReplies')}>
          {matches.value.map((r, i) => (
            <li
              key={r.id}
              id={`${listId}-${r.id}`}
              role="option"
              aria-selected={i === active.value}
              class={i === active.value ? 'qr-item qr-active' : 'qr-item'}
              onMouseDown={(e) => {
                e.preventDefault();
                choose(r);
              }}
            >
              <span class="qr-shortcut">{r.shortcut}</span> <span class="qr-text">{r.text}</span>
            </li>
          ))}
        </ul>
      )}
      <div class="composer-row">
        <label class="btn btn-quiet composer-attach">
          <span class="visually-hidden">{t('inbox.attach')}</span>
          <PaperclipIcon />
          <input
            type="file"
            class="visually-hidden"
            disabled={disabled || sending.value}
            accept="image/jpeg,image/png,video/mp4,video/3gpp,audio/*,application/pdf,text/plain,.doc,.docx,.xls,.xlsx,.ppt,.pptx"
            onChange={(e) => {
              const input = e.currentTarget;
              const file = input.files?.[0];
              input.value = '';
              if (file) void attach(file);
            }}
          />
        </label>
        <label class="visually-hidden" for={`reply-${conversationId}`}>
          {t('inbox.replyLabel')}
        </label>
        <textarea
          ref={box}
          id={`reply-${conversationId}`}
          class="composer-text"
          rows={2}
          maxLength={4096}
          placeholder={t('inbox.replyPlaceholder')}
          disabled={disabled}
          value={text.value}
          role="combobox"
          aria-expanded={open}
          aria-controls={open ? listId : undefined}
          aria-autocomplete="list"
          aria-activedescendant={open ? `${listId}-${matches.value[active.value]?.id}` : undefined}
          onInput={(e) => {
            const el = e.currentTarget;
            text.value = el.value;
            if (el.value) notifyTyping(conversationId);
            void findQuickReplies(el.value, el.selectionStart);
          }}
          onKeyDown={onKeyDown}
        />
        <button type="submit" class="btn btn-primary" disabled={disabled || sending.value}>
          {sending.value ? t('inbox.sending') : t('inbox.send')}
        </button>
      </div>
    </form>
  );
}

// One entry of a conversation's timeline: a message of any type (its file inline when stored),
// with the tick of an outbound one and why it failed, or an internal note.
import type { Message, Note } from '../api/types';
import { t } from '../i18n';
import { formatTime } from '../i18n/format';
import { failureReason, tickOf } from './timeline';

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj {
  return typeof v === 'object' && v !== null ? (v as Obj) : {};
}
function str(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}

// The type's own object (Meta's shape) as the API returns it under the type's name.
function payload(m: Message): Obj {
  return obj((m as unknown as Obj)[m.type]);
}

function MediaBody({ m }: { m: Message }) {
  const p = payload(m);
  const caption = str(p.caption) || m.body || '';
  const media = m.media;
  if (!media || media.status !== 'stored') {
    return <p class="msg-file-wait">{t(media?.status === 'pending' || !media ? 'inbox.media.pending' : 'inbox.media.missing')}</p>;
  }
  let file;
  switch (m.type) {
    case 'image':
      file = <img class="msg-image" src={media.url} alt={caption || t('inbox.media.image')} loading="lazy" />;
      break;
    case 'sticker':
      file = <img class="msg-sticker" src={media.url} alt={t('inbox.media.sticker')} loading="lazy" />;
      break;
    case 'video':
      file = <video class="msg-video" src={media.url} controls preload="metadata" aria-label={t('inbox.media.video')} />;
      break;
    case 'audio':
      file = <audio src={media.url} controls preload="metadata" aria-label={t('inbox.media.audio')} />;
      break;
    default:
      file = (
        <a class="msg-doc" href={media.url} download={str(p.filename) || undefined}>
          {t('inbox.media.document', { name: str(p.filename) || t('inbox.media.file') })}
        </a>
      );
  }
  return (
    <>
      {file}
      {caption && <p class="msg-text">{caption}</p>}
    </>
  );
}

function Body({ m }: { m: Message }) {
  const p = payload(m);
  switch (m.type) {
    case 'text':
      return <p class="msg-text">{m.text?.body ?? m.body ?? ''}</p>;
    case 'image':
    case 'video':
    case 'audio':
    case 'document':
    case 'sticker':
      return <MediaBody m={m} />;
    case 'location': {
      const where = [str(p.name), str(p.address)].filter(Boolean).join(', ');
      const coords = `${str(p.latitude)},${str(p.longitude)}`;
      return (
        <p class="msg-text">
          {t('inbox.type.location')}: {where || coords}{' '}
          <a href={`https://www.openstreetmap.org/?mlat=${str(p.latitude)}&mlon=${str(p.longitude)}`} rel="noopener noreferrer" target="_blank">
            {t('inbox.type.map')}
          </a>
        </p>
      );
    }
    case 'contacts': {
      const list = Array.isArray((m as unknown as Obj).contacts) ? ((m as unknown as Obj).contacts as unknown[]) : [];
      const names = list.map((c) => str(obj(obj(c).name).formatted_name)).filter(Boolean);
      return <p class="msg-text">{t('inbox.type.contacts', { names: names.join(', ') || '—' })}</p>;
    }
    case 'interactive': {
      const reply = obj(p.button_reply ?? p.list_reply);
      const text = str(reply.title) || str(obj(p.body).text) || m.body || '';
      return <p class="msg-text">{t('inbox.type.interactive', { text })}</p>;
    }
    case 'button':
      return <p class="msg-text">{t('inbox.type.interactive', { text: str(p.text) || m.body || '' })}</p>;
    case 'reaction':
      return <p class="msg-text">{t('inbox.type.reaction', { emoji: m.reaction?.emoji || m.body || '—' })}</p>;
    case 'template':
      return <p class="msg-text">{t('inbox.type.template', { name: str(p.name) })}{m.body ? `: ${m.body}` : ''}</p>;
    default:
      return <p class="msg-text msg-unknown">{t('inbox.type.unknown', { type: m.type })}</p>;
  }
}

export function MessageItem({ m }: { m: Message }) {
  const out = m.direction === 'out';
  const tick = out ? tickOf(m.status) : null;
  const reason = m.status === 'failed' ? failureReason(m.error) : '';
  return (
    <li class={`msg ${out ? 'msg-out' : 'msg-in'}`} data-message-id={m.id}>
      <Body m={m} />
      <p class="msg-meta">
        {m.created_at && <time dateTime={m.created_at}>{formatTime(m.created_at)}</time>}
        {tick && (
          <span class={`tick tick-${tick.tone}`} title={t(tick.label)}>
            <span aria-hidden="true">{tick.symbol}</span>
            <span class="visually-hidden">{t(tick.label)}</span>
          </span>
        )}
      </p>
      {m.status === 'failed' && (
        <p class="msg-failed">{reason ? t('inbox.failedBecause', { reason }) : t('inbox.failedNoReason')}</p>
      )}
    </li>
  );
}

export function NoteItem({ n }: { n: Note }) {
  return (
    <li class="msg msg-note">
      <p class="msg-note-label">{t('inbox.note', { name: n.author?.name ?? '—' })}</p>
      <p class="msg-text">{n.body}</p>
      <p class="msg-meta">
        <time dateTime={n.created_at}>{formatTime(n.created_at)}</time>
      </p>
    </li>
  );
}

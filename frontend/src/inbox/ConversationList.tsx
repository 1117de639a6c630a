// The inbox list: tabs mine / unassigned / all, a status filter, search (name, phone, text), a
// label filter from the chips, unread counts, the last message, its time in the tenant's zone,
// the owner, and "load more" by cursor. Chats whose first answer is due soon or overdue (SLA) are
// marked from the list itself and from live events (live.ts), which also refresh the first page
// in place and mark chats someone is typing in.
import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { api, isApiError } from '../api/client';
import { CONVERSATION_STATUSES, type Conversation, type LabelRef } from '../api/types';
import { problemMessage } from '../forms/validate';
import { t, type Msg } from '../i18n';
import { formatDateTime } from '../i18n/format';
import { FormError } from '../ui/Messages';
import { listChanges, slaAlerts, typing, whenLive } from './live';
import { listSlaAlert } from './slaBadge';
import { contactTitle } from './timeline';

export const TABS = ['mine', 'unassigned', 'all'] as const;
export type Tab = (typeof TABS)[number];
const ASSIGNEE: Record<Tab, string | undefined> = { mine: 'me', unassigned: 'none', all: undefined };
const PAGE = 30;
const LIVE_WAIT_MS = 1500; // the first load waits this long at most for the live stream to open

interface Props {
  selected: number | null;
  onOpen: (id: number) => void;
  refresh: number; // moves when the open conversation changed something the list shows
}

export function ConversationList({ selected, onOpen, refresh }: Props) {
  const tab = useSignal<Tab>('mine');
  const status = useSignal<string>('');
  const search = useSignal('');
  const q = useSignal('');
  const label = useSignal<LabelRef | null>(null);
  const items = useSignal<Conversation[]>([]);
  const next = useSignal<string | null>(null);
  const loading = useSignal(true);
  const error = useSignal<Msg | null>(null);
  const latest = useRef(0);

  const query = (cursor: string | null) => ({
    assignee: ASSIGNEE[tab.value],
    status: status.value || undefined,
    q: q.value.length >= 3 ? q.value : undefined,
    label: label.value?.id,
    limit: PAGE,
    cursor,
  });

  // The first page again; pages loaded beyond it stay below, without repeats.
  async function reload(fresh: boolean) {
    const mine = ++latest.current;
    if (fresh) loading.value = true;
    try {
      if (fresh) await whenLive(LIVE_WAIT_MS);
      if (mine !== latest.current) return;
      const page = await api.listConversations(query(null));
      if (mine !== latest.current) return;
      const ids = new Set(page.items.map((c) => c.id));
      const rest = fresh ? [] : items.value.slice(PAGE).filter((c) => !ids.has(c.id));
      items.value = [...page.items, ...rest];
      if (fresh || rest.length === 0) next.value = page.next_cursor;
      error.value = null;
    } catch (e) {
      if (!isApiError(e)) throw e;
      if (mine === latest.current && e.status !== 401) error.value = problemMessage(e);
    } finally {
      if (mine === latest.current) loading.value = false;
    }
  }

  async function more() {
    const mine = ++latest.current;
    try {
      const page = await api.listConversations(query(next.value));
      if (mine !== latest.current) return;
      const ids = new Set(items.value.map((c) => c.id));
      items.value = [...items.value, ...page.items.filter((c) => !ids.has(c.id))];
      next.value = page.next_cursor;
    } catch (e) {
      if (!isApiError(e)) throw e;
      if (e.status !== 401) error.value = problemMessage(e);
    }
  }

  useEffect(() => {
    void reload(true);
  }, [tab.value, status.value, q.value, label.value]);

  const tick = listChanges.value;
  useEffect(() => {
    if (tick > 0 || refresh > 0) void reload(false);
  }, [tick, refresh]);

  return (
    <section class="conv-list" aria-label={t('inbox.listLabel')}>
      <div class="inbox-tabs" role="group" aria-label={t('inbox.tabsLabel')}>
        {TABS.map((x) => (
          <button
            key={x}
            type="button"
            class={`btn btn-small ${tab.value === x ? 'btn-primary' : 'btn-quiet'}`}
            aria-pressed={tab.value === x}
            onClick={() => (tab.value = x)}
          >
            {t(`inbox.tab.${x}`)}
          </button>
        ))}
      </div>
      <form
        class="inbox-filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          q.value = search.value.trim();
        }}
      >
        <label class="visually-hidden" for="inbox-search">
          {t('inbox.search')}
        </label>
        <input
          id="inbox-search"
          type="search"
          placeholder={t('inbox.searchPlaceholder')}
          maxLength={100}
          value={search.value}
          onInput={(e) => {
            search.value = e.currentTarget.value;
            if (search.value.trim() === '') q.value = '';
          }}
        />
        <label class="visually-hidden" for="inbox-status">
          {t('inbox.status')}
        </label>
        <select id="inbox-status" value={status.value} onChange={(e) => (status.value = e.currentTarget.value)}>
          <option value="">{t('inbox.statusAny')}</option>
          {CONVERSATION_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`inbox.convStatus.${s}`)}
            </option>
          ))}
        </select>
      </form>
      {search.value.trim().length > 0 && search.value.trim().length < 3 && <p class="muted-text">{t('inbox.searchShort')}</p>}
      {label.value && (
        <p class="inbox-label-filter">
          {t('inbox.labelFilter', { name: label.value.name })}{' '}
          <button type="button" class="btn btn-quiet btn-small" onClick={() => (label.value = null)}>
            {t('inbox.labelClear')}
          </button>
        </p>
      )}
      <FormError msg={error.value} />
      {!loading.value && items.value.length === 0 && <p class="muted-text inbox-empty">{t('inbox.empty')}</p>}
      <ul class="conv-items">
        {items.value.map((c) => {
          const name = contactTitle(c.contact);
          const last = c.last_message;
          const sla = c.status === 'resolved' ? undefined : listSlaAlert(c.sla, slaAlerts.value[c.id]);
          const typist = typing.value[c.id];
          return (
            <li key={c.id} class={`conv-item${selected === c.id ? ' conv-item-open' : ''}`}>
              <button
                type="button"
                class="conv-open"
                aria-current={selected === c.id ? 'true' : undefined}
                onClick={() => onOpen(c.id)}
              >
                <span class="conv-row">
                  <span class="conv-name">{name}</span>
                  {c.activity_at && <time dateTime={c.activity_at}>{formatDateTime(c.activity_at)}</time>}
                </span>
                <span class="conv-row">
                  <span class="conv-preview">
                    {last?.direction === 'out' ? `${t('inbox.you')}: ` : ''}
                    {last?.preview ?? (last?.type ? t('inbox.type.unknown', { type: last.type }) : '')}
                  </span>
                  {c.unread_count > 0 && (
                    <span class="badge conv-unread">
                      {c.unread_count}
                      <span class="visually-hidden"> {t('inbox.unread')}</span>
                    </span>
                  )}
                </span>
                <span class="conv-row conv-owner">
                  {c.assignee?.name ? t('inbox.ownedBy', { name: c.assignee.name }) : t('inbox.noOwner')}
                  {c.status !== 'open' && ` · ${t(`inbox.convStatus.${c.status}`)}`}
                </span>
                {(sla || typist) && (
                  <span class="conv-row conv-live">
                    {typist ? <span class="conv-typing">{t('inbox.typingShort')}</span> : <span />}
                    {sla && (
                      <span class={`badge conv-sla conv-sla-${sla.level}`}>
                        {t(sla.level === 'breached' ? 'inbox.slaBreachedBadge' : 'inbox.slaWarningBadge')}
                      </span>
                    )}
                  </span>
                )}
              </button>
              {c.labels.length > 0 && (
                <span class="conv-labels">
                  {c.labels.map((l) => (
                    <button
                      key={l.id}
                      type="button"
                      class="chip"
                      style={{ borderColor: l.color }}
                      aria-label={t('inbox.labelFilterBy', { name: l.name })}
                      onClick={() => (label.value = l)}
                    >
                      <span class="chip-dot" style={{ background: l.color }} aria-hidden="true" />
                      {l.name}
                    </button>
                  ))}
                </span>
              )}
            </li>
          );
        })}
      </ul>
      {next.value && (
        <button type="button" class="btn btn-quiet" onClick={() => void more()}>
          {t('inbox.more')}
        </button>
      )}
    </section>
  );
}

// The owner's "Balasan otomatis": keyword rules laris-worker answers customers with (a message
// holding a keyword gets the rule's reply). Listed with their keywords and state; each can be
// changed in place or deleted after a confirmation; a form below adds one.
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { api, isApiError } from '../api/client';
import type { AutoReply } from '../api/types';
import { problemMessage } from '../forms/validate';
import { t, type Msg } from '../i18n';
import { ConfirmButton } from '../ui/ConfirmButton';
import { FormError, Notice } from '../ui/Messages';
import { AutoRepliesForm } from './AutoRepliesForm';

function AutoRepliesRow(props: { rule: AutoReply; onSaved: (r: AutoReply) => void; onRemoved: (r: AutoReply) => void }) {
  const r = props.rule;
  const editing = useSignal(false);
  const busy = useSignal(false);
  const error = useSignal<Msg | null>(null);
  const name = r.keywords[0] ?? '';

  async function remove() {
    busy.value = true;
    error.value = null;
    try {
      await api.deleteAutoReply(r.id);
      props.onRemoved(r);
    } catch (e) {
      if (!isApiError(e)) throw e;
      if (e.status !== 401) error.value = problemMessage(e);
    } finally {
      busy.value = false;
    }
  }

  if (editing.value) {
    return (
      <li class="auto-reply">
        <AutoRepliesForm
          rule={r}
          onSaved={(saved) => {
            editing.value = false;
            props.onSaved(saved);
          }}
          onCancel={() => (editing.value = false)}
        />
      </li>
    );
  }
  return (
    <li class="auto-reply">
      <div class="auto-reply-head">
        <ul class="keyword-list" aria-label={t('autoReply.keywords')}>
          {r.keywords.map((k) => (
            <li key={k} class="chip">
              {k}
            </li>
          ))}
        </ul>
        <span class={r.active ? 'badge badge-on' : 'badge badge-inactive'}>
          {r.active ? t('autoReply.on') : t('autoReply.off')}
        </span>
      </div>
      <p class="muted-text">{t(`autoReply.match.${r.match}`)}</p>
      <p class="auto-reply-text">{r.reply_text}</p>
      <FormError msg={error.value} />
      <div class="actions">
        <button
          type="button"
          class="btn btn-quiet btn-small"
          aria-label={t('autoReply.editNamed', { name })}
          onClick={() => (editing.value = true)}
        >
          {t('autoReply.edit')}
        </button>
        <ConfirmButton
          label={t('autoReply.delete')}
          ariaLabel={t('autoReply.deleteNamed', { name })}
          question={t('autoReply.deleteQuestion', { name })}
          yes={t('autoReply.deleteYes')}
          busy={busy.value}
          onConfirm={remove}
        />
      </div>
    </li>
  );
}

export function AutoRepliesSection() {
  const items = useSignal<AutoReply[]>([]);
  const cursor = useSignal<string | null>(null);
  const loading = useSignal(true);
  const loadError = useSignal<Msg | null>(null);
  const notice = useSignal<Msg | null>(null);

  async function load(more: boolean) {
    loading.value = true;
    loadError.value = null;
    try {
      const page = await api.listAutoReplies(more ? cursor.value : null);
      items.value = more ? [...items.value, ...page.items] : page.items;
      cursor.value = page.next_cursor;
    } catch (e) {
      if (isApiError(e)) loadError.value = problemMessage(e);
      else throw e;
    } finally {
      loading.value = false;
    }
  }

  useEffect(() => {
    void load(false);
  }, []);

  return (
    <section class="auto-replies" aria-labelledby="auto-replies-title">
      <h2 id="auto-replies-title">{t('autoReply.title')}</h2>
      <p class="muted-text measure">{t('autoReply.intro')}</p>
      <Notice msg={notice.value} />
      <div class="columns">
        <section class="card" aria-labelledby="auto-replies-list">
          <h3 id="auto-replies-list">{t('autoReply.list')}</h3>
          {loading.value && items.value.length === 0 && (
            <p class="muted-text" role="status">
              {t('app.loading')}
            </p>
          )}
          <FormError msg={loadError.value} />
          {!loading.value && !loadError.value && items.value.length === 0 && (
            <p class="muted-text">{t('autoReply.none')}</p>
          )}
          <ul class="auto-reply-list">
            {items.value.map((r) => (
              <AutoRepliesRow
                key={r.id}
                rule={r}
                onSaved={(s) => {
                  items.value = items.value.map((x) => (x.id === s.id ? s : x));
                  notice.value = { key: 'autoReply.saved' };
                }}
                onRemoved={(gone) => {
                  items.value = items.value.filter((x) => x.id !== gone.id);
                  notice.value = { key: 'autoReply.deleted' };
                }}
              />
            ))}
          </ul>
          {cursor.value && (
            <button type="button" class="btn btn-quiet" disabled={loading.value} onClick={() => load(true)}>
              {loading.value ? t('app.loading') : t('common.loadMore')}
            </button>
          )}
        </section>
        <section class="card" aria-labelledby="auto-replies-new">
          <h3 id="auto-replies-new">{t('autoReply.new')}</h3>
          <AutoRepliesForm
            onSaved={(r) => {
              items.value = [...items.value, r];
              notice.value = { key: 'autoReply.created' };
            }}
          />
        </section>
      </div>
    </section>
  );
}

import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { api, isApiError } from '../api/client';
import type { Template } from '../api/types';
import { problemMessage } from '../forms/validate';
import { t, type Msg } from '../i18n';
import { ConfirmButton } from '../ui/ConfirmButton';
import { FormError, Notice } from '../ui/Messages';
import { TemplatesForm } from './TemplatesForm';
import { componentText } from './templateVars';

const KNOWN_STATUSES = ['APPROVED', 'PENDING', 'REJECTED', 'PAUSED', 'DISABLED'];

// A status in words, coloured: approved green, in review amber, refused or stopped red.
export function TemplateStatus({ status }: { status: string }) {
  const known = KNOWN_STATUSES.includes(status);
  const tone = status === 'APPROVED' ? 'ok' : status === 'PENDING' ? 'wait' : 'stop';
  return (
    <span class={`badge badge-tpl-${tone}`}>
      {known ? t(`tpl.status.${status as 'APPROVED'}`) : t('tpl.status.other', { status })}
    </span>
  );
}

// The owner's WhatsApp message templates: the list with Meta's review status and a delete
// (at WhatsApp, after a confirmation), a sync from WhatsApp, and a form to create one.
export function TemplatesSection() {
  const items = useSignal<Template[]>([]);
  const cursor = useSignal<string | null>(null);
  const loading = useSignal(true);
  const syncing = useSignal(false);
  const error = useSignal<Msg | null>(null);
  const notice = useSignal<Msg | null>(null);
  const deleting = useSignal<number | null>(null);

  async function load(more: boolean) {
    loading.value = true;
    error.value = null;
    try {
      const page = await api.listTemplates({ cursor: more ? cursor.value : null, limit: 100 });
      items.value = more ? [...items.value, ...page.items] : page.items;
      cursor.value = page.next_cursor;
    } catch (e) {
      if (!isApiError(e)) throw e;
      error.value = problemMessage(e);
    } finally {
      loading.value = false;
    }
  }

  async function sync() {
    syncing.value = true;
    error.value = null;
    notice.value = null;
    try {
      const r = await api.syncTemplates();
      notice.value = { key: 'tpl.synced', params: { n: r.synced } };
      await load(false);
    } catch (e) {
      if (!isApiError(e)) throw e;
      error.value = problemMessage(e);
    } finally {
      syncing.value = false;
    }
  }

  // WhatsApp deletes every language of a name, and so does Laris: every row of it goes.
  async function remove(tpl: Template) {
    deleting.value = tpl.id;
    error.value = null;
    notice.value = null;
    try {
      await api.deleteTemplate(tpl.id);
      items.value = items.value.filter((x) => x.name !== tpl.name || x.waba_id !== tpl.waba_id);
      notice.value = { key: 'tpl.deleted', params: { name: tpl.name } };
    } catch (e) {
      if (!isApiError(e)) throw e;
      error.value = problemMessage(e);
    } finally {
      deleting.value = null;
    }
  }

  useEffect(() => {
    void load(false);
  }, []);

  return (
    <section class="templates" aria-labelledby="templates-title">
      <h2 id="templates-title">{t('tpl.title')}</h2>
      <p class="muted-text measure">{t('tpl.intro')}</p>
      <Notice msg={notice.value} />
      <div class="columns">
        <section class="card" aria-labelledby="templates-list">
          <div class="tpl-list-head">
            <h3 id="templates-list">{t('tpl.list')}</h3>
            <button type="button" class="btn btn-quiet btn-small" disabled={syncing.value} onClick={() => void sync()}>
              {syncing.value ? t('tpl.syncing') : t('tpl.sync')}
            </button>
          </div>
          <FormError msg={error.value} />
          {loading.value && items.value.length === 0 && (
            <p class="muted-text" role="status">
              {t('app.loading')}
            </p>
          )}
          {!loading.value && !error.value && items.value.length === 0 && <p class="muted-text">{t('tpl.none')}</p>}
          <ul class="tpl-list">
            {items.value.map((tpl) => (
              <li key={tpl.id} class="tpl-item">
                <div class="tpl-item-head">
                  <span class="tpl-name">{tpl.name}</span>
                  <TemplateStatus status={tpl.status} />
                </div>
                <p class="tpl-meta">
                  {tpl.language} · {t(`tpl.category.${tpl.category}`)}
                </p>
                <p class="tpl-body">{componentText(tpl, 'BODY')}</p>
                {tpl.rejection_reason && <p class="field-error">{t('tpl.reason', { reason: tpl.rejection_reason })}</p>}
                <ConfirmButton
                  label={t('tpl.delete')}
                  ariaLabel={t('tpl.deleteLabel', { name: `${tpl.name} (${tpl.language})` })}
                  question={t('tpl.confirmDelete', { name: tpl.name })}
                  yes={t('tpl.confirmYes')}
                  busy={deleting.value === tpl.id}
                  onConfirm={() => remove(tpl)}
                />
              </li>
            ))}
          </ul>
          {cursor.value && (
            <button type="button" class="btn btn-quiet" disabled={loading.value} onClick={() => void load(true)}>
              {loading.value ? t('app.loading') : t('common.loadMore')}
            </button>
          )}
        </section>
        <section class="card" aria-labelledby="templates-new">
          <h3 id="templates-new">{t('tpl.new')}</h3>
          <TemplatesForm
            onCreated={(tpl) => {
              items.value = [...items.value.filter((x) => x.id !== tpl.id), tpl];
              notice.value = { key: 'tpl.created', params: { name: tpl.name } };
            }}
          />
        </section>
      </div>
    </section>
  );
}

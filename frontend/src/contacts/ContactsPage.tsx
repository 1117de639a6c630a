// The customer book: contacts newest first with search (name or number in any form) and a lead
// status filter, adding a customer by number, and one customer's card (?id=<contact id>, so the
// phone's back button returns to the list).
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { api, isApiError } from '../api/client';
import { LEAD_STATUSES, type Contact } from '../api/types';
import { location, navigate } from '../app/router';
import { problemMessage } from '../forms/validate';
import { contactPhone, contactTitle } from '../inbox/timeline';
import { t, type Msg } from '../i18n';
import { FormError, Notice } from '../ui/Messages';
import { PageHeading } from '../ui/Page';
import { ContactCard } from './ContactCard';
import { LabelChips } from './LabelPicker';

function AddContact({ onAdded }: { onAdded: (id: number) => void }) {
  const phone = useSignal('');
  const name = useSignal('');
  const busy = useSignal(false);
  const error = useSignal<Msg | null>(null);
  async function submit(e: Event) {
    e.preventDefault();
    busy.value = true;
    error.value = null;
    try {
      const c = await api.createContact({ phone: phone.value, name: name.value.trim() || null });
      phone.value = '';
      name.value = '';
      onAdded(c.id);
    } catch (err) {
      if (!isApiError(err)) throw err;
      if (err.status === 409) error.value = { key: 'contacts.exists' };
      else if (err.status !== 401) error.value = problemMessage(err);
    } finally {
      busy.value = false;
    }
  }
  return (
    <details class="card">
      <summary class="legend-title">{t('contacts.add')}</summary>
      <form class="stack" onSubmit={(e) => void submit(e)} noValidate>
        <label class="field">
          {t('contacts.phone')}
          <input
            type="tel"
            required
            placeholder={t('field.phoneHint')}
            value={phone.value}
            onInput={(e) => (phone.value = e.currentTarget.value)}
          />
        </label>
        <label class="field">
          {t('contacts.name')} <span class="optional">({t('common.optional')})</span>
          <input value={name.value} maxLength={200} onInput={(e) => (name.value = e.currentTarget.value)} />
        </label>
        <FormError msg={error.value} />
        <button type="submit" class="btn btn-primary" disabled={busy.value}>
          {t('contacts.add')}
        </button>
      </form>
    </details>
  );
}

function ContactList() {
  const items = useSignal<Contact[]>([]);
  const cursor = useSignal<string | null>(null);
  const q = useSignal('');
  const applied = useSignal('');
  const lead = useSignal('');
  const loading = useSignal(true);
  const error = useSignal<Msg | null>(null);

  async function load(more: boolean) {
    loading.value = true;
    error.value = null;
    try {
      const page = await api.listContacts({
        q: applied.value || undefined,
        lead_status: lead.value || undefined,
        cursor: more ? cursor.value : undefined,
      });
      items.value = more ? [...items.value, ...page.items] : page.items;
      cursor.value = page.next_cursor;
    } catch (e) {
      if (!isApiError(e)) throw e;
      if (e.status === 422) error.value = { key: 'contacts.searchShort' };
      else if (e.status !== 401) error.value = problemMessage(e);
    } finally {
      loading.value = false;
    }
  }

  useEffect(() => {
    void load(false);
  }, [applied.value, lead.value]);

  return (
    <div class="stack">
      <AddContact onAdded={(id) => navigate(`/contacts?id=${id}`)} />
      <form
        class="inbox-filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          applied.value = q.value.trim();
        }}
      >
        <label class="field">
          {t('contacts.search')}
          <input
            type="search"
            placeholder={t('contacts.searchPlaceholder')}
            value={q.value}
            onInput={(e) => (q.value = e.currentTarget.value)}
          />
        </label>
        <label class="field">
          {t('contacts.leadStatus')}
          <select value={lead.value} onChange={(e) => (lead.value = e.currentTarget.value)}>
            <option value="">{t('contacts.leadAny')}</option>
            {LEAD_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`contacts.lead.${s}`)}
              </option>
            ))}
            <option value="none">{t('contacts.lead.none')}</option>
          </select>
        </label>
      </form>
      <FormError msg={error.value} />
      {!loading.value && items.value.length === 0 && !error.value && <p class="muted-text">{t('contacts.empty')}</p>}
      <ul class="contact-list">
        {items.value.map((c) => (
          <li key={c.id} class="contact-item">
            <a
              href={`/contacts?id=${c.id}`}
              onClick={(e) => {
                e.preventDefault();
                navigate(`/contacts?id=${c.id}`);
              }}
            >
              <span class="conv-name">{contactTitle(c)}</span>
              <span class="conv-phone">{contactPhone(c)}</span>
            </a>
            {c.lead_status && <span class={`badge badge-lead-${c.lead_status}`}>{t(`contacts.lead.${c.lead_status}`)}</span>}
            {c.labels.length > 0 && <LabelChips labels={c.labels} />}
          </li>
        ))}
      </ul>
      {cursor.value && (
        <button type="button" class="btn btn-quiet" disabled={loading.value} onClick={() => void load(true)}>
          {t('contacts.more')}
        </button>
      )}
    </div>
  );
}

export function ContactsPage() {
  const raw = Number(location.value.search.get('id'));
  const open = Number.isInteger(raw) && raw > 0 ? raw : null;
  const notice = useSignal<Msg | null>(null);
  return (
    <section class="page">
      <PageHeading title={t('nav.contacts')} />
      <Notice msg={notice.value} />
      {open ? (
        <div class="stack">
          <button type="button" class="btn btn-quiet btn-small" onClick={() => navigate('/contacts')}>
            <span aria-hidden="true">← </span>
            {t('contacts.back')}
          </button>
          <ContactCard
            key={open}
            contactId={open}
            full
            onDeleted={() => {
              notice.value = { key: 'contacts.deleted' };
              navigate('/contacts');
            }}
          />
        </div>
      ) : (
        <>
          <p class="muted-text">{t('contacts.intro')}</p>
          <ContactList />
        </>
      )}
    </section>
  );
}

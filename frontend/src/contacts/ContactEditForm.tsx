// The shop's details of a customer: display name, city, birthday, note, and recording that the
// customer wants no promotions (only the customer opts back in, on WhatsApp).
import { useSignal } from '@preact/signals';
import { api, isApiError } from '../api/client';
import type { ContactDetail, ContactUpdate } from '../api/types';
import { problemMessage } from '../forms/validate';
import { t, type Msg } from '../i18n';
import { FormError } from '../ui/Messages';

export function ContactEditForm(props: { contact: ContactDetail; onSaved: (c: ContactDetail) => void }) {
  const c = props.contact;
  const name = useSignal(c.name ?? '');
  const city = useSignal(c.city ?? '');
  const birthday = useSignal(c.birthday ?? '');
  const note = useSignal(c.note ?? '');
  const optOut = useSignal(false);
  const busy = useSignal(false);
  const error = useSignal<Msg | null>(null);

  async function submit(e: Event) {
    e.preventDefault();
    busy.value = true;
    error.value = null;
    const body: ContactUpdate = {
      name: name.value.trim() || null,
      city: city.value.trim() || null,
      birthday: birthday.value || null,
      note: note.value.trim() || null,
    };
    if (optOut.value) body.marketing_opt_out = true;
    try {
      props.onSaved(await api.updateContact(c.id, body));
      optOut.value = false;
    } catch (err) {
      if (!isApiError(err)) throw err;
      if (err.status !== 401) error.value = problemMessage(err);
    } finally {
      busy.value = false;
    }
  }

  return (
    <form class="card stack" onSubmit={(e) => void submit(e)} noValidate>
      <h3>{t('contacts.edit')}</h3>
      <label class="field">
        {t('contacts.name')}
        <input value={name.value} maxLength={200} onInput={(e) => (name.value = e.currentTarget.value)} />
      </label>
      <label class="field">
        {t('contacts.city')}
        <input value={city.value} maxLength={100} onInput={(e) => (city.value = e.currentTarget.value)} />
      </label>
      <label class="field">
        {t('contacts.birthday')}
        <input
          type="date"
          min="1900-01-01"
          max="2100-12-31"
          value={birthday.value}
          onInput={(e) => (birthday.value = e.currentTarget.value)}
        />
      </label>
      <label class="field">
        {t('contacts.note')}
        <textarea rows={3} maxLength={2000} value={note.value} onInput={(e) => (note.value = e.currentTarget.value)} />
      </label>
      {!c.marketing_opt_out && (
        <label class="check-field">
          <input type="checkbox" checked={optOut.value} onChange={(e) => (optOut.value = e.currentTarget.checked)} />
          {t('contacts.optOut')}
        </label>
      )}
      <FormError msg={error.value} />
      <button type="submit" class="btn btn-primary" disabled={busy.value}>
        {busy.value ? t('common.saving') : t('common.save')}
      </button>
    </form>
  );
}

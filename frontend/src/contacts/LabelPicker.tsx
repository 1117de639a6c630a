// A contact's labels as chips, and the tenant's labels as checkboxes to change them (through
// PUT /contacts/{id}/labels, the whole set at once).
import { useSignal } from '@preact/signals';
import { api, isApiError } from '../api/client';
import type { Label, LabelRef } from '../api/types';
import { problemMessage } from '../forms/validate';
import { t, type Msg } from '../i18n';
import { FormError } from '../ui/Messages';

export function LabelChips({ labels }: { labels: LabelRef[] }) {
  if (labels.length === 0) return <p class="muted-text">{t('contacts.noLabels')}</p>;
  return (
    <ul class="conv-labels" aria-label={t('contacts.labels')}>
      {labels.map((l) => (
        <li key={l.id} class="chip">
          <span class="chip-dot" style={{ background: l.color }} aria-hidden="true" />
          {l.name}
        </li>
      ))}
    </ul>
  );
}

export function LabelPicker(props: { contactId: number; labels: LabelRef[]; onChanged: (labels: LabelRef[]) => void }) {
  const all = useSignal<Label[] | null>(null);
  const busy = useSignal(false);
  const error = useSignal<Msg | null>(null);

  async function open(e: Event) {
    if (!(e.currentTarget as HTMLDetailsElement).open || all.value) return;
    try {
      all.value = (await api.listLabels()).items;
    } catch (err) {
      if (!isApiError(err)) throw err;
      if (err.status !== 401) error.value = problemMessage(err);
    }
  }

  async function toggle(id: number, on: boolean) {
    const ids = new Set(props.labels.map((l) => l.id));
    if (on) ids.add(id);
    else ids.delete(id);
    busy.value = true;
    error.value = null;
    try {
      const r = await api.setContactLabels(props.contactId, { label_ids: [...ids] });
      props.onChanged(r.labels);
    } catch (err) {
      if (!isApiError(err)) throw err;
      if (err.status !== 401) error.value = problemMessage(err);
    } finally {
      busy.value = false;
    }
  }

  const mine = new Set(props.labels.map((l) => l.id));
  return (
    <div class="stack">
      <LabelChips labels={props.labels} />
      <details class="label-picker" onToggle={(e) => void open(e)}>
        <summary class="btn btn-quiet btn-small">{t('contacts.editLabels')}</summary>
        {all.value === null && !error.value && <p class="muted-text">{t('app.loading')}</p>}
        {all.value?.length === 0 && <p class="muted-text">{t('contacts.noTenantLabels')}</p>}
        {all.value && all.value.length > 0 && (
          <fieldset class="label-options">
            <legend class="visually-hidden">{t('contacts.labels')}</legend>
            {all.value.map((l) => (
              <label key={l.id} class="label-option">
                <input
                  type="checkbox"
                  checked={mine.has(l.id)}
                  disabled={busy.value}
                  onChange={(e) => void toggle(l.id, e.currentTarget.checked)}
                />
                <span class="chip-dot" style={{ background: l.color }} aria-hidden="true" />
                {l.name}
              </label>
            ))}
          </fieldset>
        )}
        <FormError msg={error.value} />
      </details>
    </div>
  );
}

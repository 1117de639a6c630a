import { useSignal } from '@preact/signals';
import { useId } from 'preact/hooks';
import { api, isApiError } from '../api/client';
import type { Template } from '../api/types';
import { problemMessage } from '../forms/validate';
import { t, type Msg } from '../i18n';
import { FormError } from '../ui/Messages';
import { createRequest, fillText, textVars, type TemplateDraft } from './templateVars';

const LANGUAGES = ['id', 'en', 'en_US'] as const;
const CATEGORIES = ['MARKETING', 'UTILITY'] as const;
const EMPTY: TemplateDraft = { name: '', language: 'id', category: 'MARKETING', body: '', footer: '', examples: {} };

// Creating a template: name, language, category, the text with its variables, an example of
// each (Meta reviews with them) and a preview of the message as a customer would see it.
export function TemplatesForm({ onCreated }: { onCreated: (tpl: Template) => void }) {
  const draft = useSignal<TemplateDraft>(EMPTY);
  const saving = useSignal(false);
  const error = useSignal<Msg | null>(null);
  const uid = useId();
  const d = draft.value;
  const vars = textVars(d.body);
  const nameOk = d.name.trim() === '' || /^[a-z0-9_]{1,512}$/.test(d.name.trim());
  const set = (patch: Partial<TemplateDraft>) => (draft.value = { ...draft.value, ...patch });

  async function submit(e: Event) {
    e.preventDefault();
    if (!nameOk || vars.error || !d.name.trim() || !d.body.trim()) return;
    if (vars.names.some((n) => !(d.examples[n] ?? '').trim())) {
      error.value = { key: 'tpl.fillAll' };
      return;
    }
    saving.value = true;
    error.value = null;
    try {
      const tpl = await api.createTemplate(createRequest(d));
      draft.value = EMPTY;
      onCreated(tpl);
    } catch (err) {
      if (!isApiError(err)) throw err;
      const field = err.fields[0];
      error.value = field ? { key: 'tpl.refused', params: { detail: `${field.field}: ${field.message}` } } : problemMessage(err);
    } finally {
      saving.value = false;
    }
  }

  return (
    <form onSubmit={(e) => void submit(e)} noValidate class="tpl-form">
      <FormError msg={error.value} />
      <div class={nameOk ? 'field' : 'field has-error'}>
        <label for={`${uid}-name`}>{t('tpl.name')}</label>
        <input
          id={`${uid}-name`}
          value={d.name}
          required
          maxLength={512}
          autoComplete="off"
          spellcheck={false}
          aria-invalid={!nameOk}
          aria-describedby={`${uid}-name-hint`}
          onInput={(e) => set({ name: e.currentTarget.value })}
        />
        <p class={nameOk ? 'hint' : 'field-error'} id={`${uid}-name-hint`}>
          {nameOk ? t('tpl.nameHint') : t('tpl.nameBad')}
        </p>
      </div>
      <div class="field">
        <label for={`${uid}-lang`}>{t('tpl.language')}</label>
        <select id={`${uid}-lang`} value={d.language} onChange={(e) => set({ language: e.currentTarget.value })}>
          {LANGUAGES.map((l) => (
            <option key={l} value={l}>
              {t(`tpl.lang.${l}`)}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for={`${uid}-cat`}>{t('tpl.categoryLabel')}</label>
        <select
          id={`${uid}-cat`}
          value={d.category}
          onChange={(e) => set({ category: e.currentTarget.value as TemplateDraft['category'] })}
        >
          {CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {t(`tpl.category.${c}`)}
            </option>
          ))}
        </select>
      </div>
      <div class={vars.error ? 'field has-error' : 'field'}>
        <label for={`${uid}-body`}>{t('tpl.body')}</label>
        <textarea
          id={`${uid}-body`}
          rows={4}
          maxLength={1024}
          required
          value={d.body}
          aria-invalid={vars.error !== null}
          aria-describedby={`${uid}-body-hint`}
          onInput={(e) => set({ body: e.currentTarget.value })}
        />
        <p class={vars.error ? 'field-error' : 'hint'} id={`${uid}-body-hint`}>
          {vars.error ? t('tpl.varsBad') : t('tpl.bodyHint')}
        </p>
      </div>
      {!vars.error && vars.names.length > 0 && (
        <fieldset class="tpl-examples">
          <legend>{t('tpl.examplesHint')}</legend>
          {vars.names.map((n) => (
            <div class="field" key={n}>
              <label for={`${uid}-ex-${n}`}>{t('tpl.example', { var: `{{${n}}}` })}</label>
              <input
                id={`${uid}-ex-${n}`}
                value={d.examples[n] ?? ''}
                maxLength={200}
                onInput={(e) => set({ examples: { ...draft.value.examples, [n]: e.currentTarget.value } })}
              />
            </div>
          ))}
        </fieldset>
      )}
      <div class="field">
        <label for={`${uid}-footer`}>
          {t('tpl.footer')}
          <span class="optional"> ({t('common.optional')})</span>
        </label>
        <input id={`${uid}-footer`} value={d.footer} maxLength={60} onInput={(e) => set({ footer: e.currentTarget.value })} />
      </div>
      {d.body.trim() && (
        <div class="tpl-preview" aria-live="polite">
          <p class="tpl-preview-label">{t('tpl.preview')}</p>
          <p class="tpl-preview-text">{fillText(d.body, d.examples)}</p>
          {d.footer.trim() && <p class="tpl-preview-footer">{d.footer.trim()}</p>}
        </div>
      )}
      <button type="submit" class="btn btn-primary" disabled={saving.value}>
        {saving.value ? t('tpl.creating') : t('tpl.create')}
      </button>
    </form>
  );
}

import { useSignal } from '@preact/signals';
import { useEffect, useId } from 'preact/hooks';
import { api, isApiError } from '../api/client';
import type { Template, TypeObject } from '../api/types';
import { problemMessage } from '../forms/validate';
import { t, type Msg } from '../i18n';
import { FormError } from '../ui/Messages';
import { componentText, fillText, prefill, urlButtons } from '../settings/templateVars';

interface Props {
  contactName: string | null;
  disabled: boolean;
  sending: boolean;
  onSend: (template: TypeObject) => void;
}

// The composer's template picker, for when WhatsApp allows only templates (the customer last
// wrote more than 24 hours ago): an approved template, its variables (a name variable filled with
// the customer's name), the end of each link button's URL that ends in a variable, a preview,
// and the reply route's {name, language, params, header_params?, url_params?} to send.
export function TemplatePicker({ contactName, disabled, sending, onSend }: Props) {
  const templates = useSignal<Template[] | null>(null);
  const chosenId = useSignal<number | null>(null);
  const values = useSignal<Record<string, string>>({});
  const urlValues = useSignal<Record<number, string>>({});
  const error = useSignal<Msg | null>(null);
  const uid = useId();

  useEffect(() => {
    api
      .listTemplates({ status: 'APPROVED', limit: 200 })
      .then((page) => (templates.value = page.items))
      .catch((e: unknown) => {
        if (!isApiError(e)) throw e;
        templates.value = [];
        error.value = problemMessage(e);
      });
  }, []);

  const chosen = templates.value?.find((x) => x.id === chosenId.value) ?? null;

  function choose(id: number | null) {
    chosenId.value = id;
    error.value = null;
    const tpl = templates.value?.find((x) => x.id === id);
    const next: Record<string, string> = {};
    for (const n of [...(tpl?.header_params ?? []), ...(tpl?.body_params ?? [])]) next[n] = prefill(n, contactName);
    values.value = next;
    urlValues.value = {};
  }

  function send() {
    if (!chosen) return;
    const v = values.value;
    const links = urlButtons(chosen).map((b) => ({ index: b.index, text: (urlValues.value[b.index] ?? '').trim() }));
    const missing =
      [...chosen.header_params, ...chosen.body_params].some((n) => !(v[n] ?? '').trim()) ||
      links.some((l) => !l.text);
    if (missing) {
      error.value = { key: 'tpl.fillAll' };
      return;
    }
    if (links.some((l) => /\s/.test(l.text))) {
      error.value = { key: 'tpl.urlNoSpaces' };
      return;
    }
    error.value = null;
    const named = chosen.parameter_format === 'NAMED';
    const pick = (names: string[]) =>
      named ? Object.fromEntries(names.map((n) => [n, (v[n] ?? '').trim()])) : names.map((n) => (v[n] ?? '').trim());
    const template: TypeObject = { name: chosen.name, language: chosen.language, params: pick(chosen.body_params) };
    if (chosen.header_params.length > 0) template.header_params = pick(chosen.header_params);
    if (links.length > 0) template.url_params = links;
    onSend(template);
  }

  if (templates.value === null) {
    return (
      <p class="muted-text" role="status">
        {t('app.loading')}
      </p>
    );
  }
  const header = chosen ? componentText(chosen, 'HEADER') : '';
  const footer = chosen ? componentText(chosen, 'FOOTER') : '';
  return (
    <section class="tpl-picker" aria-labelledby={`${uid}-title`}>
      <h3 id={`${uid}-title`} class="tpl-picker-title">
        {t('tpl.pick')}
      </h3>
      <FormError msg={error.value} />
      {templates.value.length === 0 && !error.value && <p class="muted-text">{t('tpl.noneApproved')}</p>}
      {templates.value.length > 0 && (
        <div class="field">
          <label for={`${uid}-tpl`}>{t('tpl.pickLabel')}</label>
          <select
            id={`${uid}-tpl`}
            value={chosenId.value ?? ''}
            disabled={disabled}
            onChange={(e) => choose(e.currentTarget.value ? Number(e.currentTarget.value) : null)}
          >
            <option value="">{t('tpl.pickNone')}</option>
            {templates.value.map((x) => (
              <option key={x.id} value={x.id}>
                {x.name} ({x.language})
              </option>
            ))}
          </select>
        </div>
      )}
      {chosen &&
        [...chosen.header_params, ...chosen.body_params].map((n, i) => (
          <div class="field" key={`${i}-${n}`}>
            <label for={`${uid}-v-${i}`}>{t('tpl.var', { var: `{{${n}}}` })}</label>
            <input
              id={`${uid}-v-${i}`}
              value={values.value[n] ?? ''}
              maxLength={1024}
              disabled={disabled}
              onInput={(e) => {
                values.value = { ...values.value, [n]: e.currentTarget.value };
                error.value = null;
              }}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  e.preventDefault();
                  send();
                }
              }}
            />
          </div>
        ))}
      {chosen &&
        urlButtons(chosen).map((b) => (
          <div class="field" key={`url-${b.index}`}>
            <label for={`${uid}-u-${b.index}`}>{t('tpl.urlVar', { button: b.text })}</label>
            <input
              id={`${uid}-u-${b.index}`}
              value={urlValues.value[b.index] ?? ''}
              maxLength={2000}
              disabled={disabled}
              aria-describedby={`${uid}-u-${b.index}-hint`}
              onInput={(e) => {
                urlValues.value = { ...urlValues.value, [b.index]: e.currentTarget.value };
                error.value = null;
              }}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  e.preventDefault();
                  send();
                }
              }}
            />
            <p class="hint" id={`${uid}-u-${b.index}-hint`}>
              {t('tpl.urlVarHint', { url: b.url })}
            </p>
          </div>
        ))}
      {chosen && (
        <div class="tpl-preview" aria-live="polite">
          <p class="tpl-preview-label">{t('tpl.preview')}</p>
          {header && <p class="tpl-preview-header">{fillText(header, values.value)}</p>}
          <p class="tpl-preview-text">{fillText(componentText(chosen, 'BODY'), values.value)}</p>
          {footer && <p class="tpl-preview-footer">{footer}</p>}
          {urlButtons(chosen).map((b) => (
            <p class="tpl-preview-link" key={`link-${b.index}`}>
              {b.text}: {b.url}
              {urlValues.value[b.index]?.trim() || '{{1}}'}
            </p>
          ))}
        </div>
      )}
      {chosen && (
        <button type="button" class="btn btn-primary" disabled={disabled || sending} onClick={send}>
          {sending ? t('inbox.sending') : t('tpl.sendTemplate')}
        </button>
      )}
    </section>
  );
}

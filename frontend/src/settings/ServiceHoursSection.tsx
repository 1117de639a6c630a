// The owner's "Jam operasional": weekly opening windows in the business's time zone, closed
// dates, the greeting and away texts, and the first-response SLA targets, saved together with
// PUT /api/v1/settings/service. The form checks what the server checks first; the server's
// field errors land beside the same fields.
import { useSignal } from '@preact/signals';
import { useEffect, useId, useRef } from 'preact/hooks';
import { api, isApiError, type ApiError } from '../api/client';
import type { ServiceSettings } from '../api/types';
import { fieldMessage, problemMessage } from '../forms/validate';
import { formatDate, formatDateTime } from '../i18n/format';
import { t, tm, type Msg } from '../i18n';
import { FormError, Notice } from '../ui/Messages';
import { CheckField, NumberField, TextAreaField } from './SettingsFields';
import { ServiceHoursWeek } from './ServiceHoursWeek';
import {
  MAX_CLOSED,
  TEXT_MAX,
  checkDraft,
  draftFromApi,
  draftToBody,
  hoursProblem,
  isDate,
  type DraftErrors,
  type ServiceDraft,
} from './serviceHours';

// The short names Indonesians use for their three zones.
const ZONE_NAMES: Record<string, string> = {
  'Asia/Jakarta': 'WIB',
  'Asia/Pontianak': 'WIB',
  'Asia/Makassar': 'WITA',
  'Asia/Jayapura': 'WIT',
};

const SERVER_FIELDS = [
  'greeting_enabled',
  'greeting_text',
  'away_enabled',
  'away_text',
  'sla_first_response_seconds',
  'sla_out_of_hours_seconds',
  'sla_warning_seconds',
  'sla_auto_escalate',
];

// The API's field errors under the form's names; false when one has no place in the form. A text
// the server calls blank or needed ("is needed to turn the greeting on") is a required one.
function serverErrors(err: ApiError): { errors: DraftErrors; placed: boolean } {
  const errors: DraftErrors = {};
  let placed = true;
  for (const fe of err.fields) {
    if (fe.field === 'business_hours' || fe.field === 'closed_dates') errors[fe.field] = hoursProblem(fe.message);
    else if (!SERVER_FIELDS.includes(fe.field)) placed = false;
    else if (/blank|is needed/.test(fe.message)) errors[fe.field] = { key: 'error.required' };
    else errors[fe.field] = fieldMessage(fe.field, fe.message);
  }
  return { errors, placed: placed && Object.keys(errors).length > 0 };
}

function ClosedDates(props: { dates: string[]; error: Msg | undefined; onChange: (dates: string[]) => void }) {
  const id = `closed-${useId()}`;
  const pick = useSignal('');
  const pickError = useSignal<Msg | null>(null);
  const add = () => {
    const d = pick.value;
    if (!isDate(d)) pickError.value = { key: 'hours.badDate' };
    else if (props.dates.includes(d)) pickError.value = { key: 'hours.dateTwice' };
    else if (props.dates.length >= MAX_CLOSED) pickError.value = { key: 'hours.tooManyDates', params: { n: MAX_CLOSED } };
    else {
      props.onChange([...props.dates, d].sort());
      pick.value = '';
      pickError.value = null;
    }
  };
  const error = pickError.value ?? props.error;
  return (
    <div class="closed-dates">
      {props.dates.length === 0 && <p class="muted-text">{t('hours.noClosedDates')}</p>}
      <ul class="closed-list">
        {props.dates.map((d) => (
          <li key={d}>
            <span>{formatDate(`${d}T12:00:00Z`, 'UTC')}</span>
            <button
              type="button"
              class="btn btn-quiet btn-small"
              aria-label={t('hours.removeDate', { date: formatDate(`${d}T12:00:00Z`, 'UTC') })}
              onClick={() => props.onChange(props.dates.filter((x) => x !== d))}
            >
              {t('hours.remove')}
            </button>
          </li>
        ))}
      </ul>
      <div class={error ? 'field has-error' : 'field'}>
        <label for={id}>{t('hours.addDate')}</label>
        <div class="inline-add">
          <input
            id={id}
            type="date"
            name="closed_dates"
            value={pick.value}
            aria-invalid={error ? 'true' : undefined}
            aria-describedby={error ? `${id}-error` : undefined}
            onInput={(e) => {
              pick.value = (e.currentTarget as HTMLInputElement).value;
              pickError.value = null;
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                add();
              }
            }}
          />
          <button type="button" class="btn btn-quiet" onClick={add}>
            {t('hours.addDateButton')}
          </button>
        </div>
        {error && (
          <p class="field-error" id={`${id}-error`}>
            {tm(error)}
          </p>
        )}
      </div>
    </div>
  );
}

export function ServiceHoursSection() {
  const saved = useSignal<ServiceSettings | null>(null);
  const draft = useSignal<ServiceDraft | null>(null);
  const errors = useSignal<DraftErrors>({});
  const formError = useSignal<Msg | null>(null);
  const loadError = useSignal<Msg | null>(null);
  const notice = useSignal<Msg | null>(null);
  const busy = useSignal(false);
  const formRef = useRef<HTMLFormElement>(null);

  useEffect(() => {
    api
      .getServiceSettings()
      .then((s) => {
        saved.value = s;
        draft.value = draftFromApi(s);
      })
      .catch((e: unknown) => {
        if (!isApiError(e)) throw e;
        loadError.value = problemMessage(e);
      });
  }, []);

  // Changes the draft and forgets the errors of what changed (a window's errors by day).
  function update(patch: Partial<ServiceDraft>, ...fields: string[]) {
    if (!draft.value) return;
    draft.value = { ...draft.value, ...patch };
    notice.value = null;
    const next = { ...errors.value };
    for (const key of Object.keys(next)) {
      if (fields.some((f) => key === f || key.startsWith(`${f}.`))) delete next[key];
    }
    errors.value = next;
    if (Object.keys(next).length === 0 && formError.value?.key === 'common.errorSummary') formError.value = null;
  }

  function focusFirstError() {
    requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
  }

  async function submit(e: Event) {
    e.preventDefault();
    const d = draft.value;
    const s = saved.value;
    if (!d || !s || busy.value) return;
    const errs = checkDraft(d);
    errors.value = errs;
    notice.value = null;
    if (Object.keys(errs).length > 0) {
      formError.value = { key: 'common.errorSummary' };
      focusFirstError();
      return;
    }
    formError.value = null;
    busy.value = true;
    try {
      const next = await api.updateServiceSettings(draftToBody(d, s));
      saved.value = next;
      draft.value = draftFromApi(next);
      notice.value = { key: 'hours.saved' };
    } catch (err) {
      if (!isApiError(err)) throw err;
      const r = serverErrors(err);
      errors.value = r.errors;
      formError.value = r.placed ? { key: 'common.errorSummary' } : problemMessage(err);
      focusFirstError();
    } finally {
      busy.value = false;
    }
  }

  const d = draft.value;
  const s = saved.value;
  const errs = errors.value;
  const zone = s ? `${s.timezone}${ZONE_NAMES[s.timezone] ? ` (${ZONE_NAMES[s.timezone]})` : ''}` : '';
  return (
    <section class="service-hours" aria-labelledby="service-hours-title">
      <h2 id="service-hours-title">{t('hours.title')}</h2>
      <p class="muted-text measure">{t('hours.intro')}</p>
      <FormError msg={loadError.value} />
      {!d && !loadError.value && (
        <p class="muted-text" role="status">
          {t('app.loading')}
        </p>
      )}
      {d && s && (
        <form ref={formRef} onSubmit={submit} noValidate>
          <section class="card" aria-labelledby="hours-week-title">
            <h3 id="hours-week-title">{t('hours.weekly')}</h3>
            <p class="hours-zone">{t('hours.zone', { zone })}</p>
            <p class="muted-text">
              {s.open_now ? t('hours.openNow') : t('hours.closedNow')}
              {s.next_change_at !== null &&
                ` · ${t(s.open_now ? 'hours.closesAt' : 'hours.opensAt', {
                  at: formatDateTime(new Date(s.next_change_at * 1000), s.timezone),
                })}`}
            </p>
            <CheckField
              name="always_open"
              label={t('hours.alwaysOpen')}
              hint={t('hours.alwaysOpenHint')}
              checked={d.alwaysOpen}
              onChange={(v) => update({ alwaysOpen: v }, 'w', 'business_hours')}
            />
            {!d.alwaysOpen && (
              <ServiceHoursWeek week={d.week} errors={errs} onChange={(week) => update({ week }, 'w', 'business_hours')} />
            )}
            {errs.business_hours && <p class="field-error">{tm(errs.business_hours)}</p>}
          </section>

          <section class="card" aria-labelledby="hours-closed-title">
            <h3 id="hours-closed-title">{t('hours.closedDates')}</h3>
            <p class="muted-text">{t('hours.closedDatesIntro')}</p>
            <ClosedDates
              dates={d.closed}
              error={errs.closed_dates}
              onChange={(closed) => update({ closed }, 'closed_dates', 'business_hours')}
            />
          </section>

          <section class="card" aria-labelledby="hours-messages-title">
            <h3 id="hours-messages-title">{t('hours.messages')}</h3>
            <CheckField
              name="greeting_enabled"
              label={t('hours.greetingOn')}
              hint={t('hours.greetingHint')}
              checked={d.greetingOn}
              onChange={(v) => update({ greetingOn: v }, 'greeting_text', 'greeting_enabled')}
            />
            <TextAreaField
              name="greeting_text"
              label={t('hours.greetingText')}
              value={d.greeting}
              maxLength={TEXT_MAX}
              error={errs.greeting_text}
              onInput={(v) => update({ greeting: v }, 'greeting_text')}
            />
            <CheckField
              name="away_enabled"
              label={t('hours.awayOn')}
              hint={t('hours.awayHint')}
              checked={d.awayOn}
              onChange={(v) => update({ awayOn: v }, 'away_text', 'away_enabled')}
            />
            <TextAreaField
              name="away_text"
              label={t('hours.awayText')}
              value={d.away}
              maxLength={TEXT_MAX}
              error={errs.away_text}
              onInput={(v) => update({ away: v }, 'away_text')}
            />
          </section>

          <section class="card" aria-labelledby="hours-sla-title">
            <h3 id="hours-sla-title">{t('hours.sla')}</h3>
            <p class="muted-text">{t('hours.slaIntro')}</p>
            <NumberField
              name="sla_first_response_seconds"
              label={t('hours.slaFirst')}
              hint={t('hours.slaFirstHint')}
              value={d.slaMinutes}
              error={errs.sla_first_response_seconds}
              onInput={(v) => update({ slaMinutes: v }, 'sla_first_response_seconds')}
            />
            <NumberField
              name="sla_out_of_hours_seconds"
              label={t('hours.slaOutside')}
              hint={t('hours.slaOutsideHint')}
              optional
              value={d.outOfHoursMinutes}
              error={errs.sla_out_of_hours_seconds}
              onInput={(v) => update({ outOfHoursMinutes: v }, 'sla_out_of_hours_seconds')}
            />
            <NumberField
              name="sla_warning_seconds"
              label={t('hours.slaWarning')}
              hint={t('hours.slaWarningHint')}
              value={d.warningMinutes}
              error={errs.sla_warning_seconds}
              onInput={(v) => update({ warningMinutes: v }, 'sla_warning_seconds')}
            />
            <CheckField
              name="sla_auto_escalate"
              label={t('hours.autoEscalate')}
              hint={t('hours.autoEscalateHint')}
              checked={d.autoEscalate}
              onChange={(v) => update({ autoEscalate: v }, 'sla_auto_escalate')}
            />
          </section>
          <FormError msg={formError.value} />
          <Notice msg={notice.value} />
          <button type="submit" class="btn btn-primary" disabled={busy.value}>
            {busy.value ? t('common.saving') : t('hours.save')}
          </button>
        </form>
      )}
    </section>
  );
}

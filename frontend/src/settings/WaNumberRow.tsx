import { useSignal } from '@preact/signals';
import { api, isApiError } from '../api/client';
import type { WaNumber, WaNumberTest } from '../api/types';
import { useForm } from '../forms/useForm';
import { problemMessage } from '../forms/validate';
import { formatDateTime, formatNumber } from '../i18n/format';
import { locale, t, tm, type Msg } from '../i18n';
import { ConfirmButton } from '../ui/ConfirmButton';
import { TextField } from '../ui/Field';
import { FormError } from '../ui/Messages';
import { secretsUnavailable } from './ConnectNumberForm';
import { editInitial, editSchema, formatWaNumber, testSummary, updateBody } from './waNumbers';

function Stored({ label, stored }: { label: string; stored: boolean }) {
  return (
    <span class={stored ? 'wa-secret wa-secret-stored' : 'wa-secret'}>
      {stored ? t('wa.stored', { what: label }) : t('wa.notStored', { what: label })}
    </span>
  );
}

// One connected number: what is known about it (never its secrets), edit and remove.
export function WaNumberRow(props: {
  number: WaNumber;
  onSaved: (n: WaNumber) => void;
  onRefreshed: (n: WaNumber) => void; // changed by the server (a test), no notice
  onRemoved: (n: WaNumber) => void;
}) {
  const n = props.number;
  const editing = useSignal(false);
  const busy = useSignal(false);
  const error = useSignal<Msg | null>(null);
  const shown = formatWaNumber(n.display_phone_number);
  const title = n.name ?? (shown || n.phone_number_id);

  const testing = useSignal(false);
  const tested = useSignal<WaNumberTest | null>(null);

  // Asks Graph about the number; a refused token comes back as disconnected, so reload it.
  async function test() {
    testing.value = true;
    error.value = null;
    tested.value = null;
    try {
      tested.value = await api.testWaNumber(n.id);
      if (tested.value.ok !== (n.status === 'active')) props.onRefreshed(await api.getWaNumber(n.id));
    } catch (e) {
      if (!isApiError(e)) throw e;
      if (e.status !== 401) error.value = problemMessage(e);
    } finally {
      testing.value = false;
    }
  }

  async function remove() {
    busy.value = true;
    error.value = null;
    try {
      await api.deleteWaNumber(n.id);
      props.onRemoved(n);
    } catch (e) {
      if (!isApiError(e)) throw e;
      if (e.status !== 401) error.value = problemMessage(e);
    } finally {
      busy.value = false;
    }
  }

  return (
    <li class="wa-number">
      <div class="wa-main">
        <span class="wa-name">{title}</span>
        {shown && <span class="wa-display">{shown}</span>}
        <span class={`badge badge-wa-${n.status}`}>{t(`wa.status.${n.status}`)}</span>
        <dl class="wa-facts">
          <dt>{t('wa.phoneNumberId')}</dt>
          <dd>
            <code>{n.phone_number_id}</code>
          </dd>
          <dt>{t('wa.wabaId')}</dt>
          <dd>
            <code>{n.waba_id}</code>
          </dd>
          <dt>{t('wa.throughput')}</dt>
          <dd>{t('wa.perSecond', { n: formatNumber(n.throughput_mps) })}</dd>
          <dt>{t('wa.updatedAt')}</dt>
          <dd>{formatDateTime(n.updated_at)}</dd>
        </dl>
        <span class="wa-secrets">
          <Stored label={t('wa.accessToken')} stored={n.has_access_token} />
          <Stored label={t('wa.appSecret')} stored={n.has_app_secret} />
          <Stored label={t('wa.verifyToken')} stored={n.has_verify_token} />
        </span>
      </div>
      {editing.value ? (
        <EditNumberForm
          number={n}
          onDone={(u) => {
            editing.value = false;
            if (u) props.onSaved(u);
          }}
        />
      ) : (
        <div class="actions wa-actions">
          <button
            type="button"
            class="btn btn-quiet"
            aria-label={t('wa.testLabel', { name: title })}
            disabled={testing.value}
            onClick={test}
          >
            {testing.value ? t('wa.testing') : t('wa.test')}
          </button>
          <button
            type="button"
            class="btn btn-quiet"
            aria-label={t('wa.editLabel', { name: title })}
            onClick={() => (editing.value = true)}
          >
            {t('wa.edit')}
          </button>
          <ConfirmButton
            label={t('wa.remove')}
            ariaLabel={t('wa.removeLabel', { name: title })}
            question={t('wa.confirmRemove', { name: title })}
            yes={t('wa.confirmYes')}
            busy={busy.value}
            onConfirm={remove}
          />
        </div>
      )}
      {tested.value && (
        <p class={tested.value.ok ? 'wa-test wa-test-ok' : 'wa-test wa-test-failed'} role="status">
          {testSummary(tested.value, locale.value)}
        </p>
      )}
      {error.value && (
        <p class="field-error" role="alert">
          {tm(error.value)}
        </p>
      )}
    </li>
  );
}

function EditNumberForm({ number: n, onDone }: { number: WaNumber; onDone: (n: WaNumber | null) => void }) {
  const form = useForm(editInitial(n), editSchema);
  const submit = form.onSubmit(async (v) => {
    const body = updateBody(v, n);
    if (Object.keys(body).length === 0) {
      onDone(null);
      return;
    }
    onDone(await api.updateWaNumber(n.id, body));
  }, secretsUnavailable);
  return (
    <form ref={form.ref} onSubmit={submit} noValidate class="wa-edit">
      <TextField form={form} name="name" label={t('wa.name')} optional autoComplete="off" />
      <TextField
        form={form}
        name="throughput_mps"
        label={t('wa.throughput')}
        hint={t('wa.throughputHint')}
        inputMode="numeric"
        autoComplete="off"
      />
      <TextField
        form={form}
        name="access_token"
        label={t('wa.newAccessToken')}
        hint={t('wa.newAccessTokenHint')}
        optional
        type="password"
        autoComplete="off"
        spellcheck={false}
      />
      <FormError msg={form.formError} />
      <div class="actions">
        <button type="submit" class="btn btn-primary" disabled={form.busy}>
          {form.busy ? t('common.saving') : t('common.save')}
        </button>
        <button type="button" class="btn btn-quiet" onClick={() => onDone(null)}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

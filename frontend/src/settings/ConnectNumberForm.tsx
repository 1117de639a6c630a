import { api, type ApiError } from '../api/client';
import type { WaNumber } from '../api/types';
import { useForm } from '../forms/useForm';
import { t, type Msg } from '../i18n';
import { TextField } from '../ui/Field';
import { FormError } from '../ui/Messages';
import { connectInitial, connectSchema, createBody } from './waNumbers';

// 503 here means the server cannot seal secrets yet (no secrets key): say so plainly.
export function secretsUnavailable(err: ApiError): Msg | null {
  return err.status === 503 ? { key: 'wa.noSecretsKey' } : null;
}

export function ConnectNumberForm({ onConnected }: { onConnected: (n: WaNumber) => void }) {
  const form = useForm(connectInitial, connectSchema);
  const submit = form.onSubmit(async (v) => {
    const n = await api.createWaNumber(createBody(v));
    form.reset();
    onConnected(n);
  }, secretsUnavailable);
  return (
    <form ref={form.ref} onSubmit={submit} noValidate>
      <TextField
        form={form}
        name="display_phone_number"
        label={t('wa.displayNumber')}
        hint={t('wa.displayNumberHint')}
        type="tel"
        inputMode="tel"
        autoComplete="off"
      />
      <TextField
        form={form}
        name="phone_number_id"
        label={t('wa.phoneNumberId')}
        hint={t('wa.phoneNumberIdHint')}
        inputMode="numeric"
        autoComplete="off"
        spellcheck={false}
      />
      <TextField
        form={form}
        name="waba_id"
        label={t('wa.wabaId')}
        hint={t('wa.wabaIdHint')}
        inputMode="numeric"
        autoComplete="off"
        spellcheck={false}
      />
      <TextField
        form={form}
        name="access_token"
        label={t('wa.accessToken')}
        hint={t('wa.accessTokenHint')}
        type="password"
        autoComplete="off"
        spellcheck={false}
      />
      <TextField form={form} name="name" label={t('wa.name')} hint={t('wa.nameHint')} optional autoComplete="off" />
      <TextField
        form={form}
        name="throughput_mps"
        label={t('wa.throughput')}
        hint={t('wa.throughputHint')}
        optional
        inputMode="numeric"
        autoComplete="off"
      />
      <TextField
        form={form}
        name="app_secret"
        label={t('wa.appSecret')}
        hint={t('wa.appSecretHint')}
        optional
        type="password"
        autoComplete="off"
        spellcheck={false}
      />
      <TextField
        form={form}
        name="verify_token"
        label={t('wa.verifyToken')}
        hint={t('wa.verifyTokenHint')}
        optional
        type="password"
        autoComplete="off"
        spellcheck={false}
      />
      <FormError msg={form.formError} />
      <button type="submit" class="btn btn-primary" disabled={form.busy}>
        {form.busy ? t('wa.connecting') : t('wa.connectSubmit')}
      </button>
    </form>
  );
}

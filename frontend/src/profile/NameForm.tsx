import { useSignal } from '@preact/signals';
import { api } from '../api/client';
import { updateUser, user } from '../app/session';
import { rules } from '../forms/validate';
import { useForm } from '../forms/useForm';
import { t, type Msg } from '../i18n';
import { TextField } from '../ui/Field';
import { FormError, Notice } from '../ui/Messages';

export function NameForm() {
  const form = useForm({ name: user.value?.name ?? '' }, { name: [rules.required(), rules.maxLength(100)] });
  const notice = useSignal<Msg | null>(null);
  const submit = form.onSubmit(async (v) => {
    notice.value = null;
    const u = await api.updateMe({ name: v.name.trim() });
    updateUser(u);
    notice.value = { key: 'profile.nameSaved' };
  });
  return (
    <form ref={form.ref} onSubmit={submit} noValidate>
      <TextField form={form} name="name" label={t('field.name')} autoComplete="name" />
      <FormError msg={form.formError} />
      <Notice msg={notice.value} />
      <button type="submit" class="btn btn-primary" disabled={form.busy}>
        {form.busy ? t('common.saving') : t('common.save')}
      </button>
    </form>
  );
}

import { useSignal } from '@preact/signals';
import { api } from '../api/client';
import { rules } from '../forms/validate';
import { useForm } from '../forms/useForm';
import { t, type Msg } from '../i18n';
import { TextField } from '../ui/Field';
import { FormError, Notice } from '../ui/Messages';

// Changing the password ends every other session of this user (the server does it).
export function PasswordForm() {
  const form = useForm(
    { current_password: '', new_password: '', confirm_password: '' },
    {
      current_password: [rules.required()],
      new_password: [rules.required(), rules.minLength(8), rules.maxLength(128)],
      confirm_password: [rules.required(), rules.sameAs('new_password')],
    },
  );
  const notice = useSignal<Msg | null>(null);
  const submit = form.onSubmit(async (v) => {
    notice.value = null;
    await api.changePassword({ current_password: v.current_password, new_password: v.new_password });
    form.reset();
    notice.value = { key: 'profile.passwordChanged' };
  });
  return (
    <form ref={form.ref} onSubmit={submit} noValidate>
      <TextField
        form={form}
        name="current_password"
        label={t('field.currentPassword')}
        type="password"
        autoComplete="current-password"
      />
      <TextField
        form={form}
        name="new_password"
        label={t('field.newPassword')}
        hint={t('field.passwordHint')}
        type="password"
        autoComplete="new-password"
      />
      <TextField
        form={form}
        name="confirm_password"
        label={t('field.confirmPassword')}
        type="password"
        autoComplete="new-password"
      />
      <FormError msg={form.formError} />
      <Notice msg={notice.value} />
      <button type="submit" class="btn btn-primary" disabled={form.busy}>
        {form.busy ? t('common.saving') : t('profile.passwordSubmit')}
      </button>
    </form>
  );
}

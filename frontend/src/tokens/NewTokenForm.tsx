import { api } from '../api/client';
import { ROLES, type Role, type TokenCreated } from '../api/types';
import { rules } from '../forms/validate';
import { useForm } from '../forms/useForm';
import { t } from '../i18n';
import { SelectField, TextField } from '../ui/Field';
import { FormError } from '../ui/Messages';

export function NewTokenForm({ onCreated }: { onCreated: (c: TokenCreated) => void }) {
  const form = useForm(
    { name: '', role: 'supervisor' },
    { name: [rules.required(), rules.maxLength(100)], role: [rules.oneOf(ROLES)] },
  );
  const submit = form.onSubmit(async (v) => {
    const created = await api.createToken({ name: v.name.trim(), role: v.role as Role });
    form.reset();
    onCreated(created);
  });
  return (
    <form ref={form.ref} onSubmit={submit} noValidate>
      <TextField form={form} name="name" label={t('field.tokenName')} hint={t('field.tokenNameHint')} autoComplete="off" />
      <SelectField
        form={form}
        name="role"
        label={t('field.tokenRole')}
        options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))}
      />
      <FormError msg={form.formError} />
      <button type="submit" class="btn btn-primary" disabled={form.busy}>
        {form.busy ? t('tokens.creating') : t('tokens.createSubmit')}
      </button>
    </form>
  );
}

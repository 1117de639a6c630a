import { api } from '../api/client';
import { TEAM_ROLES, type TeamRole, type User } from '../api/types';
import { rules } from '../forms/validate';
import { useForm } from '../forms/useForm';
import { t } from '../i18n';
import { SelectField, TextField } from '../ui/Field';
import { FormError } from '../ui/Messages';

// Owners add supervisors and agents; supervisors add agents only.
export function AddMemberForm({ me, onAdded }: { me: User; onAdded: (u: User) => void }) {
  const ownerAdds = me.role === 'owner';
  const form = useForm(
    { name: '', email: '', password: '', role: 'agent', max_chats: '10' },
    {
      name: [rules.required(), rules.maxLength(100)],
      email: [rules.required(), rules.email()],
      password: [rules.required(), rules.minLength(8), rules.maxLength(128)],
      role: [rules.oneOf(TEAM_ROLES)],
      max_chats: [rules.required(), rules.intRange(1, 200)],
    },
  );

  const submit = form.onSubmit(async (v) => {
    const created = await api.createUser({
      name: v.name.trim(),
      email: v.email.trim(),
      password: v.password,
      role: (ownerAdds ? v.role : 'agent') as TeamRole,
      max_chats: Number(v.max_chats),
    });
    form.reset();
    onAdded(created);
  });

  return (
    <form ref={form.ref} onSubmit={submit} noValidate>
      <TextField form={form} name="name" label={t('field.name')} autoComplete="off" />
      <TextField
        form={form}
        name="email"
        label={t('field.email')}
        type="email"
        inputMode="email"
        autoComplete="off"
        autoCapitalize="none"
        spellcheck={false}
      />
      <TextField
        form={form}
        name="password"
        label={t('field.initialPassword')}
        hint={t('field.initialPasswordHint')}
        type="password"
        autoComplete="new-password"
      />
      {ownerAdds ? (
        <SelectField
          form={form}
          name="role"
          label={t('field.role')}
          options={TEAM_ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))}
        />
      ) : (
        <p class="hint">{t('team.supervisorAddsAgents')}</p>
      )}
      <TextField
        form={form}
        name="max_chats"
        label={t('field.maxChats')}
        hint={t('field.maxChatsHint')}
        type="number"
        inputMode="numeric"
        min={1}
        max={200}
      />
      <FormError msg={form.formError} />
      <button type="submit" class="btn btn-primary" disabled={form.busy}>
        {form.busy ? t('team.adding') : t('team.addSubmit')}
      </button>
    </form>
  );
}

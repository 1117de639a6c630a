import { safeNext } from '../app/next';
import { location, navigate } from '../app/router';
import { flash, logIn } from '../app/session';
import { rules } from '../forms/validate';
import { useForm } from '../forms/useForm';
import { t } from '../i18n';
import { TextField } from '../ui/Field';
import { Link } from '../ui/Link';
import { FormError, Notice } from '../ui/Messages';
import { PageHeading } from '../ui/Page';
import { AuthLayout } from './AuthLayout';

export function LoginPage() {
  const form = useForm(
    { email: '', password: '' },
    { email: [rules.required(), rules.email()], password: [rules.required()] },
  );
  const next = location.value.search.get('next');

  const submit = form.onSubmit(
    async (v) => {
      flash.value = null;
      await logIn(v.email.trim(), v.password);
      navigate(safeNext(next), { replace: true });
    },
    // No field is wrong on its own: the pair is, and we do not say which.
    (err) => (err.status === 401 ? { key: 'login.wrongPassword' } : undefined),
  );

  return (
    <AuthLayout>
      <PageHeading title={t('login.title')} />
      <Notice msg={flash.value} tone="info" />
      <form ref={form.ref} onSubmit={submit} noValidate>
        <TextField
          form={form}
          name="email"
          label={t('field.email')}
          type="email"
          autoComplete="username"
          inputMode="email"
          autoCapitalize="none"
          spellcheck={false}
        />
        <TextField
          form={form}
          name="password"
          label={t('field.password')}
          type="password"
          autoComplete="current-password"
        />
        <FormError msg={form.formError} />
        <button type="submit" class="btn btn-primary btn-block" disabled={form.busy}>
          {form.busy ? t('login.submitting') : t('login.submit')}
        </button>
      </form>
      <p class="auth-switch">
        {t('login.noAccount')} <Link href="/signup">{t('login.signupLink')}</Link>
      </p>
    </AuthLayout>
  );
}

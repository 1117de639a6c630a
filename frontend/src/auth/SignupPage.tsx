import { useRef } from 'preact/hooks';
import { api } from '../api/client';
import type { SignupRequest } from '../api/types';
import { navigate } from '../app/router';
import { logIn } from '../app/session';
import { rules } from '../forms/validate';
import { useForm } from '../forms/useForm';
import { t } from '../i18n';
import { SelectField, TextField } from '../ui/Field';
import { Link } from '../ui/Link';
import { FormError } from '../ui/Messages';
import { PageHeading } from '../ui/Page';
import { AuthLayout } from './AuthLayout';

export const TIME_ZONES = ['Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura'] as const;

export function SignupPage() {
  const form = useForm(
    { business_name: '', phone: '', timezone: 'Asia/Jakarta', name: '', email: '', password: '' },
    {
      business_name: [rules.required(), rules.maxLength(200)],
      phone: [rules.phone()],
      timezone: [rules.oneOf(TIME_ZONES)],
      name: [rules.required(), rules.maxLength(100)],
      email: [rules.required(), rules.email()],
      password: [rules.required(), rules.minLength(8), rules.maxLength(128)],
    },
  );
  // Signed up but the login after it failed (a dropped connection): submitting again only logs in.
  const signedUp = useRef<string | null>(null);

  const submit = form.onSubmit(async (v) => {
    const email = v.email.trim();
    if (signedUp.current !== email) {
      const body: SignupRequest = {
        business_name: v.business_name.trim(),
        name: v.name.trim(),
        email,
        password: v.password,
        timezone: v.timezone,
      };
      if (v.phone.trim()) body.phone = v.phone.trim();
      await api.signup(body);
      signedUp.current = email;
    }
    await logIn(email, v.password);
    navigate('/inbox', { replace: true });
  });

  return (
    <AuthLayout>
      <PageHeading title={t('signup.title')} />
      <p class="muted-text">{t('signup.intro')}</p>
      <form ref={form.ref} onSubmit={submit} noValidate>
        <fieldset>
          <legend>{t('signup.business')}</legend>
          <TextField form={form} name="business_name" label={t('field.businessName')} autoComplete="organization" />
          <TextField
            form={form}
            name="phone"
            label={t('field.phone')}
            hint={t('field.phoneHint')}
            optional
            type="tel"
            inputMode="tel"
            autoComplete="tel"
          />
          <SelectField
            form={form}
            name="timezone"
            label={t('field.timezone')}
            options={TIME_ZONES.map((z) => ({ value: z, label: t(`tz.${z}`) }))}
          />
        </fieldset>
        <fieldset>
          <legend>{t('signup.owner')}</legend>
          <TextField form={form} name="name" label={t('field.ownerName')} autoComplete="name" />
          <TextField
            form={form}
            name="email"
            label={t('field.email')}
            type="email"
            inputMode="email"
            autoComplete="email"
            autoCapitalize="none"
            spellcheck={false}
          />
          <TextField
            form={form}
            name="password"
            label={t('field.password')}
            hint={t('field.passwordHint')}
            type="password"
            autoComplete="new-password"
          />
        </fieldset>
        <FormError msg={form.formError} />
        <button type="submit" class="btn btn-primary btn-block" disabled={form.busy}>
          {form.busy ? t('signup.submitting') : t('signup.submit')}
        </button>
      </form>
      <p class="auth-switch">
        {t('signup.haveAccount')} <Link href="/login">{t('signup.loginLink')}</Link>
      </p>
    </AuthLayout>
  );
}

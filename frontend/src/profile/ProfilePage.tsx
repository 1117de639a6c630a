import { logOut, tenant, user } from '../app/session';
import { t } from '../i18n';
import { PageHeading } from '../ui/Page';
import { LanguageSwitch } from './LanguageSwitch';
import { NameForm } from './NameForm';
import { PasswordForm } from './PasswordForm';
import { PresenceSwitch } from './PresenceSwitch';

export function ProfilePage() {
  const u = user.value;
  if (!u) return null;
  return (
    <section class="page">
      <PageHeading title={t('profile.title')}>
        <p class="muted-text">
          {t('profile.summary', { role: t(`role.${u.role}`), business: tenant.value?.name ?? '' })}
          {' · '}
          {u.email}
        </p>
      </PageHeading>
      <div class="columns">
        <div class="stack">
          <div class="card">
            <PresenceSwitch />
          </div>
          <div class="card">
            <LanguageSwitch />
          </div>
          <section class="card" aria-labelledby="profile-details">
            <h2 id="profile-details">{t('profile.details')}</h2>
            <NameForm />
          </section>
        </div>
        <div class="stack">
          <section class="card" aria-labelledby="profile-password">
            <h2 id="profile-password">{t('profile.password')}</h2>
            <PasswordForm />
          </section>
          <button type="button" class="btn btn-quiet" onClick={() => logOut()}>
            {t('profile.logout')}
          </button>
        </div>
      </div>
    </section>
  );
}

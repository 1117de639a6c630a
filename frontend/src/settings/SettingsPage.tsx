import { roleAtLeast, user } from '../app/session';
import { t } from '../i18n';
import { Link } from '../ui/Link';
import { PageHeading } from '../ui/Page';
import { AutoRepliesSection } from './AutoRepliesSection';
import { DistributionSection } from './DistributionSection';
import { ServiceHoursSection } from './ServiceHoursSection';
import { TemplatesSection } from './TemplatesSection';
import { WaNumbersSection } from './WaNumbersSection';

// The settings hub: what a person may change, by role. The owner also manages the business's
// WhatsApp numbers, message templates, service hours and SLA, keyword auto-replies and chat
// distribution here.
export function SettingsPage() {
  const role = user.value?.role;
  const items = [
    { href: '/profile', title: t('profile.title'), text: t('settings.profile'), show: true },
    {
      href: '/team',
      title: t('team.title'),
      text: t('settings.team'),
      show: roleAtLeast(role, 'supervisor'),
    },
    { href: '/tokens', title: t('tokens.title'), text: t('settings.tokens'), show: role === 'owner' },
  ].filter((i) => i.show);
  const owner = role === 'owner';
  return (
    <section class={owner ? 'page' : 'page narrow'}>
      <PageHeading title={t('settings.title')} />
      <ul class="link-list settings-links">
        {items.map((i) => (
          <li key={i.href}>
            <Link href={i.href} class="link-card">
              <span class="link-card-title">{i.title}</span>
              <span class="link-card-text">{i.text}</span>
            </Link>
          </li>
        ))}
      </ul>
      {owner && <WaNumbersSection />}
      {owner && <TemplatesSection />}
      {owner && <ServiceHoursSection />}
      {owner && <AutoRepliesSection />}
      {owner && <DistributionSection />}
      {owner && (
        <div class="card coming-soon">
          <span class="badge badge-soon">{t('shell.soon')}</span>
          <p>{t('settings.soon')}</p>
        </div>
      )}
    </section>
  );
}

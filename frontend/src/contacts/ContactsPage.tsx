import { t } from '../i18n';
import { ComingSoon } from '../ui/ComingSoon';

export function ContactsPage() {
  return <ComingSoon title={t('nav.contacts')} text={t('contacts.soon')} />;
}

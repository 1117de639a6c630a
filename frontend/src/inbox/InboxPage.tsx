import { t } from '../i18n';
import { ComingSoon } from '../ui/ComingSoon';

export function InboxPage() {
  return <ComingSoon title={t('nav.inbox')} text={t('inbox.soon')} />;
}

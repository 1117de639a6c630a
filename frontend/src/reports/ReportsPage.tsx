import { roleAtLeast, user } from '../app/session';
import { t } from '../i18n';
import { ComingSoon } from '../ui/ComingSoon';
import { NoAccess } from '../ui/Page';

export function ReportsPage() {
  if (!roleAtLeast(user.value?.role, 'supervisor')) {
    return <NoAccess title={t('nav.reports')} text={t('access.supervisors')} />;
  }
  return <ComingSoon title={t('nav.reports')} text={t('reports.soon')} />;
}

import type { FunctionComponent } from 'preact';
import { useEffect } from 'preact/hooks';
import { LoginPage } from '../auth/LoginPage';
import { SignupPage } from '../auth/SignupPage';
import { BroadcastsPage } from '../broadcasts/BroadcastsPage';
import { ContactsPage } from '../contacts/ContactsPage';
import { t } from '../i18n';
import { InboxPage } from '../inbox/InboxPage';
import { ProfilePage } from '../profile/ProfilePage';
import { ReportsPage } from '../reports/ReportsPage';
import { SettingsPage } from '../settings/SettingsPage';
import { TeamPage } from '../team/TeamPage';
import { TokensPage } from '../tokens/TokensPage';
import { Link } from '../ui/Link';
import { PageHeading } from '../ui/Page';
import { decide, type PageName } from './routes';
import { location, navigate } from './router';
import { bootState, session, startSession } from './session';
import { Shell } from './Shell';

function NotFoundPage() {
  return (
    <section class="page narrow">
      <PageHeading title={t('notFound.title')} />
      <p>{t('notFound.body')}</p>
      <p>
        <Link href="/inbox">{t('notFound.home')}</Link>
      </p>
    </section>
  );
}

const PAGES: Record<PageName, FunctionComponent> = {
  login: LoginPage,
  signup: SignupPage,
  inbox: InboxPage,
  contacts: ContactsPage,
  broadcasts: BroadcastsPage,
  reports: ReportsPage,
  settings: SettingsPage,
  team: TeamPage,
  profile: ProfilePage,
  tokens: TokensPage,
  notFound: NotFoundPage,
};

function Splash() {
  return (
    <div class="splash" role="status">
      <span class="brand brand-large">{t('app.name')}</span>
      <span class="muted-text">{t('app.loading')}</span>
    </div>
  );
}

function BootFailed() {
  return (
    <div class="splash" role="alert">
      <span class="brand brand-large">{t('app.name')}</span>
      <p>{t('app.bootFailed')}</p>
      <button type="button" class="btn btn-primary" onClick={() => startSession()}>
        {t('common.retry')}
      </button>
    </div>
  );
}

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

export function App() {
  if (bootState.value === 'loading') return <Splash />;
  if (bootState.value === 'failed') return <BootFailed />;
  const loc = location.value;
  const loggedIn = session.value !== null;
  const d = decide(loc.path, loc.search, loggedIn);
  if ('redirect' in d) return <Redirect to={d.redirect} />;
  const Page = PAGES[d.page];
  if (!loggedIn) return <Page />;
  return (
    <Shell>
      <Page key={loc.path} />
    </Shell>
  );
}

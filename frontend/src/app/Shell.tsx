import type { ComponentChildren, FunctionComponent } from 'preact';
import { useSignal } from '@preact/signals';
import type { Role } from '../api/types';
import { t, type MessageKey } from '../i18n';
import { BroadcastsIcon, ContactsIcon, InboxIcon, ReportsIcon, SettingsIcon } from '../ui/icons';
import { Link } from '../ui/Link';
import { location } from './router';
import { logOut, roleAtLeast, tenant, user } from './session';

interface NavItem {
  href: string;
  label: MessageKey;
  icon: FunctionComponent;
  least: Role;
  also?: string[]; // other paths under this item
}

export const NAV: NavItem[] = [
  { href: '/inbox', label: 'nav.inbox', icon: InboxIcon, least: 'agent' },
  { href: '/contacts', label: 'nav.contacts', icon: ContactsIcon, least: 'agent' },
  { href: '/broadcasts', label: 'nav.broadcasts', icon: BroadcastsIcon, least: 'supervisor' },
  { href: '/reports', label: 'nav.reports', icon: ReportsIcon, least: 'supervisor' },
  {
    href: '/settings',
    label: 'nav.settings',
    icon: SettingsIcon,
    least: 'agent',
    also: ['/team', '/profile', '/tokens'],
  },
];

// "Andi Saputra" -> "AS"; one name gives one letter.
export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const first = parts[0]?.[0] ?? '';
  const last = parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? '') : '';
  return (first + last).toUpperCase();
}

// The frame around every page after login: the top bar (business, me, log out) and the
// navigation (a bottom tab bar on phones, a side bar on wide screens).
export function Shell({ children }: { children: ComponentChildren }) {
  const u = user.value;
  const path = location.value.path;
  const leaving = useSignal(false);
  const items = NAV.filter((i) => roleAtLeast(u?.role, i.least));
  return (
    <div class="shell">
      <a class="skip-link" href="#main">
        {t('common.skipToContent')}
      </a>
      <header class="topbar">
        <span class="brand">{t('app.name')}</span>
        <span class="tenant-name">{tenant.value?.name}</span>
        <div class="topbar-user">
          {u && (
            <Link href="/profile" class="me-link">
              <span class="visually-hidden">{t('shell.profilePrefix')} </span>
              <span class="avatar" aria-hidden="true">
                {initials(u.name)}
                <span class={`avatar-presence presence-${u.presence}`} />
              </span>
              <span class="me-name">{u.name}</span>
              {' '}
              <span class="visually-hidden">({t(`presence.${u.presence}`)})</span>
            </Link>
          )}
          <button
            type="button"
            class="btn btn-quiet btn-small"
            disabled={leaving.value}
            onClick={async () => {
              leaving.value = true;
              await logOut();
            }}
          >
            {leaving.value ? t('shell.loggingOut') : t('shell.logout')}
          </button>
        </div>
      </header>
      <nav class="nav" aria-label={t('nav.main')}>
        <ul>
          {items.map((i) => {
            const active = path === i.href || (i.also ?? []).includes(path);
            const Icon = i.icon;
            return (
              <li key={i.href}>
                <Link href={i.href} aria-current={active ? 'page' : undefined}>
                  <Icon />
                  <span>{t(i.label)}</span>
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
      <main id="main" class="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}

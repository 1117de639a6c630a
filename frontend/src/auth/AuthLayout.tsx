import type { ComponentChildren } from 'preact';
import { t } from '../i18n';
import { LanguageToggle } from '../ui/LanguageToggle';

// The frame of the pages before login: the name, the language switch, one card.
export function AuthLayout({ children }: { children: ComponentChildren }) {
  return (
    <div class="auth">
      <header class="auth-top">
        <span class="brand brand-large">{t('app.name')}</span>
        <LanguageToggle />
      </header>
      <main id="main" class="auth-main">
        <p class="tagline">{t('app.tagline')}</p>
        <div class="card auth-card">{children}</div>
      </main>
    </div>
  );
}

import { changeLocale } from '../app/session';
import { locale, t } from '../i18n';

// On the pages before login: one button that switches to the other language (named in that
// language, so a person who reads only it can find it).
export function LanguageToggle() {
  const other = locale.value === 'id' ? 'en' : 'id';
  return (
    <button
      type="button"
      class="btn btn-quiet lang-toggle"
      lang={other}
      onClick={() => {
        changeLocale(other).catch(() => {});
      }}
    >
      {t(`lang.${other}`)}
    </button>
  );
}

import { useSignal } from '@preact/signals';
import { isApiError } from '../api/client';
import { LOCALES, type Locale } from '../api/types';
import { changeLocale } from '../app/session';
import { problemMessage } from '../forms/validate';
import { locale, t, type Msg } from '../i18n';
import { FormError } from '../ui/Messages';
import { RadioGroup } from '../ui/RadioGroup';

// Each language is named in itself, so a person who reads only one finds it.
export function LanguageSwitch() {
  const error = useSignal<Msg | null>(null);
  return (
    <div>
      <RadioGroup
        legend={t('profile.language')}
        hint={t('profile.languageHint')}
        name="locale"
        value={locale.value}
        options={LOCALES.map((l) => ({ value: l, label: t(`lang.${l}`), lang: l }))}
        onChange={async (v) => {
          error.value = null;
          try {
            await changeLocale(v as Locale);
          } catch (e) {
            if (!isApiError(e)) throw e;
            if (e.status !== 401) error.value = problemMessage(e);
          }
        }}
      />
      <FormError msg={error.value} />
    </div>
  );
}

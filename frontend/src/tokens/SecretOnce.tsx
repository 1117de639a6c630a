import { useSignal } from '@preact/signals';
import { useEffect, useId, useRef } from 'preact/hooks';
import type { TokenCreated } from '../api/types';
import { t, type Msg } from '../i18n';
import { Notice } from '../ui/Messages';

// The new token's secret, shown this once, with a copy button. Focus lands on the secret so it
// is announced and can be selected by hand where the clipboard is not available.
export function SecretOnce({ created, onDone }: { created: TokenCreated; onDone: () => void }) {
  const id = `secret-${useId()}`;
  const copied = useSignal<Msg | null>(null);
  const input = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, []);

  async function copy() {
    try {
      await navigator.clipboard.writeText(created.secret);
      copied.value = { key: 'tokens.copied' };
    } catch {
      input.current?.select();
      copied.value = { key: 'tokens.copyFailed' };
    }
  }

  return (
    <div class="secret-once">
      <h3>{t('tokens.secretTitle', { name: created.token.name })}</h3>
      <p class="muted-text">{t('tokens.secretNote')}</p>
      <label for={id}>{t('tokens.secretLabel')}</label>
      <div class="secret-row">
        <textarea
          id={id}
          ref={input}
          class="secret-value"
          rows={3}
          readOnly
          value={created.secret}
          spellcheck={false}
          autoComplete="off"
          onFocus={(e) => (e.currentTarget as HTMLTextAreaElement).select()}
        />
        <button type="button" class="btn btn-primary" onClick={copy}>
          {t('tokens.copy')}
        </button>
      </div>
      <Notice msg={copied.value} />
      <button type="button" class="btn btn-quiet" onClick={onDone}>
        {t('tokens.done')}
      </button>
    </div>
  );
}

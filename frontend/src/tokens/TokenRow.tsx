import { useSignal } from '@preact/signals';
import { api, isApiError } from '../api/client';
import type { Token } from '../api/types';
import { problemMessage } from '../forms/validate';
import { formatDateTime } from '../i18n/format';
import { t, tm, type Msg } from '../i18n';
import { ConfirmButton } from '../ui/ConfirmButton';

export function TokenRow({ token: k, onRevoked }: { token: Token; onRevoked: (t: Token) => void }) {
  const busy = useSignal(false);
  const error = useSignal<Msg | null>(null);
  const revoked = Boolean(k.revoked_at);

  async function revoke() {
    busy.value = true;
    error.value = null;
    try {
      await api.revokeToken(k.id);
      onRevoked({ ...k, revoked_at: new Date().toISOString() });
    } catch (e) {
      if (!isApiError(e)) throw e;
      if (e.status !== 401) error.value = problemMessage(e);
    } finally {
      busy.value = false;
    }
  }

  return (
    <li class={revoked ? 'token token-revoked' : 'token'}>
      <div class="token-main">
        <span class="token-name">{k.name}</span>
        <span class="token-meta">
          <span class={`badge badge-role-${k.role}`}>{t(`role.${k.role}`)}</span>{' '}
          <code class="token-hint">{k.hint}</code>
        </span>
        <span class="token-meta">
          {t('tokens.createdAt', { when: formatDateTime(k.created_at) })}
          {' · '}
          {k.last_used_at
            ? t('tokens.lastUsed', { when: formatDateTime(k.last_used_at) })
            : t('tokens.neverUsed')}
        </span>
        {k.revoked_at && (
          <span class="token-meta token-revoked-at">
            {t('tokens.revokedAt', { when: formatDateTime(k.revoked_at) })}
          </span>
        )}
      </div>
      {!revoked && (
        <div class="token-side">
          <ConfirmButton
            label={t('tokens.revoke')}
            ariaLabel={t('tokens.revokeLabel', { name: k.name })}
            question={t('tokens.confirmRevoke', { name: k.name })}
            yes={t('tokens.confirmYes')}
            busy={busy.value}
            onConfirm={revoke}
          />
        </div>
      )}
      {error.value && (
        <p class="field-error" role="alert">
          {tm(error.value)}
        </p>
      )}
    </li>
  );
}

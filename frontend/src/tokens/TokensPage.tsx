import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { api, isApiError } from '../api/client';
import type { Token, TokenCreated } from '../api/types';
import { user } from '../app/session';
import { problemMessage } from '../forms/validate';
import { t, type Msg } from '../i18n';
import { FormError, Notice } from '../ui/Messages';
import { NoAccess, PageHeading } from '../ui/Page';
import { NewTokenForm } from './NewTokenForm';
import { SecretOnce } from './SecretOnce';
import { TokenRow } from './TokenRow';

export function TokensPage() {
  if (user.value?.role !== 'owner') {
    return <NoAccess title={t('tokens.title')} text={t('access.owner')} />;
  }
  return <Tokens />;
}

function Tokens() {
  const tokens = useSignal<Token[]>([]);
  const cursor = useSignal<string | null>(null);
  const loading = useSignal(true);
  const loadError = useSignal<Msg | null>(null);
  const notice = useSignal<Msg | null>(null);
  const created = useSignal<TokenCreated | null>(null);

  async function load(more: boolean) {
    loading.value = true;
    loadError.value = null;
    try {
      const page = await api.listTokens(more ? cursor.value : null);
      tokens.value = more ? [...tokens.value, ...page.items] : page.items;
      cursor.value = page.next_cursor;
    } catch (e) {
      if (isApiError(e)) loadError.value = problemMessage(e);
      else throw e;
    } finally {
      loading.value = false;
    }
  }

  useEffect(() => {
    void load(false);
  }, []);

  return (
    <section class="page">
      <PageHeading title={t('tokens.title')} />
      <p class="muted-text measure">{t('tokens.intro')}</p>
      <Notice msg={notice.value} />
      <div class="columns">
        <section class="card" aria-labelledby="tokens-new">
          <h2 id="tokens-new">{t('tokens.create')}</h2>
          {created.value ? (
            <SecretOnce created={created.value} onDone={() => (created.value = null)} />
          ) : (
            <NewTokenForm
              onCreated={(c) => {
                notice.value = null;
                created.value = c;
                tokens.value = [c.token, ...tokens.value];
              }}
            />
          )}
        </section>
        <section class="card" aria-labelledby="tokens-list">
          <h2 id="tokens-list">{t('tokens.list')}</h2>
          {loading.value && tokens.value.length === 0 && (
            <p class="muted-text" role="status">
              {t('app.loading')}
            </p>
          )}
          <FormError msg={loadError.value} />
          {!loading.value && !loadError.value && tokens.value.length === 0 && (
            <p class="muted-text">{t('tokens.none')}</p>
          )}
          <ul class="token-list">
            {tokens.value.map((tok) => (
              <TokenRow
                key={tok.id}
                token={tok}
                onRevoked={(revoked) => {
                  tokens.value = tokens.value.map((x) => (x.id === revoked.id ? revoked : x));
                  notice.value = { key: 'tokens.revokedNotice', params: { name: revoked.name } };
                }}
              />
            ))}
          </ul>
          {cursor.value && (
            <button type="button" class="btn btn-quiet" disabled={loading.value} onClick={() => load(true)}>
              {loading.value ? t('app.loading') : t('common.loadMore')}
            </button>
          )}
        </section>
      </div>
    </section>
  );
}

// The team inbox: the list of chats beside the open one (on a phone, two screens with a back
// button; the open chat is ?c=<id> in the address, so the phone's back button works too), the
// agent's presence in the header, and the live events (live.ts) running while the page is shown,
// with a notice while they are not connected.
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { api, isApiError } from '../api/client';
import { PRESENCES, type Presence } from '../api/types';
import { location, navigate } from '../app/router';
import { tenant, updateUser, user } from '../app/session';
import { problemMessage } from '../forms/validate';
import { t, type Msg } from '../i18n';
import { FormError } from '../ui/Messages';
import { PageHeading } from '../ui/Page';
import { ConversationList } from './ConversationList';
import { ConversationView } from './ConversationView';
import { liveState, openConversation, startLive, tenantChannel } from './live';

function PresenceSelect() {
  const error = useSignal<Msg | null>(null);
  const current = user.value?.presence ?? 'offline';
  async function choose(presence: Presence) {
    error.value = null;
    const before = current;
    updateUser({ presence });
    try {
      const r = await api.setPresence({ presence });
      updateUser({ presence: r.presence ?? presence });
    } catch (e) {
      if (!isApiError(e)) throw e;
      updateUser({ presence: before });
      if (e.status !== 401) error.value = problemMessage(e);
    }
  }
  return (
    <div class="inbox-presence">
      <label for="inbox-presence">{t('profile.presence')}</label>
      <select id="inbox-presence" value={current} onChange={(e) => void choose(e.currentTarget.value as Presence)}>
        {PRESENCES.map((p) => (
          <option key={p} value={p}>
            {t(`presence.${p}`)}
          </option>
        ))}
      </select>
      <FormError msg={error.value} />
    </div>
  );
}

export function InboxPage() {
  const refresh = useSignal(0);
  const raw = Number(location.value.search.get('c'));
  const open = Number.isInteger(raw) && raw > 0 ? raw : null;

  const me = user.value?.id;
  const tenantId = tenant.value?.id;
  useEffect(() => {
    if (me === undefined || tenantId === undefined) return;
    return startLive(tenantChannel(tenantId), me);
  }, [me, tenantId]);
  useEffect(() => {
    openConversation.value = open;
    return () => {
      openConversation.value = null;
    };
  }, [open]);

  return (
    <section class={`page inbox${open ? ' inbox-has-open' : ''}`} data-live={liveState.value}>
      <PageHeading title={t('nav.inbox')}>
        <PresenceSelect />
      </PageHeading>
      {liveState.value === 'offline' && (
        <p class="alert alert-info inbox-offline" role="status">
          {t('inbox.liveOffline')}
        </p>
      )}
      <div class="inbox-panes">
        <ConversationList selected={open} onOpen={(id) => navigate(`/inbox?c=${id}`)} refresh={refresh.value} />
        {open ? (
          <ConversationView
            key={open}
            id={open}
            onBack={() => navigate('/inbox')}
            onChanged={() => refresh.value++}
          />
        ) : (
          <p class="conv-none muted-text">{t('inbox.pick')}</p>
        )}
      </div>
    </section>
  );
}

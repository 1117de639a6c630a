import { useSignal } from '@preact/signals';
import { useRef } from 'preact/hooks';
import { api, isApiError } from '../api/client';
import { PRESENCES, type Presence } from '../api/types';
import { updateUser, user } from '../app/session';
import { problemMessage } from '../forms/validate';
import { t, type Msg } from '../i18n';
import { FormError, Notice } from '../ui/Messages';
import { RadioGroup } from '../ui/RadioGroup';

// The new status shows at once; if the server refuses, the old one comes back with a message.
// Only the latest choice counts when several are made quickly (arrow keys).
export function PresenceSwitch() {
  const pending = useSignal<Presence | null>(null);
  const error = useSignal<Msg | null>(null);
  const notice = useSignal<Msg | null>(null);
  const latest = useRef(0);
  const current = pending.value ?? user.value?.presence ?? 'offline';

  async function choose(presence: Presence) {
    const mine = ++latest.current;
    pending.value = presence;
    error.value = null;
    notice.value = null;
    try {
      const r = await api.setPresence({ presence });
      if (mine !== latest.current) return;
      const now = r.presence ?? presence;
      updateUser({ presence: now });
      notice.value = { key: 'profile.presenceSaved', params: { presence: { key: `presence.${now}` } } };
    } catch (e) {
      if (!isApiError(e)) throw e;
      if (mine === latest.current && e.status !== 401) error.value = problemMessage(e);
    } finally {
      if (mine === latest.current) pending.value = null;
    }
  }

  return (
    <div>
      <RadioGroup
        legend={t('profile.presence')}
        hint={t('profile.presenceHint')}
        name="presence"
        value={current}
        options={PRESENCES.map((p) => ({ value: p, label: t(`presence.${p}`), dot: `presence-${p}` }))}
        onChange={(v) => void choose(v as Presence)}
      />
      <FormError msg={error.value} />
      <Notice msg={notice.value} />
    </div>
  );
}

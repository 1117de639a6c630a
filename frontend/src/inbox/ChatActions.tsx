// Handing a chat on: transfer to a teammate who is not offline (supervisors and the owner, who
// may list the team) and escalate to a supervisor with a reason (the chat's owner too).
import { useSignal } from '@preact/signals';
import { api, isApiError } from '../api/client';
import type { ChatOwner, User } from '../api/types';
import { problemMessage } from '../forms/validate';
import { t, type Msg } from '../i18n';
import { FormError, Notice } from '../ui/Messages';

interface Props {
  conversationId: number;
  canTransfer: boolean;
  onDone: () => void;
}

export function ChatActions({ conversationId, canTransfer, onDone }: Props) {
  const team = useSignal<User[] | null>(null);
  const target = useSignal('');
  const reason = useSignal('');
  const busy = useSignal(false);
  const error = useSignal<Msg | null>(null);
  const notice = useSignal<Msg | null>(null);

  async function loadTeam() {
    if (!canTransfer || team.value) return;
    try {
      const page = await api.listUsers(null, 100);
      team.value = page.items.filter((u) => u.active && u.presence !== 'offline');
    } catch (e) {
      if (!isApiError(e)) throw e;
      if (e.status !== 401) error.value = problemMessage(e);
    }
  }

  async function run(action: () => Promise<ChatOwner>, done: (r: ChatOwner) => Msg) {
    busy.value = true;
    error.value = null;
    notice.value = null;
    try {
      notice.value = done(await action());
      onDone();
    } catch (e) {
      if (!isApiError(e)) throw e;
      if (e.status !== 401) error.value = problemMessage(e);
    } finally {
      busy.value = false;
    }
  }

  return (
    <details class="chat-actions" onToggle={() => void loadTeam()}>
      <summary>{t('inbox.actions')}</summary>
      {canTransfer && (
        <form
          class="chat-action"
          onSubmit={(e) => {
            e.preventDefault();
            const id = Number(target.value);
            if (id > 0) {
              void run(
                () => api.transfer(conversationId, { user_id: id }),
                (r) => ({ key: 'inbox.transferred', params: { name: r.assignee_name ?? '—' } }),
              );
            }
          }}
        >
          <label for={`transfer-${conversationId}`}>{t('inbox.transferTo')}</label>
          <select
            id={`transfer-${conversationId}`}
            value={target.value}
            onChange={(e) => (target.value = e.currentTarget.value)}
          >
            <option value="">{t('inbox.transferPick')}</option>
            {(team.value ?? []).map((u) => (
              <option key={u.id} value={u.id}>
                {u.name} ({t(`presence.${u.presence}`)})
              </option>
            ))}
          </select>
          <button type="submit" class="btn btn-quiet btn-small" disabled={busy.value || !target.value}>
            {t('inbox.transfer')}
          </button>
        </form>
      )}
      <form
        class="chat-action"
        onSubmit={(e) => {
          e.preventDefault();
          const why = reason.value.trim();
          if (why) {
            void run(
              () => api.escalate(conversationId, { reason: why }),
              (r) =>
                r.assignee_name
                  ? { key: 'inbox.escalatedTo', params: { name: r.assignee_name } }
                  : { key: 'inbox.escalated' },
            );
          }
        }}
      >
        <label for={`escalate-${conversationId}`}>{t('inbox.escalateReason')}</label>
        <input
          id={`escalate-${conversationId}`}
          type="text"
          maxLength={500}
          value={reason.value}
          onInput={(e) => (reason.value = e.currentTarget.value)}
        />
        <button type="submit" class="btn btn-quiet btn-small" disabled={busy.value || !reason.value.trim()}>
          {t('inbox.escalate')}
        </button>
      </form>
      <FormError msg={error.value} />
      <Notice msg={notice.value} />
    </details>
  );
}

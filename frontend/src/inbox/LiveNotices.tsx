// What the live events say about the open chat: "X sedang mengetik…" while a teammate types in
// it, and a banner when its first answer is due soon or overdue (SLA). The banner also holds
// after a reload: on opening, the chat's GET …/sla seeds it when no one has answered yet.
import { useEffect } from 'preact/hooks';
import { api, isApiError } from '../api/client';
import { t } from '../i18n';
import { formatDateTime } from '../i18n/format';
import { slaAlerts, typing } from './live';

export function LiveNotices({ conversationId }: { conversationId: number }) {
  useEffect(() => {
    let live = true;
    api.conversationSla(conversationId).then(
      (s) => {
        if (!live || s.first_response_at || slaAlerts.peek()[conversationId] || !s.sla_due_at) return;
        const level = s.sla_breached_at ? 'breached' : s.sla_warned_at ? 'warning' : null;
        if (level) slaAlerts.value = { ...slaAlerts.peek(), [conversationId]: { level, dueAt: s.sla_due_at } };
      },
      (e: unknown) => {
        if (!isApiError(e)) throw e;
      },
    );
    return () => {
      live = false;
    };
  }, [conversationId]);

  const sla = slaAlerts.value[conversationId];
  const typist = typing.value[conversationId];
  return (
    <>
      {sla && (
        <p class={`alert conv-sla-banner ${sla.level === 'breached' ? 'alert-error' : 'alert-warning'}`} role="alert">
          {t(sla.level === 'breached' ? 'inbox.slaBreached' : 'inbox.slaWarning', {
            time: sla.dueAt ? formatDateTime(sla.dueAt) : '—',
          })}
        </p>
      )}
      <p class="conv-typing-notice" role="status">
        {typist ? (typist.name ? t('inbox.typing', { name: typist.name }) : t('inbox.typingSomeone')) : ''}
      </p>
    </>
  );
}

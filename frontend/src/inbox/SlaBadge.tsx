// The first-response SLA in the conversation header: a badge that counts down to the due time
// (refreshed every 15 seconds), turns amber once laris-worker warned and red once it is overdue.
import { useEffect, useState } from 'preact/hooks';
import { formatDateTime } from '../i18n/format';
import { t, tm } from '../i18n';
import { slaView, type SlaFigures } from './slaBadge';

const TICK_MS = 15000;

export function SlaBadge({ sla }: { sla: SlaFigures | undefined }) {
  const [now, setNow] = useState(() => Date.now());
  const waiting = !!sla?.sla_due_at && !sla.first_response_at;
  useEffect(() => {
    if (!waiting) return undefined;
    const timer = setInterval(() => setNow(Date.now()), TICK_MS);
    return () => clearInterval(timer);
  }, [waiting]);
  const view = slaView(sla, now);
  if (!view) return null;
  const title = sla?.sla_due_at ? t('sla.dueAt', { at: formatDateTime(sla.sla_due_at) }) : undefined;
  return (
    <p class={`sla-badge sla-${view.tone}`} title={title}>
      <span class="visually-hidden">{t('sla.label')}: </span>
      {tm(view.msg)}
    </p>
  );
}

// The customer beside the open chat: labels, lead status, order summary, recent orders and
// "record order". On a wide screen it stands open at the chat's side; on a phone it is a toggle
// under the chat's header, closed until asked for.
import { useSignal } from '@preact/signals';
import { useId } from 'preact/hooks';
import { ContactCard } from '../contacts/ContactCard';
import { t } from '../i18n';

const WIDE = '(min-width: 64rem)';

export function ContactPanel({ contactId, conversationId }: { contactId: number; conversationId: number }) {
  const open = useSignal(globalThis.matchMedia?.(WIDE).matches ?? false);
  const id = `contact-panel-${useId()}`;
  return (
    <aside class="contact-panel" aria-label={t('contacts.panel')}>
      <button
        type="button"
        class="btn btn-quiet btn-small contact-panel-toggle"
        aria-expanded={open.value ? 'true' : 'false'}
        aria-controls={id}
        onClick={() => (open.value = !open.value)}
      >
        {t('contacts.panel')}
      </button>
      <div id={id} hidden={!open.value}>
        {open.value && <ContactCard contactId={contactId} conversationId={conversationId} />}
      </div>
    </aside>
  );
}

// One customer: name, number, labels, lead status, order summary, recent orders and the "record
// order" form. The inbox's side panel shows it beside a chat (conversationId given: orders are
// recorded from that chat); the contacts page shows it with the editable details (full).
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { api, isApiError } from '../api/client';
import type { ContactDetail, LeadStatus, Order } from '../api/types';
import { roleAtLeast, user } from '../app/session';
import { problemMessage } from '../forms/validate';
import { contactPhone, contactTitle } from '../inbox/timeline';
import { t, type Msg } from '../i18n';
import { formatDate } from '../i18n/format';
import { ConfirmButton } from '../ui/ConfirmButton';
import { FormError, Notice } from '../ui/Messages';
import { ContactEditForm } from './ContactEditForm';
import { LabelPicker } from './LabelPicker';
import { LeadSwitch } from './LeadSwitch';
import { OrderForm } from './OrderForm';
import { OrderList, SummaryView } from './OrderList';

const RECENT = 3;

export function ContactCard(props: {
  contactId: number;
  conversationId?: number;
  full?: boolean;
  onDeleted?: () => void;
}) {
  const contact = useSignal<ContactDetail | null>(null);
  const orders = useSignal<Order[]>([]);
  const error = useSignal<Msg | null>(null);
  const notice = useSignal<Msg | null>(null);
  const busy = useSignal(false);
  const me = user.value;

  async function load() {
    try {
      const [c, o] = await Promise.all([
        api.getContact(props.contactId),
        api.listOrders({ contact_id: props.contactId, limit: props.full ? 20 : RECENT }),
      ]);
      contact.value = c;
      orders.value = o.items;
    } catch (e) {
      if (!isApiError(e)) throw e;
      if (e.status === 404) error.value = { key: 'contacts.gone' };
      else if (e.status !== 401) error.value = problemMessage(e);
    }
  }

  useEffect(() => {
    contact.value = null;
    error.value = null;
    void load();
  }, [props.contactId]);

  // Shown at once; put back if the API refuses.
  async function setLead(lead_status: LeadStatus | null) {
    const before = contact.value;
    if (!before) return;
    contact.value = { ...before, lead_status };
    busy.value = true;
    error.value = null;
    try {
      contact.value = await api.updateContact(props.contactId, { lead_status });
    } catch (e) {
      if (!isApiError(e)) throw e;
      contact.value = before;
      if (e.status !== 401) error.value = problemMessage(e);
    } finally {
      busy.value = false;
    }
  }

  async function remove() {
    error.value = null;
    try {
      await api.deleteContact(props.contactId);
      props.onDeleted?.();
    } catch (e) {
      if (!isApiError(e)) throw e;
      if (e.status === 409) error.value = { key: 'contacts.hasOrders' };
      else if (e.status !== 401) error.value = problemMessage(e);
    }
  }

  const c = contact.value;
  if (!c) {
    return error.value ? <FormError msg={error.value} /> : <p class="muted-text">{t('app.loading')}</p>;
  }
  return (
    <div class="contact-card stack">
      <div>
        <h3 class="contact-name">{contactTitle(c)}</h3>
        <p class="conv-phone">{contactPhone(c)}</p>
        {c.profile_name && c.name && <p class="muted-text">{t('contacts.profileName', { name: c.profile_name })}</p>}
        {c.marketing_opt_out && c.marketing_opt_out_at && (
          <p class="muted-text">{t('contacts.optedOut', { date: formatDate(c.marketing_opt_out_at) })}</p>
        )}
      </div>
      <Notice msg={notice.value} />
      <FormError msg={error.value} />
      <LeadSwitch value={c.lead_status} disabled={busy.value} onChange={(v) => void setLead(v)} />
      <LabelPicker
        contactId={c.id}
        labels={c.labels}
        onChanged={(labels) => {
          if (contact.value) contact.value = { ...contact.value, labels };
        }}
      />
      <SummaryView s={c.order_summary} />
      <OrderList
        orders={orders.value}
        onChanged={(o) => {
          orders.value = orders.value.map((x) => (x.id === o.id ? o : x));
          void load();
        }}
      />
      <details class="order-record">
        <summary class="btn btn-primary btn-small">{t('orders.record')}</summary>
        <OrderForm
          {...(props.conversationId ? { conversationId: props.conversationId } : { contactId: c.id })}
          onRecorded={() => {
            notice.value = { key: 'orders.recorded' };
            void load();
          }}
        />
      </details>
      {props.full && (
        <ContactEditForm
          contact={c}
          onSaved={(next) => {
            contact.value = next;
            notice.value = { key: 'contacts.saved' };
          }}
        />
      )}
      {props.full && roleAtLeast(me?.role, 'supervisor') && (
        <ConfirmButton
          label={t('contacts.delete')}
          question={t('contacts.deleteQuestion')}
          yes={t('contacts.deleteYes')}
          onConfirm={remove}
        />
      )}
    </div>
  );
}

import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { api, isApiError } from '../api/client';
import type { WaNumber } from '../api/types';
import { problemMessage } from '../forms/validate';
import { t, type Msg } from '../i18n';
import { FormError, Notice } from '../ui/Messages';
import { ConnectNumberForm } from './ConnectNumberForm';
import { WaNumberRow } from './WaNumberRow';
import { formatWaNumber } from './waNumbers';

// The owner's WhatsApp numbers: the connected ones, and a form to connect another.
export function WaNumbersSection() {
  const numbers = useSignal<WaNumber[]>([]);
  const cursor = useSignal<string | null>(null);
  const loading = useSignal(true);
  const loadError = useSignal<Msg | null>(null);
  const notice = useSignal<Msg | null>(null);

  async function load(more: boolean) {
    loading.value = true;
    loadError.value = null;
    try {
      const page = await api.listWaNumbers(more ? cursor.value : null);
      numbers.value = more ? [...numbers.value, ...page.items] : page.items;
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

  const label = (n: WaNumber) => n.name ?? (formatWaNumber(n.display_phone_number) || n.phone_number_id);

  return (
    <section class="wa-numbers" aria-labelledby="wa-numbers-title">
      <h2 id="wa-numbers-title">{t('wa.title')}</h2>
      <p class="muted-text measure">{t('wa.intro')}</p>
      <Notice msg={notice.value} />
      <div class="columns">
        <section class="card" aria-labelledby="wa-numbers-list">
          <h3 id="wa-numbers-list">{t('wa.list')}</h3>
          {loading.value && numbers.value.length === 0 && (
            <p class="muted-text" role="status">
              {t('app.loading')}
            </p>
          )}
          <FormError msg={loadError.value} />
          {!loading.value && !loadError.value && numbers.value.length === 0 && (
            <p class="muted-text">{t('wa.none')}</p>
          )}
          <ul class="wa-list">
            {numbers.value.map((n) => (
              <WaNumberRow
                key={n.id}
                number={n}
                onSaved={(u) => {
                  numbers.value = numbers.value.map((x) => (x.id === u.id ? u : x));
                  notice.value = { key: 'wa.saved', params: { name: label(u) } };
                }}
                onRefreshed={(u) => {
                  numbers.value = numbers.value.map((x) => (x.id === u.id ? u : x));
                }}
                onRemoved={(r) => {
                  numbers.value = numbers.value.filter((x) => x.id !== r.id);
                  notice.value = { key: 'wa.removed', params: { name: label(r) } };
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
        <section class="card" aria-labelledby="wa-numbers-new">
          <h3 id="wa-numbers-new">{t('wa.connect')}</h3>
          <ConnectNumberForm
            onConnected={(n) => {
              numbers.value = [n, ...numbers.value.filter((x) => x.id !== n.id)];
              notice.value = { key: 'wa.connected', params: { name: label(n) } };
            }}
          />
        </section>
      </div>
    </section>
  );
}

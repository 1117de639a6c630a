// The owner's "Distribusi": how waiting chats reach agents (round robin to online agents under
// their capacity, or by hand), how long an agent may be offline before their chats go back to
// waiting, and each agent's capacity (set on the Team page, shown here).
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { api, isApiError } from '../api/client';
import type { DistributionMode, User } from '../api/types';
import { useForm } from '../forms/useForm';
import { problemMessage, rules } from '../forms/validate';
import { t, type Msg } from '../i18n';
import { Link } from '../ui/Link';
import { FormError, Notice } from '../ui/Messages';
import { RadioGroup } from '../ui/RadioGroup';
import { NumberField } from './SettingsFields';

const GRACE_MAX_MINUTES = 1440; // 86400 s

export function DistributionSection() {
  const loaded = useSignal(false);
  const loadError = useSignal<Msg | null>(null);
  const notice = useSignal<Msg | null>(null);
  const agents = useSignal<User[]>([]);
  const savedGrace = useSignal(0);
  const form = useForm({ distribution_mode: 'round_robin', grace: '5' }, {
    distribution_mode: [rules.oneOf(['round_robin', 'manual'])],
    grace: [rules.required(), rules.intRange(0, GRACE_MAX_MINUTES)],
  });

  useEffect(() => {
    Promise.all([api.getSettings(), api.listUsers(null, 100)])
      .then(([s, users]) => {
        form.set('distribution_mode', s.distribution_mode);
        form.set('grace', String(Math.ceil(s.offline_grace_seconds / 60)));
        savedGrace.value = s.offline_grace_seconds;
        agents.value = users.items.filter((u) => u.role === 'agent' && u.active);
        loaded.value = true;
      })
      .catch((e: unknown) => {
        if (!isApiError(e)) throw e;
        loadError.value = problemMessage(e);
      });
  }, []);

  const submit = form.onSubmit(async (v) => {
    notice.value = null;
    // Untouched minutes keep the stored seconds (90 s is not rounded up to 2 minutes).
    const same = v.grace.trim() === String(Math.ceil(savedGrace.value / 60));
    const s = await api.updateSettings({
      distribution_mode: v.distribution_mode as DistributionMode,
      offline_grace_seconds: same ? savedGrace.value : Number(v.grace.trim()) * 60,
    });
    savedGrace.value = s.offline_grace_seconds;
    notice.value = { key: 'dist.saved' };
  });

  return (
    <section class="distribution" aria-labelledby="distribution-title">
      <h2 id="distribution-title">{t('dist.title')}</h2>
      <p class="muted-text measure">{t('dist.intro')}</p>
      <FormError msg={loadError.value} />
      {!loaded.value && !loadError.value && (
        <p class="muted-text" role="status">
          {t('app.loading')}
        </p>
      )}
      {loaded.value && (
        <div class="columns">
          <section class="card" aria-labelledby="distribution-how">
            <h3 id="distribution-how">{t('dist.how')}</h3>
            <form ref={form.ref} onSubmit={submit} noValidate>
              <RadioGroup
                legend={t('dist.mode')}
                hint={t(form.values.distribution_mode === 'manual' ? 'dist.manualHint' : 'dist.roundRobinHint')}
                name="distribution_mode"
                value={form.values.distribution_mode}
                options={[
                  { value: 'round_robin', label: t('dist.roundRobin') },
                  { value: 'manual', label: t('dist.manual') },
                ]}
                onChange={(v) => form.set('distribution_mode', v)}
              />
              <NumberField
                name="grace"
                label={t('dist.grace')}
                hint={t('dist.graceHint')}
                value={form.values.grace}
                error={form.errors.grace}
                onInput={(v) => form.set('grace', v)}
              />
              <FormError msg={form.formError} />
              <Notice msg={notice.value} />
              <button type="submit" class="btn btn-primary" disabled={form.busy}>
                {form.busy ? t('common.saving') : t('dist.save')}
              </button>
            </form>
          </section>
          <section class="card" aria-labelledby="distribution-capacity">
            <h3 id="distribution-capacity">{t('dist.capacity')}</h3>
            {agents.value.length === 0 ? (
              <p class="muted-text">{t('dist.noAgents')}</p>
            ) : (
              <ul class="capacity-list">
                {agents.value.map((a) => (
                  <li key={a.id}>
                    <span>{a.name}</span>
                    <span class="muted-text">{t('team.maxChats', { n: a.max_chats })}</span>
                  </li>
                ))}
              </ul>
            )}
            <Link href="/team">{t('dist.capacityLink')}</Link>
          </section>
        </div>
      )}
    </section>
  );
}

import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { api, isApiError } from '../api/client';
import type { User } from '../api/types';
import { roleAtLeast, user } from '../app/session';
import { problemMessage } from '../forms/validate';
import { t, type Msg } from '../i18n';
import { FormError, Notice } from '../ui/Messages';
import { NoAccess, PageHeading } from '../ui/Page';
import { AddMemberForm } from './AddMemberForm';
import { MemberRow } from './MemberRow';

export function TeamPage() {
  const me = user.value;
  if (!me || !roleAtLeast(me.role, 'supervisor')) {
    return <NoAccess title={t('team.title')} text={t('access.supervisors')} />;
  }
  return <Team me={me} />;
}

function Team({ me }: { me: User }) {
  const members = useSignal<User[]>([]);
  const cursor = useSignal<string | null>(null);
  const loading = useSignal(true);
  const loadError = useSignal<Msg | null>(null);
  const notice = useSignal<Msg | null>(null);

  async function load(more: boolean) {
    loading.value = true;
    loadError.value = null;
    try {
      const page = await api.listUsers(more ? cursor.value : null);
      members.value = more ? [...members.value, ...page.items] : page.items;
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

  function replace(u: User) {
    members.value = members.value.map((m) => (m.id === u.id ? u : m));
  }

  return (
    <section class="page">
      <PageHeading title={t('team.title')} />
      <p class="muted-text">{t('team.intro')}</p>
      <Notice msg={notice.value} />
      <div class="columns">
        <section class="card" aria-labelledby="team-members">
          <h2 id="team-members">{t('team.members')}</h2>
          {loading.value && members.value.length === 0 && (
            <p class="muted-text" role="status">
              {t('app.loading')}
            </p>
          )}
          <FormError msg={loadError.value} />
          {loadError.value && (
            <button type="button" class="btn btn-quiet" onClick={() => load(false)}>
              {t('common.retry')}
            </button>
          )}
          <ul class="member-list">
            {members.value.map((m) => (
              <MemberRow
                key={m.id}
                member={m}
                me={me}
                onChanged={(u, msg) => {
                  replace(u);
                  notice.value = msg;
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
        <section class="card" aria-labelledby="team-add">
          <h2 id="team-add">{t('team.add')}</h2>
          <AddMemberForm
            me={me}
            onAdded={(u) => {
              members.value = [...members.value, u];
              notice.value = {
                key: 'team.added',
                params: { name: u.name, role: { key: `role.${u.role}` } },
              };
            }}
          />
        </section>
      </div>
    </section>
  );
}


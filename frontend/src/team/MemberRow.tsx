import { useSignal } from '@preact/signals';
import { useId } from 'preact/hooks';
import { api, isApiError } from '../api/client';
import { TEAM_ROLES, type TeamRole, type User } from '../api/types';
import { problemMessage } from '../forms/validate';
import { formatDateTime } from '../i18n/format';
import { t, tm, type Msg } from '../i18n';
import { ConfirmButton } from '../ui/ConfirmButton';

// One person of the team, with what the viewer may do to them: the owner changes roles of
// supervisors and agents; owner and supervisors deactivate those below them (never themselves).
export function MemberRow(props: {
  member: User;
  me: User;
  onChanged: (u: User, notice: Msg) => void;
}) {
  const { member: m, me } = props;
  const busy = useSignal(false);
  const error = useSignal<Msg | null>(null);
  const selectId = `role-${useId()}`;
  const self = m.id === me.id;
  const canManage =
    !self && m.role !== 'owner' && (me.role === 'owner' || (me.role === 'supervisor' && m.role === 'agent'));
  const canChangeRole = canManage && me.role === 'owner' && m.active;

  async function run(action: () => Promise<User>, notice: (u: User) => Msg) {
    busy.value = true;
    error.value = null;
    try {
      const u = await action();
      props.onChanged(u, notice(u));
    } catch (e) {
      if (!isApiError(e)) throw e;
      if (e.status !== 401) error.value = problemMessage(e);
    } finally {
      busy.value = false;
    }
  }

  const changeRole = (role: TeamRole) =>
    run(
      () => api.updateUser(m.id, { role }),
      (u) => ({ key: 'team.roleChanged', params: { name: u.name, role: { key: `role.${u.role}` } } }),
    );
  const deactivate = () =>
    run(
      async () => {
        await api.deactivateUser(m.id);
        return { ...m, active: false };
      },
      (u) => ({ key: 'team.deactivated', params: { name: u.name } }),
    );
  const reactivate = () =>
    run(
      () => api.updateUser(m.id, { active: true }),
      (u) => ({ key: 'team.reactivated', params: { name: u.name } }),
    );

  return (
    <li class={m.active ? 'member' : 'member member-inactive'}>
      <div class="member-main">
        <span class="member-name">
          {m.name}
          {self && <span class="muted-text"> ({t('common.you')})</span>}
        </span>
        <span class="member-email">{m.email}</span>
        <span class="member-meta">
          <span class={`presence-dot presence-${m.presence}`} aria-hidden="true" />
          {t(`presence.${m.presence}`)}
          {' · '}
          {m.last_login_at
            ? t('team.lastLogin', { when: formatDateTime(m.last_login_at) })
            : t('team.neverLoggedIn')}
          {' · '}
          {t('team.maxChats', { n: m.max_chats })}
        </span>
      </div>
      <div class="member-side">
        {canChangeRole ? (
          <div class="inline-field">
            <label for={selectId} class="visually-hidden">
              {t('team.changeRoleLabel', { name: m.name })}
            </label>
            <select
              id={selectId}
              value={m.role}
              disabled={busy.value}
              onChange={(e) => changeRole((e.currentTarget as HTMLSelectElement).value as TeamRole)}
            >
              {TEAM_ROLES.map((r) => (
                <option key={r} value={r}>
                  {t(`role.${r}`)}
                </option>
              ))}
            </select>
          </div>
        ) : (
          <span class={`badge badge-role-${m.role}`}>{t(`role.${m.role}`)}</span>
        )}
        {!m.active && <span class="badge badge-inactive">{t('team.inactive')}</span>}
        {canManage && m.active && (
          <ConfirmButton
            label={t('team.deactivate')}
            ariaLabel={t('team.deactivateLabel', { name: m.name })}
            question={t('team.confirmDeactivate', { name: m.name })}
            yes={t('team.confirmYes')}
            busy={busy.value}
            onConfirm={deactivate}
          />
        )}
        {canManage && !m.active && (
          <button
            type="button"
            class="btn btn-quiet"
            disabled={busy.value}
            aria-label={t('team.reactivateLabel', { name: m.name })}
            onClick={reactivate}
          >
            {t('team.reactivate')}
          </button>
        )}
      </div>
      {error.value && (
        <p class="field-error member-error" role="alert">
          {tm(error.value)}
        </p>
      )}
    </li>
  );
}

import { useState, type FormEvent } from 'react';
import { orgSettingsApi } from '../../api/org-settings.ts';
import type { Member, OrgRole } from '../../api/org-settings-types.ts';
import type { Org } from '../../api/types.ts';
import { Confirmable } from '../../components/Confirm.tsx';
import { Empty, ErrorState, Loading } from '../../components/States.tsx';
import { useOrg } from '../../org.tsx';
import { useSession } from '../../session.tsx';
import {
  can,
  OrgSettingsLayout,
  Outcome,
  roleName,
  useSettingsAction,
  useRefreshable,
} from './OrgSettingsLayout.tsx';
import { TableScroll } from '../../components/TableScroll.tsx';

const ROLES: OrgRole[] = ['owner', 'admin', 'member', 'viewer'];
const ROLE_HINTS: Record<OrgRole, string> = {
  owner: 'everything, including owners and billing',
  admin: 'settings, members (not owners), webhooks',
  member: 'sites, scans, findings and API tokens',
  viewer: 'reads only',
};
const since = (iso: string) => new Date(iso).toLocaleDateString();

/**
 * The server's rules, applied before asking it (src/modules/orgs/routes.ts): only an owner makes,
 * changes or removes an owner, and an organisation keeps at least one owner.
 */
function rulesFor(org: Org, members: Member[]) {
  const owners = members.filter((m) => m.role === 'owner').length;
  const isOwner = org.role === 'owner';
  return {
    grantable: ROLES.filter((r) => r !== 'owner' || isOwner),
    /** Why this member's role cannot be changed or the member removed here, if so. */
    locked(member: Member): string | undefined {
      if (member.role === 'owner' && !isOwner) return 'Only an owner changes or removes an owner.';
      if (member.role === 'owner' && owners <= 1)
        return 'The only owner: make another member owner before changing this role or leaving.';
      return undefined;
    },
  };
}

function MemberRow({
  org,
  member,
  me,
  locked,
  grantable,
  action,
  onChanged,
}: {
  org: Org;
  member: Member;
  me: boolean;
  locked: string | undefined;
  grantable: OrgRole[];
  action: ReturnType<typeof useSettingsAction>;
  onChanged(me: boolean): Promise<void>;
}) {
  const editable = can(org, 'members:write');
  const [role, setRole] = useState<OrgRole>(member.role);
  const [confirming, setConfirming] = useState(false);
  const { busy, pending, run, setError } = action;
  const who = me ? `${member.email} (you)` : member.email;
  return (
    <tr data-testid="member-row">
      <td>{who}</td>
      <td>
        <span className={`badge org-role-${member.role}`} data-testid="member-role">
          {roleName(member.role)}
        </span>
      </td>
      <td>{since(member.since)}</td>
      {editable && (
        <td>
          {locked ? (
            <span className="hint">{locked}</span>
          ) : (
            <div className="actions">
              <label className="visually-hidden" htmlFor={`role-${member.id}`}>
                Role of {member.email}
              </label>
              <select
                id={`role-${member.id}`}
                value={role}
                onChange={(event) => setRole(event.target.value as OrgRole)}
                disabled={busy}
              >
                {grantable.map((r) => (
                  <option key={r} value={r}>
                    {roleName(r)}
                  </option>
                ))}
              </select>
              <button
                type="button"
                className="button secondary"
                disabled={busy}
                aria-label={`Change role of ${member.email}`}
                onClick={() =>
                  role === member.role
                    ? setError(
                        new Error(
                          `Role: ${member.email} is already ${roleName(role).toLowerCase()}; choose another role first.`,
                        ),
                      )
                    : void run(member.id, async () => {
                        await orgSettingsApi.putMember(org.id, { email: member.email, role });
                        await onChanged(me);
                        return `${member.email} is now ${roleName(role).toLowerCase()}.`;
                      })
                }
              >
                Change role
              </button>
              {/* Leaving is the "Leave organisation" section below, for every role. */}
              {!me && (
                <Confirmable
                  asking={confirming}
                  ask="Remove"
                  askLabel={`Remove ${member.email}`}
                  onAsk={() => setConfirming(true)}
                  label={`Confirm removing ${member.email}`}
                  confirm="Yes, remove"
                  working="Removing…"
                  cancel="Cancel"
                  disabled={busy}
                  busy={pending === member.id}
                  onCancel={() => setConfirming(false)}
                  onConfirm={() =>
                    void run(member.id, async () => {
                      await orgSettingsApi.removeMember(org.id, member.id);
                      setConfirming(false);
                      await onChanged(me);
                      return `${member.email} was removed.`;
                    })
                  }
                />
              )}
            </div>
          )}
        </td>
      )}
    </tr>
  );
}

function AddMember({
  org,
  grantable,
  onAdded,
}: {
  org: Org;
  grantable: OrgRole[];
  onAdded(): Promise<void>;
}) {
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<OrgRole>('member');
  const { busy, error, notice, run } = useSettingsAction();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run('add', async () => {
      const added = await orgSettingsApi.putMember(org.id, { email: email.trim(), role });
      setEmail('');
      await onAdded();
      return `${added.email} is a ${roleName(added.role).toLowerCase()} of ${org.name}.`;
    });
  };
  return (
    <section className="card" aria-labelledby="member-add-heading">
      <h2 id="member-add-heading">Add a member</h2>
      <p className="hint">
        They see {org.name} the next time they sign in with this address. Adding someone who is already a
        member changes their role.
      </p>
      <form className="form" onSubmit={submit}>
        <label htmlFor="member-email">Email address</label>
        <input
          id="member-email"
          type="email"
          required
          maxLength={254}
          autoComplete="off"
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          disabled={busy}
        />
        <label htmlFor="member-role">Role</label>
        <select
          id="member-role"
          value={role}
          onChange={(event) => setRole(event.target.value as OrgRole)}
          disabled={busy}
        >
          {grantable.map((r) => (
            <option key={r} value={r}>
              {roleName(r)}: {ROLE_HINTS[r]}
            </option>
          ))}
        </select>
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Adding…' : 'Add member'}
        </button>
        <Outcome error={error} notice={notice} />
      </form>
    </section>
  );
}

/**
 * Leaving the organisation, offered to every role (POST /orgs/:orgId/leave); the only owner is told
 * to hand ownership over first, as the server refuses it (409).
 */
function LeaveOrg({ org, onlyOwner }: { org: Org; onlyOwner: boolean }) {
  const { reload: reloadOrgs } = useOrg();
  const { busy, error, notice, run } = useSettingsAction();
  const [confirming, setConfirming] = useState(false);
  return (
    <section className="card" aria-labelledby="member-leave-heading">
      <h2 id="member-leave-heading">Leave organisation</h2>
      {onlyOwner ? (
        <p className="hint">
          You are the only owner of {org.name}: make another member owner before leaving.
        </p>
      ) : (
        <>
          <p className="hint">
            You lose access to {org.name}’s sites, scans and findings. A member with the right to add members
            can add you again.
          </p>
          <Confirmable
            asking={confirming}
            ask="Leave organisation"
            onAsk={() => setConfirming(true)}
            label={`Confirm leaving ${org.name}`}
            confirm={`Yes, leave ${org.name}`}
            working="Leaving…"
            cancel="Cancel"
            busy={busy}
            onCancel={() => setConfirming(false)}
            onConfirm={() =>
              void run('leave', async () => {
                await orgSettingsApi.leave(org.id);
                setConfirming(false);
                await reloadOrgs();
                return `You left ${org.name}.`;
              })
            }
          />
        </>
      )}
      <Outcome error={error} notice={notice} />
    </section>
  );
}

function Members({ org }: { org: Org }) {
  const { state: session } = useSession();
  const { reload: reloadOrgs } = useOrg();
  const state = useRefreshable(() => orgSettingsApi.members(org.id));
  const action = useSettingsAction();
  const myId = session.status === 'signed-in' ? session.current.user.id : undefined;
  const editable = can(org, 'members:write');

  if (state.status === 'loading') return <Loading label="Loading members…" />;
  if (state.status === 'error')
    return <ErrorState error={state.error} onRetry={() => void state.refresh()} />;
  const { members } = state.data;
  const rules = rulesFor(org, members);
  // A change to my own membership changes what I may do (or whether I still belong): reload the list.
  const onChanged = (me: boolean) => (me ? reloadOrgs() : state.refresh());
  return (
    <div className="settings">
      <section className="card" aria-labelledby="members-heading">
        <h2 id="members-heading">Members ({members.length})</h2>
        {members.length === 0 ? (
          <Empty>No members.</Empty>
        ) : (
          <TableScroll label={`Members of ${org.name} and their roles`}>
            <table className="org-members">
              <caption className="visually-hidden">Members of {org.name} and their roles</caption>
              <thead>
                <tr>
                  <th scope="col">Email</th>
                  <th scope="col">Role</th>
                  <th scope="col">Member since</th>
                  {editable && (
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  )}
                </tr>
              </thead>
              <tbody>
                {members.map((m) => (
                  <MemberRow
                    key={`${m.id}-${m.role}`}
                    org={org}
                    member={m}
                    me={m.id === myId}
                    locked={rules.locked(m)}
                    grantable={rules.grantable}
                    action={action}
                    onChanged={onChanged}
                  />
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
        <Outcome error={action.error} notice={action.notice} />
        <dl className="org-role-help">
          {ROLES.map((r) => (
            <div key={r}>
              <dt>{roleName(r)}</dt>
              <dd>{ROLE_HINTS[r]}</dd>
            </div>
          ))}
        </dl>
        {!editable && <p className="hint">Owners and admins add, change and remove members.</p>}
      </section>
      {editable && <AddMember org={org} grantable={rules.grantable} onAdded={state.refresh} />}
      <LeaveOrg
        org={org}
        onlyOwner={org.role === 'owner' && members.filter((m) => m.role === 'owner').length <= 1}
      />
    </div>
  );
}

/** /org/members: who belongs to the current organisation, with which role (docs/web.md). */
export function OrgMembersPage() {
  return (
    <OrgSettingsLayout>{(org) => <Members key={`${org.id}-${org.role}`} org={org} />}</OrgSettingsLayout>
  );
}

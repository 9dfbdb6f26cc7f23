import { useOrg } from '../org.tsx';

/** The organisation every organisation-scoped screen works on; shown once the user belongs to one. */
export function OrgSwitcher() {
  const { state, select } = useOrg();
  if (state.status !== 'ready' || state.orgs.length === 0) return null;
  return (
    <label className="org-switcher">
      <span className="visually-hidden">Organisation</span>
      <select value={state.current?.id ?? ''} onChange={(event) => select(event.target.value)}>
        {state.orgs.map((org) => (
          <option key={org.id} value={org.id}>
            {org.name}
          </option>
        ))}
      </select>
    </label>
  );
}

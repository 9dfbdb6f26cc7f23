import { useEffect, type ReactNode } from 'react';
import { ErrorState, Loading, PageTitle } from '../../components/States.tsx';
import { href, Link, useRouter } from '../../router.tsx';
import { useSession } from '../../session.tsx';
import '../../styles/admin.css';
import { AuditSection } from './AuditLog.tsx';
import { DisclosureSection } from './Disclosure.tsx';
import { IncidentsSection } from './Incidents.tsx';
import { RetentionSection } from './Retention.tsx';
import { allowedSections, type AdminSectionId } from './sections.ts';
import { SupportSection } from './SupportInbox.tsx';

const render: Record<AdminSectionId, () => ReactNode> = {
  retention: () => <RetentionSection />,
  support: () => <SupportSection />,
  audit: () => <AuditSection />,
  disclosure: () => <DisclosureSection />,
  incidents: () => <IncidentsSection />,
};

const TITLE = 'Admin console';

function NotAllowed({ children }: { children: ReactNode }) {
  return (
    <div className="narrow">
      <PageTitle>{TITLE}</PageTitle>
      <div className="card admin-denied" role="alert" data-testid="admin-denied">
        <h2>Not allowed</h2>
        {children}
      </div>
    </div>
  );
}

/** /admin and /admin/:section: the staff console, one tab per section the user's role may use. */
export function AdminPage({ section }: { section?: string }) {
  const { state } = useSession();
  const { navigate } = useRouter();
  const permissions = state.status === 'signed-in' ? state.current.user.permissions : [];
  const sections = allowedSections(permissions);
  const first = sections[0];
  // /admin opens the first section the user may see, so the tab shows as current.
  useEffect(() => {
    if (!section && first) navigate(href('adminSection', { section: first.id }), { replace: true });
  }, [section, first, navigate]);

  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <ErrorState error={state.error} />;
  if (state.status === 'signed-out')
    return (
      <NotAllowed>
        <p>
          The admin console is for VIOscan staff. <Link to={href('signIn')}>Sign in</Link> with a staff
          account.
        </p>
      </NotAllowed>
    );
  if (!first)
    return (
      <NotAllowed>
        <p>
          Your account ({state.current.user.email}) has no staff role, so the admin console is not available
          to it. Staff roles are granted by an administrator (<code>vioscan admin grant</code>).
        </p>
      </NotAllowed>
    );
  const current = sections.find((s) => s.id === section);
  return (
    <div className="admin">
      <PageTitle lead={`Signed in as ${state.current.user.email} (${state.current.user.platformRole}).`}>
        {TITLE}
      </PageTitle>
      <nav aria-label="Admin sections" className="admin-tabs">
        <ul>
          {sections.map((s) => (
            <li key={s.id}>
              <Link to={href('adminSection', { section: s.id })}>{s.label}</Link>
            </li>
          ))}
        </ul>
      </nav>
      {current ? (
        <div className="admin-section">{render[current.id]()}</div>
      ) : section ? (
        <div role="alert" className="state state-error" data-testid="admin-denied">
          <p>
            <strong>Not allowed.</strong> There is no section “{section}” for your role.
          </p>
        </div>
      ) : (
        <Loading />
      )}
    </div>
  );
}

import { useEffect, useRef, useState, type ReactNode } from 'react';
import { href, Link, useRouter } from '../router.tsx';
import { useSession } from '../session.tsx';
import { OrgSwitcher } from './OrgSwitcher.tsx';
import { useFocusReturn } from './useFocusReturn.ts';
import { ThemeToggle } from './ThemeToggle.tsx';

function AccountMenu() {
  const { state, signOut } = useSession();
  const { navigate } = useRouter();
  const [open, setOpen] = useState(false);
  const menu = useRef<HTMLDivElement>(null);
  // Focus moves into the menu; Escape closes it and focus returns to the button.
  const list = useFocusReturn<HTMLUListElement>({ open, onClose: () => setOpen(false) });
  useEffect(() => {
    if (!open) return;
    const close = (event: MouseEvent) => {
      if (menu.current?.contains(event.target as Node)) return;
      setOpen(false);
    };
    document.addEventListener('click', close);
    return () => document.removeEventListener('click', close);
  }, [open]);

  if (state.status !== 'signed-in')
    return (
      <Link to={href('signIn')} className="button secondary">
        Sign in
      </Link>
    );
  const email = state.current.user.email;
  return (
    <div className="account-menu" ref={menu}>
      <button
        type="button"
        className="button ghost"
        aria-haspopup="true"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        <span className="avatar" aria-hidden="true">
          {email.slice(0, 1).toUpperCase()}
        </span>
        <span className="account-email">{email}</span>
      </button>
      {open && (
        <ul className="menu" ref={list}>
          <li>
            <Link to={href('account')}>Account settings</Link>
          </li>
          {state.current.user.permissions.length > 0 && (
            <li>
              <Link to={href('admin')}>Admin</Link>
            </li>
          )}
          <li>
            <button
              type="button"
              onClick={() => {
                setOpen(false);
                void signOut().then(() => navigate(href('landing')));
              }}
            >
              Sign out
            </button>
          </li>
        </ul>
      )}
    </div>
  );
}

/** The scanning service's pages for signed-in users (docs/web.md), the public pages for everyone else. */
function ServiceLinks() {
  const { state } = useSession();
  // Signed-in users get their working pages; the public pages stay one click away in the footer.
  if (state.status !== 'signed-in')
    return (
      <>
        <Link to={href('security')}>Security &amp; Privacy</Link>
        <Link to={href('status')}>Status</Link>
      </>
    );
  return (
    <>
      <Link to={href('sites')} section>
        Sites
      </Link>
      <Link to={href('findings')}>Findings</Link>
      <Link to={href('org')} section>
        Organisation
      </Link>
    </>
  );
}

export function Shell({ children }: { children: ReactNode }) {
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <div className="topbar-inner">
          <Link to={href('landing')} className="brand">
            <img src="/assets/favicon.svg" alt="" width="28" height="28" />
            <span>VIOscan</span>
          </Link>
          <nav aria-label="Main" className="main-nav">
            <Link to={href('landing')}>Scan</Link>
            <ServiceLinks />
          </nav>
          <div className="topbar-actions">
            <OrgSwitcher />
            <ThemeToggle />
            <AccountMenu />
          </div>
        </div>
      </header>
      <main id="main" className="content">
        {children}
      </main>
      <footer className="footer">
        <p>
          VIOscan · <Link to={href('security')}>Security &amp; Privacy</Link> ·{' '}
          <Link to={href('status')}>Status</Link> · <Link to={href('support')}>Support</Link> ·{' '}
          <a href="/api/openapi.json">API</a>
        </p>
      </footer>
    </div>
  );
}

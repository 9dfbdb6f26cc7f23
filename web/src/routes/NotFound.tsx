import { PageTitle } from '../components/States.tsx';
import { href, Link } from '../router.tsx';
import { useSession } from '../session.tsx';

/** Any path the app does not know (the server answers it with 404 and this page): ways on. */
export function NotFoundPage() {
  const { state } = useSession();
  const signedIn = state.status === 'signed-in';
  return (
    <>
      <PageTitle lead="There is no page at this address. It may have moved, or the link is incomplete.">
        Page not found
      </PageTitle>
      <nav aria-label="Ways on" className="card">
        <ul className="link-list">
          <li>
            <Link to={href('landing')}>Start page: scan a site</Link>
          </li>
          {signedIn ? (
            <>
              <li>
                <Link to={href('sites')}>Your sites</Link>
              </li>
              <li>
                <Link to={href('findings')}>Findings</Link>
              </li>
            </>
          ) : (
            <li>
              <Link to={href('signIn')}>Sign in or create an account</Link>
            </li>
          )}
          <li>
            <Link to={href('status')}>Service status</Link>
          </li>
          <li>
            <Link to={href('support')}>Contact support</Link>
          </li>
        </ul>
      </nav>
    </>
  );
}

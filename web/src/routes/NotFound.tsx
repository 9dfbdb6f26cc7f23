import { PageTitle } from '../components/States.tsx';
import { href, Link } from '../router.tsx';

export function NotFoundPage() {
  return (
    <>
      <PageTitle lead="There is no page at this address.">Page not found</PageTitle>
      <p>
        <Link to={href('landing')}>Go to the start page</Link>
      </p>
    </>
  );
}

import { api, ApiError } from '../api/client.ts';
import { rememberScan } from '../api/scan-cache.ts';
import { retryMinutes } from '../components/errors.ts';
import { PageTitle } from '../components/States.tsx';
import { useUrlForm } from '../components/useUrlForm.ts';
import { href, Link, useRouter } from '../router.tsx';

const features = [
  ['Transport', 'HTTPS, TLS 1.2+, certificates, HSTS and redirects.'],
  [
    'Headers',
    'Content-Security-Policy, framing, MIME sniffing, referrer, permissions and cross-origin policies, CORS.',
  ],
  ['Cookies', 'Secure, HttpOnly, SameSite, prefixes and lifetimes.'],
  ['Content', 'Mixed content, subresource integrity and form targets.'],
  ['Disclosure', 'security.txt (RFC 9116), server banners and exposed files.'],
  [
    'Privacy',
    'A real browser visits the page three times: trackers and cookies before consent, after you reject, and with GPC.',
  ],
  ['Accessibility', 'The same visit checked with axe-core, rule by rule.'],
  ['Deadlines', 'Every finding gets a fix and a deadline: critical 1 day, high 3, medium 30, low 90.'],
] as const;

function messageFor(error: unknown): string {
  if (!(error instanceof ApiError)) return 'The scan failed unexpectedly. Try again.';
  switch (error.code) {
    case 'target_not_allowed':
      return 'This address cannot be scanned: private, loopback and internal addresses are refused.';
    case 'validation_failed':
      return 'Enter a full web address, such as https://example.com.';
    case 'rate_limited': {
      const minutes = retryMinutes(error);
      return `You have made several scans in a short time. Try again in ${minutes ? `${minutes} minute${minutes === 1 ? '' : 's'}` : 'a few minutes'}, or sign in.`;
    }
    default:
      return error.message;
  }
}

export function LandingPage() {
  const { navigate } = useRouter();
  const { url, setUrl, busy, error, submit } = useUrlForm(async (target) => {
    const scan = await api.createPublicScan(target);
    rememberScan(scan);
    navigate(href('report', { id: scan.id }));
  });

  return (
    <div className="landing">
      <section className="hero">
        <PageTitle lead="VIOscan checks a website's transport security, HTTP headers, cookies, content and disclosure, visits it in a real browser for trackers and accessibility, grades it, and tells you exactly what to fix and by when.">
          Find security and privacy violations before attackers do
        </PageTitle>
        <form className="scan-form card" onSubmit={submit} aria-describedby="scan-help">
          <label htmlFor="scan-url">Website address</label>
          <div className="scan-row">
            <input
              id="scan-url"
              name="url"
              type="text"
              inputMode="url"
              autoComplete="url"
              placeholder="https://example.com"
              required
              maxLength={2048}
              value={url}
              onChange={(event) => setUrl(event.target.value)}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? 'scan-error' : undefined}
              disabled={busy}
            />
            <button type="submit" className="button primary" disabled={busy}>
              {busy ? 'Scanning…' : 'Scan'}
            </button>
          </div>
          <p id="scan-help" className="hint">
            No account needed. The security report comes within a minute; the privacy and accessibility checks
            follow when a browser is free. The report stays available for an hour. Only scan sites you are
            allowed to test.
          </p>
          {busy && (
            <p className="state state-loading" role="status">
              <span className="spinner" aria-hidden="true" /> Scanning {url}…
            </p>
          )}
          {error !== undefined && (
            <p id="scan-error" className="state state-error" role="alert">
              {messageFor(error)}
            </p>
          )}
        </form>
      </section>
      <section aria-labelledby="what-heading" className="features">
        <h2 id="what-heading">What a scan checks</h2>
        <ul className="feature-grid">
          {features.map(([title, text]) => (
            <li key={title} className="card">
              <h3>{title}</h3>
              <p>{text}</p>
            </li>
          ))}
        </ul>
        <p>
          Teams can <Link to={href('signIn')}>sign in</Link> to monitor their sites, track findings and use
          the API from CI. Read how we protect your data on our{' '}
          <Link to={href('security')}>Security &amp; Privacy</Link> page.
        </p>
      </section>
    </div>
  );
}

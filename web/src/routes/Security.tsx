import { api } from '../api/client.ts';
import type { FactStatus, SecurityPage as SecurityData } from '../api/types.ts';
import { Empty, ErrorState, Loading, PageTitle } from '../components/States.tsx';
import { useAsync } from '../components/useAsync.ts';
import { href, Link } from '../router.tsx';
import '../styles/privacy.css';
import { TableScroll } from '../components/TableScroll.tsx';

const statusText: Record<FactStatus, string> = {
  live: 'In place',
  warning: 'Needs attention',
  off: 'Not configured',
  not_built: 'Not yet built',
};

function Sections({ data }: { data: SecurityData }) {
  return (
    <>
      {data.sections.map((section) => (
        <section key={section.id} aria-labelledby={`s-${section.id}`} className="card trust-section">
          <h2 id={`s-${section.id}`}>{section.title}</h2>
          <dl className="facts">
            {section.facts.map((fact) => (
              <div key={fact.label} className="fact">
                <dt>{fact.label}</dt>
                <dd>
                  <span className={`badge fact-${fact.status}`}>{statusText[fact.status]}</span> {fact.value}
                </dd>
              </div>
            ))}
          </dl>
        </section>
      ))}
      <section aria-labelledby="s-subprocessors" className="card trust-section">
        <h2 id="s-subprocessors">Subprocessors</h2>
        {data.subprocessors.length === 0 ? (
          <Empty>None: this instance sends your data to no third party.</Empty>
        ) : (
          <TableScroll label="Subprocessors">
            <table>
              <thead>
                <tr>
                  <th scope="col">Provider</th>
                  <th scope="col">Purpose</th>
                  <th scope="col">Notes</th>
                </tr>
              </thead>
              <tbody>
                {data.subprocessors.map((s) => (
                  <tr key={s.provider}>
                    <th scope="row">{s.provider}</th>
                    <td>{s.purpose}</td>
                    <td>{s.notes}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
      </section>
      <section aria-labelledby="s-cookies" className="card trust-section">
        <h2 id="s-cookies">Cookies</h2>
        <p>Every cookie this instance sets. There are no analytics, advertising or third-party cookies.</p>
        <TableScroll label="Cookies this instance sets">
          <table className="cookie-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Purpose</th>
                <th scope="col">Lifetime</th>
                <th scope="col">Essential</th>
              </tr>
            </thead>
            <tbody>
              {data.cookies.map((c) => (
                <tr key={c.name} data-testid="cookie-row">
                  <th scope="row">
                    <code>{c.name}</code>
                  </th>
                  <td>{c.purpose}</td>
                  <td>{c.lifetime}</td>
                  <td>{c.essential ? 'Yes' : 'No'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
        {data.browserStorage.length > 0 && (
          <>
            <h3>Kept in your browser only</h3>
            <ul>
              {data.browserStorage.map((item) => (
                <li key={item.name}>
                  <code>{item.name}</code>: {item.purpose}
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
      <section aria-labelledby="s-status" className="card trust-section">
        <h2 id="s-status">Status and uptime</h2>
        <p>
          The current readiness of every component is on the <Link to={href('status')}>status page</Link>.
          Uptime history is not yet built.
        </p>
      </section>
      <section aria-labelledby="s-disclosure" className="card trust-section">
        <h2 id="s-disclosure">Vulnerability disclosure policy</h2>
        <p>
          If you believe you have found a security vulnerability, we appreciate responsible disclosure. Please
          contact us with details sufficient to reproduce the issue.
        </p>
        <ul>
          <li>Do not access, modify, or exfiltrate data that is not yours.</li>
          <li>
            Avoid actions that could degrade service (DDoS, spam, brute force, automated scanning against
            production).
          </li>
          <li>Give us reasonable time to investigate and fix before public disclosure.</li>
          <li>Testing must respect applicable laws and terms.</li>
        </ul>
        <p>We do not operate a paid bug bounty. Good-faith reports receive acknowledgement.</p>
        <p>
          {data.links.securityTxt ? (
            <>
              Our security.txt is at <a href={data.links.securityTxt}>{data.links.securityTxt}</a>.
            </>
          ) : (
            <>
              <span className="badge fact-not_built">Not yet built</span> This instance does not publish a
              security.txt yet.
            </>
          )}
        </p>
      </section>
      <p className="hint">
        Generated from this instance's live configuration and state at{' '}
        <time dateTime={data.generatedAt}>{new Date(data.generatedAt).toLocaleString()}</time>.
      </p>
    </>
  );
}

export function SecurityPage() {
  const state = useAsync(() => api.securityPage());
  return (
    <>
      <PageTitle lead="How this VIOscan instance protects your data, read from its running configuration: what is in place, what is not configured, and what is not built yet.">
        Security &amp; Privacy
      </PageTitle>
      {state.status === 'loading' && <Loading />}
      {state.status === 'error' && <ErrorState error={state.error} onRetry={state.reload} />}
      {state.status === 'done' && <Sections data={state.data} />}
    </>
  );
}

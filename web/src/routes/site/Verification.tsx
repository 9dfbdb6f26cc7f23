import { Fragment, useState } from 'react';
import { ApiError } from '../../api/http.ts';
import type { Site, VerificationMethod } from '../../api/service-types.ts';
import { sitesApi } from '../../api/sites.ts';
import type { Org } from '../../api/types.ts';
import { CopyButton } from '../../components/CopyButton.tsx';
import { useAction } from '../../components/useAction.ts';

const methodName: Record<VerificationMethod, string> = { dns: 'DNS TXT record', file: 'verification file' };

/** `verification_failed` carries `{method, reason}`: say what was wrong and what to check. */
export function verificationMessage(error: unknown): string {
  if (!(error instanceof ApiError)) return 'The check could not be run. Try again.';
  if (error.code !== 'verification_failed') return error.message;
  const { method, reason = '' } = (error.details ?? {}) as { method?: VerificationMethod; reason?: string };
  const what = method ? methodName[method] : 'record or file';
  if (reason === 'no_record')
    return `No TXT record was found at that name. DNS changes can take a while to appear.`;
  if (reason === 'token_mismatch') return `The ${what} was found but does not hold this site's token.`;
  if (reason === 'lookup_failed') return 'The DNS lookup failed. Try again in a moment.';
  if (reason.startsWith('http_'))
    return `The verification file answered HTTP ${reason.slice(5)}; it must answer 200 with the token.`;
  if (reason === 'target_not_allowed') return 'The site resolves to an address that may not be fetched.';
  return `The ${what} could not be checked (${reason || 'unknown reason'}).`;
}

/** A value to publish: what it is, the value (wrapping where long), and a Copy button when asked. */
type Fact = [term: string, value: string, wraps: boolean, copy?: string];

/** One way to prove ownership: what to publish and its check button. */
function VerifyMethod({
  title,
  intro,
  facts,
  action,
  disabled,
  checking,
  onVerify,
}: {
  title: string;
  intro?: string;
  facts: Fact[];
  action: string;
  disabled: boolean;
  checking: boolean;
  onVerify(): void;
}) {
  return (
    <div className="verify-method">
      <h3>{title}</h3>
      {intro && <p>{intro}</p>}
      <dl className="kv">
        {facts.map(([term, value, wraps, copy]) => (
          <Fragment key={term}>
            <dt>{term}</dt>
            <dd>
              <code className={wraps ? 'break' : undefined}>{value}</code>
              {copy && (
                <span className="copy-inline">
                  <CopyButton text={value} label={copy} />
                </span>
              )}
            </dd>
          </Fragment>
        ))}
      </dl>
      <button type="button" className="button secondary" disabled={disabled} onClick={onVerify}>
        {checking ? 'Checking…' : action}
      </button>
    </div>
  );
}

/**
 * Ownership: the two ways to prove it with the exact values to publish (each with Copy) until the
 * site is verified; then only who verified it and when.
 */
export function Verification({
  org,
  site,
  onChange,
}: {
  org: Org;
  site: Site;
  onChange: (site: Site) => void;
}) {
  const { busy, pending, error, run } = useAction();
  const [done, setDone] = useState(false);
  const { verification: v } = site;
  const verify = (method: VerificationMethod) => {
    setDone(false);
    return run(async () => {
      onChange(await sitesApi.verify(org.id, site.id, method));
      setDone(true);
    }, method);
  };
  return (
    <section className="card" aria-labelledby="verification-heading">
      <h2 id="verification-heading">Ownership</h2>
      {v.verified ? (
        <p>
          <span className="badge verified">Verified</span> by {v.method ? methodName[v.method] : 'an owner'}
          {v.verifiedAt && (
            <>
              {' '}
              on <time dateTime={v.verifiedAt}>{new Date(v.verifiedAt).toLocaleString()}</time>
            </>
          )}
          . Scheduled monitoring is available.
        </p>
      ) : (
        <>
          <p>
            <span className="badge unverified">Not verified</span> On-demand scans work on any site; prove
            that you own this one to monitor it on a schedule. Use either method.
          </p>
          <div className="verify-methods">
            <VerifyMethod
              title="DNS TXT record"
              facts={[
                ['Name', v.dns.name, true, 'Copy name'],
                ['Type', v.dns.type, false],
                ['Value', v.dns.value, true, 'Copy TXT value'],
              ]}
              action="Verify now by DNS"
              disabled={busy}
              checking={pending === 'dns'}
              onVerify={() => void verify('dns')}
            />
            <VerifyMethod
              title="Verification file"
              intro="Serve this file with status 200 and the token as its only content:"
              facts={[
                ['Address', v.file.url, true],
                ['Content', v.file.body, true, 'Copy token'],
              ]}
              action="Verify now by file"
              disabled={busy}
              checking={pending === 'file'}
              onVerify={() => void verify('file')}
            />
          </div>
        </>
      )}
      <div aria-live="polite">
        {done && v.verified && <p className="state notice-ok">Ownership verified.</p>}
        {error !== undefined && (
          <p className="state state-error" role="alert">
            <strong>Not verified.</strong> {verificationMessage(error)}
          </p>
        )}
      </div>
    </section>
  );
}

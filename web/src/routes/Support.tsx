import { useState, type FormEvent } from 'react';
import { privacyApi } from '../api/privacy.ts';
import type { SiteList } from '../api/privacy-types.ts';
import { SelectField } from '../components/SelectField.tsx';
import { Empty, ErrorState, Loading, PageTitle } from '../components/States.tsx';
import { useAction } from '../components/useAction.ts';
import { useAsync } from '../components/useAsync.ts';
import { useOrg } from '../org.tsx';
import { href, Link } from '../router.tsx';
import { useSession } from '../session.tsx';
import '../styles/privacy.css';

const NO_SITES: SiteList = { sites: [] };

function SupportForm({ email }: { email: string }) {
  const { current: org } = useOrg();
  // Sites are optional context; a member without sites:read simply gets no list.
  const sites = useAsync(
    () => (org ? privacyApi.sites(org.id).catch(() => NO_SITES) : Promise.resolve(NO_SITES)),
    [org?.id],
  );
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [siteId, setSiteId] = useState('');
  const { busy, error, run } = useAction();
  const [sent, setSent] = useState(false);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    return run(async () => {
      await privacyApi.sendSupport({
        subject: subject.trim(),
        body: body.trim(),
        ...(siteId && { siteId }),
      });
      setSent(true);
      setSubject('');
      setBody('');
      setSiteId('');
    });
  };

  if (sent)
    return (
      <div className="state support-sent" role="status">
        <p>
          <strong>Message sent.</strong> Support will reply by email to {email}.
        </p>
        <button type="button" className="button secondary" onClick={() => setSent(false)}>
          Write another message
        </button>
      </div>
    );
  const siteList = sites.status === 'done' ? sites.data.sites : [];
  return (
    <form className="card form support-form" onSubmit={(event) => void submit(event)}>
      {error !== undefined && <ErrorState error={error} />}
      <label htmlFor="support-subject">Subject</label>
      <input
        id="support-subject"
        required
        maxLength={200}
        value={subject}
        onChange={(event) => setSubject(event.target.value)}
      />
      {sites.status === 'loading' && <Loading label="Loading your sites…" />}
      {siteList.length > 0 && (
        <>
          <SelectField
            id="support-site"
            label="About a site (optional)"
            none="No particular site"
            value={siteId}
            options={siteList.map((site) => [site.id, `${site.name} (${site.host})`] as const)}
            onChange={setSiteId}
          />
        </>
      )}
      <label htmlFor="support-body">Message</label>
      <textarea
        id="support-body"
        required
        maxLength={20_000}
        value={body}
        onChange={(event) => setBody(event.target.value)}
      />
      <p className="hint">
        Messages are stored encrypted and kept as long as the retention table on the{' '}
        <Link to={href('security')}>Security &amp; Privacy</Link> page says.
      </p>
      <div>
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Sending…' : 'Send message'}
        </button>
      </div>
    </form>
  );
}

export function SupportPage() {
  const { state } = useSession();
  return (
    <div className="narrow">
      <PageTitle lead="Questions about a scan, a finding or your account: we answer by email.">
        Contact support
      </PageTitle>
      {state.status === 'loading' && <Loading />}
      {state.status === 'error' && <ErrorState error={state.error} />}
      {state.status === 'signed-out' && (
        <Empty>
          <Link to={href('signIn')}>Sign in</Link> to write to support. To report a security vulnerability,
          see the <Link to={href('security')}>Security &amp; Privacy</Link> page.
        </Empty>
      )}
      {state.status === 'signed-in' && <SupportForm email={state.current.user.email} />}
    </div>
  );
}

import { useState, type FormEvent, type ReactNode } from 'react';
import { isFinished, scansApi } from '../api/scans.ts';
import type { Scan, Site } from '../api/service-types.ts';
import { sitesApi } from '../api/sites.ts';
import type { Org } from '../api/types.ts';
import { errorMessage } from '../components/errors.ts';
import { FormProblems, useFormProblems } from '../components/FormProblems.tsx';
import { ScanProgress } from '../components/ScanProgress.tsx';
import { ErrorState, Loading, PageTitle } from '../components/States.tsx';
import { useAction } from '../components/useAction.ts';
import { useAsync } from '../components/useAsync.ts';
import { useOrg } from '../org.tsx';
import { href, Link } from '../router.tsx';
import { useSession } from '../session.tsx';
import { AddSiteForm } from './Sites.tsx';
import { Verification } from './site/Verification.tsx';
import '../styles/service.css';

/** Mail providers whose domain says nothing about the user's own site or company. */
const MAILBOX_DOMAINS = new Set([
  'gmail.com',
  'googlemail.com',
  'outlook.com',
  'hotmail.com',
  'live.com',
  'yahoo.com',
  'icloud.com',
  'me.com',
  'aol.com',
  'proton.me',
  'protonmail.com',
  'gmx.de',
  'gmx.net',
  'web.de',
  'mail.ru',
  'yandex.ru',
]);

/** From alice@shop.example.com: the site `shop.example.com` and the organisation "Shop". */
export function guessesFrom(email: string): { site?: string; org: string } {
  const domain = email.split('@')[1]?.toLowerCase() ?? '';
  if (!domain || MAILBOX_DOMAINS.has(domain)) return { org: 'My organisation' };
  const label = domain.split('.')[0] ?? domain;
  return { site: domain, org: label.charAt(0).toUpperCase() + label.slice(1) };
}

type StepState = 'done' | 'current' | 'later';

function Step({
  n,
  title,
  state,
  summary,
  children,
}: {
  n: number;
  title: string;
  state: StepState;
  summary?: ReactNode;
  children?: ReactNode;
}) {
  const label = { done: 'Done', current: 'Next', later: 'Later' }[state];
  return (
    <li className={`card guide-step guide-${state}`} aria-current={state === 'current' ? 'step' : undefined}>
      <h2>
        <span className="guide-n" aria-hidden="true">
          {n}
        </span>{' '}
        {title} <span className={`badge guide-badge-${state}`}>{label}</span>
      </h2>
      {summary}
      {state === 'current' && children}
    </li>
  );
}

function CreateOrg({ suggestion }: { suggestion: string }) {
  const { create } = useOrg();
  const [name, setName] = useState(suggestion);
  const { busy, error, run } = useAction();
  const problems = useFormProblems();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (problems.check([['start-org-name', name.trim() ? undefined : 'Organisation name: enter a name.']]))
      return;
    void run(() => create(name.trim()));
  };
  return (
    <form className="form" onSubmit={submit} noValidate>
      <p className="hint">Sites, scans and findings belong to an organisation. You become its owner.</p>
      <label htmlFor="start-org-name">Organisation name</label>
      <input
        id="start-org-name"
        maxLength={100}
        value={name}
        onChange={(event) => setName(event.target.value)}
        disabled={busy}
        {...problems.field('start-org-name')}
      />
      <button type="submit" className="button primary" disabled={busy}>
        {busy ? 'Creating…' : 'Create organisation'}
      </button>
      <FormProblems problems={problems} />
      {error !== undefined && (
        <p className="state state-error" role="alert">
          {errorMessage(error)}
        </p>
      )}
    </form>
  );
}

interface Progress {
  site: Site | undefined;
  scans: Scan[];
}

async function loadProgress(orgId: string): Promise<Progress> {
  const { sites } = await sitesApi.list(orgId);
  const site = sites[0];
  const scans = site ? (await scansApi.list(orgId, site.id, 5)).scans : [];
  return { site, scans };
}

function FirstScan({
  org,
  site,
  scans,
  onDone,
}: {
  org: Org;
  site: Site;
  scans: Scan[];
  onDone: () => void;
}) {
  const [started, setStarted] = useState<Scan | undefined>(scans.find((s) => !isFinished(s)));
  const { busy, error, run } = useAction();
  const scan = () => void run(async () => setStarted(await scansApi.create(org.id, site.id)));
  return (
    <>
      {started ? (
        <ScanProgress
          key={started.id}
          orgId={org.id}
          initial={started}
          onDone={(scan) => scan.status === 'succeeded' && onDone()}
        />
      ) : (
        <>
          <p>A scan takes about a minute: it reads what any visitor sees and grades it.</p>
          <button type="button" className="button primary" disabled={busy} onClick={scan}>
            {busy ? 'Queuing…' : `Scan ${site.name} now`}
          </button>
        </>
      )}
      {error !== undefined && <ErrorState error={error} />}
    </>
  );
}

/**
 * The guided start a new account lands on after the welcome step: organisation → site →
 * verification → first scan, each step's form pre-filled from what we know (the email's domain).
 * Every step is read from the server, so the guide can be left and picked up again at /start.
 */
function Guide({ email }: { email: string }) {
  const { state: orgs, current: org } = useOrg();
  const guess = guessesFrom(email);
  const [skipVerify, setSkipVerify] = useState(false);
  const [addedNotice, setAddedNotice] = useState<string>();
  const [fresh, setFresh] = useState<Progress>();
  const state = useAsync(
    () => (org ? loadProgress(org.id) : Promise.resolve({ site: undefined, scans: [] })),
    [org?.id],
  );
  if (orgs.status === 'error') return <ErrorState error={orgs.error} />;
  if (orgs.status !== 'ready') return <Loading />;
  if (state.status === 'loading') return <Loading label="Loading your progress…" />;
  if (state.status === 'error') return <ErrorState error={state.error} onRetry={state.reload} />;
  const progress = fresh ?? state.data;
  const reload = () => void loadProgress(org!.id).then(setFresh, () => undefined);
  const { site, scans } = progress;
  const verified = site?.verification.verified ?? false;
  const scanned = scans.some((s) => s.status === 'succeeded');
  const steps: boolean[] = [Boolean(org), Boolean(site), verified || skipVerify, scanned];
  const stateOf = (i: number): StepState =>
    steps[i] ? 'done' : steps.slice(0, i).every(Boolean) ? 'current' : 'later';
  const latest = scans.find((s) => s.status === 'succeeded');

  return (
    <>
      <ol className="guide" aria-label="Get started">
        <Step n={1} title="Create your organisation" state={stateOf(0)} summary={org && <p>{org.name}</p>}>
          <CreateOrg suggestion={guess.org} />
        </Step>
        <Step
          n={2}
          title="Add your site"
          state={stateOf(1)}
          summary={
            site && (
              <>
                <p className="break">{site.url}</p>
                {addedNotice && (
                  <p className="state notice-ok" role="status">
                    {addedNotice}
                  </p>
                )}
              </>
            )
          }
        >
          {org && (
            <AddSiteForm
              org={org}
              title="Your site’s address"
              {...(guess.site && { initial: { url: guess.site } })}
              onAdded={(added) => {
                setAddedNotice(added.notice);
                reload();
              }}
            />
          )}
        </Step>
        <Step
          n={3}
          title="Verify that you own it"
          state={stateOf(2)}
          summary={
            stateOf(2) === 'done' && (
              <p>{verified ? 'Verified: scheduled monitoring is available.' : 'Skipped for now.'}</p>
            )
          }
        >
          {org && site && (
            <>
              <Verification
                org={org}
                site={site}
                onChange={(next) => setFresh({ ...progress, site: next })}
              />
              <p>
                Verification can wait: a scan works without it.{' '}
                <button type="button" className="button ghost" onClick={() => setSkipVerify(true)}>
                  Skip for now
                </button>
              </p>
            </>
          )}
        </Step>
        <Step
          n={4}
          title="Run your first scan"
          state={stateOf(3)}
          summary={
            latest && (
              <p>
                Grade {latest.grade ?? '–'}.{' '}
                <Link to={href('orgScan', { scanId: latest.id })}>Open the report</Link>
              </p>
            )
          }
        >
          {org && site && <FirstScan org={org} site={site} scans={scans} onDone={reload} />}
        </Step>
      </ol>
      {steps.every(Boolean) ? (
        <p className="state notice-ok">
          All set. Your sites are under <Link to={href('sites')}>Sites</Link> and every open issue is on the{' '}
          <Link to={href('findings')}>Findings</Link> board.
        </p>
      ) : (
        <p className="hint">
          You can leave this guide at any time and come back to it at <Link to={href('start')}>/start</Link>.
        </p>
      )}
    </>
  );
}

export function StartPage() {
  const { state } = useSession();
  return (
    <div className="start">
      <PageTitle lead="Four steps from a new account to your first report.">Get started</PageTitle>
      {state.status === 'loading' ? (
        <Loading />
      ) : state.status === 'signed-in' ? (
        <Guide email={state.current.user.email} />
      ) : (
        <p className="state state-empty">
          <Link to={href('signIn')}>Sign in</Link> (or create an account) to get started.
        </p>
      )}
    </div>
  );
}

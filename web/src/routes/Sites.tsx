import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/http.ts';
import type { Site } from '../api/service-types.ts';
import type { Org } from '../api/types.ts';
import { keepSiteNotice, sitesApi } from '../api/sites.ts';
import { FormProblems, useFormProblems } from '../components/FormProblems.tsx';
import { useAction } from '../components/useAction.ts';
import { Sparkline } from '../components/GradeHistory.tsx';
import { OrgRequired } from '../components/OrgRequired.tsx';
import { LatestGrade } from '../components/Report.tsx';
import { Empty, ErrorState, Loading, PageTitle } from '../components/States.tsx';
import { useAsync } from '../components/useAsync.ts';
import { href, Link, useRouter } from '../router.tsx';
import '../styles/service.css';

export function siteErrorMessage(error: unknown): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  switch (error.code) {
    case 'target_not_allowed':
      return 'Address: this one cannot be added: private, loopback and internal addresses are refused.';
    case 'validation_failed':
      return 'Address: enter a web address, such as example.com or https://www.example.com.';
    case 'quota_exceeded':
      return 'Your plan allows no more sites. Remove one or upgrade the plan.';
    case 'site_unreachable': {
      const attempts =
        (error.details as { attempts?: { url: string; message: string; detail: string }[] } | undefined)
          ?.attempts ?? [];
      return [
        'Address: neither https:// nor http:// answered.',
        ...attempts.map((a) => `${a.url}: ${a.message} (${a.detail})`),
        'Check the address, or type it in full (https://…) to add the site anyway.',
      ].join(' ');
    }
    default:
      return undefined;
  }
}

export function AddSiteForm({
  org,
  title = 'Add a site',
  initial,
  onAdded,
}: {
  org: Org;
  title?: string;
  initial?: { url: string; name?: string };
  onAdded?: (site: Site) => void;
}) {
  const { navigate } = useRouter();
  const [name, setName] = useState(initial?.name ?? '');
  const [url, setUrl] = useState(initial?.url ?? '');
  const { busy, error, run } = useAction();
  const problems = useFormProblems();
  // A bare host (example.com) goes as typed: the server tries https:// and then http://.
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (
      problems.check([
        [
          'site-url',
          url.trim() === '' ? 'Address: enter the site’s address, such as example.com.' : undefined,
        ],
      ])
    )
      return;
    void run(async () => {
      const site = await sitesApi.create(org.id, url.trim(), name.trim() || undefined);
      if (onAdded) return onAdded(site);
      keepSiteNotice(site.id, site.notice);
      navigate(href('site', { siteId: site.id }));
    });
  };
  const friendly = siteErrorMessage(error);
  return (
    <form className="card form add-site" onSubmit={submit} noValidate aria-labelledby="add-site-heading">
      <h2 id="add-site-heading">{title}</h2>
      <div className="add-site-fields">
        <div>
          <label htmlFor="site-url">Site address</label>
          <input
            id="site-url"
            type="text"
            inputMode="url"
            required
            maxLength={2048}
            placeholder="example.com"
            value={url}
            onChange={(event) => setUrl(event.target.value)}
            disabled={busy}
            aria-describedby="site-url-hint"
            {...problems.field('site-url')}
          />
          <p className="hint" id="site-url-hint">
            A host name is enough: VIOscan tries https:// first, then http://.
          </p>
        </div>
        <div>
          <label htmlFor="site-name">Name (optional)</label>
          <input
            id="site-name"
            type="text"
            maxLength={100}
            value={name}
            onChange={(event) => setName(event.target.value)}
            disabled={busy}
          />
        </div>
      </div>
      <button type="submit" className="button primary" disabled={busy}>
        {busy ? 'Adding… (checking the address)' : 'Add site'}
      </button>
      <FormProblems problems={problems} />
      {error !== undefined &&
        (friendly ? (
          <p className="state state-error" role="alert">
            {friendly}
          </p>
        ) : (
          <ErrorState error={error} />
        ))}
    </form>
  );
}

function SiteList({ org }: { org: Org }) {
  const state = useAsync(() => sitesApi.list(org.id), [org.id]);
  if (state.status === 'loading') return <Loading label="Loading sites…" />;
  if (state.status === 'error') return <ErrorState error={state.error} onRetry={state.reload} />;
  const { sites } = state.data;
  if (sites.length === 0)
    return (
      <Empty>
        <p>
          No sites yet. Add the first one below: you can scan it right away and verify that you own it to
          monitor it on a schedule.
        </p>
      </Empty>
    );
  return (
    <ul className="site-list" aria-label="Sites">
      {sites.map((site) => (
        <li key={site.id} className="card site-card" data-testid="site">
          <LatestGrade grade={site.latestGrade} />
          <div className="site-card-text">
            <h2>
              <Link to={href('site', { siteId: site.id })}>{site.name}</Link>
            </h2>
            <p className="hint break">{site.url}</p>
            <p className="site-meta">
              {site.verification.verified ? (
                <span className="badge verified">Verified</span>
              ) : (
                <span className="badge unverified">Not verified</span>
              )}
              {site.schedule && <span className="hint">Scans {site.schedule}</span>}
            </p>
          </div>
          <Sparkline trend={site.trend} />
        </li>
      ))}
    </ul>
  );
}

export function SitesPage() {
  return (
    <>
      <PageTitle lead="Your organisation's sites, their latest grade and its trend.">Sites</PageTitle>
      <OrgRequired>
        {(org) => (
          <>
            <SiteList org={org} />
            <AddSiteForm org={org} />
          </>
        )}
      </OrgRequired>
    </>
  );
}

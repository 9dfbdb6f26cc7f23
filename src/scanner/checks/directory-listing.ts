import type { Check, FindingDraft, ProbeArtefact } from '../types.ts';
import { quote, result } from './helpers.ts';

/** Titles and markers of server-generated indexes; a site's own page about "uploads" has none of them. */
const LISTING =
  /<title>\s*Index of \/|<h1>\s*Index of \/|\[To Parent Directory\]|<title>\s*Directory listing for \/|<a href="\?C=N;O=D">/i;

function listing(probe: ProbeArtefact): boolean {
  return probe.status === 200 && LISTING.test(probe.snippet ?? '');
}

export const directoryListing: Check = {
  id: 'directory-listing',
  category: 'disclosure',
  title: 'Directories do not list their contents',
  failureTitle: 'A directory lists its files',
  description:
    'Active check (CLI --active; verified sites in the service): requests a few common directories ' +
    '(/uploads/, /images/, /files/, /backup/, /static/) and reports those the server answers with an ' +
    'auto-generated index (Apache and nginx "Index of /…", IIS, Python http.server). A listing shows ' +
    'files nobody linked to: backups, uploads of other users, forgotten scripts.',
  remediation:
    'Turn automatic indexes off (Apache `Options -Indexes`, nginx `autoindex off;`, IIS: disable ' +
    'Directory Browsing) and remove files that were never meant to be public.',
  references: [
    'https://owasp.org/www-project-web-security-testing-guide/latest/4-Web_Application_Security_Testing/02-Configuration_and_Deployment_Management_Testing/04-Review_Old_Backup_and_Unreferenced_Files_for_Sensitive_Information',
    'https://cwe.mitre.org/data/definitions/548.html',
  ],
  requires: ['directoryListings'],
  active: true,
  outcomes: {
    'directory-listing-enabled': 'At least one directory answers with an auto-generated file index.',
    'directory-listing-none': 'None of the probed directories lists its files.',
  },
  run(a) {
    const probes = a.directoryListings ?? [];
    const findings: FindingDraft[] = probes.filter(listing).map((p) => ({
      outcome: 'directory-listing-enabled',
      title: `${p.path.slice(0, 80)} lists its files`,
      evidence: `GET ${quote(p.path)} → ${p.status}, ${quote(LISTING.exec(p.snippet ?? '')?.[0] ?? '', 60)}`,
    }));
    if (findings.length > 0)
      return result(
        'directory-listing-enabled',
        'fail',
        findings.map((f) => f.evidence).join('; '),
        findings,
      );
    return result(
      'directory-listing-none',
      'pass',
      `${probes.length} directories probed, none lists its files`,
    );
  },
};

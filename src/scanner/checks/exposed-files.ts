import type { Check, ExposedFileArtefact, FindingDraft, Severity } from '../types.ts';
import { quote, result } from './helpers.ts';

/** What a genuine copy of each well-known file starts with or contains; a 200 with other content is a soft 404. */
const SIGNATURES: { path: RegExp; body: RegExp; severity: Severity }[] = [
  { path: /\/\.git\/(HEAD|config)$/, body: /^(ref: refs\/|\[core\])/m, severity: 'critical' },
  { path: /\/\.env$/, body: /^[A-Z_][A-Z0-9_]*=/m, severity: 'critical' },
  { path: /\/server-status$/, body: /Apache Server Status/i, severity: 'medium' },
];

/**
 * Backups, dumps and archives are usually binary (no snippet is kept): any 200 that is not an
 * HTML page counts. A soft-404 page is HTML, so it does not.
 */
const ARCHIVES = /\.(sql|bak|zip|tar\.gz|tgz)$|~$/;

function exposed(file: ExposedFileArtefact): { severity: Severity } | undefined {
  if (file.status !== 200) return undefined;
  const signature = SIGNATURES.find((s) => s.path.test(file.path));
  if (signature)
    return signature.body.test(file.snippet ?? '') ? { severity: signature.severity } : undefined;
  if (ARCHIVES.test(file.path))
    return /text\/html/i.test(file.contentType ?? '') ||
      /^\s*<(!doctype|html|head|body)/i.test(file.snippet ?? '')
      ? undefined
      : { severity: 'high' };
  // Unknown path: a 200 that is not an HTML page (the usual soft-404 shape) counts.
  return /text\/html/i.test(file.contentType ?? '') ? undefined : { severity: 'high' };
}

export const exposedFiles: Check = {
  id: 'exposed-files',
  category: 'disclosure',
  title: 'No sensitive files are publicly readable',
  failureTitle: 'Sensitive files are publicly readable',
  description:
    'Active check (CLI --active; verified sites in the service): requests well-known sensitive paths ' +
    '(/.git/HEAD, /.env, /server-status, backup archives and dumps, …) and reports those that answer ' +
    'with real content (soft-404 pages are recognised and ignored).',
  remediation:
    'Remove these files from the web root or deny them in the server (e.g. nginx `location ~ /\\. { deny all; }`), ' +
    'then rotate any secret they contained.',
  references: [
    'https://owasp.org/www-project-web-security-testing-guide/latest/4-Web_Application_Security_Testing/02-Configuration_and_Deployment_Management_Testing/04-Review_Old_Backup_and_Unreferenced_Files_for_Sensitive_Information',
  ],
  requires: ['exposedFiles'],
  active: true,
  outcomes: {
    'exposed-files-found': 'At least one sensitive file is readable.',
    'exposed-files-none': 'None of the probed files is readable.',
  },
  run(a) {
    const files = a.exposedFiles ?? [];
    const findings: FindingDraft[] = [];
    for (const file of files) {
      const hit = exposed(file);
      if (!hit) continue;
      findings.push({
        outcome: 'exposed-files-found',
        title: `${file.path.slice(0, 80)} is publicly readable`,
        evidence: `GET ${quote(file.path)} → ${file.status}, ${quote(file.contentType ?? '')}, starts ${quote(file.snippet ?? '', 80)}`,
        severity: hit.severity,
      });
    }
    if (findings.length > 0)
      return result('exposed-files-found', 'fail', findings.map((f) => f.evidence).join('; '), findings);
    return result('exposed-files-none', 'pass', `${files.length} path(s) probed, none readable`);
  },
};

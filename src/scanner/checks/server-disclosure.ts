import type { Check, FindingDraft } from '../types.ts';
import { finalResponse, headerValues, quote, result } from './helpers.ts';

const DISCLOSING_HEADERS = [
  'server',
  'x-powered-by',
  'x-aspnet-version',
  'x-aspnetmvc-version',
  'x-generator',
];
// A version is a digit run with at least one dot (nginx/1.25.3, PHP/8.2.1, Apache/2.4).
const VERSION = /\d+\.\d+/;

export const serverDisclosure: Check = {
  id: 'server-disclosure',
  category: 'headers',
  title: 'Server software versions are not disclosed',
  failureTitle: 'Server software versions are disclosed',
  description:
    'Looks for version numbers in Server, X-Powered-By and similar headers, which tell attackers which known ' +
    'vulnerabilities to try.',
  remediation:
    'Hide versions: nginx `server_tokens off;`, Apache `ServerTokens Prod`, PHP `expose_php = Off`, ' +
    'Express `app.disable("x-powered-by")`.',
  references: ['https://owasp.org/www-project-secure-headers/'],
  requires: ['page'],
  outcomes: {
    'server-disclosure-version': 'A header reveals a software version.',
    'server-disclosure-none': 'No header reveals a version.',
  },
  run(a) {
    const headers = finalResponse(a)?.headers;
    const findings: FindingDraft[] = [];
    for (const name of DISCLOSING_HEADERS) {
      for (const value of headerValues(headers, name)) {
        if (VERSION.test(value)) {
          findings.push({
            outcome: 'server-disclosure-version',
            title: `${name} header discloses a version`,
            evidence: `${name}: ${quote(value)}`,
          });
        }
      }
    }
    if (findings.length > 0) {
      return result(
        'server-disclosure-version',
        'warn',
        findings.map((f) => f.evidence).join('; '),
        findings,
      );
    }
    return result('server-disclosure-none', 'pass', 'no version in Server/X-Powered-By');
  },
};

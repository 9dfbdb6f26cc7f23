import type { Check, FindingDraft } from '../types.ts';
import { result } from './helpers.ts';

export const tlsVersions: Check = {
  id: 'tls-versions',
  category: 'transport',
  title: 'Only TLS 1.2 and 1.3 are offered',
  failureTitle: 'Obsolete TLS versions are offered',
  description:
    'Tries each TLS version against the server. TLS 1.0 and 1.1 are deprecated (RFC 8996) and must be refused; ' +
    'TLS 1.3 support is noted.',
  remediation:
    'Disable TLS 1.0 and 1.1 in the server or load balancer (e.g. nginx `ssl_protocols TLSv1.2 TLSv1.3;`) and enable TLS 1.3.',
  references: ['https://www.rfc-editor.org/rfc/rfc8996', 'https://ssl-config.mozilla.org/'],
  requires: ['tls'],
  outcomes: {
    'tls-versions-legacy-only': 'Neither TLS 1.2 nor TLS 1.3 is offered.',
    'tls-versions-legacy-offered': 'TLS 1.0 or TLS 1.1 is offered.',
    'tls-versions-without-tls13': 'Only modern versions are offered, but TLS 1.3 is not.',
    'tls-versions-modern': 'Only TLS 1.2/1.3 are offered, including TLS 1.3.',
  },
  run(a) {
    const v = a.tls?.versions;
    if (!v) throw new Error('no TLS facts');
    const describe = Object.entries(v)
      .map(([name, offered]) => `${name}: ${offered === null ? 'untested' : offered ? 'offered' : 'refused'}`)
      .join(', ');
    const legacy = (['TLSv1', 'TLSv1.1'] as const).filter((name) => v[name] === true);
    const findings: FindingDraft[] = legacy.map((name) => ({
      outcome: 'tls-versions-legacy-offered',
      title: `${name === 'TLSv1' ? 'TLS 1.0' : 'TLS 1.1'} is offered`,
      evidence: describe,
    }));
    if (v['TLSv1.2'] !== true && v['TLSv1.3'] !== true) {
      return result('tls-versions-legacy-only', 'fail', describe, [
        {
          outcome: 'tls-versions-legacy-only',
          title: 'Neither TLS 1.2 nor TLS 1.3 is offered',
          evidence: describe,
        },
        ...findings,
      ]);
    }
    if (findings.length > 0) return result('tls-versions-legacy-offered', 'fail', describe, findings);
    if (v['TLSv1.3'] !== true) {
      return result('tls-versions-without-tls13', 'warn', describe, [
        { outcome: 'tls-versions-without-tls13', title: 'TLS 1.3 is not offered', evidence: describe },
      ]);
    }
    return result('tls-versions-modern', 'pass', `${describe} (TLS 1.3 supported)`);
  },
};

import type { Check } from '../types.ts';
import { quote, result } from './helpers.ts';

/** The echo of our own request line: what a server that allows TRACE sends back. */
const ECHO = /^TRACE \/\S* HTTP\/\d/m;

export const httpTrace: Check = {
  id: 'http-trace',
  category: 'disclosure',
  title: 'The server refuses HTTP TRACE',
  failureTitle: 'The server answers HTTP TRACE',
  description:
    'Active check (CLI --active; verified sites in the service): sends one `TRACE /` request ' +
    '(RFC 9110 §9.3.8). A server that echoes it back (status 200, `message/http` or the request line ' +
    'in the body) reflects every request header, cookies and credentials included — the basis of ' +
    'cross-site tracing — and shows that a debugging method was left on.',
  remediation:
    'Disable TRACE: Apache `TraceEnable off`; nginx answers 405 by default (do not proxy TRACE to a ' +
    'backend that allows it); IIS request filtering: deny the TRACE verb.',
  references: [
    'https://www.rfc-editor.org/rfc/rfc9110#section-9.3.8',
    'https://owasp.org/www-project-web-security-testing-guide/latest/4-Web_Application_Security_Testing/02-Configuration_and_Deployment_Management_Testing/06-Test_HTTP_Methods',
  ],
  requires: ['trace'],
  active: true,
  // A server that drops the connection on TRACE has refused it; judge that rather than erroring.
  handlesArtefactErrors: true,
  outcomes: {
    'http-trace-enabled': 'TRACE / is answered with an echo of the request.',
    'http-trace-disabled': 'TRACE / is refused (or answered without an echo).',
  },
  run(a) {
    const t = a.trace!;
    if (t.error) return result('http-trace-disabled', 'pass', `TRACE / failed (${t.error.code}): refused`);
    const echoed =
      t.status === 200 && (/^message\/http/i.test(t.contentType ?? '') || ECHO.test(t.snippet ?? ''));
    if (echoed) {
      const evidence = `TRACE / → ${t.status}, ${quote(t.contentType ?? '')}${t.snippet ? `, starts ${quote(t.snippet, 60)}` : ''}`;
      return result('http-trace-enabled', 'fail', evidence, [
        { outcome: 'http-trace-enabled', title: 'The server answers HTTP TRACE', evidence },
      ]);
    }
    return result('http-trace-disabled', 'pass', `TRACE / → ${t.status ?? 'no answer'}`);
  },
};

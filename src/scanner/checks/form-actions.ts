import type { Check, FindingDraft } from '../types.ts';
import { finalResponse, parseUrl, quote, result, worst } from './helpers.ts';

export const formActions: Check = {
  id: 'form-actions',
  category: 'content',
  title: 'Forms submit over HTTPS',
  failureTitle: 'Forms submit or collect passwords over HTTP',
  description:
    'Checks every <form>: its action must resolve to https:, and a password field must never sit on, or post ' +
    'to, a plain-HTTP page.',
  remediation:
    'Serve form pages over HTTPS and point every form action at an https: URL (or a relative path).',
  references: [
    'https://www.w3.org/TR/mixed-content/#category-upgradeable',
    'https://owasp.org/Top10/A02_2021-Cryptographic_Failures/',
  ],
  requires: ['page', 'html'],
  outcomes: {
    'form-actions-password-over-http': 'A password field is on an HTTP page or posts to http:.',
    'form-actions-insecure-action': 'A form posts to an http: URL.',
    'form-actions-secure': 'Every form submits over HTTPS.',
    'form-actions-none': 'No forms on the page.',
  },
  run(a) {
    const page = finalResponse(a)?.url ?? a.target;
    const forms = a.html?.forms ?? [];
    if (forms.length === 0) return result('form-actions-none', 'pass', 'no forms');
    const pageIsHttp = parseUrl(page)?.protocol === 'http:';
    const found: FindingDraft[] = [];
    for (const form of forms) {
      // An empty action submits to the document's own URL (HTML §4.10.21.3 step 8).
      const target = parseUrl(form.action || page, page);
      const actionIsHttp = target?.protocol === 'http:';
      const ev = `<form method=${quote(form.method, 10)} action=${quote(form.action)}> on ${quote(page)}`;
      if (form.hasPassword && (pageIsHttp || actionIsHttp)) {
        found.push({
          outcome: 'form-actions-password-over-http',
          title: 'Password form over HTTP',
          evidence: ev,
        });
      } else if (actionIsHttp) {
        found.push({ outcome: 'form-actions-insecure-action', title: 'Form submits to HTTP', evidence: ev });
      }
    }
    const bad = worst(found, Object.keys(formActions.outcomes), () => 'fail');
    return bad ?? result('form-actions-secure', 'pass', `${forms.length} form(s), all https`);
  },
};

import { CspEvaluator } from 'csp_evaluator/dist/evaluator.js';
import { Type } from 'csp_evaluator/dist/finding.js';
import { CspParser } from 'csp_evaluator/dist/parser.js';
import {
  effectiveSources,
  getDirective,
  isNonceOrHash,
  parseCspHeader,
  type CspPolicy,
} from '../parse/csp.ts';
import type { Check, FindingDraft } from '../types.ts';
import { finalResponse, headerValues, quote, result, worst } from './helpers.ts';

const OUTCOME_BY_EVALUATOR_TYPE: Partial<Record<Type, string>> = {
  [Type.SCRIPT_UNSAFE_INLINE]: 'csp-unsafe-inline',
  [Type.SCRIPT_UNSAFE_EVAL]: 'csp-unsafe-eval',
  [Type.PLAIN_WILDCARD]: 'csp-wildcard-source',
  [Type.PLAIN_URL_SCHEMES]: 'csp-wildcard-source',
  [Type.SRC_HTTP]: 'csp-insecure-source',
};

const TITLES: Record<string, string> = {
  'csp-unsafe-inline': 'CSP allows inline script',
  'csp-unsafe-eval': 'CSP allows eval()',
  'csp-wildcard-source': 'CSP allows scripts or objects from any host or scheme',
  'csp-insecure-source': 'CSP allows loading over plain HTTP',
  'csp-missing-directive': 'CSP leaves a directive unrestricted',
  'csp-unsafe-inline-style': 'CSP allows inline style',
};

export const csp: Check = {
  id: 'csp',
  category: 'headers',
  title: 'Content-Security-Policy restricts scripts',
  failureTitle: 'Content-Security-Policy is missing or weak',
  description:
    'Reads every enforced policy (Content-Security-Policy headers and <meta http-equiv>) and judges each alone with ' +
    'Google’s CSP Evaluator plus our own rules: no unsafe-inline/unsafe-eval for scripts, no wildcard or http: ' +
    'sources, object-src, base-uri and (header only) frame-ancestors set. Nonces, hashes and strict-dynamic ' +
    'are understood (unsafe-inline is ignored next to them, as browsers do). Each finding names the directive and source.',
  remediation:
    "Adopt a strict CSP: `script-src 'nonce-…' 'strict-dynamic'; object-src 'none'; base-uri 'none'; " +
    "frame-ancestors 'none'` (or 'self'), remove 'unsafe-inline', 'unsafe-eval', `*` and `http:` sources.",
  references: [
    'https://www.w3.org/TR/CSP3/',
    'https://web.dev/articles/strict-csp',
    'https://csp-evaluator.withgoogle.com/',
  ],
  requires: ['page'],
  outcomes: {
    'csp-missing': 'No enforced Content-Security-Policy.',
    'csp-report-only': 'Only Content-Security-Policy-Report-Only is sent, which enforces nothing.',
    'csp-invalid': 'A policy could not be parsed into any directive.',
    'csp-unsafe-inline': "Scripts may run inline ('unsafe-inline' or data: without nonce/hash).",
    'csp-wildcard-source':
      'A wildcard (*) or bare scheme (https:, data:) source in script-src/object-src/base-uri.',
    'csp-insecure-source': 'A source allows plain http: loads.',
    'csp-unsafe-eval': "Scripts may use eval() ('unsafe-eval').",
    'csp-missing-directive': 'object-src, base-uri or frame-ancestors is not restricted.',
    'csp-unsafe-inline-style': "style-src allows 'unsafe-inline'.",
    'csp-restrictive': 'Every enforced policy passes all rules.',
  },
  run(a) {
    const headers = finalResponse(a)?.headers;
    const headerPolicies = headerValues(headers, 'content-security-policy').flatMap(parseCspHeader);
    const metaPolicies = (a.html?.error ? [] : (a.html?.metaCsp ?? [])).flatMap(parseCspHeader);
    const policies = [...headerPolicies, ...metaPolicies];
    if (policies.length === 0) {
      const reportOnly = headerValues(headers, 'content-security-policy-report-only')[0];
      if (reportOnly !== undefined) {
        const ev = `Content-Security-Policy-Report-Only: ${quote(reportOnly)}`;
        return result('csp-report-only', 'fail', ev, [
          { outcome: 'csp-report-only', title: 'CSP is report-only and enforces nothing', evidence: ev },
        ]);
      }
      return result('csp-missing', 'fail', 'no Content-Security-Policy header or meta tag', [
        { outcome: 'csp-missing', title: 'Content-Security-Policy is missing', evidence: 'no policy found' },
      ]);
    }
    const found: FindingDraft[] = [];
    const add = (outcome: string, directive: string, value: string, where: string) => {
      const evidence = `${where}: directive ${directive}${value ? ` source ${quote(value)}` : ' is not set'}`;
      if (!found.some((f) => f.outcome === outcome && f.evidence === evidence)) {
        found.push({
          outcome,
          title: `${TITLES[outcome] ?? outcome}: ${directive} ${value}`.trim(),
          evidence,
        });
      }
    };
    policies.forEach((policy, i) => {
      const where =
        i < headerPolicies.length ? `header policy ${i + 1}` : `meta policy ${i - headerPolicies.length + 1}`;
      judgePolicy(policy, where, add);
    });
    // frame-ancestors is ignored in <meta> (CSP3 §6.4.2), so only header policies count.
    if (!headerPolicies.some((p) => getDirective(p, 'frame-ancestors'))) {
      add('csp-missing-directive', 'frame-ancestors', '', 'header policies');
    }
    const order = Object.keys(csp.outcomes);
    const bad = worst(found, order, (o) =>
      o === 'csp-missing-directive' || o === 'csp-unsafe-inline-style' ? 'warn' : 'fail',
    );
    if (bad) return bad;
    const strict = policies.some((p) => (effectiveSources(p, 'script-src') ?? []).some(isNonceOrHash));
    return result(
      'csp-restrictive',
      'pass',
      `${policies.length} enforced polic${policies.length === 1 ? 'y' : 'ies'}${strict ? ', nonce/hash based' : ''}: ${quote(policies[0]?.raw ?? '')}`,
    );
  },
};

function judgePolicy(
  policy: CspPolicy,
  where: string,
  add: (outcome: string, directive: string, value: string, where: string) => void,
): void {
  if (policy.directives.length === 0) {
    add('csp-invalid', '(none)', policy.raw, where);
    return;
  }
  try {
    for (const f of new CspEvaluator(new CspParser(policy.raw).csp).evaluate()) {
      const outcome = OUTCOME_BY_EVALUATOR_TYPE[f.type];
      if (outcome) add(outcome, f.directive, f.value ?? '', where);
    }
  } catch {
    // The evaluator throws on some hostile source values ("Invalid URL"); fall back to our own rules.
    judgeScriptSources(policy, where, add);
  }
  // No script-src and no default-src leaves scripts unrestricted: as bad as a wildcard.
  if (!effectiveSources(policy, 'script-src')) add('csp-wildcard-source', 'script-src', '', where);
  if (!effectiveSources(policy, 'object-src')) add('csp-missing-directive', 'object-src', '', where);
  if (!getDirective(policy, 'base-uri')) add('csp-missing-directive', 'base-uri', '', where);
  const style = effectiveSources(policy, 'style-src') ?? [];
  if (style.includes("'unsafe-inline'") && !style.some(isNonceOrHash)) {
    add(
      'csp-unsafe-inline-style',
      getDirective(policy, 'style-src') ? 'style-src' : 'default-src',
      "'unsafe-inline'",
      where,
    );
  }
}

/** The evaluator's core script rules, for policies it cannot digest. */
function judgeScriptSources(
  policy: CspPolicy,
  where: string,
  add: (outcome: string, directive: string, value: string, where: string) => void,
): void {
  for (const name of ['script-src', 'object-src', 'base-uri']) {
    const directive =
      getDirective(policy, name) ?? (name === 'base-uri' ? undefined : getDirective(policy, 'default-src'));
    if (!directive) continue;
    const nonceOrHash = directive.values.some(isNonceOrHash);
    for (const value of directive.values) {
      const v = value.toLowerCase();
      if (name === 'script-src' && v === "'unsafe-inline'" && !nonceOrHash)
        add('csp-unsafe-inline', directive.name, value, where);
      else if (name === 'script-src' && v === "'unsafe-eval'")
        add('csp-unsafe-eval', directive.name, value, where);
      else if (['*', 'http:', 'https:', 'data:'].includes(v))
        add('csp-wildcard-source', directive.name, value, where);
      else if (v.startsWith('http:')) add('csp-insecure-source', directive.name, value, where);
    }
  }
}

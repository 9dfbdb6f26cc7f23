import { CspEvaluator, DEFAULT_CHECKS } from 'csp_evaluator/dist/evaluator.js';
import { checkStrictDynamicNotStandalone } from 'csp_evaluator/dist/checks/strictcsp_checks.js';
import { Severity, Type, type Finding } from 'csp_evaluator/dist/finding.js';
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

/**
 * Google's CSP Evaluator findings we report. Allow-list "bypasses" count only when the evaluator
 * knows the host serves JSONP or AngularJS (its HIGH ones); its "maybe" ones ('self', any other
 * host) would flag nearly every policy.
 */
function outcomeOf(f: Finding): string | undefined {
  switch (f.type) {
    case Type.SCRIPT_UNSAFE_INLINE:
      return 'csp-unsafe-inline';
    case Type.SCRIPT_UNSAFE_EVAL:
      return 'csp-unsafe-eval';
    case Type.PLAIN_WILDCARD:
    case Type.PLAIN_URL_SCHEMES:
      return 'csp-wildcard-source';
    case Type.SRC_HTTP:
      return 'csp-insecure-source';
    case Type.SCRIPT_ALLOWLIST_BYPASS:
    case Type.OBJECT_ALLOWLIST_BYPASS:
      return f.severity === Severity.HIGH ? 'csp-allowlist-bypass' : undefined;
    case Type.NONCE_LENGTH:
      return 'csp-weak-nonce';
    case Type.STRICT_DYNAMIC_NOT_STANDALONE:
      return 'csp-strict-dynamic-without-nonce';
    case Type.UNKNOWN_DIRECTIVE:
    case Type.MISSING_SEMICOLON:
    case Type.INVALID_KEYWORD:
      return 'csp-syntax-error';
    default:
      return undefined;
  }
}

const EVALUATOR_CHECKS = [...DEFAULT_CHECKS, checkStrictDynamicNotStandalone];

const TITLES: Record<string, string> = {
  'csp-unsafe-inline': 'CSP allows inline script',
  'csp-unsafe-eval': 'CSP allows eval()',
  'csp-wildcard-source': 'CSP allows scripts or objects from any host or scheme',
  'csp-allowlist-bypass': 'CSP allows a host whose JSONP or AngularJS endpoints bypass it',
  'csp-insecure-source': 'CSP allows loading over plain HTTP',
  'csp-weak-nonce': 'CSP nonce is too short to be unguessable',
  'csp-strict-dynamic-without-nonce': "CSP uses 'strict-dynamic' without a nonce or hash",
  'csp-missing-directive': 'CSP leaves a directive unrestricted',
  'csp-unsafe-inline-style': 'CSP allows inline style',
  'csp-syntax-error': 'CSP has a mistake browsers silently ignore',
};

export const csp: Check = {
  id: 'csp',
  category: 'headers',
  title: 'Content-Security-Policy restricts scripts',
  failureTitle: 'Content-Security-Policy is missing or weak',
  description:
    'Reads every enforced policy (Content-Security-Policy headers and <meta http-equiv>) and judges each alone with ' +
    'Google’s CSP Evaluator plus our own rules: no unsafe-inline/unsafe-eval for scripts, no wildcard or http: ' +
    'sources, no allow-listed host known to serve JSONP or AngularJS, nonces of 8+ characters, no ' +
    "'strict-dynamic' without a nonce or hash, object-src, base-uri and (header only) frame-ancestors set. " +
    'Nonces, hashes and strict-dynamic are understood (unsafe-inline is ignored next to them, as browsers do). ' +
    'Each finding names the directive and source.',
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
    'csp-allowlist-bypass':
      'script-src or object-src allows a host known to serve JSONP or AngularJS, which lets an attacker run script (e.g. https://www.google.com, ajax.googleapis.com).',
    'csp-insecure-source': 'A source allows plain http: loads.',
    'csp-unsafe-eval': "Scripts may use eval() ('unsafe-eval').",
    'csp-weak-nonce': 'A nonce shorter than 8 characters can be guessed.',
    'csp-strict-dynamic-without-nonce':
      "'strict-dynamic' without a nonce or hash: browsers then block every script (a broken policy).",
    'csp-missing-directive': 'object-src, base-uri or frame-ancestors is not restricted.',
    'csp-unsafe-inline-style': "style-src allows 'unsafe-inline'.",
    'csp-syntax-error':
      'An unknown directive, a missing semicolon or a keyword without quotes: the browser ignores that part.',
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
    const warnOnly = [
      'csp-strict-dynamic-without-nonce',
      'csp-missing-directive',
      'csp-unsafe-inline-style',
      'csp-syntax-error',
    ];
    const bad = worst(found, order, (o) => (warnOnly.includes(o) ? 'warn' : 'fail'));
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
    for (const f of new CspEvaluator(new CspParser(policy.raw).csp).evaluate([], EVALUATOR_CHECKS)) {
      const outcome = outcomeOf(f);
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

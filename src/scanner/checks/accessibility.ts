import { IMPACTS, impactOf, wcagCriteria, wcagLevel } from '../privacy/accessibility.ts';
import type { Check, FindingDraft } from '../types.ts';
import { quote, result, worst } from './helpers.ts';

const ID = 'accessibility';

export const accessibility: Check = {
  id: ID,
  category: 'accessibility',
  title: 'No accessibility violations found',
  failureTitle: 'The page has accessibility violations',
  description:
    'Runs axe-core (the engine behind Lighthouse’s accessibility audit) in the first visit’s page with the ' +
    'WCAG 2.0–2.2 level A and AA rules. Each violated rule is a finding with its WCAG level, its impact ' +
    '(critical, serious, moderate, minor: the severity follows it) and the elements at fault. Automated ' +
    'tests find part of the problems only; a page without violations still needs a manual review.',
  remediation:
    'Fix each violation as its rule’s help page explains, starting with critical and serious ones.',
  references: [
    'https://www.w3.org/TR/WCAG22/',
    'https://github.com/dequelabs/axe-core/blob/develop/doc/rule-descriptions.md',
  ],
  requires: ['browser'],
  outcomes: {
    'accessibility-critical-violation':
      'A rule with critical impact is violated (blocks some people entirely).',
    'accessibility-serious-violation': 'A rule with serious impact is violated.',
    'accessibility-moderate-violation': 'A rule with moderate impact is violated.',
    'accessibility-minor-violation': 'Only rules with minor impact are violated.',
    'accessibility-no-violations': 'axe-core found no violation of the WCAG A and AA rules.',
    'accessibility-incomplete': 'axe-core failed in the page and reported nothing.',
    'accessibility-not-observed': 'axe-core did not run (no browser visit, or no page to test).',
  },
  run(a) {
    const axe = a.browser?.accessibility;
    if (!axe) return result('accessibility-not-observed', 'skipped', 'axe-core did not run on this scan');
    if (axe.error && axe.violations.length === 0)
      return result(
        'accessibility-incomplete',
        'error',
        `axe-core failed (${axe.error.code}): ${axe.error.message}`,
      );
    const found: FindingDraft[] = axe.violations
      .map((v) => ({ v, impact: impactOf(v) }))
      .sort((x, y) => IMPACTS.indexOf(x.impact) - IMPACTS.indexOf(y.impact))
      .map(({ v, impact }) => {
        const level = wcagLevel(v.tags);
        const criteria = wcagCriteria(v.tags);
        const wcag =
          level === 'best practice'
            ? 'best practice'
            : `WCAG ${level}${criteria.length ? ` ${criteria.join(', ')}` : ''}`;
        const nodes = v.nodes
          .slice(0, 3)
          .map((n) => `${quote(n.target, 100)} ${quote(n.html, 100)}`)
          .join('; ');
        return {
          outcome: `accessibility-${impact}-violation`,
          title: `${v.help} (${wcag}, ${impact})`,
          evidence: `${quote(v.id, 60)}: ${v.nodes.length} element(s), e.g. ${nodes}`,
          remediation: `${v.help}: fix the element(s) listed, as ${quote(v.helpUrl, 200)} explains.`,
        };
      });
    const status = (o: string) => (/critical|serious/.test(o) ? 'fail' : 'warn');
    const bad = worst(found, Object.keys(accessibility.outcomes), status);
    return (
      bad ?? result('accessibility-no-violations', 'pass', `${axe.engine}: no violation on ${quote(axe.url)}`)
    );
  },
};

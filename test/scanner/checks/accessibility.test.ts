import { describe, expect, it } from 'vitest';
import type { AccessibilityViolation } from '../../../src/scanner/browser/types.ts';
import { accessibility } from '../../../src/scanner/checks/accessibility.ts';
import { NOW } from '../helpers/artefacts.ts';
import { browser, withBrowser } from '../helpers/browser-artefacts.ts';
import { checkTable } from '../helpers/check-table.ts';

const violation = (
  impact: AccessibilityViolation['impact'],
  extra: Partial<AccessibilityViolation> = {},
): AccessibilityViolation => ({
  id: 'image-alt',
  impact,
  tags: ['cat.text-alternatives', 'wcag2a', 'wcag111', 'section508'],
  help: 'Images must have alternative text',
  helpUrl: 'https://dequeuniversity.com/rules/axe/4.14/image-alt',
  nodes: [{ target: 'img.logo', html: '<img class="logo" src="logo.png">' }],
  ...extra,
});
const withViolations = (...v: AccessibilityViolation[]) =>
  browser((b) => {
    if (b.accessibility) b.accessibility.violations = v;
  });

describe('accessibility', () => {
  checkTable(
    accessibility,
    'accessibility-no-violations',
    [
      [
        'a critical violation',
        withViolations(violation('critical')),
        'accessibility-critical-violation',
        'fail',
      ],
      [
        'a serious violation',
        withViolations(violation('serious')),
        'accessibility-serious-violation',
        'fail',
      ],
      [
        'a moderate violation',
        withViolations(violation('moderate')),
        'accessibility-moderate-violation',
        'warn',
      ],
      ['a minor violation', withViolations(violation('minor')), 'accessibility-minor-violation', 'warn'],
      [
        'no impact given counts as minor',
        withViolations(violation(null)),
        'accessibility-minor-violation',
        'warn',
      ],
      [
        'the worst impact decides',
        withViolations(violation('minor'), violation('serious')),
        'accessibility-serious-violation',
        'fail',
      ],
      [
        'axe failed in the page',
        browser(
          (b) =>
            (b.accessibility = {
              engine: 'axe-core 4.14.1',
              url: 'https://example.test/',
              violations: [],
              error: { code: 'axe_failed', message: 'axe is not defined' },
            }),
        ),
        'accessibility-incomplete',
        'error',
      ],
      ['axe did not run', browser((b) => delete b.accessibility), 'accessibility-not-observed', 'skipped'],
    ],
    withBrowser,
  );

  it('names the WCAG level and criteria, the impact and the elements', () => {
    const r = accessibility.run(
      withViolations(
        violation('serious', {
          id: 'color-contrast',
          tags: ['wcag2aa', 'wcag143'],
          help: 'Elements must meet minimum color contrast ratio thresholds',
          nodes: [
            { target: 'p.muted', html: '<p class="muted">x</p>' },
            { target: 'a.faint', html: '<a class="faint">y</a>' },
          ],
        }),
        violation('critical'),
        violation('minor', {
          id: 'region',
          tags: ['cat.keyboard', 'best-practice'],
          help: 'All page content should be contained by landmarks',
        }),
      ),
      { now: NOW },
    );
    expect(r.findings.map((f) => [f.outcome, f.title])).toEqual([
      ['accessibility-critical-violation', 'Images must have alternative text (WCAG A 1.1.1, critical)'],
      [
        'accessibility-serious-violation',
        'Elements must meet minimum color contrast ratio thresholds (WCAG AA 1.4.3, serious)',
      ],
      [
        'accessibility-minor-violation',
        'All page content should be contained by landmarks (best practice, minor)',
      ],
    ]);
    expect(r.findings[1]?.evidence).toBe(
      '"color-contrast": 2 element(s), e.g. "p.muted" "<p class=\\"muted\\">x</p>"; "a.faint" "<a class=\\"faint\\">y</a>"',
    );
    expect(r.findings[0]?.remediation).toContain('https://dequeuniversity.com/rules/axe/4.14/image-alt');
  });
});

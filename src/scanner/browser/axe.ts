/**
 * axe-core (MPL-2.0) in the first visit's page, the WCAG 2.x A and AA rules, violations only
 * (reference: axe-core's API docs, `axe.run` with `runOnly` tags). The source is injected just
 * before running, since the page could have replaced `window.axe`; the page can still lie about its
 * own DOM, so results are as trustworthy as the page. Never throws.
 */
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import type { AccessibilityArtefact, AccessibilityViolation } from './types.ts';

const require = createRequire(import.meta.url);
// The minified build: the same engine and version, 0.65 MB to send and parse per page instead of 1.48 MB.
const axe = require('axe-core/axe.min.js') as { source: string; version: string };

export const AXE_ENGINE = `axe-core ${axe.version}`;
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const MAX_VIOLATIONS = 100;
const MAX_NODES = 10;
const IMPACTS = new Set(['minor', 'moderate', 'serious', 'critical']);

const RUN = `window.axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(TAGS)} }, resultTypes: ['violations'] })
  .then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, tags: v.tags, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.slice(0, ${MAX_NODES}).map((n) => ({ target: n.target.join(' '), html: n.html })) })))`;

const text = (value: unknown, max: number): string => (typeof value === 'string' ? value.slice(0, max) : '');

export async function runAxe(page: Page): Promise<AccessibilityArtefact> {
  const url = page.url();
  try {
    await page.evaluate(axe.source);
    const raw = (await page.evaluate(RUN)) as unknown[];
    const violations = (Array.isArray(raw) ? raw : [])
      .slice(0, MAX_VIOLATIONS)
      .map((item): AccessibilityViolation => {
        const v = item as Record<string, unknown>;
        return {
          id: text(v.id, 80),
          impact: IMPACTS.has(v.impact as string) ? (v.impact as AccessibilityViolation['impact']) : null,
          tags: Array.isArray(v.tags) ? v.tags.slice(0, 20).map((t) => text(t, 40)) : [],
          help: text(v.help, 300),
          helpUrl: text(v.helpUrl, 300),
          nodes: (Array.isArray(v.nodes) ? v.nodes : []).map((n: { target?: unknown; html?: unknown }) => ({
            target: text(n.target, 300),
            html: text(n.html, 300),
          })),
        };
      });
    return { engine: AXE_ENGINE, url, violations };
  } catch (error) {
    const message = String((error as Error)?.message ?? error)
      .split('\n')[0]!
      .slice(0, 300);
    return { engine: AXE_ENGINE, url, violations: [], error: { code: 'axe_failed', message } };
  }
}

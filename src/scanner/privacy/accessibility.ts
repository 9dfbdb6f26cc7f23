/** What axe-core's rule tags and impacts mean for people: WCAG level and an impact that is never null. */
import type { AccessibilityViolation } from '../browser/types.ts';

export type WcagLevel = 'A' | 'AA' | 'AAA' | 'best practice';
export type Impact = 'critical' | 'serious' | 'moderate' | 'minor';
export const IMPACTS: readonly Impact[] = ['critical', 'serious', 'moderate', 'minor'];

/** axe tags rules `wcag2a`, `wcag21aa`, `wcag22aa`, `wcag2aaa`…; rules without one are best practice. */
export function wcagLevel(tags: readonly string[]): WcagLevel {
  const levels = tags.map((t) => /^wcag2\d?(a{1,3})$/.exec(t)?.[1]).filter((l) => l !== undefined);
  if (levels.includes('a')) return 'A';
  if (levels.includes('aa')) return 'AA';
  if (levels.includes('aaa')) return 'AAA';
  return 'best practice';
}

/** WCAG success criteria named in the tags (`wcag143` → 1.4.3). */
export function wcagCriteria(tags: readonly string[]): string[] {
  return tags
    .map((t) => /^wcag(\d)(\d)(\d+)$/.exec(t))
    .filter((m) => m !== null)
    .map((m) => `${m[1]}.${m[2]}.${m[3]}`);
}

/** axe leaves impact null for some results: count them as minor rather than drop them. */
export function impactOf(v: AccessibilityViolation): Impact {
  return v.impact && IMPACTS.includes(v.impact) ? v.impact : 'minor';
}

/**
 * Overall and per-category scores. The MDN HTTP Observatory's algorithm (docs/scoring.md): start at
 * 100, add every check's modifier, count bonuses only when the score without them is already ≥ 90,
 * floor at 0; grade by bands. VIOscan's own scores bend it below 50 (progressScore) so they keep
 * moving where Observatory's sit at 0. A category none of whose checks ran is not graded
 * (absent), so a scan without the browser stage never shows privacy as A+.
 */
import type { Category, CategoryResult, CheckResult } from '../types.ts';
import { SEPARATELY_GRADED } from './score-table.ts';

export const CATEGORIES: readonly Category[] = [
  'transport',
  'headers',
  'cookies',
  'content',
  'disclosure',
  'domain',
  'privacy',
  'accessibility',
];

/** Lowest score of each grade, best first (Observatory grade chart). */
export const GRADE_BANDS: readonly (readonly [number, string])[] = [
  [100, 'A+'],
  [90, 'A'],
  [85, 'A-'],
  [80, 'B+'],
  [70, 'B'],
  [65, 'B-'],
  [60, 'C+'],
  [50, 'C'],
  [45, 'C-'],
  [40, 'D+'],
  [30, 'D'],
  [25, 'D-'],
  [0, 'F'],
];

export const MINIMUM_SCORE_FOR_BONUS = 90;

export function gradeFor(score: number): string {
  const band = GRADE_BANDS.find(([min]) => score >= min);
  return band ? band[1] : 'F';
}

/** 100 plus penalties; bonuses only if that is already an A; never below 0. */
export function scoreFromModifiers(modifiers: readonly number[]): number {
  const penalties = modifiers.filter((m) => m < 0).reduce((sum, m) => sum + m, 0);
  const bonuses = modifiers.filter((m) => m > 0).reduce((sum, m) => sum + m, 0);
  const uncurved = 100 + penalties;
  return Math.max(0, uncurved >= MINIMUM_SCORE_FOR_BONUS ? uncurved + bonuses : uncurved);
}

/** Below this score VIOscan's own score leaves Observatory's straight line (docs/scoring.md). */
export const CURVE_START = 50;

/**
 * VIOscan's own score: Observatory's arithmetic down to 50 (grades A+ to C unchanged), then
 * 2500 / penalties instead of a floor at 0. The curve meets the line at 50 with the same slope and
 * never reaches 0, so a bare site and a half-hardened one no longer both read F 0, and removing any
 * penalty raises the score (docs/scoring.md gives the figures).
 */
export function progressScore(modifiers: readonly number[]): number {
  const penalties = -modifiers.filter((m) => m < 0).reduce((sum, m) => sum + m, 0);
  if (100 - penalties >= CURVE_START) return scoreFromModifiers(modifiers);
  const start = 100 - CURVE_START;
  return Math.round((start * start) / penalties);
}

/** The highest score that still gets `grade` (the band below the next better one). */
export function maxScoreFor(grade: string): number {
  const i = GRADE_BANDS.findIndex(([, g]) => g === grade);
  return i <= 0 ? Infinity : GRADE_BANDS[i - 1]![0] - 1;
}

/** The worse of a grade and a cap: the cap when it is lower, with the score held inside its band. */
export function applyCap(score: number, cap: string): { score: number; grade: string } {
  const capped = Math.min(score, maxScoreFor(cap));
  return { score: capped, grade: gradeFor(capped) };
}

export interface Grading {
  score: number;
  grade: string;
  categories: CategoryResult[];
}

/** A check that judged something: not skipped (artefact not collected) and not in error. */
export function judged(c: CheckResult): boolean {
  return c.status !== 'skipped' && c.status !== 'error';
}

export function gradeChecks(checks: readonly CheckResult[]): Grading {
  const overall = checks.filter((c) => !SEPARATELY_GRADED.includes(c.category));
  const score = progressScore(overall.map((c) => c.scoreModifier));
  const categories = CATEGORIES.flatMap((category) => {
    const own = checks.filter((c) => c.category === category);
    if (!own.some(judged)) return [];
    const categoryScore = progressScore(own.map((c) => c.scoreModifier));
    return [{ category, score: categoryScore, grade: gradeFor(categoryScore) }];
  });
  return { score, grade: gradeFor(score), categories };
}

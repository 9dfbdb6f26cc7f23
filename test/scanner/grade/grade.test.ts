import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../../src/scanner/checks/index.ts';
import {
  gradeChecks,
  gradeFor,
  progressScore,
  scoreFromModifiers,
} from '../../../src/scanner/grade/grade.ts';
import { REMEDIATION_DAYS, SCORE_TABLE } from '../../../src/scanner/grade/score-table.ts';
import type { CheckResult } from '../../../src/scanner/types.ts';

describe('grade bands', () => {
  it.each([
    [135, 'A+'],
    [100, 'A+'],
    [99, 'A'],
    [90, 'A'],
    [89, 'A-'],
    [85, 'A-'],
    [84, 'B+'],
    [80, 'B+'],
    [79, 'B'],
    [70, 'B'],
    [69, 'B-'],
    [65, 'B-'],
    [64, 'C+'],
    [60, 'C+'],
    [59, 'C'],
    [50, 'C'],
    [49, 'C-'],
    [45, 'C-'],
    [44, 'D+'],
    [40, 'D+'],
    [39, 'D'],
    [30, 'D'],
    [29, 'D-'],
    [25, 'D-'],
    [24, 'F'],
    [0, 'F'],
  ])('%i → %s', (score, grade) => expect(gradeFor(score)).toBe(grade));
});

describe('scoreFromModifiers', () => {
  it('counts bonuses only when penalties leave at least 90', () => {
    expect(scoreFromModifiers([-10, 5, 10])).toBe(105);
    expect(scoreFromModifiers([-11, 5, 10])).toBe(89);
  });
  it('floors at 0', () => expect(scoreFromModifiers([-50, -50, -50])).toBe(0));
});

describe("progressScore (VIOscan's own score)", () => {
  it("is Observatory's arithmetic down to 50", () => {
    for (const mods of [[-10, 5, 10], [-11, 5, 10], [-25, -25], [-20], []]) {
      expect(progressScore(mods)).toBe(scoreFromModifiers(mods));
    }
  });
  it('bends to 2500 / penalties below 50 instead of flooring at 0', () => {
    expect(progressScore([-50, -10])).toBe(42);
    expect(progressScore([-50, -50])).toBe(25);
    expect(progressScore([-50, -50, -50])).toBe(17);
    expect(progressScore([-50, -50, -50, -50, -50])).toBe(10);
    expect(scoreFromModifiers([-50, -50, -50])).toBe(0);
  });
  it('moves the grade through the range as penalties go: a bare site and a half-hardened one differ', () => {
    expect(gradeFor(progressScore([-250]))).toBe('F');
    expect(gradeFor(progressScore([-80]))).toBe('D');
    expect(gradeFor(progressScore([-55]))).toBe('C-');
  });
  it('rises when any high or critical penalty (20 or more) goes, up to 230 points of penalties', () => {
    for (let penalties = 21; penalties <= 230; penalties++) {
      expect(progressScore([-(penalties - 20)])).toBeGreaterThan(progressScore([-penalties]));
    }
  });
  it('never falls when a penalty goes, and stays above 0 below 5000 points of penalties', () => {
    for (let penalties = 2; penalties <= 5000; penalties++) {
      expect(progressScore([-(penalties - 1)])).toBeGreaterThanOrEqual(progressScore([-penalties]));
    }
    expect(progressScore([-4999])).toBeGreaterThan(0);
  });
});

describe('gradeChecks', () => {
  const check = (id: string, category: CheckResult['category'], scoreModifier: number): CheckResult => ({
    id,
    category,
    title: id,
    status: 'fail',
    outcome: id,
    scoreModifier,
    evidence: '',
  });
  it('scores categories separately', () => {
    const g = gradeChecks([
      check('a', 'headers', -25),
      check('b', 'cookies', -40),
      check('c', 'transport', 5),
    ]);
    expect(g.score).toBe(38); // 2500 / 65
    expect(g.grade).toBe('D');
    expect(g.categories.find((c) => c.category === 'headers')).toEqual({
      category: 'headers',
      score: 75,
      grade: 'B',
    });
    expect(g.categories.find((c) => c.category === 'transport')).toEqual({
      category: 'transport',
      score: 105,
      grade: 'A+',
    });
  });
});

describe('score table', () => {
  it('has an entry for every outcome of every check, and nothing else', () => {
    const outcomes = CHECKS.flatMap((c) => Object.keys(c.outcomes));
    expect(Object.keys(SCORE_TABLE).sort()).toEqual([...outcomes].sort());
  });
  it('never penalises an outcome marked info, and promises the documented deadlines', () => {
    for (const [outcome, s] of Object.entries(SCORE_TABLE))
      if (s.severity === 'info') expect(s.modifier, outcome).toBeGreaterThanOrEqual(0);
    expect(REMEDIATION_DAYS).toEqual({ critical: 1, high: 3, medium: 30, low: 90, info: undefined });
  });
});

describe('separately graded categories', () => {
  const check = (
    category: CheckResult['category'],
    scoreModifier: number,
    status: CheckResult['status'] = 'fail',
  ): CheckResult => ({
    id: `${category}-x`,
    category,
    title: 'x',
    status,
    outcome: `${category}-x-outcome`,
    scoreModifier,
    evidence: '',
  });

  it('domain findings lower the domain grade but not the site score', () => {
    const g = gradeChecks([check('headers', -20), check('domain', -50)]);
    expect(g.score).toBe(80);
    expect(g.categories.find((c) => c.category === 'domain')).toEqual({
      category: 'domain',
      score: 50,
      grade: 'C',
    });
  });

  it('control: a headers penalty of the same size does lower the site score', () => {
    expect(gradeChecks([check('headers', -20), check('headers', -50)]).score).toBe(36); // 2500 / 70
  });

  it('a category whose checks were all skipped gets no grade; one that ran does', () => {
    const skipped = gradeChecks([check('headers', 0, 'pass'), check('domain', 0, 'skipped')]);
    expect(skipped.categories.map((c) => c.category)).not.toContain('domain');
    const ran = gradeChecks([check('headers', 0, 'pass'), check('domain', 0, 'pass')]);
    expect(ran.categories.map((c) => c.category)).toContain('domain');
  });
});

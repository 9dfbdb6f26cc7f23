/**
 * An unreachable site has no grade in any format: "not graded" with the reason, never "F" and
 * "score 0", never "No findings" as if every check had passed. A capped grade says why.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/scanner/analyze.ts';
import { render } from '../../../src/scanner/report/index.ts';
import { baseline, NOW, set } from '../helpers/artefacts.ts';

const meta = { startedAt: NOW.toISOString(), finishedAt: NOW.toISOString() };
/** The rendered text with Markdown's backslash escapes removed. */
const plain = (out: string) => out.replace(/\\/g, '');
const unreachable = () =>
  analyze(
    set((a) => {
      a.page = {
        requestedUrl: a.target,
        hops: [],
        error: { code: 'connect_failed', message: 'connection refused' },
      };
    }),
    meta,
  );

describe('a report without a grade', () => {
  it.each(['text', 'md', 'html'] as const)('%s says "not graded" and why', (format) => {
    const out = plain(render(unreachable(), format));
    expect(out).toMatch(/not graded/i);
    expect(out).toContain('connection refused');
    expect(out).not.toMatch(/Grade\s*\**\s*F\b/);
    expect(out).not.toMatch(/score 0\b/);
    expect(out).not.toMatch(/No findings/);
  });

  it('json has grade and score null', () => {
    const out = JSON.parse(render(unreachable(), 'json')) as Record<string, unknown>;
    expect(out).toMatchObject({ grade: null, score: null, headersGrade: null, headersScore: null });
  });

  it('sarif marks the run as not executed successfully, without a grade', () => {
    const out = JSON.parse(render(unreachable(), 'sarif')) as {
      runs: {
        invocations: { executionSuccessful: boolean }[];
        properties: { grade: unknown; score: unknown };
      }[];
    };
    expect(out.runs[0]!.invocations[0]!.executionSuccessful).toBe(false);
    expect(out.runs[0]!.properties).toMatchObject({ grade: null, score: null });
  });

  it.each(['text', 'md', 'html'] as const)('%s of a reachable site shows its grade (control)', (format) => {
    const out = plain(render(analyze(baseline(), meta), format));
    expect(out).not.toMatch(/not graded/i);
    expect(out).toMatch(/A\+/);
  });

  it.each(['text', 'md', 'html'] as const)('%s names what capped a grade', (format) => {
    const capped = analyze(
      set((a) => (a.tls!.certificate!.hostnameMatches = false)),
      meta,
    );
    expect(plain(render(capped, format))).toContain('Grade capped at F by certificate-hostname-mismatch');
  });
});

/**
 * The probe deadline: once the page is in and the deadline has passed, optional probes still
 * running are cut, their artefacts say so, and the report lists them; a fast site loses nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../../src/scanner/analyze.ts';
import { gather } from '../../../src/scanner/gather/index.ts';
import { renderText } from '../../../src/scanner/report/text.ts';
import { disposeTestPki } from '../../sites/pki.ts';
import { startTestSite, type RunningSite } from '../../sites/site.ts';

let site: RunningSite;
let fast: RunningSite;
let answered = 0;

beforeAll(async () => {
  site = await startTestSite({
    routes: {
      '/': { headers: { 'content-type': 'text/html' }, body: '<!doctype html><p>hi</p>' },
      // security.txt answers only after 8 s: far past the deadline the test sets.
      '/.well-known/security.txt': () => {
        setTimeout(() => answered++, 8_000).unref();
        return {
          delayMs: 8_000,
          headers: { 'content-type': 'text/plain' },
          body: 'Contact: mailto:a@b.test\n',
        };
      },
    },
  });
  fast = await startTestSite({
    routes: {
      '/': { headers: { 'content-type': 'text/html' }, body: '<!doctype html><p>hi</p>' },
      '/.well-known/security.txt': {
        headers: { 'content-type': 'text/plain' },
        body: 'Contact: mailto:a@b.test\n',
      },
    },
  });
});

afterAll(async () => {
  await Promise.all([site.close(), fast.close()]);
  await disposeTestPki();
});

const meta = () => ({ startedAt: new Date().toISOString(), finishedAt: new Date().toISOString() });

describe('probe deadline', () => {
  it('cuts a slow optional probe, records why, and the report names it', async () => {
    const a = await gather(site.url, { allowPrivate: true, ca: [site.pki.caPem], probeDeadlineMs: 2_000 });
    expect(answered).toBe(0);
    expect(a.cut).toContain('securityTxt');
    expect(a.securityTxt?.error?.code).toBe('probe_cut');
    // Probes that finished in time are kept (on an idle machine: all but security.txt).
    if (!a.cut?.includes('tls')) expect(a.tls?.versions['TLSv1.3']).toBe(true);
    if (!a.cut?.includes('cors')) expect(a.cors?.status).toBe(200);
    const report = analyze(a, meta());
    expect(report.cutProbes).toEqual(a.cut);
    expect(report.checks.find((c) => c.id === 'security-txt')?.status).toBe('error');
    expect(renderText(report)).toContain('cut at the probe deadline: ');
  });

  it('control: with the default deadline nothing is cut', async () => {
    const a = await gather(fast.url, { allowPrivate: true, ca: [fast.pki.caPem] });
    expect(a.cut).toBeUndefined();
    expect(a.securityTxt?.status).toBe(200);
    expect(analyze(a, meta()).cutProbes).toBeUndefined();
  });
});

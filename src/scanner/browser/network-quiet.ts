/**
 * Network quiet by in-flight count: every request of the context from `request` until
 * `requestfinished` or `requestfailed`. Unlike Playwright's `networkidle` (a lifecycle event that
 * fires once per navigation, so waiting for it again returns at once), the quiet window counts from
 * the call: a beacon that typing sets off moments later is still waited for.
 */
import type { BrowserContext, Request } from 'playwright-core';

export class NetworkQuiet {
  private readonly inFlight = new Set<Request>();
  private lastChange = Date.now();
  private wake: (() => void) | undefined;

  constructor(context: BrowserContext) {
    context.on('request', (r) => {
      this.inFlight.add(r);
      this.changed();
    });
    const done = (r: Request) => {
      if (this.inFlight.delete(r)) this.changed();
    };
    context.on('requestfinished', done);
    context.on('requestfailed', done);
  }

  private changed(): void {
    this.lastChange = Date.now();
    this.wake?.();
  }

  /** Resolves once nothing has been in flight for quietMs (counted from this call at the earliest), or after maxMs. */
  async settle(quietMs: number, maxMs: number): Promise<void> {
    const started = Date.now();
    const deadline = started + maxMs;
    for (;;) {
      const now = Date.now();
      if (now >= deadline) return;
      const quietSince = Math.max(started, this.lastChange);
      if (this.inFlight.size === 0 && now - quietSince >= quietMs) return;
      const until = this.inFlight.size === 0 ? Math.min(quietSince + quietMs, deadline) : deadline;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, until - now);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }
}

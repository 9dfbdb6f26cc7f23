/**
 * NetworkQuiet's logic with controlled events and fake timers: what is in flight, the quiet window
 * counted from the call, and the cap. The context is an event emitter standing in for Playwright's
 * (NetworkQuiet only listens to request, requestfinished and requestfailed).
 */
import { EventEmitter } from 'node:events';
import type { BrowserContext, Request } from 'playwright-core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NetworkQuiet } from '../../../src/scanner/browser/network-quiet.ts';

const QUIET = 300;
const CAP = 5000;

let context: EventEmitter;
let quiet: NetworkQuiet;
beforeEach(() => {
  vi.useFakeTimers();
  context = new EventEmitter();
  quiet = new NetworkQuiet(context as unknown as BrowserContext);
});
afterEach(() => {
  vi.useRealTimers();
});

const fakeRequest = () => ({}) as Request;

/** settle() with a flag that says whether it has resolved yet. */
function settling(quietMs = QUIET, maxMs = CAP) {
  const state = { done: false };
  void quiet.settle(quietMs, maxMs).then(() => {
    state.done = true;
  });
  return state;
}

describe('NetworkQuiet.settle', () => {
  it('with nothing in flight, resolves once the quiet window has passed, counted from the call', async () => {
    await vi.advanceTimersByTimeAsync(10_000); // a long quiet before the call does not count
    const s = settling();
    await vi.advanceTimersByTimeAsync(QUIET - 1);
    expect(s.done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(s.done).toBe(true);
  });

  it('waits while a request is in flight, then for a full quiet window after it finished', async () => {
    const r = fakeRequest();
    context.emit('request', r);
    const s = settling();
    await vi.advanceTimersByTimeAsync(2000);
    expect(s.done).toBe(false);
    context.emit('requestfinished', r);
    await vi.advanceTimersByTimeAsync(QUIET - 1);
    expect(s.done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(s.done).toBe(true);
  });

  it('counts every request: one finishing while another is in flight is not quiet', async () => {
    const [a, b] = [fakeRequest(), fakeRequest()];
    context.emit('request', a);
    context.emit('request', b);
    const s = settling();
    context.emit('requestfinished', a);
    await vi.advanceTimersByTimeAsync(1000);
    expect(s.done).toBe(false);
    context.emit('requestfailed', b); // a failure ends a request too
    await vi.advanceTimersByTimeAsync(QUIET);
    expect(s.done).toBe(true);
  });

  it('a request that starts and ends inside the window restarts it (a beacon set off by typing)', async () => {
    const s = settling();
    await vi.advanceTimersByTimeAsync(200);
    const r = fakeRequest();
    context.emit('request', r);
    await vi.advanceTimersByTimeAsync(50);
    context.emit('requestfinished', r);
    await vi.advanceTimersByTimeAsync(QUIET - 1);
    expect(s.done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(s.done).toBe(true);
  });

  it('ignores the end of a request it never saw start', async () => {
    const s = settling();
    await vi.advanceTimersByTimeAsync(QUIET - 100);
    context.emit('requestfinished', fakeRequest());
    await vi.advanceTimersByTimeAsync(100);
    expect(s.done).toBe(true);
  });

  it('gives up at the cap when a request never ends', async () => {
    context.emit('request', fakeRequest());
    const s = settling();
    await vi.advanceTimersByTimeAsync(CAP - 1);
    expect(s.done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(s.done).toBe(true);
  });

  it('the cap also bounds the quiet window, and a cap of zero returns at once', async () => {
    const short = settling(QUIET, 100);
    await vi.advanceTimersByTimeAsync(100);
    expect(short.done).toBe(true);
    const none = settling(QUIET, 0);
    await vi.advanceTimersByTimeAsync(0);
    expect(none.done).toBe(true);
  });
});

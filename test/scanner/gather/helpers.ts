/**
 * Diallers for SSRF tests. No test may send a packet to a non-loopback address, so a test that
 * needs a "public" address to succeed injects a dialler that records the checked IP it was
 * handed and connects to a loopback test site instead; anything unmapped is refused.
 */
import { buildConnector } from 'undici';
import type { Dialler, SecurityEvent } from '../../../src/scanner/gather/safe-fetch.ts';

export const PUBLIC_V4 = '93.184.215.14';
export const PUBLIC_V6 = '2606:2800:21f:cb07:6820:80da:af6b:8b2c';

export interface RecordingDialler {
  dial: Dialler;
  /** Every `hostname` the guard asked to dial, in order. */
  calls: string[];
}

/** Dials `map[ip]` (a loopback address) in place of the checked IP; refuses any other address. */
export function loopbackDialler(map: Record<string, string>, caPem?: string): RecordingDialler {
  const real = buildConnector(caPem ? { ca: [caPem] } : {});
  const calls: string[] = [];
  const dial: Dialler = (opts, callback) => {
    calls.push(opts.hostname);
    const target = map[opts.hostname];
    if (!target) {
      callback(new Error(`test dialler refused ${opts.hostname}`), null);
      return;
    }
    real({ ...opts, hostname: target }, callback);
  };
  return { dial, calls };
}

/** A dialler that must never be reached: it records and fails. */
export function forbiddenDialler(): RecordingDialler {
  return loopbackDialler({});
}

export function eventSink(): { events: SecurityEvent[]; onSecurityEvent: (e: SecurityEvent) => void } {
  const events: SecurityEvent[] = [];
  return { events, onSecurityEvent: (e) => events.push(e) };
}

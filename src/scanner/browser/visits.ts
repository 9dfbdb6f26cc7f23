/**
 * The three visits of a page (none · reject · gpc), each in a fresh context of the pooled browser,
 * side by side within the stage's time limit, and each RawVisit turned into its VisitArtefact:
 * requests and cookies classified against the page's final URL, detections run, the instrument's
 * raw records dropped.
 */
import type { Browser } from 'playwright-core';
import type { PrivateAccess } from '../gather/address-policy.ts';
import type { Resolver } from '../gather/guard.ts';
import type { Classifier } from './classify.ts';
import { detect } from './detect.ts';
import type { AccessibilityArtefact, RawVisit, VisitArtefact, VisitKind } from './types.ts';
import { recordVisit } from './visit.ts';

export interface VisitsOptions {
  browser: Browser;
  classifier: Classifier;
  visits: readonly VisitKind[];
  allowPrivate?: PrivateAccess;
  resolver?: Resolver;
  ca?: string[];
  headers?: Record<string, string>;
  visitMs: number;
  signal?: AbortSignal;
  evidenceDir?: string;
}

export function toVisitArtefact(raw: RawVisit, classifier: Classifier): VisitArtefact {
  const pageUrl = raw.finalUrl ?? raw.url;
  const requests = raw.requests.map(({ frameUrl, frame, ...request }) => ({
    ...request,
    classification: classifier.classify(request.url, {
      pageUrl,
      type: request.type,
      frame,
      ...(frameUrl && { frameUrl }),
    }),
  }));
  const cookies = raw.cookies.map((cookie) => ({
    ...cookie,
    classification: classifier.classifyCookieDomain(cookie.domain, pageUrl),
  }));
  const { websocketFrames: _frames, instrument: _records, ...rest } = raw;
  return { ...rest, requests, cookies, ...detect(raw, classifier, pageUrl) };
}

export async function runVisits(
  target: string,
  options: VisitsOptions,
): Promise<{ visits: VisitArtefact[]; accessibility?: AccessibilityArtefact }> {
  const recordings = await Promise.all(
    options.visits.map((kind, index) =>
      recordVisit({
        kind,
        url: target,
        browser: options.browser,
        timeoutMs: options.visitMs,
        accessibility: index === 0,
        ...(options.allowPrivate !== undefined && { allowPrivate: options.allowPrivate }),
        ...(options.resolver && { resolver: options.resolver }),
        ...(options.ca && { ca: options.ca }),
        ...(options.headers && { headers: options.headers }),
        ...(options.signal && { signal: options.signal }),
        ...(options.evidenceDir && { evidenceDir: options.evidenceDir }),
      }),
    ),
  );
  const accessibility = recordings[0]?.accessibility;
  return {
    visits: recordings.map((r) => toVisitArtefact(r.raw, options.classifier)),
    ...(accessibility && { accessibility }),
  };
}

/**
 * Pure detections over one recorded visit (RawVisit → the visit artefact's detection fields):
 * fingerprinting (Englehardt & Narayanan 2016 and Das/Acar criteria), session replay (vendor hosts
 * and behaviour), key logging (canaries in URLs, bodies, beacons and WebSocket frames; plain,
 * URL-encoded, base64 and hashed), Facebook pixel / Google Analytics and Ads events, storage writes.
 * Every detection names the responsible script and its party. The rules live in detect/*.ts.
 */
import type { Classifier } from './classify.ts';
import { detectFingerprinting } from './detect/fingerprinting.ts';
import { detectKeyLogging } from './detect/key-logging.ts';
import { detectPixels } from './detect/pixels.ts';
import { scriptResolver } from './detect/scripts.ts';
import { detectSessionReplay } from './detect/session-replay.ts';
import { detectStorage } from './detect/storage.ts';
import type { RawVisit, VisitArtefact } from './types.ts';

export type Detections = Pick<
  VisitArtefact,
  'fingerprinting' | 'sessionReplay' | 'keyLogging' | 'pixels' | 'storage'
>;

/** pageUrl: the page's final URL (the first-party reference). */
export function detect(visit: RawVisit, classifier: Classifier, pageUrl: string): Detections {
  const resolve = scriptResolver(classifier, pageUrl);
  return {
    fingerprinting: detectFingerprinting(visit.instrument, resolve, pageUrl),
    sessionReplay: detectSessionReplay(visit, resolve, pageUrl),
    keyLogging: detectKeyLogging(visit, classifier, pageUrl, resolve),
    pixels: detectPixels(visit.requests, classifier, pageUrl),
    storage: detectStorage(visit.instrument, classifier, pageUrl, resolve),
  };
}

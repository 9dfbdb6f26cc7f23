/**
 * Pure detections over one recorded visit: fingerprinting (Englehardt & Narayanan 2016 criteria),
 * session replay (vendor hosts and behaviour), key logging (canaries in URLs, bodies, beacons,
 * WebSocket frames; plain, URL-encoded, base64 and hashed), Facebook pixel / Google remarketing
 * events, storage writes.
 *
 * CONTRACT STUB — the detection work fills these in.
 */
import type { Classifier } from './classify.ts';
import type { RawVisit, VisitArtefact } from './types.ts';

export type Detections = Pick<
  VisitArtefact,
  'fingerprinting' | 'sessionReplay' | 'keyLogging' | 'pixels' | 'storage'
>;

export function detect(_visit: RawVisit, _classifier: Classifier, _pageUrl: string): Detections {
  return { fingerprinting: [], sessionReplay: [], keyLogging: [], pixels: [], storage: [] };
}

/**
 * Fingerprinting by published criteria, per script (reference privacy-scan.md §5):
 * - canvas: Englehardt & Narayanan 2016 — canvas ≥ 16×16, text in ≥ 2 colours or ≥ 10 distinct
 *   characters, read back via toDataURL/toBlob or one getImageData ≥ 16×16, and the script never
 *   calls save, restore or addEventListener on a canvas (signs of real drawing);
 * - canvas-font: ≥ 50 distinct font values and ≥ 50 measureText calls on the same string;
 * - WebGL: the unmasked vendor/renderer read (WEBGL_debug_renderer_info, 0x9245/0x9246);
 * - audio: Das/Acar — an OfflineAudioContext with an oscillator, a dynamics compressor and
 *   startRendering whose result is taken (oncomplete, a `complete` listener or getChannelData);
 * - WebRTC: a data channel, an offer and ICE candidates collected (local-address discovery).
 */
import type { FingerprintEvidence, InstrumentRecord } from '../types.ts';
import { excerpt, member, num, recordsByScript, text, type ScriptResolver } from './scripts.ts';

const MIN_CANVAS = 16;
const MIN_DISTINCT_CHARACTERS = 10;
const MIN_FONTS = 50;
const MIN_MEASURES = 50;

type Finding = Omit<FingerprintEvidence, 'script' | 'party'>;
type Detector = (records: InstrumentRecord[]) => Finding | undefined;

const bigEnough = (r: InstrumentRecord, w = 'width', h = 'height') =>
  num(r, w) >= MIN_CANVAS && num(r, h) >= MIN_CANVAS;

function canvas(records: InstrumentRecord[]): Finding | undefined {
  const drawsOnCanvas = records.some(
    (r) =>
      member(r) === 'save' ||
      member(r) === 'restore' ||
      (r.api === 'EventTarget.addEventListener' && text(r, 'target') === 'canvas'),
  );
  if (drawsOnCanvas) return undefined;
  const writes = records.filter(
    (r) => (member(r) === 'fillText' || member(r) === 'strokeText') && bigEnough(r),
  );
  const written = new Set(writes.map((r) => num(r, 'canvas')));
  const read = records.find(
    (r) =>
      written.has(num(r, 'canvas')) &&
      bigEnough(r) &&
      (['toDataURL', 'toBlob', 'convertToBlob'].includes(member(r)) ||
        (member(r) === 'getImageData' && bigEnough(r, 'readWidth', 'readHeight'))),
  );
  if (!read) return undefined;
  const onCanvas = writes.filter((r) => num(r, 'canvas') === num(read, 'canvas'));
  const characters = new Set([...onCanvas.map((r) => text(r, 'text')).join('')]);
  const colours = new Set(onCanvas.map((r) => text(r, 'style')));
  if (characters.size < MIN_DISTINCT_CHARACTERS && colours.size < 2) return undefined;
  const sample = excerpt(onCanvas[0] ? text(onCanvas[0], 'text') : '', 40);
  return {
    technique: 'canvas',
    evidence: `${member(read)} on a ${num(read, 'width')}×${num(read, 'height')} canvas after drawing text "${sample}" (${characters.size} distinct characters, ${colours.size} colour${colours.size === 1 ? '' : 's'}); no other drawing use`,
    frame: read.frame,
  };
}

function canvasFont(records: InstrumentRecord[]): Finding | undefined {
  const fonts = new Set(records.filter((r) => member(r) === 'font').map((r) => text(r, 'font')));
  if (fonts.size < MIN_FONTS) return undefined;
  const perString = new Map<string, number>();
  for (const r of records) {
    if (member(r) === 'measureText')
      perString.set(text(r, 'text'), (perString.get(text(r, 'text')) ?? 0) + 1);
  }
  const [probe, measures] = [...perString.entries()].sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
  if (measures < MIN_MEASURES) return undefined;
  return {
    technique: 'canvas-font',
    evidence: `set ${fonts.size} distinct fonts and measured "${excerpt(probe, 40)}" ${measures} times`,
    frame: records.find((r) => member(r) === 'measureText')?.frame,
  };
}

function webgl(records: InstrumentRecord[]): Finding | undefined {
  const reads = records.filter(
    (r) => member(r) === 'getParameter' && text(r, 'name').startsWith('UNMASKED_'),
  );
  if (reads.length === 0) return undefined;
  const names = [...new Set(reads.map((r) => text(r, 'name')))].join(' and ');
  const pixels = records.some((r) => member(r) === 'readPixels')
    ? '; also read pixels back (readPixels)'
    : '';
  return {
    technique: 'webgl',
    evidence: `read ${names} via WEBGL_debug_renderer_info${pixels}`,
    frame: reads[0]!.frame,
  };
}

const has = (records: InstrumentRecord[], api: string) => records.find((r) => r.api === api);

function audio(records: InstrumentRecord[]): Finding | undefined {
  const oscillator = has(records, 'OfflineAudioContext.createOscillator');
  const compressor = has(records, 'OfflineAudioContext.createDynamicsCompressor');
  const rendering = has(records, 'OfflineAudioContext.startRendering');
  const result =
    has(records, 'OfflineAudioContext.oncomplete') ??
    records.find(
      (r) => r.api === 'EventTarget.addEventListener' && text(r, 'target') === 'OfflineAudioContext',
    ) ??
    has(records, 'AudioBuffer.getChannelData');
  if (!oscillator || !compressor || !rendering || !result) return undefined;
  return {
    technique: 'audio',
    evidence: `rendered an oscillator through a dynamics compressor in an OfflineAudioContext and read the result (${result.api})`,
    frame: rendering.frame,
  };
}

function webrtc(records: InstrumentRecord[]): Finding | undefined {
  const channel = has(records, 'RTCPeerConnection.createDataChannel');
  const offer = has(records, 'RTCPeerConnection.createOffer');
  const candidates =
    has(records, 'RTCPeerConnection.onicecandidate') ??
    records.find((r) => r.api === 'EventTarget.addEventListener' && text(r, 'type') === 'icecandidate');
  if (!channel || !offer || !candidates) return undefined;
  return {
    technique: 'webrtc',
    evidence: 'created a data channel and an offer and collected ICE candidates (local address discovery)',
    frame: offer.frame,
  };
}

const DETECTORS: Detector[] = [canvas, canvasFont, webgl, audio, webrtc];

export function detectFingerprinting(
  records: readonly InstrumentRecord[],
  resolve: ScriptResolver,
  pageUrl: string,
): FingerprintEvidence[] {
  const found: FingerprintEvidence[] = [];
  for (const [script, own] of recordsByScript(records, pageUrl)) {
    for (const detector of DETECTORS) {
      const finding = detector(own);
      if (!finding) continue;
      const { frame, ...rest } = finding;
      found.push({ ...resolve(script), ...rest, ...(frame ? { frame } : {}) });
    }
  }
  return found;
}

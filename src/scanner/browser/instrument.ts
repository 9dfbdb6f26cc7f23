/**
 * The instrumentation init script: runs before any page script in every frame and reports calls of
 * fingerprinting-relevant APIs, event listeners, storage writes and DOM serialisation through the
 * `__vioscanRecord` binding (one InstrumentRecord per call, capped).
 *
 * CONTRACT STUB — the detection work writes the real script.
 */
export const RECORD_BINDING = '__vioscanRecord';

export const INSTRUMENT_SCRIPT = '/* vioscan instrument: not built yet */';

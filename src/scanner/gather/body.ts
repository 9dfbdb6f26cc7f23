/**
 * Reads a response body with a hard cap on the bytes kept after decompression (a gzip bomb
 * stops at the cap too) and decodes it to text when the media type is textual.
 */
import { TextDecoder } from 'node:util';
import { createBrotliDecompress, createGunzip, createInflate, type Gunzip } from 'node:zlib';
import { pipeline, type Readable } from 'node:stream';

export interface CappedBody {
  text?: string;
  truncated: boolean;
  bytes: number;
}

const TEXTUAL =
  /^(text\/|application\/(xhtml\+xml|xml|json|javascript|ecmascript|manifest\+json|ld\+json))|\+xml$|\+json$/i;

export function isTextual(contentType: string | undefined): boolean {
  if (!contentType) return true;
  return TEXTUAL.test(contentType.split(';')[0]!.trim());
}

function charsetOf(contentType: string | undefined): string {
  const m = contentType ? /;\s*charset\s*=\s*"?([\w.:-]+)"?/i.exec(contentType) : null;
  return m?.[1] ?? 'utf-8';
}

function decoderFor(
  encoding: string | undefined,
): Gunzip | ReturnType<typeof createBrotliDecompress> | undefined {
  switch (encoding?.trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return createGunzip();
    case 'deflate':
      return createInflate();
    case 'br':
      return createBrotliDecompress();
    default:
      return undefined;
  }
}

function decodeText(bytes: Buffer, contentType: string | undefined): string {
  try {
    return new TextDecoder(charsetOf(contentType)).decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

/** Reads at most `cap` decoded bytes from `body`, then stops reading and destroys the stream. */
export async function readCapped(
  body: Readable,
  opts: { cap: number; contentType?: string; contentEncoding?: string; forceText?: boolean },
): Promise<CappedBody> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  let truncated = false;
  const inflate = decoderFor(opts.contentEncoding);
  // Destroying the body after the cap makes undici emit "Request aborted": nobody must crash on it.
  body.on('error', () => undefined);
  // pipeline (not pipe) so a network error or abort on the body also ends the decompressor.
  if (inflate) pipeline(body, inflate, () => undefined);
  const source: AsyncIterable<Buffer> = inflate ?? body;
  try {
    for await (const chunk of source) {
      const room = opts.cap - bytes;
      if (chunk.length >= room) {
        chunks.push(chunk.subarray(0, room));
        bytes += room;
        truncated = chunk.length > room;
        if (truncated) break;
        continue;
      }
      chunks.push(chunk);
      bytes += chunk.length;
    }
  } catch (error) {
    // A corrupt compressed body still yields what decoded cleanly; a network error is the caller's.
    if (!inflate || !(error instanceof Error) || !('code' in error) || !String(error.code).startsWith('Z_'))
      throw error;
    truncated = true;
  } finally {
    inflate?.destroy();
    body.destroy();
  }
  const buf = Buffer.concat(chunks);
  const textual = opts.forceText || isTextual(opts.contentType);
  return { ...(textual && { text: decodeText(buf, opts.contentType) }), truncated, bytes };
}

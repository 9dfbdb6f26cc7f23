import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AppError, envelope, errorCatalogue } from '../src/errors.ts';

/** Rows of the table in docs/errors.md: | `code` | status | message | when | */
function documentedCodes(): Map<string, { status: number; message: string }> {
  const doc = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');
  const rows = [...doc.matchAll(/^\|\s*`([a-z_]+)`\s*\|\s*(\d{3})\s*\|\s*([^|]+?)\s*\|/gm)];
  return new Map(
    rows.map(([, code, status, message]) => [code!, { status: Number(status), message: message! }]),
  );
}

describe('error catalogue', () => {
  it('docs/errors.md lists every code with its status and message, and nothing else', () => {
    const documented = documentedCodes();
    expect([...documented.keys()].sort()).toEqual(Object.keys(errorCatalogue).sort());
    for (const [code, entry] of Object.entries(errorCatalogue)) {
      expect(documented.get(code), code).toEqual({ status: entry.status, message: entry.message });
    }
  });

  it('every status is an HTTP error status', () => {
    for (const { status } of Object.values(errorCatalogue)) expect(status).toBeGreaterThanOrEqual(400);
  });

  it('envelope() and AppError use the catalogue message unless told otherwise', () => {
    expect(envelope('not_found')).toEqual({ error: { code: 'not_found', message: 'No such resource.' } });
    expect(envelope('conflict', 'Site exists.', { id: 1 })).toEqual({
      error: { code: 'conflict', message: 'Site exists.', details: { id: 1 } },
    });
    expect(new AppError('rate_limited').status).toBe(429);
  });
});

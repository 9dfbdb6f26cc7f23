import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { probeCertificate, probeDisk } from '../../src/ops/probes.ts';
import { selfSignedCertificate } from '../sites/pki.ts';

describe('certificate and disk probes', () => {
  let certFile: string;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'vioscan-probes-'));
    // A throwaway self-signed certificate valid for 30 days (no key is ever committed).
    ({ certFile } = await selfSignedCertificate(dir, 'cert', { cn: 'localhost', days: 30 }));
  });

  it('is skipped without native TLS', async () => {
    expect(await probeCertificate({ tlsCertFile: undefined })).toBeUndefined();
  });

  it.each([
    [0, 'ok'],
    [10, 'degraded'], // 20 days left: under the 21-day warning
    [25, 'down'], // 5 days left
    [40, 'down'], // expired
  ])('after %i days the certificate is %s', async (days, status) => {
    const now = new Date(Date.now() + days * 86_400_000);
    const result = await probeCertificate({ tlsCertFile: certFile }, now);
    expect(result?.status).toBe(status);
    expect(result?.detail).toMatch(/^expires \d{4}-/);
  });

  it('reads free space in DATA_DIR and BACKUP_DIR, and skips a backup directory not created yet', async () => {
    const result = await probeDisk({ dataDir: dir, backupDir: path.join(dir, 'missing') });
    expect(result.component).toBe('disk');
    expect(result.detail).toMatch(new RegExp(`^${dir}: \\d+\\.\\d% free$`));
    expect(['ok', 'degraded', 'down']).toContain(result.status);
  });
});

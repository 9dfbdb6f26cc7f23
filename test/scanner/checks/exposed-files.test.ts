import { describe, expect, it } from 'vitest';
import { exposedFiles } from '../../../src/scanner/checks/exposed-files.ts';
import type { ExposedFileArtefact } from '../../../src/scanner/types.ts';
import { NOW, set } from '../helpers/artefacts.ts';
import { checkTable } from '../helpers/check-table.ts';

const files = (...list: ExposedFileArtefact[]) =>
  set((a) => {
    a.exposedFiles = list;
  });

describe('exposed-files', () => {
  checkTable(exposedFiles, 'exposed-files-none', [
    [
      '.git/HEAD readable',
      files({ path: '/.git/HEAD', status: 200, contentType: 'text/plain', snippet: 'ref: refs/heads/main' }),
      'exposed-files-found',
      'fail',
    ],
    [
      '.env readable',
      files({ path: '/.env', status: 200, contentType: 'text/plain', snippet: 'DB_PASSWORD=x' }),
      'exposed-files-found',
      'fail',
    ],
    [
      'soft 404 for .git/HEAD',
      files({ path: '/.git/HEAD', status: 200, contentType: 'text/html', snippet: '<html>Not found' }),
      'exposed-files-none',
      'pass',
    ],
    [
      'backup archive served',
      files({ path: '/backup.zip', status: 200, contentType: 'application/zip' }),
      'exposed-files-found',
      'fail',
    ],
    [
      'PHP backup served as text',
      files({
        path: '/wp-config.php.bak',
        status: 200,
        contentType: 'text/plain',
        snippet: "<?php define('DB_PASSWORD'",
      }),
      'exposed-files-found',
      'fail',
    ],
    [
      'soft 404 for an archive',
      files({
        path: '/www.tar.gz',
        status: 200,
        contentType: 'text/html',
        snippet: '<!doctype html><p>Not found',
      }),
      'exposed-files-none',
      'pass',
    ],
    [
      'unknown path, HTML 200',
      files({ path: '/backup/', status: 200, contentType: 'text/html', snippet: '<html>' }),
      'exposed-files-none',
      'pass',
    ],
  ]);

  it('marks secrets as critical', () => {
    const r = exposedFiles.run(files({ path: '/.env', status: 200, snippet: 'SECRET=1' }), { now: NOW });
    expect(r.findings[0]?.severity).toBe('critical');
  });
});

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { WEB_DIST } from '../../src/modules/web/routes.ts';

/** Builds web/dist once if this checkout has not (postinstall normally has). */
export async function ensureWebBuild(): Promise<void> {
  if (existsSync(`${WEB_DIST}index.html`)) return;
  const { build } = await import('vite');
  await build({
    configFile: fileURLToPath(new URL('../../web/vite.config.ts', import.meta.url)),
    logLevel: 'warn',
  });
}

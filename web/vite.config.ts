import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const api = process.env.VIOSCAN_API ?? 'http://127.0.0.1:3000';
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * The build must run under the server's strict CSP (script-src/style-src 'self' + nonce):
 * Vite emits external hashed files only, and the module-preload polyfill (which modern
 * browsers do not need) is left out.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    // Images stay files so nothing depends on data: URIs in the CSP.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
  },
  server: {
    port: 5173,
    // Shared types come from src/ (the API schemas).
    fs: { allow: [repoRoot] },
    proxy: Object.fromEntries(
      ['/api', '/healthz', '/readyz', '/status.json', '/.well-known', '/auth/confirm'].map((path) => [
        path,
        { target: api },
      ]),
    ),
  },
});

#!/usr/bin/env node
// Runs the compiled JavaScript in dist/ (built by `npm run build`: on `npm ci` and before
// `npm pack`); in a checkout whose dist/ is missing or older than src/, the sources through tsx.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chooseEntry } from './entry.js';

const entry = chooseEntry(path.resolve(import.meta.dirname, '..'));
if (entry.kind === 'missing') {
  process.stderr.write('vioscan: dist/ is missing from this installation; reinstall the package\n');
  process.exit(3);
}
if (entry.kind === 'source') {
  if (process.stderr.isTTY)
    process.stderr.write(`vioscan: ${entry.reason}; running the sources (npm run build to refresh)\n`);
  try {
    (await import('tsx/esm/api')).register();
  } catch {
    process.stderr.write(`vioscan: ${entry.reason} and tsx is not installed: run npm run build\n`);
    process.exit(3);
  }
}
await import(pathToFileURL(entry.file).href);

// The CLI as a few ES modules (esbuild), written over tsc's dist/cli/index.js by `npm run build`
// (scripts/build.js). Loading ~300 small files cost `vioscan scan` most of its start before the
// first request (resolving, reading and linking each one; npm run bench:cli, issue 16): one entry
// plus chunks is a fraction of that. Dynamic imports stay separate chunks, so a command still
// loads only what it runs (src/cli/index.ts) and a passive scan neither the browser stage nor YAML.
//
// Our own code is bundled, and of the dependencies only those that are plain JavaScript reading no
// file beside them (PURE_PACKAGES); every other package is imported from node_modules as before.
// Each bundled module sees the import.meta.url its tsc-compiled twin in dist/ would have, so the
// files it reads relative to itself (package.json, the browser page script, web/dist, rules/) are
// found where they are shipped.
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

/** Packages bundled into the CLI: pure JavaScript on the scan path that reads no file of its own. */
export const PURE_PACKAGES = [
  'commander',
  'zod',
  'undici',
  'htmlparser2',
  'domhandler',
  'domutils',
  'dom-serializer',
  'domelementtype',
  'entities',
  'tldts',
  'tldts-core',
  'ipaddr.js',
  'csp_evaluator',
  'dns-packet',
  '@leichtgewicht/ip-codec',
  'robots-parser',
];

const UNDICI_CORE = fileURLToPath(new URL('./undici-core.js', import.meta.url));

/** The package a bare import specifier names (`@scope/name/sub` → `@scope/name`). */
export function packageOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/**
 * `import.meta.url` of `file` (under `srcDir`) replaced by the URL of its compiled twin under
 * `distDir`, computed at run time from the bundle file's own URL in `outDir` (so the package may
 * be installed anywhere).
 */
export function rewriteImportMeta(source, file, { srcDir, distDir, outDir }) {
  if (!source.includes('import.meta')) return source;
  const twin = path.join(distDir, path.relative(srcDir, file)).replace(/\.ts$/, '.js');
  const relative = path.relative(outDir, twin).split(path.sep).join('/');
  if (/import\.meta\.(dirname|filename)/.test(source))
    throw new Error(`${file}: use import.meta.url (the CLI bundle rewrites only that)`);
  return source.replaceAll('import.meta.url', `new URL(${JSON.stringify(relative)}, import.meta.url).href`);
}

/**
 * `import { z } from 'zod'` as `import * as z from 'zod'`: the same members (zod's index exports
 * `z` and, beside it, everything `z` holds), but esbuild drops those no source uses, such as zod's
 * ~40 locales (the CLI's zod shrinks from ~750 kB to ~170 kB). Other import forms are left alone.
 */
export function namespaceZod(source) {
  return source.replace(/^import \{ z \} from 'zod';$/m, "import * as z from 'zod';");
}

/**
 * Bundles `root`/src/cli/index.ts into `root`/dist/cli/index.js and its chunks beside it (or into
 * `outDir`: tests). Returns the entry's URL.
 */
export async function bundleCli(root, { outDir = path.join(root, 'dist', 'cli') } = {}) {
  const srcDir = path.join(root, 'src');
  const distDir = path.join(root, 'dist');
  for (const old of await readdir(outDir).catch(() => []))
    if (/^chunk-.*\.js(\.LEGAL\.txt)?$/.test(old)) await rm(path.join(outDir, old));
  await build({
    entryPoints: { index: path.join(srcDir, 'cli', 'index.ts') },
    // Paths in the output's comments (`// src/…`) are relative to the package root.
    absWorkingDir: root,
    outdir: outDir,
    // Chunks beside the entry: one directory, so one rewrite of import.meta.url fits every module.
    chunkNames: 'chunk-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    allowOverwrite: true,
    legalComments: 'linked',
    logLevel: 'warning',
    // Bundled CommonJS (undici) calls require() for Node's modules: give the ES module one.
    banner: {
      js: "import { createRequire as __vioscanCreateRequire } from 'node:module'; const require = __vioscanCreateRequire(import.meta.url);",
    },
    plugins: [
      {
        name: 'vioscan-cli',
        setup(b) {
          // The sources' undici: the part they use (scripts/undici-core.js), not all of index.js.
          b.onResolve({ filter: /^undici$/ }, (args) =>
            args.importer.startsWith(srcDir + path.sep) ? { path: UNDICI_CORE } : undefined,
          );
          b.onResolve({ filter: /^[^./]/ }, (args) => {
            if (args.path.startsWith('node:')) return { external: true };
            return PURE_PACKAGES.includes(packageOf(args.path)) ? undefined : { external: true };
          });
          b.onLoad({ filter: /\.ts$/ }, async (args) => {
            if (!args.path.startsWith(srcDir + path.sep)) return undefined;
            const source = await readFile(args.path, 'utf8');
            const contents = namespaceZod(rewriteImportMeta(source, args.path, { srcDir, distDir, outDir }));
            return { contents, loader: 'ts' };
          });
        },
      },
    ],
  });
  return pathToFileURL(path.join(outDir, 'index.js')).href;
}

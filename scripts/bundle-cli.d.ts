/** Types of scripts/bundle-cli.js (plain JavaScript: the build runs it). */
export const PURE_PACKAGES: readonly string[];
export function packageOf(specifier: string): string;
export function rewriteImportMeta(
  source: string,
  file: string,
  dirs: { srcDir: string; distDir: string; outDir: string },
): string;
export function namespaceZod(source: string): string;
export function bundleCli(root: string, options?: { outDir?: string }): Promise<string>;

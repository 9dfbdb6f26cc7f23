export type Entry =
  { kind: 'dist'; file: string } | { kind: 'source'; file: string; reason: string } | { kind: 'missing' };

export function chooseEntry(root: string): Entry;

export function newestMtime(dir: string, skip?: (file: string) => boolean): number;
export function builtAt(root: string): number | undefined;
export const BUILD_SCRIPTS: readonly string[];

/**
 * Where the request classifier finds its rules, apart from classify.ts so that a passive scan can
 * name them without loading the tracker engine (@ghostery/adblocker) it never uses.
 */
import path from 'node:path';

export interface ClassifierOptions {
  /** RULES_DIR: lists refreshed by `vioscan rules update`, preferred over the shipped snapshot. */
  rulesDir?: string;
  /** Where parsed engines are cached between processes; absent, each process parses the lists. */
  cacheDir?: string;
}

/**
 * The options for a process configured by environment (service workers, the CLI): operator rules in
 * RULES_DIR (default DATA_DIR/rules) and parsed engines cached beside them.
 */
export function classifierOptionsFor(config: {
  rulesDir?: string;
  dataDir: string;
}): Required<ClassifierOptions> {
  const rulesDir = config.rulesDir ?? path.join(config.dataDir, 'rules');
  return { rulesDir, cacheDir: path.join(rulesDir, 'cache') };
}

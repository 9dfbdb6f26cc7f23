/** Types of scripts/sbom.js (plain JavaScript: the build runs it before TypeScript is compiled). */
export interface NpmLock {
  packages?: Record<string, { version?: string; name?: string; dev?: boolean; link?: boolean }>;
}
export interface CycloneDxDocument {
  components: { name: string; version: string; [key: string]: unknown }[];
  dependencies?: { ref: string; dependsOn?: string[] }[];
  metadata?: { component?: { 'bom-ref'?: string } };
  [key: string]: unknown;
}
export function productionPackages(lock: NpmLock): Set<string>;
export function narrowSbom(bom: CycloneDxDocument, keep: Set<string>): CycloneDxDocument;
export function productionSbom(root: string): CycloneDxDocument;

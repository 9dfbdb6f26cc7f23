import type { PublicScan } from './types.ts';

/** The scan just made on the landing page, so its report page does not fetch it again. */
const recent = new Map<string, PublicScan>();
export const rememberScan = (scan: PublicScan): void => {
  recent.set(scan.id, scan);
};
export const recentScan = (id: string): PublicScan | undefined => recent.get(id);

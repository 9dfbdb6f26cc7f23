import type { Severity } from './types.ts';

/** Worst first: the order of every list of findings, in every format. */
export const SEVERITY_ORDER: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

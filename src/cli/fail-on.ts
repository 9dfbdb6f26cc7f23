/** `--fail-on`: exit 1 when a finding is at or above this severity (scan and scan --remote). */
export const FAIL_ON = ['critical', 'high', 'medium', 'low'] as const;
export type FailOn = (typeof FAIL_ON)[number];

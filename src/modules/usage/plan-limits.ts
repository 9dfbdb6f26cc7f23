/**
 * THE plan limits (STYLE §24): what each plan allows. Quota checks, the API and docs/service.md
 * read this file only. An organisation's plan is `orgs.plan`; an unknown plan gets `free`.
 */
export interface PlanLimits {
  /** Sites an organisation may have at once. */
  sites: number;
  /** Scans an organisation may request per calendar month (UTC), scheduled ones included. */
  scansPerMonth: number;
  /** Of those, scans that also open the site in a real browser (privacy and accessibility checks). */
  browserScansPerMonth: number;
  /** Whether scheduled scans include the browser stage (while browserScansPerMonth lasts). */
  scheduledBrowserScans: boolean;
}

export const planLimits = {
  free: { sites: 3, scansPerMonth: 100, browserScansPerMonth: 10, scheduledBrowserScans: false },
  team: { sites: 25, scansPerMonth: 3_000, browserScansPerMonth: 500, scheduledBrowserScans: true },
  business: { sites: 250, scansPerMonth: 30_000, browserScansPerMonth: 5_000, scheduledBrowserScans: true },
} as const satisfies Record<string, PlanLimits>;

export type Plan = keyof typeof planLimits;

export function limitsOf(plan: string): { plan: Plan; limits: PlanLimits } {
  const known = (Object.keys(planLimits) as Plan[]).find((p) => p === plan) ?? 'free';
  return { plan: known, limits: planLimits[known] };
}

/**
 * The single-page app's client routes. The server answers these paths with index.html (the
 * SPA fallback) and the web app's router matches the same patterns, so adding a page means
 * adding one line here and one component in web/src/routes/. Any other path stays a JSON 404.
 */
export const clientRoutes = {
  landing: '/',
  report: '/scan/:id',
  security: '/security',
  status: '/status',
  signIn: '/sign-in',
  welcome: '/welcome',
  start: '/start',
  account: '/account',
  admin: '/admin',
  adminSection: '/admin/:section',
  accountSecurity: '/account/security',
  accountTokens: '/account/tokens',
  privacy: '/account/privacy',
  support: '/support',
  sites: '/sites',
  site: '/sites/:siteId',
  orgScan: '/scans/:scanId',
  findings: '/findings',
  org: '/org',
  orgMembers: '/org/members',
  orgAlerts: '/org/alerts',
} as const;

export type ClientRoute = keyof typeof clientRoutes;

import authRoutes from '../modules/auth/routes.ts';
import mailRoutes from '../modules/mail/routes.ts';
import mfaRoutes from '../modules/mfa/routes.ts';
import staffRoutes from '../modules/admin/routes.ts';
import publicScanRoutes from '../modules/public-scan/routes.ts';
import supportRoutes from '../modules/support/routes.ts';
import securityPageRoutes from '../modules/security-page/routes.ts';
import disclosureRoutes from '../modules/disclosure/routes.ts';
import orgRoutes from '../modules/orgs/routes.ts';
import privacyRoutes from '../modules/privacy/routes.ts';
import accountPrivacyRoutes from '../modules/privacy/account-routes.ts';
import auditRoutes from '../modules/audit/routes.ts';
import tokenRoutes from '../modules/tokens/routes.ts';
import systemRoutes from '../modules/system/routes.ts';
import statusRoutes from '../modules/status/routes.ts';
import webRoutes from '../modules/web/routes.ts';
import siteRoutes from '../modules/sites/routes.ts';
import scanRoutes from '../modules/scans/routes.ts';
import findingRoutes from '../modules/findings/routes.ts';
import alertRoutes from '../modules/alerts/routes.ts';
import billingRoutes from '../modules/billing/routes.ts';
import type { RouteModule } from './module.ts';

/** Every capability's routes, registered by buildApp in this order. A new module adds one line. */
export const routeModules: RouteModule[] = [
  systemRoutes,
  webRoutes,
  publicScanRoutes,
  securityPageRoutes,
  authRoutes,
  mailRoutes,
  orgRoutes,
  tokenRoutes,
  mfaRoutes,
  staffRoutes,
  privacyRoutes,
  disclosureRoutes,
  statusRoutes,
  supportRoutes,
  accountPrivacyRoutes,
  auditRoutes,
  siteRoutes,
  scanRoutes,
  findingRoutes,
  alertRoutes,
  billingRoutes,
];

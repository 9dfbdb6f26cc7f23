/**
 * API types come from the server's own schemas (TypeBox) and the scanner's report contract, so
 * the client cannot drift from what the server validates and sends.
 */
import type { Static } from '@sinclair/typebox';
import type * as Auth from '../../../src/modules/auth/schema.ts';
import type * as Orgs from '../../../src/modules/orgs/schema.ts';
import type * as PublicScans from '../../../src/modules/public-scan/schema.ts';
import type { SecurityPage as SecurityPageSchema } from '../../../src/modules/security-page/schema.ts';
import type { StatusDocument as StatusDocumentSchema } from '../../../src/modules/status/schema.ts';
import type { Ready } from '../../../src/modules/system/schema.ts';

export type {
  Report,
  Finding,
  RootCause,
  CheckResult,
  CategoryResult,
  Severity,
  CheckStatus,
} from '../../../src/scanner/types.ts';
export type { Fact, FactStatus, Section } from '../../../src/modules/security-page/schema.ts';
export type { ErrorEnvelope } from '../../../src/errors.ts';

export type PublicScan = Static<typeof PublicScans.PublicScan>;
export type PublicScanRequest = Static<typeof PublicScans.PublicScanRequest>;
export type SecurityPage = Static<typeof SecurityPageSchema>;
export type StatusDocument = Static<typeof StatusDocumentSchema>;
export type User = Static<typeof Auth.User>;
export type Session = Static<typeof Auth.Session>;
export type SignedIn = Static<typeof Auth.SignedIn>;
export type CurrentSession = Static<typeof Auth.CurrentSession>;
export type SessionList = Static<typeof Auth.SessionList>;
export type SignInAccepted = Static<typeof Auth.SignInAccepted>;
export type SignInRequest = Static<typeof Auth.SignInRequest>;
export type CodeRequest = Static<typeof Auth.CodeRequest>;
export type Revoked = Static<typeof Auth.Revoked>;

export type ReportFormat = Static<typeof PublicScans.ReportFormatQuery>['format'];

/** /readyz: 200 with the components, or 503 whose error details carry them (client.ts `readiness`). */
export type Readiness = Omit<Static<typeof Ready>, 'status'> & {
  status: Static<typeof Ready>['status'] | 'unavailable';
};
export type Components = Static<typeof Ready>['components'];

export type Org = Static<typeof Orgs.Org>;
export type OrgList = Static<typeof Orgs.OrgList>;
export type OrgBody = Static<typeof Orgs.OrgBody>;

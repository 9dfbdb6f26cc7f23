/**
 * API types come from the server's own schemas (TypeBox) and the scanner's report contract, so
 * the client cannot drift from what the server validates and sends.
 */
import type { Static } from '@sinclair/typebox';
import type * as Auth from '../../../src/modules/auth/schema.ts';
import type * as Orgs from '../../../src/modules/orgs/schema.ts';
import type { PublicScan as PublicScanSchema } from '../../../src/modules/public-scan/schema.ts';
import type { SecurityPage as SecurityPageSchema } from '../../../src/modules/security-page/schema.ts';
import type { StatusDocument as StatusDocumentSchema } from '../../../src/modules/status/schema.ts';

export type {
  Report,
  Finding,
  CheckResult,
  CategoryResult,
  Severity,
  CheckStatus,
} from '../../../src/scanner/types.ts';
export type { Fact, FactStatus, Section } from '../../../src/modules/security-page/schema.ts';
export type { ErrorEnvelope } from '../../../src/errors.ts';

export type PublicScan = Static<typeof PublicScanSchema>;
export type SecurityPage = Static<typeof SecurityPageSchema>;
export type StatusDocument = Static<typeof StatusDocumentSchema>;
export type User = Static<typeof Auth.User>;
export type Session = Static<typeof Auth.Session>;
export type SignedIn = Static<typeof Auth.SignedIn>;
export type CurrentSession = Static<typeof Auth.CurrentSession>;
export type SessionList = Static<typeof Auth.SessionList>;
export type SignInAccepted = Static<typeof Auth.SignInAccepted>;

export type ReportFormat = 'json' | 'md' | 'html' | 'sarif';

export interface Readiness {
  status: 'ready' | 'unavailable';
  components: Record<string, string>;
}

export type Org = Static<typeof Orgs.Org>;
export type OrgList = Static<typeof Orgs.OrgList>;

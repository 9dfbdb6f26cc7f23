/** Types of the scanning service's API (sites, scans, findings), from the server's TypeBox schemas. */
import type { Static } from '@sinclair/typebox';
import type * as Findings from '../../../src/modules/findings/schema.ts';
import type * as Scans from '../../../src/modules/scans/schema.ts';
import type * as Sites from '../../../src/modules/sites/schema.ts';

export type Site = Static<typeof Sites.Site>;
export type SiteList = Static<typeof Sites.SiteList>;
export type ThirdPartyHistory = Static<typeof Sites.ThirdPartyHistory>;
export type SiteBody = Static<typeof Sites.SiteBody>;
export type SitePatch = Static<typeof Sites.SitePatch>;
export type VerifyBody = Static<typeof Sites.VerifyBody>;
export type ScheduleBody = Static<typeof Sites.ScheduleBody>;
export type VerificationMethod = VerifyBody['method'];
export type Scan = Static<typeof Scans.Scan>;
export type ScanList = Static<typeof Scans.ScanList>;
export type ScanBody = Static<typeof Scans.ScanBody>;
export type ScanStatus = Scan['status'];
export type ServiceFinding = Static<typeof Findings.Finding>;
export type Board = Static<typeof Findings.Board>;
export type BoardQuery = Omit<Static<typeof Findings.BoardQuery>, 'limit'>;
export type Transition = Static<typeof Findings.TransitionBody>;
export type FindingStatus = ServiceFinding['status'];
export type DueState = ServiceFinding['due'];

import type { Static } from '@sinclair/typebox';
import type * as Privacy from '../../../src/modules/privacy/schema.ts';
import type { SiteList as SiteListSchema } from '../../../src/modules/sites/schema.ts';

export type Consents = Static<typeof Privacy.Consents>;
export type Consent = Static<typeof Privacy.Consent>;
export type ExportState = Static<typeof Privacy.ExportState>;
export type ExportRequested = Static<typeof Privacy.ExportRequested>;
export type Deleted = Static<typeof Privacy.Deleted>;
export type SiteList = Static<typeof SiteListSchema>;

export interface SupportMessageInput {
  subject: string;
  body: string;
  siteId?: string;
}
export interface SupportCreated {
  id: string;
  threadId: string;
}

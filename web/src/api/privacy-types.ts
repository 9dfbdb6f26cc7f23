/** Account privacy and support bodies and answers, from the server's TypeBox schemas (type-only imports). */
import type { Static } from '@sinclair/typebox';
import type * as Privacy from '../../../src/modules/privacy/schema.ts';
import type { SiteList as SiteListSchema } from '../../../src/modules/sites/schema.ts';
import type * as Support from '../../../src/modules/support/schema.ts';

export type Consents = Static<typeof Privacy.Consents>;
export type Consent = Static<typeof Privacy.Consent>;
export type ConsentChange = Static<typeof Privacy.ConsentBody>;
export type ExportState = Static<typeof Privacy.ExportState>;
export type ExportList = Static<typeof Privacy.ExportList>;
export type ExportRequested = Static<typeof Privacy.ExportRequested>;
export type DeleteRequest = Static<typeof Privacy.DeleteBody>;
export type Deleted = Static<typeof Privacy.Deleted>;
export type SiteList = Static<typeof SiteListSchema>;

export type SupportMessageInput = Static<typeof Support.NewMessage>;
export type SupportCreated = Static<typeof Support.Created>;

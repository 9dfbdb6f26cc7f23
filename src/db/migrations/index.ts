import type { Migration } from 'kysely';
import * as m0001 from './0001_foundation.ts';
import * as m0010 from './0010_identity.ts';
import * as m0020 from './0020_backups.ts';
import * as m0040 from './0040_audit.ts';
import * as m0041 from './0041_privacy.ts';
import * as m0042 from './0042_disclosure.ts';
import * as m0043 from './0043_support.ts';
import * as m0050 from './0050_monitoring.ts';
import * as m0060 from './0060_sites.ts';
import * as m0061 from './0061_scans.ts';
import * as m0062 from './0062_schedules.ts';
import * as m0063 from './0063_alerts.ts';
import * as m0070 from './0070_email_changes.ts';
import * as m0080 from './0080_second_factor_pending.ts';
import * as m0085 from './0085_scan_active.ts';
import * as m0090 from './0090_audit_anchors_append_only.ts';
import * as m0100 from './0100_billing.ts';
import * as m0110 from './0110_incident_updates_append_only.ts';
import * as m0120 from './0120_auth_epoch_public_scans.ts';
import * as m0130 from './0130_browser_scans.ts';
import * as m0140 from './0140_scan_privacy_grade.ts';
import * as m0141 from './0141_public_browser_scans.ts';
import * as m0142 from './0142_dependency_advisories.ts';
import * as m0150 from './0150_self_scans.ts';
import * as m0151 from './0151_public_scan_screenshots.ts';
import * as m0152 from './0152_auth_epoch_notify.ts';

/** Every migration, in order. A new migration is a new file plus one line here. */
export const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0010_identity': m0010,
  '0020_backups': m0020,
  '0040_audit': m0040,
  '0041_privacy': m0041,
  '0042_disclosure': m0042,
  '0043_support': m0043,
  '0050_monitoring': m0050,
  '0060_sites': m0060,
  '0061_scans': m0061,
  '0062_schedules': m0062,
  '0063_alerts': m0063,
  '0070_email_changes': m0070,
  '0080_second_factor_pending': m0080,
  '0085_scan_active': m0085,
  '0090_audit_anchors_append_only': m0090,
  '0100_billing': m0100,
  '0110_incident_updates_append_only': m0110,
  '0120_auth_epoch_public_scans': m0120,
  '0130_browser_scans': m0130,
  '0140_scan_privacy_grade': m0140,
  '0141_public_browser_scans': m0141,
  '0142_dependency_advisories': m0142,
  '0150_self_scans': m0150,
  '0151_public_scan_screenshots': m0151,
  '0152_auth_epoch_notify': m0152,
};

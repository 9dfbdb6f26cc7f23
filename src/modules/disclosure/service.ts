import { randomUUID } from 'node:crypto';
import type { ResolvedConfig } from '../../config/load.ts';
import type { Database } from '../../db/kysely.ts';
import { withTransaction } from '../../db/tx.ts';
import type { ReportStatus, VulnerabilityReportsTable } from '../../db/types.ts';
import { AppError } from '../../errors.ts';
import { REMEDIATION_DAYS } from '../../scanner/grade/score-table.ts';
import type { Severity } from '../../scanner/types.ts';
import { appendAudit } from '../audit/service.ts';
import type { Mailer } from '../mail/mailer.ts';
import { POLICY_FRAGMENT, SECURITY_TXT_PATH, securityContacts } from './security-txt.ts';

export interface NewReport {
  title: string;
  description: string;
  email?: string | undefined;
}

export const GUIDELINES = [
  'Do not access, modify, or exfiltrate data that is not yours.',
  'Avoid actions that could degrade service (e.g., DDoS, spam, brute force, automated scanning against production).',
  'Give us reasonable time to investigate and fix before public disclosure.',
  'Testing must respect applicable laws and terms.',
];

/** The disclosure policy as data: the /security page and the JSON endpoint both render it. */
export function disclosurePolicy(
  config: Pick<ResolvedConfig, 'baseUrl' | 'securityContact' | 'securityLanguages' | 'securityPgpKeyFile'>,
) {
  return {
    contacts: securityContacts(config),
    reportUrl: `${config.baseUrl}/api/v1/disclosure/reports`,
    securityTxt: `${config.baseUrl}${SECURITY_TXT_PATH}`,
    policyUrl: `${config.baseUrl}${POLICY_FRAGMENT}`,
    guidelines: GUIDELINES,
    remediationDays: {
      critical: REMEDIATION_DAYS.critical!,
      high: REMEDIATION_DAYS.high!,
      medium: REMEDIATION_DAYS.medium!,
      low: REMEDIATION_DAYS.low!,
    },
    bounty: false,
    acknowledgement:
      'Good-faith reports receive an acknowledgement; we do not operate a paid bug bounty at this time.',
  };
}

/** Stores a report and sends the acknowledgement; the reporter needs no account. */
export async function submitReport(
  db: Database,
  mailer: Mailer,
  config: ResolvedConfig,
  input: NewReport,
  ip: string,
) {
  const id = randomUUID();
  const email = input.email?.trim().toLowerCase();
  await withTransaction(db, async (tx) => {
    await tx
      .insertInto('vulnerability_reports')
      .values({ id, title: input.title.trim(), body: input.description, reporter_email: email ?? null, ip })
      .execute();
    await appendAudit(tx, {
      action: 'disclosure.reported',
      targetType: 'vulnerability_report',
      targetId: id,
      ip,
      details: { withEmail: Boolean(email) },
    });
  });
  if (email) {
    await mailer.send({
      to: email,
      subject: `We received your security report (${id.slice(0, 8)})`,
      text: `Thank you for reporting a potential vulnerability in ${config.baseUrl}.\n\nReference: ${id}\n\nOur security team triages every report. We aim to fix confirmed issues within ${REMEDIATION_DAYS.critical} day (critical), ${REMEDIATION_DAYS.high} days (high), ${REMEDIATION_DAYS.medium} days (medium) or ${REMEDIATION_DAYS.low} days (low), and will write to you when the status changes.\n\nPolicy: ${config.baseUrl}${POLICY_FRAGMENT}\n`,
    });
  }
  return { id, status: 'new' as const };
}

export function presentReport(
  row: Pick<VulnerabilityReportsTable, 'title' | 'body' | 'reporter_email'> & Record<string, unknown>,
) {
  const r = row as unknown as Record<string, Date | string | null>;
  const iso = (d: unknown) => (d instanceof Date ? d.toISOString() : null);
  return {
    id: r.id as string,
    title: row.title,
    description: row.body,
    reporterEmail: row.reporter_email,
    status: r.status as ReportStatus,
    severity: (r.severity as Severity | null) ?? null,
    createdAt: iso(r.created_at)!,
    triagedAt: iso(r.triaged_at),
    dueAt: iso(r.due_at),
    closedAt: iso(r.closed_at),
    overdue: r.due_at instanceof Date && !r.closed_at && r.due_at.getTime() < Date.now(),
  };
}

export async function listReports(db: Database, filter: { status?: ReportStatus | undefined }) {
  let query = db.kysely.selectFrom('vulnerability_reports').selectAll();
  if (filter.status) query = query.where('status', '=', filter.status);
  const rows = await query.orderBy('due_at', 'asc').orderBy('created_at', 'desc').limit(200).execute();
  return rows.map(presentReport);
}

const CLOSED: ReportStatus[] = ['resolved', 'rejected'];

/**
 * Triage: the severity sets the due date from the remediation targets (score-table.ts), counted
 * from the report's arrival; closing stamps closed_at, which starts its retention period.
 */
export async function triageReport(
  db: Database,
  mailer: Mailer,
  actor: { id: string; email: string; ip: string },
  id: string,
  change: { status: ReportStatus; severity?: Severity | undefined },
) {
  const updated = await withTransaction(db, async (tx) => {
    const row = await tx
      .selectFrom('vulnerability_reports')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw new AppError('not_found');
    if (row.closed_at) throw new AppError('conflict', 'This report is closed.');
    const severity = change.severity ?? row.severity;
    if (!severity && change.status !== 'rejected')
      throw new AppError('validation_failed', 'Set a severity to triage a report.', [
        { path: 'body.severity', message: 'required unless rejecting' },
      ]);
    const days = severity ? REMEDIATION_DAYS[severity] : undefined;
    const now = new Date();
    const next = await tx
      .updateTable('vulnerability_reports')
      .set({
        status: change.status,
        severity: severity ?? null,
        due_at: days === undefined ? null : new Date(row.created_at.getTime() + days * 86_400_000),
        triaged_by: actor.id,
        triaged_at: row.triaged_at ?? now,
        closed_at: CLOSED.includes(change.status) ? now : null,
        updated_at: now,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAudit(tx, {
      action: 'disclosure.triaged',
      actorId: actor.id,
      actorEmail: actor.email,
      ip: actor.ip,
      targetType: 'vulnerability_report',
      targetId: id,
      details: { from: row.status, status: change.status, severity: severity ?? null },
    });
    return next;
  });
  if (updated.reporter_email) {
    await mailer.send({
      to: updated.reporter_email,
      subject: `Your security report ${id.slice(0, 8)} is now ${updated.status}`,
      text: `The status of your report "${updated.title}" changed to: ${updated.status}${updated.severity ? ` (severity ${updated.severity})` : ''}.\n\nReference: ${id}\n`,
    });
  }
  return presentReport(updated);
}

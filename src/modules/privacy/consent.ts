import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/kysely.ts';
import { AppError } from '../../errors.ts';
import { appendAudit } from '../audit/service.ts';
import { PRIVACY_VERSION, TERMS_VERSION } from '../auth/terms.ts';

/** What a user can consent to; required ones are accepted at sign-up and end only with the account. */
export const consentKinds = {
  terms: { required: true, version: TERMS_VERSION, purpose: 'Terms of service' },
  privacy: { required: true, version: PRIVACY_VERSION, purpose: 'Privacy notice' },
  product_email: { required: false, version: '2025-08-14', purpose: 'Occasional product news by email' },
} as const;
export type ConsentKind = keyof typeof consentKinds;

export async function listConsents(db: Database, userId: string) {
  const user = await db.kysely
    .selectFrom('users')
    .select(['terms_version', 'terms_accepted_at', 'privacy_version', 'privacy_accepted_at'])
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
  const records = await db.kysely
    .selectFrom('consents')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('granted_at')
    .execute();
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  const accepted = (kind: 'terms' | 'privacy', version: string | null, at: Date | null) =>
    version ? [{ kind, version, grantedAt: iso(at), withdrawnAt: null }] : [];
  const history = [
    ...accepted('terms', user.terms_version, user.terms_accepted_at),
    ...accepted('privacy', user.privacy_version, user.privacy_accepted_at),
    ...records.map((r) => ({
      kind: r.kind,
      version: r.version,
      grantedAt: iso(r.granted_at),
      withdrawnAt: iso(r.withdrawn_at),
    })),
  ];
  const current = Object.entries(consentKinds).map(([kind, spec]) => {
    const latest = history.filter((h) => h.kind === kind).at(-1);
    return {
      kind,
      purpose: spec.purpose,
      required: spec.required,
      currentVersion: spec.version,
      granted: Boolean(latest && !latest.withdrawnAt),
      version: latest?.version ?? null,
      grantedAt: latest?.grantedAt ?? null,
      withdrawnAt: latest?.withdrawnAt ?? null,
    };
  });
  return { consents: current, history };
}

/** Gives or withdraws an optional consent; each change is a new record (time and version kept). */
export async function setConsent(
  db: Database,
  userId: string,
  kind: ConsentKind,
  granted: boolean,
  ip: string,
) {
  if (consentKinds[kind].required) throw new AppError('consent_required');
  const now = new Date();
  await db.kysely.transaction().execute(async (tx) => {
    await tx
      .updateTable('consents')
      .set({ withdrawn_at: now })
      .where('user_id', '=', userId)
      .where('kind', '=', kind)
      .where('withdrawn_at', 'is', null)
      .execute();
    if (granted)
      await tx
        .insertInto('consents')
        .values({
          id: randomUUID(),
          user_id: userId,
          kind,
          version: consentKinds[kind].version,
          granted_at: now,
        })
        .execute();
    await appendAudit(tx, {
      action: granted ? 'consent.granted' : 'consent.withdrawn',
      actorId: userId,
      ip,
      targetType: 'consent',
      targetId: kind,
      details: { version: consentKinds[kind].version },
    });
  });
  return listConsents(db, userId);
}

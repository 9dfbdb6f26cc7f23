import type { ResolvedConfig } from '../../config/load.ts';
import type { Database } from '../../db/kysely.ts';
import { AppError } from '../../errors.ts';
import {
  bareHost,
  classifyAddress,
  isIpLiteral,
  normaliseUrl,
  reservedNameReason,
} from '../../scanner/gather/address-policy.ts';
import { enforceQuota, recordUsage } from '../usage/quota.ts';
import * as repo from './repo.ts';
import type { SiteRow } from './present.ts';
import { verifyByDns, verifyByFile, type TxtResolver } from './verify.ts';

/**
 * A site's URL, normalised by the scanner's own URL policy. Names are not resolved here (the SSRF
 * guard checks them again at every scan and fetch); IP literals and reserved names are refused now.
 */
export function parseSiteUrl(input: string, allowPrivate: boolean): { url: string; host: string } {
  const verdict = normaliseUrl(input);
  if (!verdict.ok) {
    if (verdict.code === 'invalid_url')
      throw new AppError('validation_failed', undefined, [{ path: 'body.url', message: verdict.message }]);
    throw new AppError('target_not_allowed');
  }
  const host = bareHost(verdict.url.hostname).toLowerCase();
  if (!allowPrivate) {
    if (reservedNameReason(host)) throw new AppError('target_not_allowed');
    if (isIpLiteral(host) && !classifyAddress(host).allowed) throw new AppError('target_not_allowed');
  }
  verdict.url.search = '';
  return { url: verdict.url.href, host };
}

export async function createSite(
  db: Database,
  config: ResolvedConfig,
  orgId: string,
  body: { url: string; name?: string | undefined },
): Promise<SiteRow> {
  const { url, host } = parseSiteUrl(body.url, config.allowPrivateTargets);
  await enforceQuota(db, orgId, 'sites', 'site.created');
  const site = await repo.insertSite(db, { orgId, url, host, name: body.name ?? host });
  if (!site) throw new AppError('conflict', 'This organisation already has a site with that URL.');
  await recordUsage(db, { orgId, kind: 'site.created', decision: 'allowed', subjectId: site.id });
  return site;
}

export async function verifySite(
  db: Database,
  config: ResolvedConfig,
  site: SiteRow,
  method: 'dns' | 'file',
  resolveTxt: TxtResolver,
): Promise<SiteRow> {
  const result =
    method === 'dns'
      ? await verifyByDns(site.host, site.verification_token, resolveTxt)
      : await verifyByFile(site.url, site.verification_token, { allowPrivate: config.allowPrivateTargets });
  if (!result.ok) throw new AppError('verification_failed', undefined, { method, reason: result.reason });
  return repo.markVerified(db, site.id, method);
}

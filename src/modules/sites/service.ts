import type { ResolvedConfig } from '../../config/load.ts';
import type { Database } from '../../db/kysely.ts';
import { AppError } from '../../errors.ts';
import {
  bareHost,
  classifyAddress,
  forbiddenName,
  isIpLiteral,
  normaliseUrl,
  refused,
  reservedNameReason,
} from '../../scanner/gather/address-policy.ts';
import { enforceQuota, recordUsage } from '../usage/quota.ts';
import * as repo from './repo.ts';
import type { SiteRow } from './present.ts';
import { chooseScheme, isBareHost } from './scheme.ts';
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
  if (reservedNameReason(host) && (!allowPrivate || forbiddenName(host)))
    throw new AppError('target_not_allowed');
  if (isIpLiteral(host) && refused(classifyAddress(host), allowPrivate))
    throw new AppError('target_not_allowed');
  verdict.url.search = '';
  return { url: verdict.url.href, host };
}

/**
 * The site's address as typed; a bare host (`example.com`, `example.com:8080`) is tried as https://
 * and then http:// (scheme.ts), and `notice` says which one was taken.
 */
async function siteAddress(
  input: string,
  allowPrivate: boolean,
): Promise<{ url: string; host: string; notice?: string }> {
  const typed = input.trim();
  if (!isBareHost(typed)) return parseSiteUrl(typed, allowPrivate);
  const https = parseSiteUrl(`https://${typed}`, allowPrivate);
  const http = parseSiteUrl(`http://${typed}`, allowPrivate);
  const { url, notice } = await chooseScheme({ https: https.url, http: http.url }, allowPrivate);
  return { url, host: https.host, notice };
}

export async function createSite(
  db: Database,
  config: ResolvedConfig,
  orgId: string,
  body: { url: string; name?: string | undefined },
): Promise<{ site: SiteRow; notice?: string | undefined }> {
  const { url, host, notice } = await siteAddress(body.url, config.allowPrivateTargets);
  await enforceQuota(db, orgId, 'sites', 'site.created');
  const site = await repo.insertSite(db, { orgId, url, host, name: body.name ?? host });
  if (!site) throw new AppError('conflict', 'This organisation already has a site with that URL.');
  await recordUsage(db, { orgId, kind: 'site.created', decision: 'allowed', subjectId: site.id });
  return { site, notice };
}

/**
 * Renames a site or moves it to another address. A new host must be verified again (the proof was
 * for the old one), so its verification and schedule end; the same host keeps both.
 */
export async function updateSite(
  db: Database,
  config: ResolvedConfig,
  site: SiteRow,
  body: { url?: string | undefined; name?: string | undefined },
): Promise<{ site: SiteRow; notice?: string | undefined }> {
  const address =
    body.url === undefined ? undefined : await siteAddress(body.url, config.allowPrivateTargets);
  const moved = address !== undefined && address.host !== site.host;
  const updated = await repo.updateSite(db, site.id, {
    ...(body.name !== undefined && { name: body.name.trim() }),
    ...(address && { url: address.url, host: address.host }),
    ...(moved && { verified_at: null, verified_by: null, schedule: null }),
  });
  if (!updated) throw new AppError('conflict', 'This organisation already has a site with that URL.');
  const notices = [
    address?.notice,
    moved ? 'The host changed: verify ownership again to monitor it.' : undefined,
  ];
  const notice = notices.filter(Boolean).join(' ');
  return { site: updated, ...(notice && { notice }) };
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

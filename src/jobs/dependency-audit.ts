import {
  advisoryUrl,
  checkAdvisories,
  lockedPackages,
  type NpmLockfile,
} from '../modules/advisories/check.ts';
import type { LockedPackage } from '../modules/advisories/osv.ts';
import { recordAdvisoryCheck } from '../modules/advisories/repo.ts';
import { sendAlert } from '../ops/alerts.ts';
import { runningLockfile } from '../ops/sbom.ts';
import { SEVERITY_ORDER } from '../scanner/severity.ts';
import type { JobContext, JobDefinition } from './types.ts';

/**
 * One advisory check of these packages against OSV_URL: stored (src/modules/advisories/repo.ts),
 * then one staff alert listing the advisories new since the last check with their deadlines,
 * and one when the source stops answering after a check that reached it.
 */
export async function auditDependencies({ db, config, logger }: JobContext, packages: LockedPackage[]) {
  const log = logger.child({ scope: 'ops' });
  const check = await checkAdvisories(config.osvUrl, packages);
  const recorded = await recordAdvisoryCheck(db, check);
  const at = new Date().toISOString();
  if (recorded.opened.length) {
    const advisories = recorded.opened
      .sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity))
      .map((a) => ({
        id: a.advisoryId,
        package: a.package,
        version: a.version,
        severity: a.severity,
        dueAt: a.dueAt.toISOString(),
        fixedIn: a.fixedIn,
        summary: a.summary,
        url: advisoryUrl(a.advisoryId),
      }));
    await sendAlert(
      config,
      { type: 'dependency.advisories', instance: config.baseUrl, at, advisories },
      logger,
    );
  }
  if (!check.ok) {
    log.warn(
      { source: check.source, error: check.error },
      'dependency advisory source unreachable, not checked',
    );
    if (recorded.previousOk !== false)
      await sendAlert(
        config,
        {
          type: 'dependency.source_unreachable',
          instance: config.baseUrl,
          at,
          source: check.source,
          error: check.error,
        },
        logger,
      );
  } else {
    log.info(
      { packages: check.packages, advisories: check.advisories.length, opened: recorded.opened.length },
      'dependency advisory check done',
    );
  }
  return {
    ok: check.ok,
    packages: check.packages,
    opened: recorded.opened.length,
    resolved: recorded.resolved,
  };
}

/** Daily (DEPENDENCY_AUDIT_CRON): the running version's locked production dependencies against OSV. */
export const dependencyAudit: JobDefinition = {
  name: 'dependency-audit',
  cron: (config) => config.dependencyAuditCron,
  queueOptions: { policy: 'singleton', retryLimit: 0, expireInSeconds: 900 },
  async handle(ctx) {
    return auditDependencies(ctx, lockedPackages((await runningLockfile()) as NpmLockfile));
  },
};

import type { Job } from 'pg-boss';
import type { Jobs } from './boss.ts';
import { auditAnchor } from './audit-anchor.ts';
import { backup } from './backup.ts';
import { backupDrill } from './backup-drill.ts';
import { dataExport } from './data-export.ts';
import { dependencyAudit } from './dependency-audit.ts';
import { housekeeping } from './housekeeping.ts';
import { monitor } from './monitor.ts';
import { retentionPurge } from './retention-purge.ts';
import { publicBrowserScan } from './public-browser-scan.ts';
import { scan } from './scan.ts';
import { scanScheduler } from './scan-scheduler.ts';
import { selfScan } from './self-scan.ts';
import { alertDeliver } from './alert-deliver.ts';
import { webhookDeliver } from './webhook-deliver.ts';
import { alertsOverdue } from './alerts-overdue.ts';
import { alertDigest } from './alert-digest.ts';
import type { JobContext, JobDefinition } from './types.ts';
import { onJobAnnounced } from './wake.ts';

/** Every queue VIOscan runs. A new job type is a new file plus one line here. */
export const jobDefinitions: JobDefinition[] = [
  housekeeping as JobDefinition,
  backup,
  backupDrill,
  auditAnchor,
  retentionPurge,
  dataExport,
  scan as JobDefinition,
  publicBrowserScan as JobDefinition,
  scanScheduler,
  alertDeliver as JobDefinition,
  webhookDeliver as JobDefinition,
  alertsOverdue,
  alertDigest,
  monitor,
  dependencyAudit,
  selfScan,
];

export async function createQueues(jobs: Jobs, definitions = jobDefinitions): Promise<void> {
  for (const def of definitions) {
    await jobs.boss.createQueue(def.name, { name: def.name, ...def.queueOptions });
  }
}

/** Consumes every queue and installs the cron schedules (worker role). */
export async function runWorkers(jobs: Jobs, ctx: JobContext, definitions = jobDefinitions): Promise<void> {
  await createQueues(jobs, definitions);
  const consumersOf = new Map<string, string[]>();
  // A job announced as queued (announceJob) wakes its queue's idle consumers: a requested scan
  // starts within a round trip rather than up to a polling interval later.
  await onJobAnnounced(ctx.db, (queue) => {
    for (const id of consumersOf.get(queue) ?? []) jobs.boss.notifyWorker(id);
  });
  for (const def of definitions) {
    const cron = def.cron?.(ctx.config);
    if (cron) await jobs.boss.schedule(def.name, cron, {}, { tz: 'UTC' });
    // pg-boss waits a polling interval after every fetch; a consumer that just finished a job
    // asks for the next one at once instead, so a busy queue drains back to back (one job per
    // interval per consumer was the ceiling: bench/service.ts) and only an idle one polls.
    const workerIds: string[] = [];
    consumersOf.set(def.name, workerIds);
    const handler = async ([job]: Job<unknown>[], workerId?: string): Promise<unknown> => {
      if (!job) return;
      if (workerId) jobs.boss.notifyWorker(workerId);
      const log = ctx.logger.child({ scope: 'job', queue: def.name, jobId: job.id });
      const started = Date.now();
      try {
        const result = await def.handle({ ...ctx, jobs }, job.data);
        log.info({ durationMs: Date.now() - started }, 'job done');
        return result;
      } catch (error) {
        log.error({ err: error, durationMs: Date.now() - started }, 'job failed');
        throw error;
      }
    };
    const consumers = def.concurrency?.(ctx.config) ?? 1;
    for (let i = 0; i < consumers; i++) {
      const index = i;
      workerIds[index] = await jobs.work(def.name, def.workOptions ?? {}, (batch) =>
        handler(batch, workerIds[index]),
      );
    }
  }
}

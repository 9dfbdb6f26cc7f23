import parser from 'cron-parser';
import { createHash } from 'node:crypto';
import { AppError } from '../../errors.ts';

/**
 * A site's schedule: `daily`, `weekly`, or a 5-field cron expression (UTC). `daily` and `weekly`
 * get a minute and hour derived from the site id, so a thousand daily sites do not all start at
 * the same minute (leases would serialise them anyway, but the queue stays short).
 */
export function cronFor(schedule: string, siteId: string): string {
  const h = createHash('sha256').update(siteId).digest();
  const minute = h[0]! % 60;
  const hour = h[1]! % 24;
  if (schedule === 'daily') return `${minute} ${hour} * * *`;
  if (schedule === 'weekly') return `${minute} ${hour} * * ${h[2]! % 7}`;
  return schedule;
}

export function validateSchedule(schedule: string): void {
  const ok =
    schedule === 'daily' ||
    schedule === 'weekly' ||
    (/^(\S+\s+){4}\S+$/.test(schedule) &&
      (() => {
        try {
          const next = parser.parseExpression(schedule, { tz: 'UTC' });
          // More often than hourly would burn the month's quota in a day.
          const a = next.next().getTime();
          const b = next.next().getTime();
          return b - a >= 3_600_000;
        } catch {
          return false;
        }
      })());
  if (!ok)
    throw new AppError('validation_failed', undefined, [
      { path: 'body.schedule', message: 'must be daily, weekly or a 5-field cron expression at most hourly' },
    ]);
}

/** The latest time the schedule fired at or before `now`. */
export function lastOccurrence(cron: string, now: Date): Date {
  const it = parser.parseExpression(cron, { tz: 'UTC', currentDate: new Date(now.getTime() + 1) });
  return it.prev().toDate();
}

export interface RetentionPolicy {
  daily: number;
  weekly: number;
  monthly: number;
}

/** Grandfather-father-son: the newest backup of each of the last 7 days, 4 ISO weeks and 6 months. */
export const DEFAULT_RETENTION: RetentionPolicy = { daily: 7, weekly: 4, monthly: 6 };

export interface Dated {
  id: string;
  createdAt: Date;
}

function day(d: Date): string {
  return d.toISOString().slice(0, 10);
}

function month(d: Date): string {
  return d.toISOString().slice(0, 7);
}

/** ISO 8601 week (weeks start on Monday; week 1 holds the year's first Thursday), in UTC. */
export function isoWeek(d: Date): string {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const weekday = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(t.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((t.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${t.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/**
 * Which backups to keep: for each granularity, walk newest first and keep the first backup seen in
 * each new period until that granularity's quota is used. Periods without a backup use no quota,
 * so a pause in backups never leaves fewer backups than the policy promises.
 */
export function retain(backups: Dated[], policy: RetentionPolicy = DEFAULT_RETENTION): Set<string> {
  const newestFirst = [...backups].sort(
    (a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id.localeCompare(a.id),
  );
  const keep = new Set<string>();
  const rules: [number, (d: Date) => string][] = [
    [policy.daily, day],
    [policy.weekly, isoWeek],
    [policy.monthly, month],
  ];
  for (const [quota, period] of rules) {
    const seen = new Set<string>();
    for (const backup of newestFirst) {
      if (seen.size >= quota) break;
      const key = period(backup.createdAt);
      if (seen.has(key)) continue;
      seen.add(key);
      keep.add(backup.id);
    }
  }
  return keep;
}

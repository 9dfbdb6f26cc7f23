import { describe, expect, it } from 'vitest';
import { backupAlerts, type BackupHealth } from '../../../src/ops/backup/health.ts';
import { isoWeek, retain } from '../../../src/ops/backup/retention.ts';

/** Backups every 6 hours for `days` days, ending at `end`, newest last. */
function sixHourly(end: string, days: number): { id: string; createdAt: Date }[] {
  const last = new Date(end).getTime();
  return Array.from({ length: days * 4 }, (_, i) => {
    const createdAt = new Date(last - i * 6 * 3600_000);
    return { id: createdAt.toISOString(), createdAt };
  }).reverse();
}

describe('retain (7 daily, 4 weekly, 6 monthly)', () => {
  const cases: [string, { id: string; createdAt: Date }[], string[]][] = [
    ['nothing to keep from nothing', [], []],
    ['a single backup is kept', [{ id: 'a', createdAt: new Date('2026-03-04T06:00:00Z') }], ['a']],
    [
      'four backups on one day: only the newest of that day',
      sixHourly('2026-03-04T18:00:00Z', 1),
      ['2026-03-04T18:00:00.000Z'],
    ],
    [
      'eleven days of 6-hourly backups: newest of the last 7 days, plus older week and month heads',
      sixHourly('2026-03-10T18:00:00Z', 11),
      [
        // daily: 10th back to 4th
        '2026-03-10T18:00:00.000Z',
        '2026-03-09T18:00:00.000Z',
        '2026-03-08T18:00:00.000Z',
        '2026-03-07T18:00:00.000Z',
        '2026-03-06T18:00:00.000Z',
        '2026-03-05T18:00:00.000Z',
        '2026-03-04T18:00:00.000Z',
        // weekly: ISO week 2026-W10 starts Monday 2 March, so 1 March (Sunday) heads week 9
        '2026-03-01T18:00:00.000Z',
        // monthly: February's newest
        '2026-02-28T18:00:00.000Z',
      ],
    ],
    [
      'gaps use no quota: with one backup a month, the seven daily slots reach back seven months',
      Array.from({ length: 12 }, (_, m) => {
        const createdAt = new Date(Date.UTC(2025, m, 15));
        return { id: `m${m + 1}`, createdAt };
      }),
      ['m12', 'm11', 'm10', 'm9', 'm8', 'm7', 'm6'],
    ],
  ];

  it.each(cases)('%s', (_name, backups, expected) => {
    expect([...retain(backups)].sort()).toEqual([...expected].sort());
  });

  it('keeps monthly heads beyond the daily slots', () => {
    const monthly = Array.from({ length: 12 }, (_, m) => ({
      id: `m${m + 1}`,
      createdAt: new Date(Date.UTC(2025, m, 15)),
    }));
    const kept = retain(monthly, { daily: 1, weekly: 0, monthly: 6 });
    expect([...kept].sort()).toEqual(['m10', 'm11', 'm12', 'm7', 'm8', 'm9']);
  });

  it('honours a smaller policy', () => {
    const kept = retain(sixHourly('2026-03-10T18:00:00Z', 3), { daily: 2, weekly: 0, monthly: 0 });
    expect([...kept].sort()).toEqual(['2026-03-09T18:00:00.000Z', '2026-03-10T18:00:00.000Z']);
  });
});

describe('isoWeek', () => {
  it.each([
    ['2026-01-01T00:00:00Z', '2026-W01'],
    ['2027-01-01T00:00:00Z', '2026-W53'],
    ['2024-12-30T00:00:00Z', '2025-W01'],
    ['2026-03-01T23:59:59Z', '2026-W09'],
    ['2026-03-02T00:00:00Z', '2026-W10'],
  ])('%s is in %s', (date, week) => {
    expect(isoWeek(new Date(date))).toBe(week);
  });
});

describe('backupAlerts', () => {
  const base: BackupHealth = {
    lastBackupAt: new Date(),
    ageSeconds: 60,
    rpoTargetSeconds: 6 * 3600,
    lastDrill: null,
  };
  it.each<[string, Partial<BackupHealth>, RegExp[]]>([
    ['a fresh backup and no drill yet: quiet', {}, []],
    ['never backed up', { lastBackupAt: null, ageSeconds: null }, [/no backup has been taken yet/]],
    ['older than the RPO target', { ageSeconds: 7 * 3600 }, [/7 h old, older than the RPO target of 6 h/]],
    ['exactly at the target: quiet', { ageSeconds: 6 * 3600 }, []],
    [
      'a failed drill',
      { lastDrill: { at: new Date('2026-03-01T03:30:00Z'), ok: false, rtoSeconds: 4 } },
      [/last restore drill failed \(2026-03-01T03:30:00.000Z\)/],
    ],
    ['a passed drill: quiet', { lastDrill: { at: new Date(), ok: true, rtoSeconds: 4 } }, []],
  ])('%s', (_name, change, expected) => {
    const alerts = backupAlerts({ ...base, ...change });
    expect(alerts).toHaveLength(expected.length);
    expected.forEach((re, i) => expect(alerts[i]).toMatch(re));
  });
});

import type { FindingStatus } from '../../db/types.ts';
import { AppError } from '../../errors.ts';

/**
 * Who may move a finding where. `resolved` is only ever set by a scan that no longer sees the
 * finding (and a scan that sees it again reopens it), so people never resolve by hand.
 */
const allowed: Record<FindingStatus, FindingStatus[]> = {
  open: ['acknowledged', 'accepted', 'false_positive'],
  acknowledged: ['open', 'accepted', 'false_positive'],
  accepted: ['open', 'acknowledged', 'false_positive'],
  false_positive: ['open', 'acknowledged'],
  resolved: [],
};

const MAX_ACCEPT_DAYS = 365;

export function checkTransition(
  from: FindingStatus,
  to: FindingStatus,
  body: { reason?: string | undefined; until?: string | undefined; endAcceptance?: boolean | undefined },
  now = new Date(),
): { reason: string | null; until: Date | null } {
  if (!allowed[from].includes(to))
    throw new AppError('conflict', `A finding that is ${from} cannot become ${to}.`, { from, to });
  // Leaving an accepted risk drops its reason and expiry: only when the caller says so.
  if (from === 'accepted' && to !== 'accepted' && body.endAcceptance !== true)
    throw new AppError(
      'conflict',
      'This finding is an accepted risk: send endAcceptance: true to end the acceptance and move it.',
      { from, to, field: 'endAcceptance' },
    );
  if (to !== 'accepted') return { reason: null, until: null };
  const missing = [
    ...(body.reason ? [] : [{ path: 'body.reason', message: 'accepting a risk needs a reason' }]),
    ...(body.until ? [] : [{ path: 'body.until', message: 'accepting a risk needs an expiry' }]),
  ];
  if (missing.length) throw new AppError('validation_failed', undefined, missing);
  const until = new Date(body.until!);
  if (until <= now || until.getTime() - now.getTime() > MAX_ACCEPT_DAYS * 86_400_000)
    throw new AppError('validation_failed', undefined, [
      { path: 'body.until', message: `must be in the future and at most ${MAX_ACCEPT_DAYS} days ahead` },
    ]);
  return { reason: body.reason!, until };
}

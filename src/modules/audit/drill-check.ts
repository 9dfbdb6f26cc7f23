import type { DrillCheck } from '../../ops/backup/inspect.ts';
import { describeVerify, verifyAuditChainWith } from './service.ts';

/** The backup drill's audit step: a restored copy must hold an intact chain (docs/trust.md). */
export const auditDrillCheck: DrillCheck = async (copy) => {
  const result = await verifyAuditChainWith(copy.query, copy.schema);
  return { name: 'audit-chain', ok: result.ok, detail: describeVerify(result) };
};

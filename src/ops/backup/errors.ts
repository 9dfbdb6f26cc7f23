export type BackupErrorCode =
  | 'backup_not_found'
  | 'backup_corrupt'
  | 'backup_wrong_key'
  | 'backup_incompatible'
  | 'backup_tool_failed'
  | 'restore_target_not_empty'
  | 'restore_verification_failed';

/** A backup or restore that cannot go on; the message is for the operator and never carries secrets. */
export class BackupError extends Error {
  override name = 'BackupError';
  constructor(
    readonly code: BackupErrorCode,
    message: string,
  ) {
    super(message);
  }
}

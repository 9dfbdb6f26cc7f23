import type { Command } from 'commander';
import { loadConfig } from '../../config/load.ts';
import { migrateUp } from '../../db/migrate.ts';
import type { PlatformRole } from '../../db/types.ts';
import { AppError } from '../../errors.ts';
import { createLogger } from '../../log.ts';
import {
  accessReview,
  createStaff,
  grantRole,
  offboard,
  revokeRole,
  type AdminContext,
} from '../../modules/admin/service.ts';
import { platformRoles } from '../../modules/auth/permissions.ts';
import { createSecurityEvents } from '../../modules/security-events/service.ts';
import { openConfiguredDatabase } from '../../ops/database.ts';
import { UsageError } from '../usage-error.ts';
import { COMMAND_SUMMARIES } from '../summaries.ts';

const staffRoles: PlatformRole[] = platformRoles.filter((r) => r !== 'user');

function role(value: string): PlatformRole {
  if (!staffRoles.includes(value as PlatformRole))
    throw new UsageError(`--role must be one of ${staffRoles.join(', ')}`);
  return value as PlatformRole;
}

async function withAdmin<T>(command: string, fn: (ctx: AdminContext) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const { db, lock } = await openConfiguredDatabase(config, command);
  try {
    await migrateUp(db);
    const events = createSecurityEvents(db, createLogger(config.logLevel), config.appSecret);
    return await fn({ db, events, actorId: null, via: 'cli' });
  } catch (error) {
    // Catalogue errors are the operator's mistake (unknown address, no second factor): exit 2, no stack.
    if (error instanceof AppError && error.status < 500)
      throw new UsageError(`${error.code}: ${error.message}`);
    throw error;
  } finally {
    await db.close();
    lock?.release();
  }
}

const print = (text: string) => process.stdout.write(`${text}\n`);

/** `vioscan admin create|grant|revoke|offboard|access-review` (docs/identity.md). */
export function registerAdmin(program: Command): void {
  const admin = program.command('admin').description(COMMAND_SUMMARIES.admin);
  admin
    .command('create <email>')
    .description('create a staff account (bootstraps the first admin)')
    .requiredOption('--role <role>', `one of ${staffRoles.join(', ')}`)
    .action((email: string, opts: { role: string }) =>
      withAdmin('vioscan admin create', async (ctx) => {
        const r = await createStaff(ctx, email, role(opts.role));
        print(
          `Created ${r.email} as ${r.role}. They sign in by email, then must enrol TOTP or a passkey before any staff page opens.`,
        );
      }),
    );
  admin
    .command('grant <email>')
    .description('give an existing account a staff role (needs a second factor enrolled)')
    .requiredOption('--role <role>', `one of ${staffRoles.join(', ')}`)
    .action((email: string, opts: { role: string }) =>
      withAdmin('vioscan admin grant', async (ctx) => {
        const r = await grantRole(ctx, email, role(opts.role));
        print(`Granted ${r.role} to ${r.email}; their sessions were ended.`);
      }),
    );
  admin
    .command('revoke <email>')
    .description('remove the staff role of an account')
    .action((email: string) =>
      withAdmin('vioscan admin revoke', async (ctx) => {
        const r = await revokeRole(ctx, email);
        print(`${r.email} is now a plain user; their sessions were ended.`);
      }),
    );
  admin
    .command('offboard <email>')
    .description('disable an account at once: sessions, tokens and staff role removed')
    .action((email: string) =>
      withAdmin('vioscan admin offboard', async (ctx) => {
        const r = await offboard(ctx, email);
        print(
          `Offboarded ${r.email}: account disabled, ${r.sessions} session(s) and ${r.tokens} token(s) revoked.`,
        );
      }),
    );
  admin
    .command('access-review')
    .description('list privileged accounts (role, MFA, last activity; idle ≥ 90 days flagged)')
    .option('--attest <statement>', 'record that you reviewed this list')
    .option('--reviewer <name>', 'who attests (required with --attest)')
    .option('--json', 'machine-readable output')
    .action(async (opts: { attest?: string; reviewer?: string; json?: boolean }) => {
      await withAdmin('vioscan admin access-review', async (ctx) => {
        if (opts.attest && !opts.reviewer) throw new UsageError('--attest needs --reviewer');
        const review = await accessReview(
          ctx,
          opts.attest ? { reviewer: opts.reviewer!, statement: opts.attest } : undefined,
        );
        if (opts.json) {
          print(JSON.stringify(review, null, 2));
          return;
        }
        print('email\trole\tstatus\tmfa\tlast activity\tflag');
        for (const a of review.accounts) {
          print(
            [
              a.email,
              a.role,
              a.status,
              a.mfa ? 'yes' : 'NO',
              a.lastActivity ?? 'never',
              a.idle ? 'IDLE>90d' : '',
            ].join('\t'),
          );
        }
        if (review.reviewId) print(`Attestation recorded (${review.reviewId}).`);
      });
    });
}

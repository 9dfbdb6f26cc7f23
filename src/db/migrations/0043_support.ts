import { sql, type Kysely } from 'kysely';

/** Support messages, sealed with AES-256-GCM at the application level (issue 7, docs/trust.md). */
export async function up(db: Kysely<unknown>): Promise<void> {
  const now = sql`now()`;
  await db.schema
    .createTable('support_messages')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('thread_id', 'uuid', (c) => c.notNull())
    .addColumn('user_id', 'uuid', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('author_id', 'uuid')
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('sealed_body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('last_activity_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema
    .createIndex('support_messages_thread')
    .on('support_messages')
    .columns(['thread_id', 'created_at'])
    .execute();
  await db.schema.createIndex('support_messages_user').on('support_messages').column('user_id').execute();
  await db.schema.createIndex('support_messages_key').on('support_messages').column('key_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('support_messages').execute();
}

import type { Kysely } from 'kysely';

/**
 * Issue 10 items 12 and 16: the hashes of an account's previous passwords (reuse of the last five is refused),
 * and every reveal attempt per account (the hourly rate and the burst alert are counted from it).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('password_history')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('password_hash', 'text', (c) => c.notNull())
    // When this password stopped being the account's password.
    .addColumn('replaced_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('password_history_user_idx')
    .on('password_history')
    .columns(['user_id', 'replaced_at'])
    .execute();

  await db.schema
    .createTable('reveal_attempts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('family_id', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    // 1 when refused for the rate: the first refusal of an hour raises the auditor's alert, the rest do not.
    .addColumn('refused', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('reveal_attempts_user_idx').on('reveal_attempts').columns(['user_id', 'at']).execute();
}

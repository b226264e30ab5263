import type { Kysely } from 'kysely';

/**
 * Account security (issue 10 items 4, 7, 11): 三员 approvals, login throttling shared by every instance,
 * and the TOTP second factor.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // A change waiting for the security administrator (or, for a security administrator, the auditor).
  await db.schema.alterTable('users').addColumn('pending_change', 'text').execute();
  // A password another 三员 set for a 三员: applied only once the third approves.
  await db.schema.alterTable('users').addColumn('pending_password_hash', 'text').execute();
  // TOTP secret sealed with SM4 (AAD user:<id>:mfa); the pending one lives until the first code confirms it.
  await db.schema.alterTable('users').addColumn('mfa_secret', 'text').execute();
  await db.schema.alterTable('users').addColumn('mfa_pending_secret', 'text').execute();
  await db.schema.alterTable('users').addColumn('mfa_enabled_at', 'text').execute();
  // The last accepted TOTP time step: a code is good once.
  await db.schema.alterTable('users').addColumn('mfa_last_step', 'integer').execute();

  // Failure counters by source, by source × username and by username (known or not, keyed by digest).
  await db.schema
    .createTable('login_throttle')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('user_key', 'text')
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('strikes', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_failure_at', 'text', (c) => c.notNull())
    .addColumn('blocked_until', 'text')
    .execute();
  await db.schema.createIndex('login_throttle_user_key_idx').on('login_throttle').column('user_key').execute();
  await db.schema
    .createIndex('login_throttle_last_failure_idx')
    .on('login_throttle')
    .column('last_failure_at')
    .execute();

  // The second login step: a password that was right, waiting for its code. The token is stored as a digest.
  await db.schema
    .createTable('mfa_challenges')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('ip', 'text')
    .execute();
  await db.schema.createIndex('mfa_challenges_user_idx').on('mfa_challenges').column('user_id').execute();

  await db.schema
    .createTable('mfa_recovery_codes')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .addPrimaryKeyConstraint('mfa_recovery_codes_pk', ['user_id', 'code_hash'])
    .execute();
}

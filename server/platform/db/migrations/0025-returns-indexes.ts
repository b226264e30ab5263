import type { Kysely } from 'kysely';

/**
 * Indexes for the province's statistical return computed live (issue 13, R9):
 * - `contact_logs (mode, month, family_id)`: the `phone_contacts` count of a period reads only this index
 *   (covering on SQLite, index-only on PostgreSQL) instead of every log of every family;
 * - `assignments (family_id, post, ended_at)`: the 双岗 coverage's `EXISTS` per family and post is answered
 *   from the index alone.
 * `ifNotExists`: a cached bench database may already hold them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('contact_logs_mode_month_idx')
    .ifNotExists()
    .on('contact_logs')
    .columns(['mode', 'month', 'family_id'])
    .execute();
  await db.schema
    .createIndex('assignments_family_post_idx')
    .ifNotExists()
    .on('assignments')
    .columns(['family_id', 'post', 'ended_at'])
    .execute();
}

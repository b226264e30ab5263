import { sql, type Kysely } from 'kysely';

/**
 * SM2 key pairs of the reporting levels (R9, issue 13 part 6): one active key per county, city and the
 * province, generated here (private key sealed by the crypto provider) or registered from another
 * instance (public key only). Retired keys stay so that older packages still open.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('region_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('region_code', 'text', (c) => c.notNull().references('regions.code'))
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('key_serial', 'text', (c) => c.notNull())
    .addColumn('sealed_private_key', 'text')
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('retired_at', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addUniqueConstraint('region_keys_serial_uq', ['region_code', 'key_serial'])
    .execute();
  // At most one active key per region; both databases take a partial unique index.
  await sql`create unique index region_keys_active_uq on region_keys (region_code) where status = 'active'`.execute(db);
}

import { sql, type Kysely } from 'kysely';

/**
 * One household, one archive — enforced by the database (issue 10 items 2 and 6).
 *
 * `family_id_claims` holds, for each parent ID number (by blind index), the one archive that owns it: its
 * primary key is the rule, so two concurrent creations cannot both claim a number, whatever the database.
 * A new archive whose parent is already archived outside its creator's scope is created without a claim
 * (the creator must not learn of the other archive) and a `duplicate_archives` row flags the pair to the
 * lowest common supervising level, which resolves it. At most one pending flag per number and village: a
 * concurrent second duplicate in the same village is refused by the index and then, on retry, by the
 * in-scope check.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('family_id_claims')
    .addColumn('id_number_idx', 'text', (c) => c.primaryKey())
    .addColumn('family_id', 'text', (c) => c.notNull().references('families.id'))
    .addColumn('member_id', 'text', (c) => c.notNull().references('family_members.id'))
    .execute();
  await db.schema.createIndex('family_id_claims_family_idx').on('family_id_claims').column('family_id').execute();
  await db.schema.createIndex('family_id_claims_member_idx').on('family_id_claims').column('member_id').execute();
  // Existing archives: the oldest archive holding a number owns it.
  await sql`insert into family_id_claims (id_number_idx, family_id, member_id)
    select m.id_number_idx, m.family_id, m.id from family_members m
    where m.id = (
      select m2.id from family_members m2 join families f2 on f2.id = m2.family_id
      where m2.id_number_idx = m.id_number_idx
      order by f2.created_at, m2.id limit 1
    )`.execute(db);

  await db.schema
    .createTable('duplicate_archives')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('id_number_idx', 'text', (c) => c.notNull())
    .addColumn('new_family_id', 'text', (c) => c.notNull().references('families.id'))
    .addColumn('new_region_code', 'text', (c) => c.notNull().references('regions.code'))
    .addColumn('existing_family_id', 'text', (c) => c.notNull().references('families.id'))
    .addColumn('supervising_code', 'text', (c) => c.notNull().references('regions.code'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('resolved_at', 'text')
    .addColumn('resolved_by', 'text', (c) => c.references('users.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex('duplicate_archives_supervising_idx')
    .on('duplicate_archives')
    .columns(['supervising_code', 'status'])
    .execute();
  await db.schema
    .createIndex('duplicate_archives_new_family_idx')
    .on('duplicate_archives')
    .column('new_family_id')
    .execute();
  await db.schema
    .createIndex('duplicate_archives_existing_family_idx')
    .on('duplicate_archives')
    .column('existing_family_id')
    .execute();
  await sql`create unique index duplicate_archives_one_pending on duplicate_archives (id_number_idx, new_region_code)
    where status = 'pending'`.execute(db);
}

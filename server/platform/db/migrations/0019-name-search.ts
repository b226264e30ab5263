import type { Kysely } from 'kysely';
import { gramRows } from '../../../../common/name-grams.js';

/**
 * Search as people search (issue 11 item 9):
 * - `family_name_grams`: each character and adjacent pair of each parent's name with the family's region,
 *   so a name is found by any part of it within a scope through one index range (`common/name-grams.ts`).
 * - `family_members.id_number_tail_idx`: a keyed HMAC-SM3 blind index of the ID number's last 6
 *   characters (never the plain digits). The key is outside the database, so existing rows are filled
 *   at startup (`backfillIdNumberTails`), not here.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('family_name_grams')
    .addColumn('gram', 'text', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    // The list's order: a search by one gram pages straight from this key without reading the archives.
    .addColumn('archive_no', 'text', (c) => c.notNull())
    .addColumn('family_id', 'text', (c) => c.notNull().references('families.id'))
    .addPrimaryKeyConstraint('family_name_grams_pk', ['gram', 'region_code', 'archive_no', 'family_id'])
    .execute();
  await db.schema.createIndex('family_name_grams_family_idx').on('family_name_grams').column('family_id').execute();

  await db.schema.alterTable('family_members').addColumn('id_number_tail_idx', 'text').execute();
  await db.schema
    .createIndex('family_members_id_number_tail_idx')
    .on('family_members')
    .column('id_number_tail_idx')
    .execute();

  // The grams of the archives already stored, in keyset batches.
  const d = db as unknown as Kysely<{
    families: { id: string; region_code: string; archive_no: string };
    family_members: { family_id: string; name: string };
    family_name_grams: { gram: string; region_code: string; archive_no: string; family_id: string };
  }>;
  let after = '';
  for (;;) {
    const families = await d
      .selectFrom('families')
      .select(['id', 'region_code', 'archive_no'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(2000)
      .execute();
    if (families.length === 0) break;
    after = families[families.length - 1].id;
    const members = await d
      .selectFrom('family_members')
      .select(['family_id', 'name'])
      .where(
        'family_id',
        'in',
        families.map((f) => f.id),
      )
      .execute();
    const rows = gramRows(families, members);
    for (let i = 0; i < rows.length; i += 300)
      await d
        .insertInto('family_name_grams')
        .values(rows.slice(i, i + 300))
        .execute();
  }
}

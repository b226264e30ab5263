import type { Kysely } from 'kysely';

/**
 * Plans at 100k families (issue 19 item 0):
 * - `assignments (contact_id, ended_at, family_id)`: "the families of these contacts" (a contact's todos:
 *   overdue visits, open events, petition visits, festival care) is answered from the index alone — on
 *   PostgreSQL an Index Only Scan of 6 buffers where `assignments_contact_idx` read one heap page per family
 *   (163 of them for a cadre with 165 families); on SQLite a covering index. It replaces that index: every
 *   query it served is a prefix of this one.
 * `ifNotExists`: a cached bench database may already hold it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('assignments_contact_family_idx')
    .ifNotExists()
    .on('assignments')
    .columns(['contact_id', 'ended_at', 'family_id'])
    .execute();
  await db.schema.dropIndex('assignments_contact_idx').ifExists().execute();
}

import { sql, type Kysely, type KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-db.js';
import { openDatabase, type DatabaseHandle, type Executor } from './database.js';
import { columnsOf, prepared } from './prepared.js';

interface Item {
  id: string;
  name: string | null;
  n: number;
}
type Scratch = Kysely<{ prepared_items: Item }>;
// The helper is typed over the app's schema; this test uses a scratch table of its own.
const scratch = (db: Executor) => db as unknown as Scratch;

const insertItem = prepared((db, p: Item) =>
  scratch(db)
    .insertInto('prepared_items')
    .values(columnsOf(p, ['id', 'name', 'n'])),
);
const itemsFrom = prepared((db, p: { min: number }) =>
  scratch(db).selectFrom('prepared_items').select(['id', 'name', 'n']).where('n', '>=', p.min).orderBy('n'),
);

describe('prepared queries', () => {
  let test: TestDatabase;
  let database: DatabaseHandle;
  beforeAll(async () => {
    test = await createTestDatabase();
    database = openDatabase(test.url);
    await sql`create table prepared_items (id text primary key, name text, n integer not null)`.execute(database.db);
  });
  afterAll(async () => {
    await database.close();
    await test.drop();
  });

  it('runs the once-compiled SQL with each run’s values, in and out of a transaction', async () => {
    await insertItem(database.db, { id: 'a', name: '甲', n: 1 });
    await database.db.transaction().execute(async (trx) => {
      await insertItem(trx, { id: 'b', name: null, n: 2 });
      await insertItem(trx, { id: 'c', name: '丙', n: 3 });
    });
    expect((await itemsFrom(database.db, { min: 2 })).rows).toEqual([
      { id: 'b', name: null, n: 2 },
      { id: 'c', name: '丙', n: 3 },
    ]);
    expect((await itemsFrom(database.db, { min: 3 })).rows).toEqual([{ id: 'c', name: '丙', n: 3 }]);
    // The same rows as the ordinary build of the same query.
    const ordinary = await scratch(database.db)
      .selectFrom('prepared_items')
      .select(['id', 'name', 'n'])
      .where('n', '>=', 1)
      .orderBy('n')
      .execute();
    expect((await itemsFrom(database.db, { min: 1 })).rows).toEqual(ordinary);
  });

  it('refuses (under test) a query whose shape depends on a parameter', async () => {
    const shapeShifter = prepared((db, p: { ids: string[] }) =>
      scratch(db).selectFrom('prepared_items').select('id').where('id', 'in', p.ids),
    );
    await expect(shapeShifter(database.db, { ids: ['a', 'b'] })).rejects.toThrow(/shape depends on its parameters/);
  });

  it('builds the ordinary way for an executor with plugins, so they see every query', async () => {
    const seen: string[] = [];
    const recorder: KyselyPlugin = {
      transformQuery: (args) => {
        seen.push(args.node.kind);
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    const recorded = database.db.withPlugin(recorder);
    await itemsFrom(database.db, { min: 1 });
    expect((await itemsFrom(recorded, { min: 2 })).rows.map((r) => r.id)).toEqual(['b', 'c']);
    expect((await itemsFrom(recorded, { min: 3 })).rows.map((r) => r.id)).toEqual(['c']);
    expect(seen).toEqual(['SelectQueryNode', 'SelectQueryNode']);
  });
});

import type { Executor } from '../../platform/db/database.js';
import type { ChannelTable } from '../../platform/db/schema.js';
import type { RegionRange } from '../../platform/scope.js';
import { inRange } from '../../platform/db/query-helpers.js';

export type ChannelRow = ChannelTable & { region_name: string };

function withRegion(db: Executor) {
  return db
    .selectFrom('channels as c')
    .innerJoin('regions as r', 'r.code', 'c.region_code')
    .selectAll('c')
    .select('r.name as region_name');
}

export const channelsRepo = {
  insert: (db: Executor, row: ChannelTable) => db.insertInto('channels').values(row).execute(),

  find: (db: Executor, id: string): Promise<ChannelRow | undefined> =>
    withRegion(db).where('c.id', '=', id).executeTakeFirst(),

  findMany: (db: Executor, ids: string[]): Promise<ChannelRow[]> =>
    ids.length ? withRegion(db).where('c.id', 'in', ids).execute() : Promise.resolve([]),

  listInRange: (db: Executor, range: RegionRange, kind?: string): Promise<ChannelRow[]> => {
    let q = withRegion(db).where(inRange('c.region_code', range));
    if (kind) q = q.where('c.kind', '=', kind);
    return q.orderBy('c.region_code').orderBy('c.created_at').execute();
  },

  /** Updates when the version still matches; answers how many rows changed (0 = stale). */
  async update(db: Executor, id: string, version: number, set: Partial<ChannelTable>): Promise<number> {
    const res = await db
      .updateTable('channels')
      .set({ ...set, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(res.numUpdatedRows);
  },

  setRobotState: (db: Executor, id: string, status: 'ok' | 'failed', error: string | null) =>
    db.updateTable('channels').set({ robot_status: status, robot_error: error }).where('id', '=', id).execute(),

  regionExists: async (db: Executor, code: string, level: string) =>
    !!(await db
      .selectFrom('regions')
      .select('code')
      .where('code', '=', code)
      .where('level', '=', level)
      .executeTakeFirst()),

  userRegion: (db: Executor, userId: string) =>
    db.selectFrom('users').select(['id', 'region_code', 'display_name']).where('id', '=', userId).executeTakeFirst(),

  /** Active staff accounts in the range that may administer a group (the county's staff and leaders). */
  staffAccounts: (db: Executor, range: RegionRange, roles: readonly string[]) =>
    db
      .selectFrom('users')
      .select(['id', 'display_name', 'role'])
      .where('role', 'in', roles)
      .where('is_disabled', '=', 0)
      .where(inRange('region_code', range))
      .orderBy('display_name')
      .orderBy('id')
      .execute(),

  /** Counties in the range with their count of active channels (a county with none is flagged to the city). */
  countyCoverage: (db: Executor, range: RegionRange) =>
    db
      .selectFrom('regions as r')
      .leftJoin('channels as c', (j) => j.onRef('c.region_code', '=', 'r.code').on('c.is_active', '=', 1))
      .select(['r.code', 'r.name'])
      .select((eb) => eb.fn.count<number>('c.id').as('channels'))
      .where('r.level', '=', 'county')
      .where(inRange('r.code', range))
      .groupBy(['r.code', 'r.name'])
      .orderBy('r.code')
      .execute(),
};

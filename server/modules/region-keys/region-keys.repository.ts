import type { Executor } from '../../platform/db/database.js';
import type { RegionKeyTable } from '../../platform/db/schema.js';

export type RegionKeyRow = RegionKeyTable & { region_name: string };

const COLUMNS = [
  'k.id',
  'k.region_code',
  'k.public_key',
  'k.key_serial',
  'k.sealed_private_key',
  'k.origin',
  'k.status',
  'k.created_by',
  'k.created_at',
  'k.retired_at',
  'k.version',
  'r.name as region_name',
] as const;

export function findActiveKey(db: Executor, regionCode: string): Promise<RegionKeyRow | undefined> {
  return db
    .selectFrom('region_keys as k')
    .innerJoin('regions as r', 'r.code', 'k.region_code')
    .select(COLUMNS)
    .where('k.region_code', '=', regionCode)
    .where('k.status', '=', 'active')
    .executeTakeFirst();
}

/** A key of the region by its serial, active or retired. */
export function findKeyBySerial(db: Executor, regionCode: string, serial: string): Promise<RegionKeyRow | undefined> {
  return db
    .selectFrom('region_keys as k')
    .innerJoin('regions as r', 'r.code', 'k.region_code')
    .select(COLUMNS)
    .where('k.region_code', '=', regionCode)
    .where('k.key_serial', '=', serial)
    .executeTakeFirst();
}

export async function insertKey(db: Executor, row: RegionKeyTable): Promise<void> {
  await db.insertInto('region_keys').values(row).execute();
}

export async function retireActiveKey(db: Executor, regionCode: string, at: string): Promise<string | undefined> {
  const row = await db
    .updateTable('region_keys')
    .set((eb) => ({ status: 'retired', retired_at: at, version: eb('version', '+', 1) }))
    .where('region_code', '=', regionCode)
    .where('status', '=', 'active')
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

export function findRegion(db: Executor, code: string) {
  return db.selectFrom('regions').select(['code', 'name', 'level']).where('code', '=', code).executeTakeFirst();
}

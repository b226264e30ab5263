import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { AuditAnchor } from '../audit/anchor.js';
import { AuditLog } from '../audit/audit-log.js';
import { readHeader } from '../backup/format.js';
import type { Clock } from '../clock.js';
import { CryptoError, type CryptoProvider, type KeyRotation } from '../crypto/crypto-provider.js';
import type { KeySet } from '../crypto/keys.js';
import { idNumberTailIndex } from '../crypto/sealed-fields.js';
import { createSoftwareKeyRotation, tokenKeyId } from '../crypto/software-provider.js';
import type { Db, Dialect, Tx } from '../db/database.js';
import { withExclusiveServingLock } from '../db/serving-lock.js';
import { withStartupLock } from '../db/startup-lock.js';
import { readKeyVersions } from './key-versions.js';

/**
 * Rotating GUANHUAI_MASTER_KEY (`npm run rekey`, issue 18 item 8; docs/operations.md "Key rotation"). In ONE
 * database transaction, so a crash or a failure anywhere leaves the old state whole (the old key keeps working)
 * and a commit leaves the new one whole:
 * - every sealed column (SEALED_COLUMNS) is decrypted under the old key and encrypted under the new, its blind
 *   indexes recomputed in the same row (and the ID-number claims and duplicate cases that carry the index);
 * - the co-administrators' phones sealed inside channels.admins, the regions' wrapped SM2 private keys
 *   (re-wrapped: the key pairs, and so every signed package, stay);
 * - login-throttle rows of known accounts re-keyed (unknown names' rows dropped), MFA recovery codes cleared (only
 *   their keyed digests are stored: their owners make new ones);
 * - the audit log is NOT rewritten (append-only): the old version's audit, anchor and index keys are kept, sealed
 *   under the new key-wrap key, in key_versions (the older retired versions re-sealed), and the `key_rotation` row
 *   is the first one MAC'd under the new version — chained to the old head;
 * - a scan of every text column finds no value left under the old key id, or the transaction is rolled back.
 * Then a checkpoint under the new anchor key is appended to the anchor file. Runs under the serving lock (refused
 * while an instance serves) and the startup lock (an instance started meanwhile waits, then needs the new key).
 */

export class RekeyRefusal extends Error {
  override readonly name = 'RekeyRefusal';
  constructor(
    readonly check: string,
    message: string,
  ) {
    super(message);
  }
}

/** Tests: the failure injected part-way through the transaction. */
export class RekeyInjectedFailure extends Error {
  override readonly name = 'RekeyInjectedFailure';
}

type Row = Record<string, string | null>;

/** One sealed column: its row key, its AAD, and the blind indexes computed from the clear value beside it. */
export interface SealedColumn {
  table: string;
  key: string;
  column: string;
  aad: (key: string) => string;
  derived?: (crypto: CryptoProvider, plain: string) => Record<string, string>;
}

/** Every column holding a field token (`v1.<keyId>.…`). A new sealed column is added here; the scan catches a miss. */
export const SEALED_COLUMNS: SealedColumn[] = [
  {
    table: 'family_members',
    key: 'id',
    column: 'id_number_enc',
    aad: (id) => `family_members:${id}:id_number`,
    derived: (crypto, v) => ({
      id_number_idx: crypto.blindIndex('id_number', v),
      id_number_tail_idx: idNumberTailIndex(crypto, v),
    }),
  },
  {
    table: 'family_members',
    key: 'id',
    column: 'phone_enc',
    aad: (id) => `family_members:${id}:phone`,
    derived: (crypto, v) => ({ phone_idx: crypto.blindIndex('phone', v) }),
  },
  {
    table: 'family_children',
    key: 'family_id',
    column: 'id_number_enc',
    aad: (id) => `family_children:${id}:id_number`,
  },
  {
    table: 'family_children',
    key: 'family_id',
    column: 'disability_cert_enc',
    aad: (id) => `family_children:${id}:disability_cert`,
  },
  {
    table: 'contacts',
    key: 'id',
    column: 'phone_enc',
    aad: (id) => `contacts:${id}:phone`,
    derived: (crypto, v) => ({ phone_idx: crypto.blindIndex('phone', v) }),
  },
  {
    table: 'liaisons',
    key: 'id',
    column: 'phone_enc',
    aad: (id) => `liaisons:${id}:phone`,
    derived: (crypto, v) => ({ phone_idx: crypto.blindIndex('phone', v) }),
  },
  {
    table: 'users',
    key: 'id',
    column: 'phone_enc',
    aad: (id) => `users:${id}:phone`,
    derived: (crypto, v) => ({ phone_idx: crypto.blindIndex('phone', v) }),
  },
  { table: 'users', key: 'id', column: 'mfa_secret', aad: (id) => `user:${id}:mfa` },
  { table: 'users', key: 'id', column: 'mfa_pending_secret', aad: (id) => `user:${id}:mfa` },
  { table: 'family_imports', key: 'id', column: 'error_rows_enc', aad: (id) => `family_imports:${id}:error_rows` },
  { table: 'channels', key: 'id', column: 'robot_key_enc', aad: (id) => `channels.robot_key:${id}` },
];

/** Tables the leftover scan skips: the append-only log (masks and digests only, never re-written) and the keys. */
const NOT_SCANNED = new Set(['audit_events', 'key_versions', 'kysely_migration', 'kysely_migration_lock']);

export interface RekeyDeps {
  db: Db;
  dialect: Dialect;
  /** For the serving and startup locks. */
  databaseUrl: string;
  clock: Clock;
  /** The key in use, at the database's key version (withDatabaseKeyVersions). */
  from: CryptoProvider;
  /** The new master key's key set. */
  to: KeySet;
  anchorFile: string | null;
  backupDir: string;
  /** Skip the fresh-backup check (the operator was warned). */
  withoutBackup?: boolean;
  /** Hours within which the last backup must have been made (default 24). */
  backupFreshHours?: number;
  batchSize?: number;
  progress?: (line: string) => void;
  /** Tests: throw inside the transaction once this many values are re-sealed (an injected failure). */
  failAfterValues?: number;
  /** Tests: awaited inside the transaction once this many values are re-sealed (to kill the process there). */
  pauseAfterValues?: { values: number; pause: () => Promise<void> };
}

export interface RekeyResult {
  rotationId: string;
  fromVersion: number;
  toVersion: number;
  fromKeyId: string;
  toKeyId: string;
  /** Values re-sealed, by `table.column`. */
  resealed: Record<string, number>;
  sealedValues: number;
  regionKeys: number;
  retiredVersions: number;
  recoveryCodesCleared: number;
  throttleRowsCleared: number;
  /** The `key_rotation` audit row's chain position: the first under the new version. */
  auditPosition: number;
  /** The provider of the new key at its version, holding the retired ones. */
  crypto: CryptoProvider;
  durationMs: number;
}

export async function rekey(deps: RekeyDeps): Promise<RekeyResult> {
  let rotation: KeyRotation;
  try {
    rotation = createSoftwareKeyRotation(deps.from, deps.to);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (/retired/.test(msg))
      throw new RekeyRefusal('same_key', 'the new master key is one this database used before: choose a fresh one');
    if (/in use/.test(msg))
      throw new RekeyRefusal(
        'same_key',
        'the new master key is the current one (GUANHUAI_NEW_MASTER_KEY = GUANHUAI_MASTER_KEY)',
      );
    throw e;
  }
  try {
    return await withExclusiveServingLock(deps.databaseUrl, () =>
      withStartupLock(deps.databaseUrl, () => run(deps, rotation)),
    );
  } catch (e) {
    if (e instanceof Error && e.name === 'ServingLockBusy') throw new RekeyRefusal('instances_running', e.message);
    throw e;
  }
}

async function run(deps: RekeyDeps, rotation: KeyRotation): Promise<RekeyResult> {
  const started = Date.now();
  const { db, dialect } = deps;
  const { from, to } = rotation;
  const say = deps.progress ?? (() => undefined);
  const batchSize = deps.batchSize ?? 1_000;

  // — Checks: nothing is touched until every one holds.
  const versions = await readKeyVersions(db);
  const current = versions.find((v) => v.state === 'current');
  if (current && (current.key_id !== from.keyId || current.version !== from.keyVersion))
    throw new RekeyRefusal(
      'wrong_key',
      `GUANHUAI_MASTER_KEY is not this database's current key (version ${current.version})`,
    );
  await checkCurrentKey(db, from);
  const oldAudit = new AuditLog(from, dialect, deps.clock);
  const chain = await oldAudit.verify(db);
  if (!chain.ok)
    throw new RekeyRefusal(
      'audit_chain',
      `the audit chain does not verify (first bad row ${chain.brokenAt}): rotating would hide where it broke — nothing was touched`,
    );
  const cmp = await new AuditAnchor(deps.anchorFile, from, deps.clock).compare(db);
  if (cmp.anchor !== 'matches' && cmp.anchor !== 'none')
    throw new RekeyRefusal(
      'anchor',
      `the audit chain does not match its anchor file (${cmp.anchor}): nothing was touched`,
    );
  if (!deps.withoutBackup) await checkFreshBackup(deps, from);

  const rotationId = randomUUID();
  const at = deps.clock.now().toISOString();
  const resealed: Record<string, number> = {};
  let values = 0;
  const counted = async () => {
    values += 1;
    if (deps.failAfterValues !== undefined && values >= deps.failAfterValues)
      throw new RekeyInjectedFailure(`injected failure after ${values} values (test)`);
    if (deps.pauseAfterValues && values === deps.pauseAfterValues.values) await deps.pauseAfterValues.pause();
  };
  say(
    `开始轮换 rotation ${rotationId}: key version ${from.keyVersion} (${from.keyId}) → ${to.keyVersion} (${to.keyId})`,
  );

  const outcome = await db.transaction().execute(async (trx) => {
    // Sealed columns, batch by batch in key order (one statement per batch on PostgreSQL).
    const claimMap = new Map<string, string>();
    for (const col of SEALED_COLUMNS) {
      const name = `${col.table}.${col.column}`;
      const wantsOldIdx = col.table === 'family_members' && col.column === 'id_number_enc';
      let last = '';
      let n = 0;
      const t0 = Date.now();
      for (;;) {
        const rows = (
          await sql<Row>`select ${sql.ref(col.key)} as k, ${sql.ref(col.column)} as v
            ${wantsOldIdx ? sql`, id_number_idx as old_idx` : sql``}
            from ${sql.table(col.table)}
            where ${sql.ref(col.column)} is not null and ${sql.ref(col.key)} > ${last}
            order by ${sql.ref(col.key)} limit ${batchSize}`.execute(trx)
        ).rows;
        if (rows.length === 0) break;
        const updates: Array<Record<string, string>> = [];
        for (const r of rows) {
          const key = r.k!;
          const token = r.v!;
          const aad = col.aad(key);
          const plain = openOld(from, token, aad, name);
          const set: Record<string, string> = { [col.column]: to.encrypt(plain, aad) };
          if (col.derived) Object.assign(set, col.derived(to, plain));
          if (wantsOldIdx && r.old_idx) claimMap.set(r.old_idx, set.id_number_idx);
          updates.push({ [col.key]: key, ...set });
          await counted();
        }
        await bulkUpdate(trx, dialect, col.table, col.key, updates);
        n += rows.length;
        last = rows[rows.length - 1].k!;
      }
      resealed[name] = n;
      if (n > 0) say(`${name}: ${n} (${Date.now() - t0} ms)`);
    }

    // The parent ID-number claims and the cross-region duplicate cases carry the ID number's blind index.
    let claims = 0;
    for (const [oldIdx, newIdx] of claimMap) {
      const r = await trx
        .updateTable('family_id_claims')
        .set({ id_number_idx: newIdx })
        .where('id_number_idx', '=', oldIdx)
        .executeTakeFirst();
      claims += Number(r.numUpdatedRows);
    }
    const dups = await trx.selectFrom('duplicate_archives').select(['id', 'id_number_idx']).execute();
    for (const d of dups) {
      const next = claimMap.get(d.id_number_idx);
      if (!next) throw new RekeyRefusal('duplicates', `duplicate case ${d.id} names no member's ID number`);
      await trx.updateTable('duplicate_archives').set({ id_number_idx: next }).where('id', '=', d.id).execute();
    }
    say(`family_id_claims: ${claims}, duplicate_archives: ${dups.length}`);

    // A co-administrator's phone sealed inside channels.admins (JSON).
    let channelPhones = 0;
    for (const ch of await trx.selectFrom('channels').select(['id', 'admins']).execute()) {
      const admins = JSON.parse(ch.admins || '[]') as Array<Record<string, unknown>>;
      let changed = false;
      for (const [i, a] of admins.entries()) {
        if (typeof a.phoneEnc !== 'string') continue;
        const aad = `channels.admins:${ch.id}:${i}`;
        a.phoneEnc = to.encrypt(openOld(from, a.phoneEnc, aad, 'channels.admins'), aad);
        changed = true;
        channelPhones += 1;
        await counted();
      }
      if (changed)
        await trx
          .updateTable('channels')
          .set({ admins: JSON.stringify(admins) })
          .where('id', '=', ch.id)
          .execute();
    }
    resealed['channels.admins'] = channelPhones;

    // The regions' SM2 private keys, re-wrapped.
    let regionKeys = 0;
    const keys = await trx
      .selectFrom('region_keys')
      .select(['id', 'region_code', 'sealed_private_key'])
      .where('sealed_private_key', 'is not', null)
      .execute();
    for (const k of keys) {
      let next: string;
      try {
        next = rotation.rewrapPrivateKey(k.sealed_private_key!, `region_keys:${k.id}:${k.region_code}`);
      } catch {
        throw new RekeyRefusal('region_keys', `the private key ${k.id} of region ${k.region_code} does not open`);
      }
      await trx.updateTable('region_keys').set({ sealed_private_key: next }).where('id', '=', k.id).execute();
      regionKeys += 1;
    }
    say(`region_keys: ${regionKeys} re-wrapped`);

    // Login throttling keys usernames by a blind index: known accounts' rows move to the new index.
    const throttleRowsCleared = await rekeyThrottle(trx, from, to);
    // Only keyed digests of the recovery codes are stored: they cannot move, so they go.
    const codes = await trx
      .selectFrom('mfa_recovery_codes')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    const recoveryCodesCleared = Number(codes?.n ?? 0);
    await trx.deleteFrom('mfa_recovery_codes').execute();

    // The key versions: the older retired ones re-sealed, the one in use retired, the new one current.
    const sealedVersions = rotation.sealedRetiredVersions();
    if (versions.length === 0)
      await trx
        .insertInto('key_versions')
        .values({
          version: from.keyVersion,
          key_id: from.keyId,
          state: 'retired',
          sealed_keys: null,
          rotation_id: null,
          first_chain_seq: null,
          created_at: at,
          retired_at: null,
        })
        .execute();
    for (const v of sealedVersions) {
      const r = await trx
        .updateTable('key_versions')
        .set({
          sealed_keys: v.sealed,
          state: 'retired',
          ...(v.version === from.keyVersion ? { retired_at: at } : {}),
        })
        .where('version', '=', v.version)
        .where('key_id', '=', v.keyId)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1)
        throw new RekeyRefusal('key_versions', `key version ${v.version} is not recorded as key ${v.keyId}`);
    }
    await trx
      .insertInto('key_versions')
      .values({
        version: to.keyVersion,
        key_id: to.keyId,
        state: 'current',
        sealed_keys: null,
        rotation_id: rotationId,
        first_chain_seq: null,
        created_at: at,
        retired_at: null,
      })
      .execute();

    // Nothing may be left under the old key id: a sealed column not in SEALED_COLUMNS would fail here.
    const t1 = Date.now();
    await scanForOldTokens(trx, dialect, from.keyId);
    say(`scan: no value left under key ${from.keyId} (${Date.now() - t1} ms)`);
    const sealedValues = Object.values(resealed).reduce((a, b) => a + b, 0);

    // The rotation's own row: the first MAC'd under the new version, its prev_hash the old head.
    const auditPosition = await new AuditLog(to, dialect, deps.clock).recordChained(
      trx,
      { username: 'system:rekey' },
      {
        action: 'key_rotation',
        targetType: 'key_rotation',
        targetId: rotationId,
        targetRegionCode: null,
        changes: {
          fromVersion: from.keyVersion,
          toVersion: to.keyVersion,
          fromKeyId: from.keyId,
          toKeyId: to.keyId,
          sealedValues,
          regionKeys,
          retiredVersions: sealedVersions.length,
          recoveryCodesCleared,
          throttleRowsCleared,
        },
      },
    );
    await trx
      .updateTable('key_versions')
      .set({ first_chain_seq: auditPosition })
      .where('version', '=', to.keyVersion)
      .execute();
    if (deps.failAfterValues !== undefined)
      throw new RekeyInjectedFailure(`injected failure before the commit (test, ${values} values)`);
    return {
      sealedValues,
      regionKeys,
      recoveryCodesCleared,
      throttleRowsCleared,
      auditPosition,
      retiredVersions: sealedVersions.length,
    };
  });
  say(`已提交 committed: ${outcome.sealedValues} sealed values under key version ${to.keyVersion}`);

  // Outside the database: a checkpoint under the new anchor key. Should it fail, the old checkpoint still
  // verifies (under the retired anchor key) and the server writes a new one within a minute of starting.
  try {
    await new AuditAnchor(deps.anchorFile, to, deps.clock).checkpoint(db, new AuditLog(to, dialect, deps.clock));
  } catch (e) {
    say(`警告 warning: the anchor checkpoint was not written (${e instanceof Error ? e.message : String(e)})`);
  }
  return {
    rotationId,
    fromVersion: from.keyVersion,
    toVersion: to.keyVersion,
    fromKeyId: from.keyId,
    toKeyId: to.keyId,
    resealed,
    ...outcome,
    crypto: to,
    durationMs: Date.now() - started,
  };
}

function openOld(from: CryptoProvider, token: string, aad: string, where: string): string {
  try {
    return from.decrypt(token, aad);
  } catch (e) {
    const id = tokenKeyId(token);
    throw new RekeyRefusal(
      'wrong_key',
      `a value in ${where} does not open under GUANHUAI_MASTER_KEY (it names key ${id ?? '?'}, the key given is ${from.keyId}; ${e instanceof CryptoError ? e.code : 'error'}): nothing was changed`,
    );
  }
}

/** One UPDATE per row on SQLite (in-process, fast); one `UPDATE … FROM (VALUES …)` per batch on PostgreSQL. */
async function bulkUpdate(
  trx: Tx,
  dialect: Dialect,
  table: string,
  key: string,
  rows: Array<Record<string, string>>,
): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]).filter((c) => c !== key);
  if (dialect === 'sqlite') {
    for (const r of rows)
      await sql`update ${sql.table(table)} set ${sql.join(columns.map((c) => sql`${sql.ref(c)} = ${r[c]}`))}
        where ${sql.ref(key)} = ${r[key]}`.execute(trx);
    return;
  }
  const tuples = rows.map((r) => sql`(${sql.join([key, ...columns].map((c) => sql`${r[c]}::text`))})`);
  await sql`update ${sql.table(table)} as t
    set ${sql.join(columns.map((c) => sql`${sql.ref(c)} = v.${sql.ref(c)}`))}
    from (values ${sql.join(tuples)}) as v (${sql.join([key, ...columns].map((c) => sql.ref(c)))})
    where t.${sql.ref(key)} = v.${sql.ref(key)}`.execute(trx);
}

/** Login-throttle rows: `user:<idx>`, `ipu:<ip>:<idx>` move to the new index of a known username; others go. */
async function rekeyThrottle(trx: Tx, from: CryptoProvider, to: CryptoProvider): Promise<number> {
  const rows = await trx
    .selectFrom('login_throttle')
    .select(['key', 'user_key'])
    .where('user_key', 'is not', null)
    .execute();
  if (rows.length === 0) return 0;
  const map = new Map<string, string>();
  for (const u of await trx.selectFrom('users').select('username').execute()) {
    const name = u.username.trim().toLowerCase();
    map.set(from.blindIndex('login_username', name), to.blindIndex('login_username', name));
  }
  let cleared = 0;
  for (const r of rows) {
    const next = map.get(r.user_key!);
    if (!next) {
      await trx.deleteFrom('login_throttle').where('key', '=', r.key).execute();
      cleared += 1;
      continue;
    }
    const key = r.key.endsWith(r.user_key!) ? r.key.slice(0, -r.user_key!.length) + next : r.key;
    await trx.updateTable('login_throttle').set({ key, user_key: next }).where('key', '=', r.key).execute();
  }
  return cleared;
}

/** Every text column of every table, searched for a token under the old key id (whole or inside JSON). */
async function scanForOldTokens(trx: Tx, dialect: Dialect, oldKeyId: string): Promise<void> {
  const columns =
    dialect === 'sqlite'
      ? (
          await sql<{ t: string; c: string }>`select m.name as t, p.name as c
            from sqlite_master m join pragma_table_info(m.name) p
            where m.type = 'table' and m.name not like 'sqlite_%' and upper(p.type) = 'TEXT'`.execute(trx)
        ).rows
      : (
          await sql<{ t: string; c: string }>`select table_name as t, column_name as c from information_schema.columns
            where table_schema = current_schema() and data_type in ('text', 'character varying', 'jsonb', 'json')`.execute(
            trx,
          )
        ).rows;
  const pattern = `%v1.${oldKeyId}.%`;
  const byTable = new Map<string, string[]>();
  for (const { t, c } of columns) if (!NOT_SCANNED.has(t)) byTable.set(t, [...(byTable.get(t) ?? []), c]);
  for (const [table, cols] of byTable) {
    const where = sql.join(
      cols.map((c) =>
        dialect === 'sqlite' ? sql`${sql.ref(c)} like ${pattern}` : sql`${sql.ref(c)}::text like ${pattern}`,
      ),
      sql` or `,
    );
    const { rows } = await sql<{
      n: number | string;
    }>`select count(*) as n from ${sql.table(table)} where ${where}`.execute(trx);
    const n = Number(rows[0]?.n ?? 0);
    if (n > 0)
      throw new RekeyRefusal(
        'leftover',
        `${n} row(s) of ${table} still hold values under the old key that rekey does not know how to re-seal: nothing was changed (add the column to SEALED_COLUMNS)`,
      );
  }
}

/** The key given as current must be the one the data is sealed with: nothing is touched otherwise. */
async function checkCurrentKey(db: Db, from: CryptoProvider): Promise<void> {
  for (const col of SEALED_COLUMNS) {
    const sample = (
      await sql<Row>`select ${sql.ref(col.key)} as k, ${sql.ref(col.column)} as v from ${sql.table(col.table)}
        where ${sql.ref(col.column)} is not null limit 1`.execute(db)
    ).rows[0];
    if (sample) openOld(from, sample.v!, col.aad(sample.k!), `${col.table}.${col.column}`);
  }
}

/** A backup under the current key, made within the freshness window, is present and opens. */
async function checkFreshBackup(deps: RekeyDeps, crypto: CryptoProvider): Promise<void> {
  const hours = deps.backupFreshHours ?? 24;
  const since = new Date(deps.clock.now().getTime() - hours * 3_600_000).toISOString();
  const run = await deps.db
    .selectFrom('backup_runs')
    .select(['file', 'finished_at'])
    .where('kind', '=', 'backup')
    .where('verdict', '=', 'ok')
    .where('finished_at', '>=', since)
    .orderBy('finished_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  const refuse = (why: string) =>
    new RekeyRefusal(
      'backup',
      `${why}: run \`npm run backup\` first (it opens only with the current key: keep that key until the backup expires), or pass --without-backup`,
    );
  if (!run?.file) throw refuse(`no successful backup in the last ${hours} hours`);
  const file = path.isAbsolute(run.file) ? run.file : path.join(deps.backupDir, run.file);
  if (!fs.existsSync(file)) throw refuse(`the last backup ${run.file} is not in ${deps.backupDir}`);
  try {
    readHeader(file, crypto);
  } catch {
    throw refuse(`the last backup ${run.file} does not open under the current key`);
  }
}

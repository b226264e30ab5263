import { sql } from 'kysely';
import type { Clock } from '../clock.js';
import type { CryptoProvider } from '../crypto/crypto-provider.js';
import { lockForUpdate, type Db, type Dialect, type Tx } from '../db/database.js';
import { columnsOf, prepared } from '../db/prepared.js';
import type { AuditEventTable } from '../db/schema.js';
import type { Actor } from '../scope.js';
import { DIFF_ACTIONS, type AuditEntry, type FieldDiff } from './audit-actions.js';
import { auditFacts, fieldChanges } from './audit-values.js';

export type { AuditEntry } from './audit-actions.js';

/** Where an audited act comes from: the actor (if signed in), their address and request. */
export interface AuditContext {
  actor?: Actor | null;
  /** For acts without a session (a failed login): the username that was tried. */
  username?: string;
  ip?: string;
  requestId?: string;
}

const GENESIS = '0'.repeat(64);
const AUDIT_LOCK_KEY = 7_001;
/** Rows sealed per sealing transaction. */
const SEAL_BATCH = 1_000;
/** After a write, how long the sealer keeps looking for its row before leaving it to the periodic catch-up. */
const SEAL_PATIENCE_MS = 500;

type ChainedFields = Omit<AuditEventTable, 'hash' | 'chain_seq'>;
type RecordedFields = Omit<ChainedFields, 'seq' | 'prev_hash'>;

const COLUMNS = Object.keys({
  seq: true,
  occurred_at: true,
  actor_id: true,
  actor_username: true,
  actor_role: true,
  actor_region_code: true,
  action: true,
  target_type: true,
  target_id: true,
  outcome: true,
  ip: true,
  request_id: true,
  changes: true,
  target_region_code: true,
  key_version: true,
  chain_seq: true,
  prev_hash: true,
  hash: true,
} satisfies Record<keyof AuditEventTable, true>) as Array<keyof AuditEventTable>;
const RECORDED = COLUMNS.filter((c) => !['seq', 'chain_seq', 'prev_hash', 'hash'].includes(c)) as Array<
  keyof RecordedFields
>;

// Every audited write runs these: prepared (compiled once).
const lastChained = prepared((db) =>
  db.selectFrom('audit_events').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1),
);
const insertChained = prepared((db, p: AuditEventTable) => db.insertInto('audit_events').values(columnsOf(p, COLUMNS)));
const insertUnsealed = prepared((db, p: RecordedFields) =>
  db.insertInto('audit_events').values({
    ...columnsOf(p, RECORDED),
    seq: sql<number>`nextval('audit_events_seq')`,
    chain_seq: null,
    prev_hash: null,
    hash: null,
  }),
);

/**
 * Field order is fixed so the same row always hashes the same on both databases. `target_region_code` came
 * later (migration 0010): it joins the hashed fields when set, so rows written before it still verify.
 * `key_version` (migration 0029) is not hashed: it picks the key the MAC is checked under, and a changed one
 * fails that check like any other change.
 */
export function canonical(row: Omit<ChainedFields, 'key_version'>): string {
  const fields: unknown[] = [
    row.seq,
    row.occurred_at,
    row.actor_id,
    row.actor_username,
    row.actor_role,
    row.actor_region_code,
    row.action,
    row.target_type,
    row.target_id,
    row.outcome,
    row.ip,
    row.request_id,
    row.changes,
    row.prev_hash,
  ];
  if (row.target_region_code !== null && row.target_region_code !== undefined) fields.push(row.target_region_code);
  return JSON.stringify(fields);
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  /** The chain position (chain_seq) where the chain first fails to hold. */
  brokenAt: number | null;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The append-only audit log. Each row carries HMAC-SM3(prev_hash ‖ row), so changing, deleting or
 * reordering a stored row breaks the chain at that row. The row is written inside the caller's transaction:
 * a write whose audit row cannot be written fails as a whole.
 *
 * Where it is chained differs by database (docs/ARCHITECTURE.md "Audit chain"):
 * - SQLite has one writer at a time, so the row is chained as it is written (chain_seq = seq).
 * - PostgreSQL: chaining inside the write would hold a lock through its commit and serialise every commit
 *   (no two writes could share a WAL flush). The row is written numbered by a sequence with its chain fields
 *   empty, and sealed right after the commit — by the sealer `startSealing` runs (nudged by each write), by
 *   the scheduler's periodic catch-up, and by `verify` first. Until sealed (milliseconds) the append-only
 *   trigger still refuses any change to it but the sealing itself.
 */
export class AuditLog {
  private sealerDb: Db | null = null;
  private sealing = false;
  private lastWriteAt = 0;

  constructor(
    private readonly crypto: CryptoProvider,
    private readonly dialect: Dialect,
    private readonly clock: Clock,
  ) {}

  /** The stored form of an entry's details (common/schemas/audit.ts format 1): masked, digested, versioned. */
  changesOf(entry: AuditEntry): string | null {
    if (entry.changes === undefined) return null;
    const body = DIFF_ACTIONS.has(entry.action)
      ? { v: 1, fields: fieldChanges(this.crypto, entry.changes as FieldDiff) }
      : { v: 1, facts: auditFacts(this.crypto, entry.changes as Record<string, unknown>) };
    return JSON.stringify(body);
  }

  /** Where the target lives, for the auditor's scope: given by the caller, or looked up from the target. */
  private async targetRegion(trx: Tx, ctx: AuditContext, entry: AuditEntry): Promise<string | null> {
    if (entry.targetRegionCode !== undefined) return entry.targetRegionCode ?? ctx.actor?.regionCode ?? null;
    const id = entry.targetId;
    let found: { region_code: string } | undefined;
    if (id && entry.targetType === 'region') return id;
    if (id && entry.targetType === 'family')
      found = await trx.selectFrom('families').select('region_code').where('id', '=', id).executeTakeFirst();
    else if (id && entry.targetType === 'user')
      found = await trx.selectFrom('users').select('region_code').where('id', '=', id).executeTakeFirst();
    else if (id && entry.targetType === 'contact')
      found = await trx.selectFrom('contacts').select('region_code').where('id', '=', id).executeTakeFirst();
    else if (id && entry.targetType === 'family_import')
      found = await trx.selectFrom('family_imports').select('region_code').where('id', '=', id).executeTakeFirst();
    return found?.region_code ?? ctx.actor?.regionCode ?? null;
  }

  async record(trx: Tx, ctx: AuditContext, entry: AuditEntry): Promise<void> {
    await this.insert(trx, ctx, entry, this.changesOf(entry), await this.targetRegion(trx, ctx, entry));
  }

  /** Writes one row whose `changes` are already in stored form (security-events.ts builds them). */
  async insert(
    trx: Tx,
    ctx: AuditContext,
    entry: Pick<AuditEntry, 'action' | 'targetType' | 'targetId' | 'outcome'>,
    changes: string | null,
    targetRegionCode: string | null,
    occurredAt?: string,
  ): Promise<void> {
    const fields: RecordedFields = {
      occurred_at: occurredAt ?? this.clock.now().toISOString(),
      actor_id: ctx.actor?.id ?? null,
      actor_username: ctx.actor?.username ?? ctx.username ?? null,
      actor_role: ctx.actor?.role ?? null,
      actor_region_code: ctx.actor?.regionCode ?? null,
      action: entry.action,
      target_type: entry.targetType ?? null,
      target_id: entry.targetId ?? null,
      outcome: entry.outcome ?? 'success',
      ip: ctx.ip ?? null,
      request_id: ctx.requestId ?? null,
      changes,
      target_region_code: targetRegionCode,
      key_version: this.crypto.keyVersion,
    };
    if (this.dialect === 'postgres') {
      await insertUnsealed(trx, fields);
      this.sealSoon();
      return;
    }
    // SQLite: the transaction (BEGIN IMMEDIATE) already excludes every other writer, in any process.
    const [last] = (await lastChained(trx, {})).rows;
    const seq = (last?.seq ?? 0) + 1;
    const row: ChainedFields = { seq, ...fields, prev_hash: last?.hash ?? GENESIS };
    await insertChained(trx, { ...row, chain_seq: seq, hash: this.crypto.mac(canonical(row)) });
  }

  /**
   * Records and chains one row inside `trx` on both databases, returning its chain position: for `npm run rekey`,
   * whose rotation row must commit with the rotation or not at all. Every committed row must be sealed already
   * (the caller sealed them and holds the only writer); on PostgreSQL the sealer's lock is taken here.
   */
  async recordChained(trx: Tx, ctx: AuditContext, entry: AuditEntry): Promise<number> {
    if (this.dialect !== 'postgres') {
      await this.record(trx, ctx, entry);
      const [last] = (await lastChained(trx, {})).rows;
      return last.seq;
    }
    await lockForUpdate(trx, this.dialect, AUDIT_LOCK_KEY);
    const unsealed = await trx.selectFrom('audit_events').select('seq').where('hash', 'is', null).limit(1).execute();
    if (unsealed.length > 0) throw new Error('audit rows are left unsealed: seal them before recordChained');
    const last = await trx
      .selectFrom('audit_events')
      .select(['chain_seq', 'hash'])
      .where('chain_seq', 'is not', null)
      .orderBy('chain_seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    const { rows } = await sql<{ seq: number }>`select nextval('audit_events_seq')::integer as seq`.execute(trx);
    const fields: RecordedFields = {
      occurred_at: this.clock.now().toISOString(),
      actor_id: ctx.actor?.id ?? null,
      actor_username: ctx.actor?.username ?? ctx.username ?? null,
      actor_role: ctx.actor?.role ?? null,
      actor_region_code: ctx.actor?.regionCode ?? null,
      action: entry.action,
      target_type: entry.targetType ?? null,
      target_id: entry.targetId ?? null,
      outcome: entry.outcome ?? 'success',
      ip: ctx.ip ?? null,
      request_id: ctx.requestId ?? null,
      changes: this.changesOf(entry),
      target_region_code: entry.targetRegionCode ?? null,
      key_version: this.crypto.keyVersion,
    };
    const position = (last?.chain_seq ?? 0) + 1;
    const row: ChainedFields = { seq: rows[0].seq, ...fields, prev_hash: last?.hash ?? GENESIS };
    await insertChained(trx, { ...row, chain_seq: position, hash: this.crypto.mac(canonical(row)) });
    return position;
  }

  /**
   * Chains every committed unsealed row (PostgreSQL), in `seq` order, after the last sealed one; returns how
   * many. Sealers on several instances take turns on the advisory lock. A row committed late (a lower seq than
   * rows already sealed) is simply chained later: the chain's order is chain_seq.
   */
  async seal(db: Db): Promise<number> {
    if (this.dialect !== 'postgres') return 0;
    let total = 0;
    for (;;) {
      const sealed = await db.transaction().execute(async (trx) => {
        await lockForUpdate(trx, this.dialect, AUDIT_LOCK_KEY);
        const rows = await trx
          .selectFrom('audit_events')
          .selectAll()
          .where('hash', 'is', null)
          .orderBy('seq')
          .limit(SEAL_BATCH)
          .execute();
        if (rows.length === 0) return 0;
        const last = await trx
          .selectFrom('audit_events')
          .select(['chain_seq', 'hash'])
          .where('chain_seq', 'is not', null)
          .orderBy('chain_seq', 'desc')
          .limit(1)
          .executeTakeFirst();
        let position = last?.chain_seq ?? 0;
        let prevHash = last?.hash ?? GENESIS;
        const values = rows.map((r) => {
          const { hash: _hash, chain_seq: _chainSeq, ...fields } = r;
          // Under the version the row was written with (the current one: a rotation seals every row first).
          const hash = this.crypto.mac(canonical({ ...fields, prev_hash: prevHash }), r.key_version);
          position += 1;
          const value = sql`(${r.seq}::integer, ${position}::integer, ${prevHash}::text, ${hash}::text)`;
          prevHash = hash;
          return value;
        });
        await sql`update audit_events as a set chain_seq = v.chain_seq, prev_hash = v.prev_hash, hash = v.hash
          from (values ${sql.join(values)}) as v (seq, chain_seq, prev_hash, hash)
          where a.seq = v.seq`.execute(trx);
        return rows.length;
      });
      total += sealed;
      if (sealed < SEAL_BATCH) return total;
    }
  }

  /**
   * Seals in the background over `db` (PostgreSQL; a no-op on SQLite): at once (rows left by a crash or a
   * stop), then after each write. `record` runs before its transaction commits, so the sealer keeps looking
   * for a little while (backing off) once nothing is left; the scheduler's catch-up seals anything later.
   */
  startSealing(db: Db): () => void {
    if (this.dialect !== 'postgres') return () => undefined;
    this.sealerDb = db;
    this.lastWriteAt = Date.now();
    this.sealSoon();
    return () => {
      if (this.sealerDb === db) this.sealerDb = null;
    };
  }

  /** After a commit that wrote unsealed rows (record calls it; so does the bench's bare-SQL minimal route). */
  sealSoon(): void {
    this.lastWriteAt = Date.now();
    if (this.sealing || !this.sealerDb) return;
    this.sealing = true;
    void this.sealLoop().finally(() => {
      this.sealing = false;
    });
  }

  private async sealLoop(): Promise<void> {
    let wait = 1;
    while (this.sealerDb && Date.now() - this.lastWriteAt < SEAL_PATIENCE_MS) {
      const sealed = await this.seal(this.sealerDb).catch(() => 0);
      wait = sealed > 0 ? 1 : Math.min(wait * 2, 64);
      await sleep(sealed > 0 ? 0 : wait);
    }
  }

  /** A row's MAC under the audit key of the version it names; null when no key of that version is held. */
  private macAt(fields: Omit<ChainedFields, 'key_version'>, version: number): string | null {
    try {
      return this.crypto.mac(canonical(fields), version);
    } catch {
      return null;
    }
  }

  /** Walks the chain in order and reports the first row whose link or MAC does not hold. */
  async verify(db: Db, batchSize = 5_000): Promise<VerifyResult> {
    // Rows committed but not sealed yet are sealed first, so the walk covers every committed row.
    await this.seal(db);
    let prevHash = GENESIS;
    let expectedSeq = 1;
    let checked = 0;
    for (;;) {
      const rows = await db
        .selectFrom('audit_events')
        .selectAll()
        .where('chain_seq', '>=', expectedSeq)
        .orderBy('chain_seq')
        .limit(batchSize)
        .execute();
      if (rows.length === 0) return { ok: true, checked, brokenAt: null };
      for (const row of rows) {
        const { hash, chain_seq: position, ...fields } = row;
        const intact =
          position === expectedSeq && row.prev_hash === prevHash && this.macAt(fields, row.key_version) === hash;
        if (!intact) return { ok: false, checked, brokenAt: expectedSeq };
        prevHash = hash!;
        expectedSeq += 1;
        checked += 1;
      }
    }
  }
}

import type { Clock } from '../clock.js';
import type { CryptoProvider } from '../crypto/crypto-provider.js';
import { lockForUpdate, type Db, type Dialect, type Tx } from '../db/database.js';
import type { AuditEventTable } from '../db/schema.js';
import type { Actor } from '../scope.js';

/** Where an audited act comes from: the actor (if signed in), their address and request. */
export interface AuditContext {
  actor?: Actor | null;
  /** For acts without a session (a failed login): the username that was tried. */
  username?: string;
  ip?: string;
  requestId?: string;
}

export interface AuditEntry {
  action: string;
  targetType?: string;
  targetId?: string;
  outcome?: 'success' | 'failure' | 'denied';
  /** Changed fields as { field: [before, after] } or facts of a read; never secrets, sensitive values masked. */
  changes?: unknown;
}

const GENESIS = '0'.repeat(64);
const AUDIT_LOCK_KEY = 7_001;

type ChainedFields = Omit<AuditEventTable, 'hash'>;

/** Field order is fixed so the same row always hashes the same on both databases. */
function canonical(row: ChainedFields): string {
  return JSON.stringify([
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
  ]);
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  brokenAt: number | null;
}

/**
 * The append-only audit log. Each row carries HMAC-SM3(prev_hash ‖ row), so changing, deleting or
 * reordering a stored row breaks the chain at that row. It is written inside the caller's transaction:
 * a write whose audit row cannot be written fails as a whole.
 */
export class AuditLog {
  constructor(
    private readonly crypto: CryptoProvider,
    private readonly dialect: Dialect,
    private readonly clock: Clock,
  ) {}

  async record(trx: Tx, ctx: AuditContext, entry: AuditEntry): Promise<void> {
    await lockForUpdate(trx, this.dialect, AUDIT_LOCK_KEY);
    const last = await trx
      .selectFrom('audit_events')
      .select(['seq', 'hash'])
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    const row: ChainedFields = {
      seq: (last?.seq ?? 0) + 1,
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
      changes: entry.changes === undefined ? null : JSON.stringify(entry.changes),
      prev_hash: last?.hash ?? GENESIS,
    };
    await trx
      .insertInto('audit_events')
      .values({ ...row, hash: this.crypto.mac(canonical(row)) })
      .execute();
  }

  /** Walks the chain in order and reports the first row whose link or MAC does not hold. */
  async verify(db: Db, batchSize = 5_000): Promise<VerifyResult> {
    let prevHash = GENESIS;
    let expectedSeq = 1;
    let checked = 0;
    for (;;) {
      const rows = await db
        .selectFrom('audit_events')
        .selectAll()
        .where('seq', '>=', expectedSeq)
        .orderBy('seq')
        .limit(batchSize)
        .execute();
      if (rows.length === 0) return { ok: true, checked, brokenAt: null };
      for (const row of rows) {
        const { hash, ...fields } = row;
        const intact =
          row.seq === expectedSeq && row.prev_hash === prevHash && this.crypto.mac(canonical(fields)) === hash;
        if (!intact) return { ok: false, checked, brokenAt: expectedSeq };
        prevHash = hash;
        expectedSeq += 1;
        checked += 1;
      }
    }
  }
}

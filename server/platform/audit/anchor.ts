import fs from 'node:fs';
import path from 'node:path';
import type { AuditCheckpointView, AuditVerification } from '../../../common/schemas/audit.js';
import type { Clock } from '../clock.js';
import type { CryptoProvider } from '../crypto/crypto-provider.js';
import type { Db } from '../db/database.js';
import type { AuditLog } from './audit-log.js';

/**
 * The audit chain's head, anchored outside the database. The chain shows a changed or removed row *inside*
 * it, but not a cut-off tail (the newest rows deleted, or the whole table truncated): what is left is still a
 * valid chain. So the head is written out — a signed checkpoint (count, head hash, time, HMAC-SM3 under the
 * anchor key derived from the master key, which the database never holds) appended as one line to
 * `AUDIT_ANCHOR_FILE`, a file outside the database directory — every minute in which the chain grew, at least
 * hourly otherwise, and at every graceful shutdown. Verify compares the chain with the newest checkpoint: a
 * chain shorter than it lost rows `count+1…` (reported by position); a different row at its position means the
 * tail was replaced. Rows written after the newest checkpoint (under a minute's worth) are not covered.
 */

/**
 * One line of the anchor file. `v: 1` lines are signed under key version 1 (every line before the first
 * master-key rotation); `v: 2` lines name the key version `kv` whose anchor key signed them, so checkpoints
 * written before a rotation still verify after it, under the retired version's anchor key (platform/rekey).
 */
export interface Checkpoint extends AuditCheckpointView {
  v: 1 | 2;
  kv?: number;
  mac: string;
}

const HEARTBEAT_MS = 60 * 60_000;
/** Enough to find the newest checkpoints without reading a file that grows for years. */
const TAIL_BYTES = 64 * 1024;

function signed(c: Omit<Checkpoint, 'mac'>): string {
  return c.v === 1
    ? `guanhuai/audit-anchor/v1|${c.count}|${c.headHash}|${c.at}`
    : `guanhuai/audit-anchor/v2|${c.kv}|${c.count}|${c.headHash}|${c.at}`;
}

export type AnchorComparison = Pick<AuditVerification, 'anchor' | 'checkpoint' | 'missingFrom' | 'missingTo'>;

export class AuditAnchor {
  private last: { count: number; headHash: string; writtenAt: number } | null = null;

  constructor(
    /** null: no anchor configured (tests that do not need one). */
    readonly file: string | null,
    private readonly crypto: CryptoProvider,
    private readonly clock: Clock,
    private readonly onCheckpoint?: (line: string) => void,
  ) {}

  /** The chain's current head: its length and the hash of its last row (sealing what is committed first). */
  async head(db: Db, audit: AuditLog): Promise<{ count: number; headHash: string }> {
    await audit.seal(db);
    const row = await db
      .selectFrom('audit_events')
      .select(['chain_seq', 'hash'])
      .where('chain_seq', 'is not', null)
      .orderBy('chain_seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    return { count: row?.chain_seq ?? 0, headHash: row?.hash ?? '0'.repeat(64) };
  }

  /** Appends a checkpoint of the current head (durably: fsync before returning). */
  async checkpoint(db: Db, audit: AuditLog): Promise<Checkpoint | null> {
    if (!this.file) return null;
    const { count, headHash } = await this.head(db, audit);
    const at = this.clock.now().toISOString();
    // Key version 1 keeps the first format, so an anchor file reads the same until the first rotation.
    const kv = this.crypto.keyVersion;
    const body: Omit<Checkpoint, 'mac'> = kv === 1 ? { v: 1, count, headHash, at } : { v: 2, kv, count, headHash, at };
    const cp: Checkpoint = { ...body, mac: this.crypto.anchorMac(signed(body), kv) };
    const line = JSON.stringify(cp);
    fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const fd = fs.openSync(this.file, 'a', 0o600);
    try {
      fs.writeSync(fd, line + '\n');
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    this.last = { count, headHash, writtenAt: Date.now() };
    this.onCheckpoint?.(line);
    return cp;
  }

  /** The scheduler's minute: a checkpoint when the chain grew, or an hourly one that says it did not. */
  async checkpointIfMoved(db: Db, audit: AuditLog): Promise<Checkpoint | null> {
    if (!this.file) return null;
    const { count, headHash } = await this.head(db, audit);
    const last = this.last;
    if (last && last.count === count && last.headHash === headHash && Date.now() - last.writtenAt < HEARTBEAT_MS)
      return null;
    return this.checkpoint(db, audit);
  }

  isValid(cp: Checkpoint): boolean {
    const kv = cp.v === 1 ? 1 : cp.kv;
    if (
      !(cp.v === 1 || (cp.v === 2 && Number.isSafeInteger(kv))) ||
      !Number.isInteger(cp.count) ||
      typeof cp.headHash !== 'string' ||
      typeof cp.at !== 'string' ||
      typeof cp.mac !== 'string'
    )
      return false;
    try {
      return this.crypto.anchorMac(signed(cp), kv) === cp.mac;
    } catch {
      // A key version this provider does not hold: not a checkpoint it can vouch for.
      return false;
    }
  }

  /** The newest validly signed checkpoint, and whether any line after it is not validly signed. */
  newest(): { checkpoint: Checkpoint | null; tampered: boolean } {
    if (!this.file || !fs.existsSync(this.file)) return { checkpoint: null, tampered: false };
    const fd = fs.openSync(this.file, 'r');
    let text: string;
    try {
      const size = fs.fstatSync(fd).size;
      const start = Math.max(0, size - TAIL_BYTES);
      const buf = Buffer.alloc(size - start);
      fs.readSync(fd, buf, 0, buf.length, start);
      text = buf.toString('utf8');
      // A partial first line of the tail is not a checkpoint.
      if (start > 0) text = text.slice(text.indexOf('\n') + 1);
    } finally {
      fs.closeSync(fd);
    }
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    let tampered = false;
    for (let i = lines.length - 1; i >= 0; i -= 1) {
      let cp: Checkpoint | null = null;
      try {
        cp = JSON.parse(lines[i]) as Checkpoint;
      } catch {
        cp = null;
      }
      if (cp && this.isValid(cp)) return { checkpoint: cp, tampered };
      tampered = true;
    }
    return { checkpoint: null, tampered };
  }

  /** The chain against the newest checkpoint. */
  async compare(db: Db): Promise<AnchorComparison> {
    const { checkpoint, tampered } = this.newest();
    const view = checkpoint ? { count: checkpoint.count, headHash: checkpoint.headHash, at: checkpoint.at } : null;
    const none = { checkpoint: view, missingFrom: null, missingTo: null };
    if (tampered) return { anchor: 'signature_invalid', ...none };
    if (!checkpoint || checkpoint.count === 0) return { anchor: 'none', ...none };
    const last = await db
      .selectFrom('audit_events')
      .select((eb) => eb.fn.max('chain_seq').as('n'))
      .executeTakeFirst();
    const length = Number(last?.n ?? 0);
    if (length < checkpoint.count)
      return { anchor: 'rows_missing', checkpoint: view, missingFrom: length + 1, missingTo: checkpoint.count };
    const row = await db
      .selectFrom('audit_events')
      .select('hash')
      .where('chain_seq', '=', checkpoint.count)
      .executeTakeFirst();
    return { anchor: row?.hash === checkpoint.headHash ? 'matches' : 'head_mismatch', ...none };
  }
}

/** The whole check: the chain walk (a changed or removed row inside it) and the anchor (a cut-off tail). */
export async function verifyAudit(db: Db, audit: AuditLog, anchor: AuditAnchor): Promise<AuditVerification> {
  const chain = await audit.verify(db);
  const cmp = await anchor.compare(db);
  return { ...chain, ...cmp, ok: chain.ok && (cmp.anchor === 'matches' || cmp.anchor === 'none') };
}

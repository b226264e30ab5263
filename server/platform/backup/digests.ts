import SqliteDatabase from 'better-sqlite3';
import type pg from 'pg';
import type { CryptoProvider } from '../crypto/crypto-provider.js';

/**
 * Canonical content of a table, the same on SQLite and PostgreSQL (docs/operations.md "Backup manifest"):
 *
 * - a row is `JSON.stringify` of its values in the order of the column names sorted by code point; a value is
 *   `null`, a number, a string, `1`/`0` for a boolean, an ISO 8601 string for a timestamp and `{"b":"<hex>"}`
 *   for bytes;
 * - the table's content is the multiset of its rows, so its digest does not depend on the order rows come
 *   back in (SQLite and PostgreSQL order text differently): the sum modulo 2^256 of SM3(row) over all rows;
 * - digest = SM3("guanhuai/table-digest/v1\n" ‖ table ‖ "\n" ‖ columns joined by "," ‖ "\n" ‖ row count ‖ "\n"
 *   ‖ the sum as 64 hex digits).
 *
 * The backup file itself is authenticated by HMAC-SM3 (format.ts); these digests prove that what a restore
 * put into the target database is what the source held.
 */
export interface TableDigest {
  name: string;
  rows: number;
  sm3: string;
}

export interface AuditHead {
  /** chain_seq of the last chained row (the chain's length). */
  count: number;
  hash: string;
}

const MOD = 1n << 256n;

function normalise(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return v.toISOString();
  if (Buffer.isBuffer(v) || v instanceof Uint8Array) return { b: Buffer.from(v).toString('hex') };
  return v;
}

export class TableHasher {
  private sum = 0n;
  private rows = 0;
  private columns: string[] | null = null;

  constructor(
    private readonly crypto: CryptoProvider,
    readonly name: string,
  ) {}

  add(row: Record<string, unknown>): void {
    if (!this.columns) this.columns = Object.keys(row).sort();
    const line = JSON.stringify(this.columns.map((c) => normalise(row[c])));
    this.sum = (this.sum + BigInt(`0x${this.crypto.sm3(line)}`)) % MOD;
    this.rows += 1;
  }

  /** `columns`: used when the table is empty (no row to take them from). */
  digest(columns: string[]): TableDigest {
    const cols = this.columns ?? [...columns].sort();
    const text = `guanhuai/table-digest/v1\n${this.name}\n${cols.join(',')}\n${this.rows}\n${this.sum.toString(16).padStart(64, '0')}`;
    return { name: this.name, rows: this.rows, sm3: this.crypto.sm3(text) };
  }
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Every table of a SQLite database file (opened read-only: a snapshot, or a restored copy). */
export function sqliteDigests(
  crypto: CryptoProvider,
  file: string,
): { tables: TableDigest[]; auditHead: AuditHead | null } {
  const db = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
  try {
    const names = (
      db.prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`).all() as Array<{
        name: string;
      }>
    )
      .map((r) => r.name)
      .sort();
    const tables = names.map((name) => {
      const h = new TableHasher(crypto, name);
      const stmt = db.prepare(`select * from ${quote(name)}`);
      for (const row of stmt.iterate() as Iterable<Record<string, unknown>>) h.add(row);
      return h.digest(stmt.columns().map((c) => c.name));
    });
    return { tables, auditHead: names.includes('audit_events') ? sqliteHead(db) : null };
  } finally {
    db.close();
  }
}

function sqliteHead(db: SqliteDatabase.Database): AuditHead | null {
  const row = db
    .prepare('select chain_seq, hash from audit_events where chain_seq is not null order by chain_seq desc limit 1')
    .get() as { chain_seq: number; hash: string } | undefined;
  return row ? { count: row.chain_seq, hash: row.hash } : null;
}

/** Every table of the public schema, read inside the caller's transaction (a snapshot the dump shares). */
export async function postgresDigests(
  crypto: CryptoProvider,
  client: pg.ClientBase,
): Promise<{ tables: TableDigest[]; auditHead: AuditHead | null }> {
  const { rows: nameRows } = await client.query<{ name: string }>(
    `select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
  );
  const names = nameRows.map((r) => r.name).sort();
  const tables: TableDigest[] = [];
  for (const name of names) {
    const h = new TableHasher(crypto, name);
    await client.query(`declare backup_digest no scroll cursor for select * from ${quote(name)}`);
    let columns: string[] = [];
    for (;;) {
      const res = await client.query<Record<string, unknown>>('fetch 2000 from backup_digest');
      columns = res.fields.map((f) => f.name);
      for (const row of res.rows) h.add(row);
      if (res.rows.length < 2000) break;
    }
    await client.query('close backup_digest');
    tables.push(h.digest(columns));
  }
  let auditHead: AuditHead | null = null;
  if (names.includes('audit_events')) {
    const { rows } = await client.query<{ chain_seq: number; hash: string }>(
      'select chain_seq, hash from audit_events where chain_seq is not null order by chain_seq desc limit 1',
    );
    if (rows[0]) auditHead = { count: Number(rows[0].chain_seq), hash: rows[0].hash };
  }
  return { tables, auditHead };
}

import pg from 'pg';

/**
 * `COPY <table> (<columns>) FROM STDIN` through pg's own protocol support (no extra package): a submittable
 * query that answers the server's CopyInResponse with the rows already serialized in COPY's text format.
 * One call sends one batch (a few MB); the caller keeps the batches small enough to hold in memory.
 */
class CopyFrom extends pg.Query {
  constructor(
    text: string,
    private readonly chunks: Buffer[],
    callback: (err: Error | null) => void,
  ) {
    super(text, undefined, callback as never);
  }

  handleCopyInResponse(connection: { sendCopyFromChunk(b: Buffer): void; endCopyFrom(): void }): void {
    for (const c of this.chunks) connection.sendCopyFromChunk(c);
    connection.endCopyFrom();
  }
}

/** A value in COPY's text format: `\N` for null, backslash, tab and line breaks escaped. */
function field(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  const s = typeof v === 'string' ? v : String(v);
  return /[\\\t\n\r]/.test(s) ? s.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]) : s;
}
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** Writes `rows` (objects with the same keys) into `table` with one COPY. */
export async function copyRows(client: pg.ClientBase, table: string, rows: object[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]);
  const chunks: Buffer[] = [];
  let lines: string[] = [];
  let size = 0;
  for (const row of rows) {
    const r = row as Record<string, unknown>;
    const line = columns.map((c) => field(r[c])).join('\t') + '\n';
    lines.push(line);
    size += line.length;
    if (size > 256_000) {
      chunks.push(Buffer.from(lines.join(''), 'utf8'));
      lines = [];
      size = 0;
    }
  }
  if (lines.length) chunks.push(Buffer.from(lines.join(''), 'utf8'));
  await new Promise<void>((resolve, reject) => {
    client.query(
      new CopyFrom(`copy ${table} (${columns.join(',')}) from stdin`, chunks, (err) =>
        err ? reject(err) : resolve(),
      ) as never,
    );
  });
}

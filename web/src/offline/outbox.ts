/**
 * The phone's outbox (issue #17): every phone-side write is first stored here with a UUID of its own, then
 * sent with that UUID as `Idempotency-Key`, in the order it was made. The server writes a record once however
 * often it is sent, so a send whose answer was lost is simply sent again. Pure logic over a store and a
 * sender, so it is unit-tested without a browser (test/web/outbox.test.ts); the IndexedDB store and the
 * fetch sender are in offline-db.ts and sync.ts.
 */

export const OUTBOX_KINDS = ['contact_log', 'festival_care', 'event', 'petition_risk', 'need'] as const;
export type OutboxKind = (typeof OUTBOX_KINDS)[number];

export const OUTBOX_KIND_LABELS: Record<OutboxKind, string> = {
  contact_log: '联系记录',
  festival_care: '节日慰问',
  event: '重大情况',
  petition_risk: '信访苗头',
  need: '诉求',
};

export interface OutboxError {
  status: number;
  code: string;
  /** In Chinese, for the cadre. */
  message: string;
  /** The fields the server named. */
  details?: Array<{ path: string; message: string; code?: string }>;
}

export interface OutboxEntry {
  /** The client-made UUID, sent as Idempotency-Key. */
  id: string;
  /** The order of making; sending follows it. */
  seq: number;
  /** The account that made it: never sent under another. */
  userId: string;
  kind: OutboxKind;
  /** API path under /api/v1, e.g. `/families/<id>/contact-logs`. */
  path: string;
  body: Record<string, unknown>;
  familyId: string;
  /** A line for the queue page: the family (masked) and what was done. */
  summary: string;
  createdAt: string;
  /** pending: to be sent; refused: the server said no — kept with the reason until corrected or discarded. */
  status: 'pending' | 'refused';
  attempts: number;
  /** Epoch ms before which a retry waits (backoff after failed sends). */
  nextAttemptAt: number;
  error?: OutboxError;
}

/** A stored value that is not an entry (a corrupted or foreign IndexedDB record): shown, never sent. */
export interface CorruptEntry {
  id: string;
  corrupt: true;
  raw: string;
}

export interface OutboxStore {
  /** Every stored value, as stored (validated here). */
  all(): Promise<Array<{ key: string; value: unknown }>>;
  put(entry: OutboxEntry): Promise<void>;
  remove(id: string): Promise<void>;
}

export type SendResult =
  | { kind: 'ok'; status: number; data: unknown }
  /** No connection, a timeout: try again later. */
  | { kind: 'network' }
  /** The session is gone: sign in again, then send. */
  | { kind: 'auth' }
  /** 5xx or 429: the server could not now; try again later, in order. */
  | { kind: 'retry'; status: number }
  /** 4xx: the server refused the record; it stays with the reason. */
  | { kind: 'refused'; error: OutboxError };

export type Sender = (entry: OutboxEntry) => Promise<SendResult>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Waits 2 s, 4 s, 8 s … up to 5 minutes after each failed attempt. */
export function backoffMs(attempts: number): number {
  return Math.min(300_000, 2_000 * 2 ** Math.max(0, attempts - 1));
}

/** The entry if the stored value is one, else null. */
export function asEntry(value: unknown): OutboxEntry | null {
  if (!value || typeof value !== 'object') return null;
  const e = value as Partial<OutboxEntry>;
  if (
    typeof e.id !== 'string' ||
    !UUID.test(e.id) ||
    typeof e.seq !== 'number' ||
    !Number.isFinite(e.seq) ||
    typeof e.userId !== 'string' ||
    !e.userId ||
    !OUTBOX_KINDS.includes(e.kind as OutboxKind) ||
    typeof e.path !== 'string' ||
    !e.path.startsWith('/') ||
    !e.body ||
    typeof e.body !== 'object' ||
    typeof e.familyId !== 'string' ||
    (e.status !== 'pending' && e.status !== 'refused') ||
    typeof e.attempts !== 'number' ||
    typeof e.nextAttemptAt !== 'number'
  )
    return null;
  return { summary: '', createdAt: '', ...e } as OutboxEntry;
}

/** Entries in sending order and the stored values that are not entries. */
export async function readOutbox(store: OutboxStore): Promise<{ entries: OutboxEntry[]; corrupt: CorruptEntry[] }> {
  const entries: OutboxEntry[] = [];
  const corrupt: CorruptEntry[] = [];
  for (const { key, value } of await store.all()) {
    const entry = asEntry(value);
    if (entry && entry.id === key) entries.push(entry);
    else {
      let raw: string;
      try {
        raw = JSON.stringify(value)?.slice(0, 200) ?? String(value);
      } catch {
        raw = String(value);
      }
      corrupt.push({ id: key, corrupt: true, raw });
    }
  }
  entries.sort((a, b) => a.seq - b.seq || (a.id < b.id ? -1 : 1));
  return { entries, corrupt };
}

export interface NewEntry {
  kind: OutboxKind;
  path: string;
  body: Record<string, unknown>;
  familyId: string;
  summary: string;
}

/** A new pending entry with a fresh key, ordered after everything made before. */
export function makeEntry(input: NewEntry, userId: string, now: Date, lastSeq: number, id: string): OutboxEntry {
  return {
    ...input,
    id,
    seq: Math.max(now.getTime(), lastSeq + 1),
    userId,
    createdAt: now.toISOString(),
    status: 'pending',
    attempts: 0,
    nextAttemptAt: 0,
  };
}

export interface FlushReport {
  /** Entries the server accepted (or replayed), in order, with its answer. */
  sent: Array<{ entry: OutboxEntry; data: unknown }>;
  /** Entries the server refused in this flush. */
  refused: OutboxEntry[];
  /** Why the flush stopped before the end, if it did. */
  stoppedBy: 'network' | 'auth' | 'retry' | 'backoff' | null;
  /** Entries still pending afterwards (this user's). */
  pending: number;
}

/**
 * Sends the user's pending entries in order. An accepted entry leaves the store; a refused one stays,
 * marked, and the next is sent (records do not depend on each other); a network failure, a 5xx or a lost
 * session stops the flush there so the order holds, and puts the entry on backoff. Entries of another
 * account are never sent. `force` ignores the backoff (the user pressed 立即同步, the connection came back).
 */
export async function flushOutbox(
  store: OutboxStore,
  send: Sender,
  opts: { userId: string; now: () => number; force?: boolean },
): Promise<FlushReport> {
  const report: FlushReport = { sent: [], refused: [], stoppedBy: null, pending: 0 };
  const { entries } = await readOutbox(store);
  const mine = entries.filter((e) => e.userId === opts.userId && e.status === 'pending');
  for (let i = 0; i < mine.length; i++) {
    const entry = mine[i]!;
    if (!opts.force && entry.nextAttemptAt > opts.now()) {
      report.stoppedBy = 'backoff';
      report.pending = mine.length - i;
      return report;
    }
    let result: SendResult;
    try {
      result = await send(entry);
    } catch {
      result = { kind: 'network' };
    }
    if (result.kind === 'ok') {
      await store.remove(entry.id);
      report.sent.push({ entry, data: result.data });
      continue;
    }
    if (result.kind === 'refused') {
      const refused: OutboxEntry = { ...entry, status: 'refused', attempts: entry.attempts + 1, error: result.error };
      await store.put(refused);
      report.refused.push(refused);
      continue;
    }
    const attempts = entry.attempts + 1;
    await store.put({ ...entry, attempts, nextAttemptAt: opts.now() + backoffMs(attempts) });
    report.stoppedBy = result.kind;
    report.pending = mine.length - i;
    return report;
  }
  return report;
}

/** JSON with the keys of every object sorted: two bodies that differ only in key order are the same request. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

/** Whether two bodies are the same request as the server sees it (undefined fields are not sent). */
export function sameBody(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/**
 * A refused entry of any kind put back in the queue after the cadre saw it in its form: pending again, in its
 * place (same `seq`), attempts and reason cleared. Resent unchanged it keeps its key, so any earlier attempt
 * that did get through is replayed, not written twice; with another body it is another request and gets
 * `newId` — under the old key the server would answer 409 IDEMPOTENCY_MISMATCH had the old body ever been
 * written (docs/offline.md, "Correcting a refused record").
 */
export function correctedEntry(
  entry: OutboxEntry,
  body: Record<string, unknown>,
  summary: string | undefined,
  newId: string,
): OutboxEntry {
  const { error: _reason, ...rest } = entry;
  return {
    ...rest,
    id: sameBody(entry.body, body) ? entry.id : newId,
    body,
    summary: summary ?? entry.summary,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: 0,
  };
}

/** Stores a corrected entry in place of the refused one (the old key removed once the new one is stored). */
export async function putCorrected(store: OutboxStore, old: OutboxEntry, next: OutboxEntry): Promise<void> {
  await store.put(next);
  if (next.id !== old.id) await store.remove(old.id);
}

import cluster, { type Worker } from 'node:cluster';

/**
 * The cross-process write queue of SQLite under WEB_CONCURRENCY (issue 19 item 4).
 *
 * SQLite lets one writer at a time hold a file's write lock. Two worker processes that both `BEGIN IMMEDIATE`
 * meet at that lock, and the loser waits in SQLite's busy handler, which sleeps (1, 2, 5, 10, 15, 20, 25, 25,
 * 25, 50, 50, 100 ms …) and retries — inside better-sqlite3's synchronous call, so the whole worker (its event
 * loop, its reads, its other requests) stands still for the sleep, however soon the lock came free. With two
 * workers that made SQLite writes 0.44× of one worker.
 *
 * Instead, the primary keeps one FIFO lock per database file and grants it over the cluster's IPC channel:
 * a worker asks before `BEGIN IMMEDIATE` (an await: its event loop goes on), the primary grants the lock to
 * the first in line, the worker releases it after COMMIT/ROLLBACK and the primary grants it at once to the
 * next. The file lock is free when the grant arrives, so `BEGIN IMMEDIATE` does not wait; it and busy_timeout
 * stay as the safety net for writers outside the cluster (a CLI, a backup, another process on the file).
 *
 * - One request per transaction (or per write outside a transaction); grants come back in the order asked.
 * - A worker that dies holding the lock or waiting for it is dropped from the queue on 'exit' and the lock
 *   goes to the next in line.
 * - A grant that does not come within the timeout is a clear error (`SQLITE_WRITE_LOCK_TIMEOUT`), not a hang;
 *   the request is withdrawn, and a grant that crosses the withdrawal is handed straight back.
 * - Single process (no cluster): none of this; SQLite's own lock only.
 */

/** The messages between a worker and the primary (`process.send` / cluster 'message'). */
export type WriteLockMessage =
  | { gh: 'write-lock'; op: 'acquire' | 'release' | 'cancel'; key: string; id: number }
  | { gh: 'write-lock'; op: 'grant'; key: string; id: number };

const isWriteLockMessage = (m: unknown): m is WriteLockMessage =>
  typeof m === 'object' && m !== null && (m as { gh?: unknown }).gh === 'write-lock';

/** How long a worker waits for its grant: longer than any one transaction should take with a queue ahead. */
export const WRITE_LOCK_TIMEOUT_MS = 15_000;

interface Ticket {
  owner: number;
  id: number;
}

/**
 * The primary's FIFO of one lock per key (the database file). Pure bookkeeping: every operation returns the
 * grants to send, so it is tested without processes.
 */
export class WriteLockQueue {
  private readonly locks = new Map<string, { holder: Ticket | null; waiting: Ticket[] }>();

  private lock(key: string) {
    let l = this.locks.get(key);
    if (!l) {
      l = { holder: null, waiting: [] };
      this.locks.set(key, l);
    }
    return l;
  }

  /** The ticket that now holds `key`'s lock, if it changed hands (then the caller sends it a grant). */
  private next(key: string): Array<Ticket & { key: string }> {
    const l = this.lock(key);
    if (l.holder) return [];
    const t = l.waiting.shift();
    if (!t) {
      this.locks.delete(key);
      return [];
    }
    l.holder = t;
    return [{ ...t, key }];
  }

  acquire(owner: number, key: string, id: number): Array<Ticket & { key: string }> {
    this.lock(key).waiting.push({ owner, id });
    return this.next(key);
  }

  /** Release by the holder, or withdrawal of a request still waiting (a timeout); anything else is ignored. */
  release(owner: number, key: string, id: number): Array<Ticket & { key: string }> {
    const l = this.locks.get(key);
    if (!l) return [];
    if (l.holder && l.holder.owner === owner && l.holder.id === id) l.holder = null;
    else l.waiting = l.waiting.filter((t) => !(t.owner === owner && t.id === id));
    return this.next(key);
  }

  /** A worker is gone: its held locks and its requests go; the next in line of each lock is granted. */
  ownerGone(owner: number): Array<Ticket & { key: string }> {
    const grants: Array<Ticket & { key: string }> = [];
    for (const [key, l] of [...this.locks]) {
      l.waiting = l.waiting.filter((t) => t.owner !== owner);
      if (l.holder?.owner === owner) l.holder = null;
      grants.push(...this.next(key));
    }
    return grants;
  }

  /** For tests and the shutdown log: who holds what, and how many wait. */
  state(key: string): { holder: Ticket | null; waiting: number } {
    const l = this.locks.get(key);
    return { holder: l?.holder ?? null, waiting: l?.waiting.length ?? 0 };
  }
}

/** In the primary: serves the workers' lock requests until the process ends. */
export function serveWriteLocks(): WriteLockQueue {
  const queue = new WriteLockQueue();
  const send = (grants: Array<Ticket & { key: string }>) => {
    for (const g of grants) {
      const w = cluster.workers?.[g.owner];
      const msg: WriteLockMessage = { gh: 'write-lock', op: 'grant', key: g.key, id: g.id };
      // A worker whose channel already closed is about to 'exit', which hands its lock on.
      if (w?.isConnected()) w.send(msg, undefined, undefined, () => undefined);
    }
  };
  cluster.on('message', (w: Worker, m: unknown) => {
    if (!isWriteLockMessage(m)) return;
    if (m.op === 'acquire') send(queue.acquire(w.id, m.key, m.id));
    else if (m.op === 'release' || m.op === 'cancel') send(queue.release(w.id, m.key, m.id));
  });
  // 'disconnect' comes first when a worker is killed; 'exit' covers the rest. Either frees what it held.
  cluster.on('disconnect', (w: Worker) => send(queue.ownerGone(w.id)));
  cluster.on('exit', (w: Worker) => send(queue.ownerGone(w.id)));
  return queue;
}

export class WriteLockTimeoutError extends Error {
  readonly code = 'SQLITE_WRITE_LOCK_TIMEOUT';
  constructor(key: string, ms: number) {
    super(`写锁等待超时: no write-lock grant for ${key} from the primary within ${ms} ms`);
  }
}

/** A process-wide write lock on one key: `acquire` resolves with the release. */
export interface WriteLock {
  acquire(): Promise<() => void>;
}

interface Channel {
  /** False once the IPC channel to the primary is closed (the worker is ending): SQLite's own lock only then. */
  connected(): boolean;
  send(m: WriteLockMessage): void;
  onMessage(fn: (m: unknown) => void): void;
}

const processChannel = (): Channel => ({
  connected: () => process.connected,
  // A channel that closes between the check and the send (the worker ending) must not throw or emit 'error':
  // the primary frees what this worker held at its disconnect.
  send: (m) => {
    if (process.connected) process.send?.(m, undefined, undefined, () => undefined);
  },
  onMessage: (fn) => {
    process.on('message', fn);
  },
});

let nextId = 1;
const pending = new Map<string, Map<number, (granted: boolean) => void>>();
let listening: Channel | null = null;

/**
 * In a worker: the write lock on `key`, granted by the primary. Each acquire is one request; its promise
 * resolves at the grant (or rejects with WriteLockTimeoutError).
 */
export function ipcWriteLock(
  key: string,
  timeoutMs = WRITE_LOCK_TIMEOUT_MS,
  channel: Channel = processChannel(),
): WriteLock {
  if (listening !== channel) {
    listening = channel;
    channel.onMessage((m) => {
      if (!isWriteLockMessage(m) || m.op !== 'grant') return;
      const waiter = pending.get(m.key)?.get(m.id);
      if (waiter) {
        pending.get(m.key)!.delete(m.id);
        waiter(true);
      } else {
        // A grant for a request that timed out meanwhile: hand it straight back.
        channel.send({ gh: 'write-lock', op: 'release', key: m.key, id: m.id });
      }
    });
  }
  if (!pending.has(key)) pending.set(key, new Map());
  const waiters = pending.get(key)!;
  return {
    acquire: () =>
      new Promise<() => void>((resolve, reject) => {
        if (!channel.connected()) {
          resolve(() => undefined);
          return;
        }
        const id = nextId++;
        const timer = setTimeout(() => {
          waiters.delete(id);
          channel.send({ gh: 'write-lock', op: 'cancel', key, id });
          reject(new WriteLockTimeoutError(key, timeoutMs));
        }, timeoutMs);
        waiters.set(id, () => {
          clearTimeout(timer);
          let released = false;
          resolve(() => {
            if (released) return;
            released = true;
            channel.send({ gh: 'write-lock', op: 'release', key, id });
          });
        });
        channel.send({ gh: 'write-lock', op: 'acquire', key, id });
      }),
  };
}

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from './database.js';
import { WriteLockQueue, type WriteLock } from './write-lock.js';

/**
 * The SQLite driver of a cluster worker (database.ts ImmediateSqliteDriver with a write lock): transactions
 * take the write turn and are committed in groups (one outer BEGIN IMMEDIATE … COMMIT, each transaction a
 * savepoint), each answered only once its group's COMMIT is done. Here the turns come from a WriteLockQueue in
 * this process instead of the primary; two handles on one file stand for two workers.
 */
const dirs: string[] = [];
const handles: DatabaseHandle[] = [];
afterEach(async () => {
  for (const h of handles.splice(0)) await h.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function localLock(queue = new WriteLockQueue(), owner = 1) {
  const waiters = new Map<number, () => void>();
  const stats = { granted: 0 };
  let next = 0;
  const grant = (gs: Array<{ owner: number; id: number }>) => {
    for (const g of gs) locks.get(g.owner)?.get(g.id)?.();
  };
  locks.set(owner, waiters);
  const lock: WriteLock = {
    acquire: () =>
      new Promise((resolve) => {
        const id = ++next;
        waiters.set(id, () => {
          waiters.delete(id);
          stats.granted += 1;
          resolve(() => grant(queue.release(owner, 'k', id)));
        });
        grant(queue.acquire(owner, 'k', id));
      }),
  };
  return { lock, stats, queue };
}
const locks = new Map<number, Map<number, () => void>>();

async function setup(writeLock: WriteLock) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guanhuai-group-'));
  dirs.push(dir);
  const file = path.join(dir, 'g.db');
  const plain = openDatabase(`sqlite:${file}`, { writeLock: null });
  await sql`create table t (id integer primary key, who text not null unique)`.execute(plain.db);
  await plain.close();
  const handle = openDatabase(`sqlite:${file}`, { writeLock });
  handles.push(handle);
  const other = new SqliteDatabase(file, { readonly: true });
  const committed = (who: string) =>
    other.prepare('select count(*) as n from t where who = ?').get(who) as { n: number };
  return { file, handle, committed, close: () => other.close() };
}

const insert = (h: DatabaseHandle, who: string) =>
  h.db.transaction().execute(async (trx) => {
    await sql`insert into t (who) values (${who})`.execute(trx);
    return (await sql<{ n: number }>`select count(*) as n from t`.execute(trx)).rows[0].n;
  });

describe('group commit of a cluster worker (SQLite)', () => {
  it('concurrent transactions share commits, and each is answered only once committed', async () => {
    const { lock, stats } = localLock();
    const { handle, committed, close } = await setup(lock);
    const seen: number[] = [];
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => insert(handle, `w${i}`).then(() => seen.push(committed(`w${i}`).n))),
    );
    close();
    expect(seen).toEqual(Array(20).fill(1)); // visible to another connection when answered: committed
    expect(stats.granted).toBeLessThan(20);
    const n = await sql<{ n: number }>`select count(*) as n from t`.execute(handle.db);
    expect(n.rows[0].n).toBe(20);
  });

  it('a transaction that fails is rolled back alone; the others of its group are kept', async () => {
    const { lock } = localLock();
    const { handle, close } = await setup(lock);
    const results = await Promise.allSettled([
      insert(handle, 'a'),
      handle.db.transaction().execute(async (trx) => {
        await sql`insert into t (who) values ('bad')`.execute(trx);
        throw new Error('boom');
      }),
      insert(handle, 'a'), // the unique constraint: fails in SQLite, rolled back alone
      insert(handle, 'b'),
    ]);
    close();
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    const rows = await sql<{ who: string }>`select who from t order by id`.execute(handle.db);
    expect(rows.rows.map((r) => r.who)).toEqual(['a', 'b']);
  });

  it('a write outside a transaction commits the open group first and takes its own turn', async () => {
    const { lock } = localLock();
    const { handle, committed, close } = await setup(lock);
    const tx = insert(handle, 'in-tx');
    const auto = sql`insert into t (who) values ('auto')`.execute(handle.db);
    await Promise.all([tx, auto]);
    expect(committed('in-tx').n).toBe(1);
    expect(committed('auto').n).toBe(1);
    close();
  });

  it('while a transaction waits for the turn, this worker’s reads go on', async () => {
    const { lock, queue } = localLock();
    const { handle, close } = await setup(lock);
    const release = await lock.acquire(); // another worker holds the turn
    let done = false;
    const tx = insert(handle, 'late').then(() => (done = true));
    const read = await sql<{ n: number }>`select count(*) as n from t`.execute(handle.db);
    expect(read.rows[0].n).toBe(0);
    expect(done).toBe(false);
    expect(queue.state('k').waiting).toBe(1);
    release();
    await tx;
    close();
  });

  it('two workers on one file take turns: every write lands, none busy', async () => {
    const queue = new WriteLockQueue();
    const a = localLock(queue, 1);
    const { file, handle, close } = await setup(a.lock);
    close();
    const b = openDatabase(`sqlite:${file}`, { writeLock: localLock(queue, 2).lock });
    handles.push(b);
    await Promise.all(Array.from({ length: 40 }, (_, i) => insert(i % 2 ? handle : b, `x${i}`)));
    const n = await sql<{ n: number }>`select count(*) as n from t`.execute(b.db);
    expect(n.rows[0].n).toBe(40);
  });
});

/**
 * A two-worker cluster on one SQLite file for test/integration/write-lock.test.ts: the primary serves the write
 * turns (serveWriteLocks, as runPrimary does); the "holder" worker opens a transaction, writes and stops there
 * holding the turn; the "writer" worker, once told, writes `count` rows each in its own transaction. Every
 * event is a JSON line on stdout.
 */
import cluster from 'node:cluster';
import { sql } from 'kysely';
import { openDatabase } from '../../server/platform/db/database.js';
import { serveWriteLocks } from '../../server/platform/db/write-lock.js';

const url = `sqlite:${process.argv[2]}`;
const say = (event: object) => process.stdout.write(JSON.stringify(event) + '\n');

if (cluster.isPrimary) {
  serveWriteLocks();
  const setup = openDatabase(url);
  await sql`create table if not exists t (id integer primary key, who text not null)`.execute(setup.db);
  await setup.close();
  const holder = cluster.fork({ ROLE: 'holder' });
  const writer = cluster.fork({ ROLE: 'writer' });
  for (const w of [holder, writer])
    w.on('message', (m: { event?: string }) => m.event && say({ ...m, pid: w.process.pid }));
  holder.on('exit', (code, signal) => say({ event: 'holder exited', signal }));
  // The test writes `write N` on stdin once the holder is holding (and killed, or not).
  process.stdin.on('data', (d) => {
    const [cmd, n] = String(d).trim().split(' ');
    if (cmd === 'write') writer.send({ count: Number(n) });
  });
} else {
  const { db } = openDatabase(url);
  if (process.env.ROLE === 'holder') {
    await db.transaction().execute(async (trx) => {
      await sql`insert into t (who) values ('holder')`.execute(trx);
      process.send!({ event: 'holding' });
      await new Promise(() => undefined); // never commits: holds the turn until killed
    });
  } else {
    process.send!({ event: 'ready' });
    process.on('message', async (m: { count?: number }) => {
      if (typeof m.count !== 'number') return; // the primary's write-lock grants come this way too
      const started = Date.now();
      try {
        for (let i = 0; i < m.count; i += 1)
          await db.transaction().execute((trx) => sql`insert into t (who) values ('writer')`.execute(trx));
        process.send!({ event: 'written', count: m.count, ms: Date.now() - started });
      } catch (err) {
        process.send!({ event: 'failed', message: (err as Error).message, ms: Date.now() - started });
      }
    });
  }
}

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * SQLite's cross-process write queue (server/platform/db/write-lock.ts) with real processes: a worker killed
 * with kill -9 while it holds the write turn does not block the others — the primary hands the turn on at the
 * worker's exit and the other worker's writes go through at once (not after the 15 s grant timeout). SQLite
 * only; PostgreSQL has no such queue.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guanhuai-write-lock-'));
const file = path.join(dir, 'lock.db');
let child: ChildProcess | undefined;

afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(process.env.TEST_DIALECT === 'postgres')('SQLite write turns across worker processes', () => {
  it('a worker killed -9 while holding the turn: the other worker’s writes go through at once', async () => {
    child = spawn(process.execPath, ['--import', 'tsx', 'test/support/write-lock-cluster.ts', file], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const events: Array<{ event: string; pid?: number; ms?: number; count?: number; message?: string }> = [];
    let buf = '';
    child.stdout!.on('data', (d) => {
      buf += String(d);
      const lines = buf.split('\n');
      buf = lines.pop()!;
      for (const l of lines) if (l.trim()) events.push(JSON.parse(l) as (typeof events)[number]);
    });
    const until = async (what: string, ms = 30_000) => {
      const end = Date.now() + ms;
      while (Date.now() < end) {
        const e = events.find((x) => x.event === what);
        if (e) return e;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`no "${what}" in ${JSON.stringify(events)}`);
    };
    const holding = await until('holding');
    await until('ready');

    // While the holder holds the turn, the writer waits (it neither fails nor writes).
    child.stdin!.write('write 20\n');
    await new Promise((r) => setTimeout(r, 1_000));
    expect(events.find((e) => e.event === 'written' || e.event === 'failed')).toBeUndefined();

    process.kill(holding.pid!, 'SIGKILL');
    await until('holder exited');
    const done = await until('written', 10_000).catch(async () => until('failed'));
    expect(done.event, JSON.stringify(done)).toBe('written');
    expect(done.count).toBe(20);
    // Released at the holder's exit: well within busy_timeout (5 s) and the grant timeout (15 s).
    expect(done.ms!).toBeLessThan(1_000 + 4_000);

    // Twenty more with nobody in the way: no waiting left over.
    events.length = 0;
    child.stdin!.write('write 20\n');
    const again = await until('written', 10_000);
    expect(again.ms!).toBeLessThan(3_000);
    child.kill('SIGTERM');

    const db = new SqliteDatabase(file, { readonly: true });
    try {
      const rows = db.prepare('select who, count(*) as n from t group by who').all();
      // The holder's uncommitted row died with it; every acknowledged write is there.
      expect(rows).toEqual([{ who: 'writer', n: 40 }]);
    } finally {
      db.close();
    }
  }, 60_000);
});

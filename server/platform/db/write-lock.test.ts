import { describe, expect, it } from 'vitest';
import { ipcWriteLock, WriteLockQueue, WriteLockTimeoutError, type WriteLockMessage } from './write-lock.js';

const K = '/data/guanhuai.db';

describe('WriteLockQueue (the primary)', () => {
  it('grants one at a time, first come first served, and hands over at release', () => {
    const q = new WriteLockQueue();
    expect(q.acquire(1, K, 10)).toEqual([{ owner: 1, id: 10, key: K }]);
    expect(q.acquire(2, K, 20)).toEqual([]);
    expect(q.acquire(1, K, 11)).toEqual([]);
    expect(q.state(K)).toEqual({ holder: { owner: 1, id: 10 }, waiting: 2 });
    expect(q.release(1, K, 10)).toEqual([{ owner: 2, id: 20, key: K }]);
    expect(q.release(2, K, 20)).toEqual([{ owner: 1, id: 11, key: K }]);
    expect(q.release(1, K, 11)).toEqual([]);
    expect(q.state(K)).toEqual({ holder: null, waiting: 0 });
  });

  it('keeps one queue per database file', () => {
    const q = new WriteLockQueue();
    expect(q.acquire(1, K, 1)).toHaveLength(1);
    expect(q.acquire(2, '/other.db', 1)).toEqual([{ owner: 2, id: 1, key: '/other.db' }]);
  });

  it('ignores a release by someone not holding the lock, and withdraws a waiting request', () => {
    const q = new WriteLockQueue();
    q.acquire(1, K, 1);
    q.acquire(2, K, 2);
    q.acquire(3, K, 3);
    expect(q.release(2, K, 99)).toEqual([]);
    expect(q.state(K).holder).toEqual({ owner: 1, id: 1 });
    expect(q.release(2, K, 2)).toEqual([]); // withdrawn (a timeout) while waiting
    expect(q.release(1, K, 1)).toEqual([{ owner: 3, id: 3, key: K }]);
  });

  it('a worker gone while holding the lock: the next in line gets it; its waiting requests go too', () => {
    const q = new WriteLockQueue();
    q.acquire(1, K, 1);
    q.acquire(2, K, 2);
    q.acquire(1, K, 3);
    q.acquire(3, K, 4);
    expect(q.ownerGone(1)).toEqual([{ owner: 2, id: 2, key: K }]);
    expect(q.release(2, K, 2)).toEqual([{ owner: 3, id: 4, key: K }]);
    expect(q.ownerGone(1)).toEqual([]); // 'disconnect' then 'exit': the second changes nothing
  });
});

describe('ipcWriteLock (a worker)', () => {
  const channel = () => {
    const sent: WriteLockMessage[] = [];
    let deliver: (m: unknown) => void = () => undefined;
    return {
      sent,
      grant: (id: number) => deliver({ gh: 'write-lock', op: 'grant', key: K, id }),
      connected: () => true,
      send: (m: WriteLockMessage) => sent.push(m),
      onMessage: (fn: (m: unknown) => void) => (deliver = fn),
    };
  };

  it('asks once per acquire, resolves at the grant, releases once', async () => {
    const c = channel();
    const lock = ipcWriteLock(K, 1_000, c);
    const first = lock.acquire();
    const second = lock.acquire();
    expect(c.sent.map((m) => m.op)).toEqual(['acquire', 'acquire']);
    const [a, b] = [c.sent[0].id, c.sent[1].id];
    c.grant(a);
    const release = await first;
    release();
    release();
    expect(c.sent.slice(2)).toEqual([{ gh: 'write-lock', op: 'release', key: K, id: a }]);
    c.grant(b);
    (await second)();
    expect(c.sent.at(-1)).toEqual({ gh: 'write-lock', op: 'release', key: K, id: b });
  });

  it('no grant in time: a clear error and the request withdrawn; a late grant is handed straight back', async () => {
    const c = channel();
    const lock = ipcWriteLock(K, 50, c);
    const err = await lock.acquire().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WriteLockTimeoutError);
    expect((err as WriteLockTimeoutError).code).toBe('SQLITE_WRITE_LOCK_TIMEOUT');
    const id = c.sent[0].id;
    expect(c.sent[1]).toEqual({ gh: 'write-lock', op: 'cancel', key: K, id });
    c.grant(id);
    expect(c.sent[2]).toEqual({ gh: 'write-lock', op: 'release', key: K, id });
  });

  it('with the channel to the primary closed (the worker ending): no wait, SQLite’s own lock only', async () => {
    const c = { ...channel(), connected: () => false };
    const release = await ipcWriteLock(K, 1_000, c).acquire();
    release();
    expect(c.sent).toEqual([]);
  });
});

/**
 * The phone's outbox (web/src/offline/outbox.ts, issue #17): order, exactly-once bookkeeping, refusals kept
 * with their reason, stops on no signal / lost session / 5xx with backoff, other accounts' entries never sent,
 * corrupted stored values shown and never sent.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  asEntry,
  backoffMs,
  flushOutbox,
  makeEntry,
  readOutbox,
  type OutboxEntry,
  type OutboxStore,
  type SendResult,
} from '../../web/src/offline/outbox.js';

function memoryStore(initial: Array<[string, unknown]> = []) {
  const map = new Map<string, unknown>(initial);
  const store: OutboxStore = {
    all: async () => [...map.entries()].map(([key, value]) => ({ key, value: structuredClone(value) })),
    put: async (e) => void map.set(e.id, structuredClone(e)),
    remove: async (id) => void map.delete(id),
  };
  return { store, map };
}

let clock = Date.parse('2026-11-28T02:00:00Z');
const now = () => clock;

function entry(userId: string, seq: number, over: Partial<OutboxEntry> = {}): OutboxEntry {
  return {
    ...makeEntry(
      {
        kind: 'contact_log',
        path: '/families/f1/contact-logs',
        body: { contactId: 'c1', mode: 'home_visit', occurredAt: new Date(clock).toISOString(), n: seq },
        familyId: 'f1',
        summary: `visit ${seq}`,
      },
      userId,
      new Date(clock),
      0,
      randomUUID(),
    ),
    seq,
    ...over,
  };
}

/** A fake server: answers by a script per call, records what it was sent. */
function sender(script: Array<SendResult | ((e: OutboxEntry) => SendResult)>) {
  const sent: OutboxEntry[] = [];
  const send = async (e: OutboxEntry): Promise<SendResult> => {
    sent.push(e);
    const step = script.length > 1 ? script.shift()! : script[0]!;
    return typeof step === 'function' ? step(e) : step;
  };
  return { send, sent };
}
const ok: SendResult = { kind: 'ok', status: 201, data: { id: 'x' } };

describe('the outbox', () => {
  it('sends in the order of making, removes what was accepted and reports the answers', async () => {
    const { store, map } = memoryStore();
    const [a, b, c] = [entry('u1', 3), entry('u1', 1), entry('u1', 2)];
    for (const e of [a, b, c]) await store.put(e);
    const { send, sent } = sender([(e) => ({ kind: 'ok', status: 201, data: { n: e.body.n } })]);
    const report = await flushOutbox(store, send, { userId: 'u1', now });
    expect(sent.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(report.sent.map((s) => s.data)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(report.stoppedBy).toBeNull();
    expect(map.size).toBe(0);
  });

  it('keeps the same key for every attempt of a record, so the server writes it once', async () => {
    const { store } = memoryStore();
    const e = entry('u1', 1);
    await store.put(e);
    const { send, sent } = sender([{ kind: 'network' }, ok]);
    await flushOutbox(store, send, { userId: 'u1', now });
    await flushOutbox(store, send, { userId: 'u1', now, force: true });
    expect(sent.map((s) => s.id)).toEqual([e.id, e.id]);
    expect((await readOutbox(store)).entries).toEqual([]);
  });

  it('keeps a refused record with its Chinese reason and goes on with the next', async () => {
    const { store } = memoryStore();
    const [a, b] = [entry('u1', 1), entry('u1', 2)];
    await store.put(a);
    await store.put(b);
    const reason = { status: 400, code: 'VALIDATION_FAILED', message: '该家庭已退出档案，不能再登记联系记录' };
    const { send } = sender([{ kind: 'refused', error: reason }, ok]);
    const report = await flushOutbox(store, send, { userId: 'u1', now });
    expect(report.refused.map((r) => r.id)).toEqual([a.id]);
    expect(report.sent.map((s) => s.entry.id)).toEqual([b.id]);
    const left = (await readOutbox(store)).entries;
    expect(left).toHaveLength(1);
    expect(left[0]).toMatchObject({ id: a.id, status: 'refused', error: reason });
    // A refused record is not sent again by itself: it waits to be corrected or discarded.
    const again = sender([ok]);
    await flushOutbox(store, again.send, { userId: 'u1', now, force: true });
    expect(again.sent).toEqual([]);
  });

  it('stops at no signal, a lost session or a 5xx, keeping the order, with a growing backoff', async () => {
    for (const failure of [{ kind: 'network' }, { kind: 'auth' }, { kind: 'retry', status: 503 }] as SendResult[]) {
      const { store } = memoryStore();
      const [a, b] = [entry('u1', 1), entry('u1', 2)];
      await store.put(a);
      await store.put(b);
      const { send, sent } = sender([failure]);
      const report = await flushOutbox(store, send, { userId: 'u1', now });
      expect(report.stoppedBy).toBe(failure.kind);
      expect(report.pending).toBe(2);
      expect(sent.map((e) => e.id)).toEqual([a.id]);
      const [first] = (await readOutbox(store)).entries;
      expect(first).toMatchObject({ id: a.id, status: 'pending', attempts: 1, nextAttemptAt: clock + backoffMs(1) });
      // Before the backoff has passed nothing is sent (unless forced); after it, the same record first.
      const waiting = sender([ok]);
      expect((await flushOutbox(store, waiting.send, { userId: 'u1', now })).stoppedBy).toBe('backoff');
      expect(waiting.sent).toEqual([]);
      clock += backoffMs(1);
      const later = sender([ok]);
      await flushOutbox(store, later.send, { userId: 'u1', now });
      expect(later.sent.map((e) => e.id)).toEqual([a.id, b.id]);
    }
    expect(backoffMs(1)).toBe(2_000);
    expect(backoffMs(2)).toBe(4_000);
    expect(backoffMs(20)).toBe(300_000);
  });

  it("never sends another account's records", async () => {
    const { store, map } = memoryStore();
    const theirs = entry('u2', 1);
    const mine = entry('u1', 2);
    await store.put(theirs);
    await store.put(mine);
    const { send, sent } = sender([ok]);
    await flushOutbox(store, send, { userId: 'u1', now });
    expect(sent.map((e) => e.id)).toEqual([mine.id]);
    expect(map.has(theirs.id)).toBe(true);
  });

  it('shows a corrupted stored value as such and never sends it', async () => {
    const good = entry('u1', 1);
    const { store } = memoryStore([
      ['broken-1', { id: 'broken-1', kind: 'contact_log' }],
      ['broken-2', 'not an object'],
      [randomUUID(), { ...entry('u1', 5), path: 'http://elsewhere.example/x' }],
      [good.id, good],
    ]);
    const { entries, corrupt } = await readOutbox(store);
    expect(entries.map((e) => e.id)).toEqual([good.id]);
    expect(corrupt.map((c) => c.id).sort()).toHaveLength(3);
    const { send, sent } = sender([ok]);
    await flushOutbox(store, send, { userId: 'u1', now });
    expect(sent.map((e) => e.id)).toEqual([good.id]);
    // A value stored under another key than its id is not trusted either.
    expect(asEntry({ ...good, id: 'x' })).toBeNull();
  });

  it('orders a new record after everything made before, even with a clock set back', () => {
    const made = makeEntry(
      { kind: 'need', path: '/needs', body: { familyId: 'f1' }, familyId: 'f1', summary: '诉求' },
      'u1',
      new Date(Date.parse('2020-01-01T00:00:00Z')),
      clock,
      randomUUID(),
    );
    expect(made.seq).toBe(clock + 1);
    expect(made).toMatchObject({ status: 'pending', attempts: 0, nextAttemptAt: 0, userId: 'u1' });
  });
});

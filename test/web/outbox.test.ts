/**
 * The phone's outbox (web/src/offline/outbox.ts, issue #17): order, exactly-once bookkeeping, refusals kept
 * with their reason, stops on no signal / lost session / 5xx with backoff, other accounts' entries never sent,
 * corrupted stored values shown and never sent; a refused record of any of the five kinds corrected in place
 * (the same key when resent unchanged, a new one when its body changed).
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  asEntry,
  backoffMs,
  canonicalJson,
  correctedEntry,
  flushOutbox,
  makeEntry,
  putCorrected,
  type OutboxKind,
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

/** One refused record of each kind, as its form queues it, and the field its correction changes. */
const KINDS: Array<{ kind: OutboxKind; path: string; body: Record<string, unknown>; fix: Record<string, unknown> }> = [
  {
    kind: 'contact_log',
    path: '/families/f1/contact-logs',
    body: { contactId: 'c1', mode: 'home_visit', direction: 'outreach', occurredAt: '2026-11-28T10:20:00.000Z' },
    fix: { occurredAt: '2026-11-28T09:20:00.000Z' },
  },
  {
    kind: 'festival_care',
    path: '/families/f1/festival-care',
    body: { year: 2026, festival: 'mid_autumn', manner: 'money', amount: null, caredOn: '2026-11-27', note: null },
    fix: { amount: 300 },
  },
  {
    kind: 'event',
    path: '/families/f1/events',
    body: { kind: 'illness', affectedRelation: 'father', occurredAt: '2026-11-28T10:00:00.000Z', description: null },
    fix: { occurredAt: '2026-11-28T08:00:00.000Z' },
  },
  {
    kind: 'petition_risk',
    path: '/families/f1/petition-risks',
    body: {
      targetLevel: 'county',
      scope: 'individual',
      riskLevel: 'yellow',
      signals: '多次提到要去县里',
      reviewDate: null,
    },
    fix: { reviewDate: '2026-12-10' },
  },
  {
    kind: 'need',
    path: '/needs',
    body: {
      familyId: 'f1',
      category: 'medical',
      department: 'health',
      description: '住院报销',
      deadline: '2026-11-27',
    },
    fix: { deadline: '2026-12-12' },
  },
];

const refusal = { status: 400, code: 'VALIDATION_FAILED', message: '办理期限不能早于今天' };

/** A store holding one refused record of `kind` (seq 1) and a pending one behind it (seq 2). */
async function refusedOf(k: (typeof KINDS)[number]) {
  const { store, map } = memoryStore();
  const made = makeEntry(
    { kind: k.kind, path: k.path, body: k.body, familyId: 'f1', summary: k.kind },
    'u1',
    new Date(clock),
    0,
    randomUUID(),
  );
  const refused: OutboxEntry = { ...made, seq: 1, status: 'refused', attempts: 1, error: refusal };
  const behind = entry('u1', 2);
  await store.put(refused);
  await store.put(behind);
  return { store, map, refused, behind };
}

describe('correcting a refused record, of every kind', () => {
  it.each(KINDS)('$kind: resent unchanged keeps its key, in its place, without the reason', async (k) => {
    const { store, map, refused, behind } = await refusedOf(k);
    // The form gives the same fields back, in its own key order: the same request.
    const reordered = Object.fromEntries(Object.entries(k.body).reverse());
    const next = correctedEntry(refused, reordered, undefined, randomUUID());
    expect(next).toMatchObject({ id: refused.id, seq: 1, status: 'pending', attempts: 0, nextAttemptAt: 0 });
    expect(next.error).toBeUndefined();
    expect(next.summary).toBe(refused.summary);
    await putCorrected(store, refused, next);
    expect([...map.keys()].sort()).toEqual([refused.id, behind.id].sort());
    const { send, sent } = sender([ok]);
    await flushOutbox(store, send, { userId: 'u1', now });
    expect(sent.map((e) => e.id)).toEqual([refused.id, behind.id]);
    expect(canonicalJson(sent[0]!.body)).toBe(canonicalJson(k.body));
    expect(map.size).toBe(0);
  });

  it.each(KINDS)('$kind: a changed body is another request, under a new key, still first in line', async (k) => {
    const { store, map, refused, behind } = await refusedOf(k);
    const newKey = randomUUID();
    const body = { ...k.body, ...k.fix };
    const next = correctedEntry(refused, body, `${k.kind} (corrected)`, newKey);
    expect(next).toMatchObject({ id: newKey, seq: 1, status: 'pending', attempts: 0, kind: k.kind, path: k.path });
    expect(next.error).toBeUndefined();
    await putCorrected(store, refused, next);
    // The refused key is gone: the old body is never sent again.
    expect(map.has(refused.id)).toBe(false);
    expect((await readOutbox(store)).entries.map((e) => [e.id, e.summary])).toEqual([
      [newKey, `${k.kind} (corrected)`],
      [behind.id, behind.summary],
    ]);
    const { send, sent } = sender([ok]);
    await flushOutbox(store, send, { userId: 'u1', now });
    expect(sent.map((e) => e.id)).toEqual([newKey, behind.id]);
    expect(sent[0]!.body).toEqual(body);
  });

  it('a correction refused again stays with the new reason, its key kept for the next try', async () => {
    const k = KINDS[4]!;
    const { store, refused } = await refusedOf(k);
    const next = correctedEntry(refused, { ...k.body, deadline: '2026-11-26' }, undefined, randomUUID());
    await putCorrected(store, refused, next);
    const again = { ...refusal, message: '办理期限不能早于今天（再次）' };
    const { send } = sender([{ kind: 'refused', error: again }, ok]);
    await flushOutbox(store, send, { userId: 'u1', now });
    const [first] = (await readOutbox(store)).entries;
    expect(first).toMatchObject({ id: next.id, status: 'refused', error: again });
    // Unchanged a second time: the same key again.
    expect(correctedEntry(first!, first!.body, undefined, randomUUID()).id).toBe(next.id);
  });

  it('compares bodies as the server does: key order at every depth does not matter, values do', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { y: 1, x: 0 }], c: null } })).toBe(
      canonicalJson({ a: { c: null, d: [2, { x: 0, y: 1 }] }, b: 1 }),
    );
    expect(canonicalJson({ a: [1, 2] })).not.toBe(canonicalJson({ a: [2, 1] }));
    // An undefined field is not sent, like one left out; null is a value.
    expect(canonicalJson({ a: 1, b: undefined })).toBe(canonicalJson({ a: 1 }));
    expect(canonicalJson({ a: 1, b: null })).not.toBe(canonicalJson({ a: 1 }));
  });
});

import { randomUUID } from 'node:crypto';
import {
  flushOutbox,
  makeEntry,
  type OutboxEntry,
  type OutboxStore,
  type SendResult,
} from '../../web/src/offline/outbox.js';
import type { BenchSession } from './subjects.js';

/** How many records a day's field work queues on one phone (issue #17). */
export const SYNC_BATCH = 50;
/** The scenario's logs carry this note, so they are counted apart from the load test's late commits. */
export const SYNC_NOTE = '离线登记，基准测试';

export interface SyncResult {
  /** The phone's outbox flushing 50 queued logs, each sent with its Idempotency-Key and acknowledged. */
  queuedMs: number;
  /** The same 50 sent online one by one, without keys (what the form did before the outbox). */
  onlineMs: number;
  /** The 50 sent again with the same keys (a phone that lost every answer): all replayed, nothing written. */
  replayMs: number;
  acknowledged: number;
  replayed: number;
  /** Logs the server holds afterwards: 4 × 50 (two rounds, queued and online) when each was written once. */
  stored: number;
}

function memoryStore(): OutboxStore & { size(): number } {
  const map = new Map<string, OutboxEntry>();
  return {
    all: async () => [...map.values()].map((value) => ({ key: value.id, value })),
    put: async (e) => void map.set(e.id, e),
    remove: async (id) => void map.delete(id),
    size: () => map.size,
  };
}

/**
 * The sync scenario of issue #17 on a listening server: the phone's own outbox code (web/src/offline/outbox.ts)
 * over an in-memory store and `fetch`, sending in order and waiting for each answer as the phone does.
 */
export async function measureSync(
  appUrl: string,
  session: BenchSession,
  loggable: Array<{ familyId: string; contactId: string }>,
  now: Date,
  countStored: () => Promise<number>,
): Promise<SyncResult> {
  const headers = {
    'content-type': 'application/json',
    cookie: session.cookie,
    'x-csrf-token': session.csrfToken,
  };
  const before = await countStored();
  const items = Array.from({ length: SYNC_BATCH }, (_, i) => {
    const { familyId, contactId } = loggable[i % loggable.length];
    return {
      path: `/families/${familyId}/contact-logs`,
      familyId,
      body: {
        contactId,
        mode: i % 2 === 0 ? 'home_visit' : 'phone',
        // Logged through the day, offline: hours before the sync.
        occurredAt: new Date(now.getTime() - (6 * 3_600 - i * 300) * 1_000).toISOString(),
        health: '身体尚可，按时服药',
        mentalState: 'stable',
        notes: SYNC_NOTE,
      },
    };
  });
  let replayed = 0;
  const send = async (e: OutboxEntry): Promise<SendResult> => {
    const res = await fetch(`${appUrl}/api/v1${e.path}`, {
      method: 'POST',
      headers: { ...headers, 'idempotency-key': e.id },
      body: JSON.stringify(e.body),
    });
    const data = (await res.json()) as { data?: unknown; error?: { code: string; message: string } };
    if (res.headers.get('idempotent-replayed') === 'true') replayed += 1;
    if (res.ok) return { kind: 'ok', status: res.status, data: data.data };
    if (res.status >= 500) return { kind: 'retry', status: res.status };
    return {
      kind: 'refused',
      error: { status: res.status, code: data.error?.code ?? '', message: data.error?.message ?? '' },
    };
  };

  const store = memoryStore();
  const online = async () => {
    const t = performance.now();
    for (const it of items) {
      const res = await fetch(`${appUrl}/api/v1${it.path}`, { method: 'POST', headers, body: JSON.stringify(it.body) });
      await res.arrayBuffer();
      if (res.status !== 201) throw new Error(`sync: online send answered ${res.status}`);
    }
    return performance.now() - t;
  };
  const queued = async () => {
    const entries = items.map((it, i) =>
      makeEntry({ kind: 'contact_log', summary: '', ...it }, session.userId, now, i, randomUUID()),
    );
    for (const e of entries) await store.put(e);
    const t = performance.now();
    const report = await flushOutbox(store, send, { userId: session.userId, now: Date.now });
    const ms = performance.now() - t;
    if (report.sent.length !== SYNC_BATCH || store.size() !== 0)
      throw new Error(`sync: ${report.sent.length} of ${SYNC_BATCH} acknowledged, ${report.refused.length} refused`);
    return { ms, entries, acknowledged: report.sent.length };
  };
  // Interleaved, twice, so the machine's drift hits both alike; the faster of each is kept.
  const onlineRuns: number[] = [];
  const queuedRuns: Array<Awaited<ReturnType<typeof queued>>> = [];
  for (let round = 0; round < 2; round += 1) {
    queuedRuns.push(await queued());
    onlineRuns.push(await online());
  }
  const onlineMs = Math.min(...onlineRuns);
  const best = queuedRuns.reduce((a, b) => (b.ms < a.ms ? b : a));
  const queuedMs = best.ms;

  // Every answer lost: the phone sends the last batch again with the same keys.
  for (const e of queuedRuns.at(-1)!.entries) await store.put(e);
  replayed = 0;
  const t = performance.now();
  await flushOutbox(store, send, { userId: session.userId, now: Date.now });
  const replayMs = performance.now() - t;

  return {
    queuedMs,
    onlineMs,
    replayMs,
    acknowledged: best.acknowledged,
    replayed,
    // Two rounds of 50 queued and 50 online: 200 when every log was written exactly once.
    stored: (await countStored()) - before,
  };
}

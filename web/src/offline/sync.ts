/**
 * Field use without signal (issue #17), the running part: whose data the phone holds, the outbox's sending
 * (at app start, on the `online` event, every 15 s while records wait — each record on its own backoff; no
 * Background Sync API, which iOS Safari lacks), the offline copy refreshed after each sync, and the state the
 * badge and the 待同步 page show. The queue lives in IndexedDB, so it survives closing the app.
 */
import { useSyncExternalStore } from 'react';
import type { OfflinePack } from '../../../common/schemas/offline';
import type { SessionUser } from '../api/auth';
import { ApiError, errorMessage, request, type Envelope } from '../api/client';
import {
  clearOfflineData,
  idbOutboxStore,
  isOfflineStoreAvailable,
  readMeta,
  readOwner,
  readPackMeta,
  writeMeta,
  writeOwner,
  writePack,
} from './offline-db';
import {
  correctedEntry,
  flushOutbox,
  makeEntry,
  putCorrected,
  readOutbox,
  type FlushReport,
  type NewEntry,
  type OutboxEntry,
  type SendResult,
} from './outbox';

/** Roles that log visits, hence keep an offline copy (`GET /offline-pack` answers them). */
export const OFFLINE_ROLES: readonly string[] = ['contact', 'village_staff', 'township_staff'];
const RETRY_EVERY_MS = 15_000;

export interface SyncState {
  online: boolean;
  /** The session comes from this phone's copy: the server has not been reached since the app opened. */
  offlineSession: boolean;
  pending: number;
  refused: number;
  corrupt: number;
  syncing: boolean;
  /** When the offline copy was last refreshed from the server. */
  lastSyncAt: string | null;
  /** The session ended while records wait: sign in again, then they are sent. */
  needsLogin: boolean;
  /** A new version of the app is installed and waits for a reload. */
  updateReady: boolean;
}

let state: SyncState = {
  online: typeof navigator === 'undefined' ? true : navigator.onLine,
  offlineSession: false,
  pending: 0,
  refused: 0,
  corrupt: 0,
  syncing: false,
  lastSyncAt: null,
  needsLogin: false,
  updateReady: false,
};
const listeners = new Set<() => void>();

function set(patch: Partial<SyncState>): void {
  state = { ...state, ...patch };
  for (const l of listeners) l();
}

export function getSyncState(): SyncState {
  return state;
}

export function useSyncState(): SyncState {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => state,
  );
}

export function markUpdateReady(): void {
  set({ updateReady: true });
}

interface Hooks {
  /** After records were sent: refresh what shows them (todos, logs, compliance). */
  onSent?: () => void;
  /** The connection came back while the session was this phone's copy: ask the server again. */
  revalidateSession?: () => void;
}
let hooks: Hooks = {};
export function configureSync(h: Hooks): void {
  hooks = h;
}

let userId: string | null = null;
let userRole: string | null = null;
let lock: Promise<unknown> = Promise.resolve();

/** One flush or submission at a time: the order of sending is the order of making. */
function exclusive<T>(fn: () => Promise<T>): Promise<T> {
  const run = lock.then(fn, fn);
  lock = run.catch(() => undefined);
  return run;
}

export async function recount(): Promise<void> {
  if (!isOfflineStoreAvailable()) return;
  try {
    const { entries, corrupt } = await readOutbox(idbOutboxStore);
    const mine = entries.filter((e) => e.userId === userId);
    set({
      pending: mine.filter((e) => e.status === 'pending').length,
      refused: mine.filter((e) => e.status === 'refused').length,
      corrupt: corrupt.length,
    });
  } catch {
    // IndexedDB unavailable (private mode in some browsers): nothing to count.
  }
}

/** The stored values of the outbox, for the 待同步 page. */
export function outboxContents() {
  return readOutbox(idbOutboxStore);
}

function uuid(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

async function sendEntry(entry: OutboxEntry): Promise<SendResult> {
  try {
    const answer = await request<Envelope<unknown>>('POST', entry.path, {
      body: entry.body,
      headers: { 'Idempotency-Key': entry.id },
    });
    return { kind: 'ok', status: 201, data: answer.data };
  } catch (err) {
    if (!(err instanceof ApiError)) return { kind: 'network' };
    if (err.code === 'NETWORK_ERROR' || err.status === 0) return { kind: 'network' };
    if (err.status === 401 || err.code === 'CSRF_REJECTED') return { kind: 'auth' };
    if (err.status >= 500 || err.status === 429 || err.code === 'BAD_RESPONSE')
      return { kind: 'retry', status: err.status };
    // A family the contact no longer reaches (exited, another contact assigned) answers 404 like any other
    // family out of reach: say what that means for a record made offline.
    const message =
      err.code === 'NOT_FOUND'
        ? '找不到该家庭，或该家庭已不由您联系（可能已退出档案或更换了联系人）'
        : errorMessage(err);
    return { kind: 'refused', error: { status: err.status, code: err.code, message, details: err.details } };
  }
}

function afterFlush(report: FlushReport): void {
  if (report.stoppedBy === 'auth') set({ needsLogin: true });
  if (report.sent.length > 0) hooks.onSent?.();
}

async function refreshPack(): Promise<void> {
  if (!userRole || !OFFLINE_ROLES.includes(userRole)) return;
  const pack = (await request<Envelope<OfflinePack>>('GET', '/offline-pack')).data;
  if (pack.userId !== userId) return;
  const at = new Date().toISOString();
  await writePack(pack, at);
  set({ lastSyncAt: at });
  await keepFestivalDates().catch(() => undefined);
}

/** Where the phone keeps a year's festival dates and care windows (`GET /festivals`): they never change. */
export function festivalsMetaKey(year: number): string {
  return `festivals:${year}`;
}

/**
 * This year's and last year's festival dates, kept for the visit page's 节日慰问 without signal (the late care
 * of last year's festival included). Fetched once per year and phone.
 */
async function keepFestivalDates(): Promise<void> {
  const year = new Date().getFullYear();
  for (const y of [year, year - 1]) {
    if (Array.isArray(await readMeta(festivalsMetaKey(y)))) continue;
    const dates = await request<unknown[]>('GET', '/festivals', { query: { year: y } });
    if (Array.isArray(dates)) await writeMeta(festivalsMetaKey(y), dates);
  }
}

/** Sends what waits, in order, then refreshes the offline copy. */
export function syncNow(force = true): Promise<void> {
  return exclusive(async () => {
    if (!userId || state.offlineSession || !isOfflineStoreAvailable()) return;
    set({ syncing: true });
    try {
      const report = await flushOutbox(idbOutboxStore, sendEntry, { userId, now: Date.now, force });
      afterFlush(report);
      if (report.stoppedBy !== 'network' && report.stoppedBy !== 'auth') await refreshPack().catch(() => undefined);
    } finally {
      await recount();
      set({ syncing: false });
    }
  });
}

/** What the form says when its record was kept to be sent later. */
export const QUEUED_MESSAGE = '已保存，待同步';

/** What a phone-side form gets when its record was kept to be sent later. */
export interface Queued {
  queued: true;
  id: string;
}
export function isQueued(value: unknown): value is Queued {
  return typeof value === 'object' && value !== null && (value as Queued).queued === true;
}

/**
 * A phone-side write: stored in the outbox first, then — online — sent at once after whatever waits before
 * it. Accepted: the server's answer. Refused while online: the entry is dropped and the error thrown, so the
 * form shows it by its fields as before. No connection or no session: `Queued` (the form says 已保存，待同步).
 */
export function submitPhoneWrite<T>(input: NewEntry): Promise<T | Queued> {
  return exclusive(async () => {
    if (!userId) throw new ApiError(401, 'UNAUTHENTICATED', '登录已过期，请重新登录');
    if (!isOfflineStoreAvailable()) {
      // No IndexedDB: send directly (the key still makes a retry safe).
      const result = await sendEntry(makeEntry(input, userId, new Date(), 0, uuid()));
      if (result.kind === 'ok') return result.data as T;
      if (result.kind === 'refused') throw toApiError(result.error);
      throw new ApiError(0, 'NETWORK_ERROR', '网络连接失败，请检查网络后重试');
    }
    const { entries } = await readOutbox(idbOutboxStore);
    const lastSeq = entries.reduce((m, e) => Math.max(m, e.seq), 0);
    const entry = makeEntry(input, userId, new Date(), lastSeq, uuid());
    await idbOutboxStore.put(entry);
    await recount();
    if (state.offlineSession || !navigator.onLine) return { queued: true, id: entry.id } satisfies Queued;
    set({ syncing: true });
    try {
      const report = await flushOutbox(idbOutboxStore, sendEntry, { userId, now: Date.now, force: true });
      afterFlush(report);
      const sent = report.sent.find((s) => s.entry.id === entry.id);
      if (sent) {
        void refreshPack().catch(() => undefined);
        return sent.data as T;
      }
      const refused = report.refused.find((r) => r.id === entry.id);
      if (refused?.error) {
        await idbOutboxStore.remove(entry.id);
        throw toApiError(refused.error);
      }
      return { queued: true, id: entry.id } satisfies Queued;
    } finally {
      await recount();
      set({ syncing: false });
    }
  });
}

function toApiError(e: NonNullable<OutboxEntry['error']>): ApiError {
  return new ApiError(e.status, e.code, e.message, e.details ?? []);
}

/** The 待同步 page: discard a record for good. */
export async function discardEntry(id: string): Promise<void> {
  await idbOutboxStore.remove(id);
  await recount();
}

/**
 * The 待同步 page: a refused record of any kind corrected in its own form and put back in line, in its place —
 * under a new key if the body changed, under its own if resent unchanged (outbox.ts `correctedEntry`).
 */
export async function replaceEntry(old: OutboxEntry, body: Record<string, unknown>, summary?: string): Promise<void> {
  await exclusive(() => putCorrected(idbOutboxStore, old, correctedEntry(old, body, summary, uuid())));
  await recount();
  void syncNow();
}

/**
 * The session as this phone saw it last, for opening without signal. Null when nobody signed in here.
 * Marks the session as the phone's copy until the server answers again.
 */
export async function offlineSessionUser(): Promise<SessionUser | null> {
  const owner = await readOwner();
  if (owner) {
    userId = owner.id;
    userRole = owner.role;
    const meta = await readPackMeta();
    set({ offlineSession: true, lastSyncAt: meta?.userId === owner.id ? meta.syncedAt : null });
    void recount();
  }
  return owner;
}

/**
 * The server confirmed a session for `user` (at start, after signing in). Another account's data on this
 * phone is cleared first — its families, todos and queue — so nothing is sent under this account. Then the
 * queue is sent and the offline copy refreshed.
 */
export async function adoptSession(user: SessionUser): Promise<void> {
  userId = user.id;
  userRole = user.role;
  set({ offlineSession: false, needsLogin: false });
  if (!isOfflineStoreAvailable()) return;
  try {
    const owner = await readOwner();
    if (owner && owner.id !== user.id) await clearOfflineData();
    await writeOwner(user);
    const meta = await readPackMeta();
    set({ lastSyncAt: meta?.userId === user.id ? meta.syncedAt : null });
    if (OFFLINE_ROLES.includes(user.role)) void requestPersistence();
  } catch {
    return;
  }
  await recount();
  await syncNow();
}

/** Logout: the phone forgets everything of the account. */
export async function forgetOfflineData(): Promise<void> {
  userId = null;
  userRole = null;
  try {
    await clearOfflineData();
  } finally {
    set({ pending: 0, refused: 0, corrupt: 0, lastSyncAt: null, offlineSession: false, needsLogin: false });
  }
}

/** Asks the browser not to evict the queue under storage pressure (Safari's 7-day rule spares installed apps). */
async function requestPersistence(): Promise<void> {
  if (!navigator.storage?.persist) return;
  if ((await readMeta('persisted')) === true) return;
  const granted = await navigator.storage.persist().catch(() => false);
  await writeMeta('persisted', granted);
}

let started = false;
/** Listeners for the connection and the periodic retry; once per page. */
export function startSyncLoop(): void {
  if (started || typeof window === 'undefined') return;
  started = true;
  window.addEventListener('online', () => {
    set({ online: true });
    if (state.offlineSession) hooks.revalidateSession?.();
    else void syncNow();
  });
  window.addEventListener('offline', () => set({ online: false }));
  setInterval(() => {
    if (!navigator.onLine) return;
    if (state.offlineSession) hooks.revalidateSession?.();
    else if (state.pending > 0 && !state.needsLogin) void syncNow(false);
  }, RETRY_EVERY_MS);
}

/** A read that falls back on the phone's copy when there is no connection (its own module: the entry uses it). */
export { orOffline } from './or-offline';

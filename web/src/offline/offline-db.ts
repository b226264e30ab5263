/**
 * The phone's IndexedDB (issue #17), database `guanhuai-offline`:
 *   - `meta`: `owner` (the signed-in user as the session gave it: whose data this is), `pack` (todos and the
 *     time of the last sync), `persisted` (whether the browser granted persistent storage);
 *   - `families`: per family the visit form's fields (masked names and phones, no ID numbers);
 *   - `outbox`: the queued writes (outbox.ts).
 * Everything is cleared at logout and when another account signs in on this phone.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { OfflineFamily, OfflinePack } from '../../../common/schemas/offline';
import type { SessionUser } from '../api/auth';
import type { OutboxEntry, OutboxStore } from './outbox';

export const OFFLINE_DB_NAME = 'guanhuai-offline';

export interface PackMeta {
  userId: string;
  generatedAt: string;
  /** When this phone last heard from the server (the pack's arrival). */
  syncedAt: string;
  todos: OfflinePack['todos'];
  truncated: boolean;
}

interface OfflineSchema extends DBSchema {
  meta: { key: string; value: unknown };
  families: { key: string; value: OfflineFamily };
  outbox: { key: string; value: OutboxEntry };
}

let opening: Promise<IDBPDatabase<OfflineSchema>> | null = null;

function db(): Promise<IDBPDatabase<OfflineSchema>> {
  opening ??= openDB<OfflineSchema>(OFFLINE_DB_NAME, 1, {
    upgrade(database) {
      database.createObjectStore('meta');
      database.createObjectStore('families', { keyPath: 'id' });
      database.createObjectStore('outbox', { keyPath: 'id' });
    },
    blocking() {
      // A newer version of the app wants the database: let it.
      void opening?.then((d) => d.close());
      opening = null;
    },
  }).catch((err: unknown) => {
    opening = null;
    throw err;
  });
  return opening;
}

export function isOfflineStoreAvailable(): boolean {
  return typeof indexedDB !== 'undefined';
}

export async function readOwner(): Promise<SessionUser | null> {
  if (!isOfflineStoreAvailable()) return null;
  try {
    const value = await (await db()).get('meta', 'owner');
    const user = value as SessionUser | undefined;
    return user && typeof user.id === 'string' && typeof user.role === 'string' ? user : null;
  } catch {
    return null;
  }
}

export async function writeOwner(user: SessionUser): Promise<void> {
  await (await db()).put('meta', user, 'owner');
}

export async function readPackMeta(): Promise<PackMeta | null> {
  try {
    const value = (await (await db()).get('meta', 'pack')) as PackMeta | undefined;
    return value && Array.isArray(value.todos) && typeof value.syncedAt === 'string' ? value : null;
  } catch {
    return null;
  }
}

/** Replaces the families and the todos with a fresh pack, in one transaction. */
export async function writePack(pack: OfflinePack, syncedAt: string): Promise<void> {
  const d = await db();
  const tx = d.transaction(['meta', 'families'], 'readwrite');
  const families = tx.objectStore('families');
  await families.clear();
  for (const f of pack.families) await families.put(f);
  const meta: PackMeta = {
    userId: pack.userId,
    generatedAt: pack.generatedAt,
    syncedAt,
    todos: pack.todos,
    truncated: pack.truncated,
  };
  await tx.objectStore('meta').put(meta, 'pack');
  await tx.done;
}

export async function readFamily(id: string): Promise<OfflineFamily | null> {
  try {
    const f = await (await db()).get('families', id);
    return f && typeof f.id === 'string' && Array.isArray(f.members) && Array.isArray(f.contacts) ? f : null;
  } catch {
    return null;
  }
}

export async function writeMeta(key: string, value: unknown): Promise<void> {
  await (await db()).put('meta', value, key);
}

export async function readMeta(key: string): Promise<unknown> {
  try {
    return await (await db()).get('meta', key);
  } catch {
    return undefined;
  }
}

/** Logout, another account: every cached family, the todos, the owner and the queue. */
export async function clearOfflineData(): Promise<void> {
  if (!isOfflineStoreAvailable()) return;
  const d = await db();
  const tx = d.transaction(['meta', 'families', 'outbox'], 'readwrite');
  await Promise.all([
    tx.objectStore('meta').clear(),
    tx.objectStore('families').clear(),
    tx.objectStore('outbox').clear(),
  ]);
  await tx.done;
}

export const idbOutboxStore: OutboxStore = {
  async all() {
    const d = await db();
    const tx = d.transaction('outbox');
    const out: Array<{ key: string; value: unknown }> = [];
    let cursor = await tx.store.openCursor();
    while (cursor) {
      out.push({ key: String(cursor.key), value: cursor.value });
      cursor = await cursor.continue();
    }
    return out;
  },
  async put(entry) {
    await (await db()).put('outbox', entry);
  },
  async remove(id) {
    await (await db()).delete('outbox', id);
  },
};

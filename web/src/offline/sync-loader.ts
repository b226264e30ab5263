/**
 * The sync engine (sync.ts, with the outbox and the IndexedDB copy) is not part of the entry, which every page —
 * the login page on a weak signal first of all — downloads before it shows anything (issue 11). It is loaded
 * when a session needs it: the server confirmed one (or this phone's copy stands in for it without signal),
 * someone signed in or out, or a new version of the app waits. Loading it starts the loop — the outbox is sent
 * at once and on every `online` event, as before. The signed-in layout imports it too, so it is in the service
 * worker's shell and loads without signal.
 */
import type * as Sync from './sync';

type SyncModule = typeof Sync;
type Hooks = Parameters<SyncModule['configureSync']>[0];

let hooks: Hooks | null = null;
let loading: Promise<SyncModule> | null = null;

/** The engine, loaded once, its hooks set and its loop started before anyone uses it. */
export function loadSync(): Promise<SyncModule> {
  loading ??= import('./sync').then((sync) => {
    if (hooks) sync.configureSync(hooks);
    sync.startSyncLoop();
    return sync;
  });
  return loading;
}

/** The hooks (what to refresh after a send), kept until the engine is loaded. */
export function configureSyncWhenLoaded(h: Hooks): void {
  hooks = h;
  if (loading) void loading.then((sync) => sync.configureSync(h));
}

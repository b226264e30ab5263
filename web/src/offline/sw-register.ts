/**
 * Registers the service worker (web/src/sw.ts, built to /sw.js) in production builds. A new version installs
 * in the background and waits; the sync bar offers 新版本已就绪，点此刷新, and only that click activates it
 * and reloads — a half-filled form is never reloaded away.
 */
import { loadSync } from './sync-loader';

let waiting: ServiceWorker | null = null;

export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  window.addEventListener('load', () => {
    navigator.serviceWorker
      .register('/sw.js', { scope: '/' })
      .then((reg) => {
        const offer = (worker: ServiceWorker | null) => {
          // A first install has no controller: nothing to update, the page simply works offline from now on.
          if (worker && navigator.serviceWorker.controller) {
            waiting = worker;
            void loadSync().then((sync) => sync.markUpdateReady());
          }
        };
        offer(reg.waiting);
        reg.addEventListener('updatefound', () => {
          const worker = reg.installing;
          worker?.addEventListener('statechange', () => {
            if (worker.state === 'installed') offer(worker);
          });
        });
        // Look for a new version now and then (a phone keeps the app open for days).
        setInterval(() => void reg.update().catch(() => undefined), 60 * 60_000);
      })
      .catch(() => undefined);
  });
}

export function applyUpdate(): void {
  if (!waiting) return window.location.reload();
  navigator.serviceWorker.addEventListener('controllerchange', () => window.location.reload(), { once: true });
  waiting.postMessage({ type: 'SKIP_WAITING' });
}

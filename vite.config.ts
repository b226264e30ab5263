import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { precompress } from './scripts/vite-precompress.js';
import { routePreload } from './scripts/vite-route-preload.js';
import { serviceWorker } from './web/service-worker-plugin.js';
import { shellChunks } from './scripts/vite-shell-chunks.js';

const shell = shellChunks();

/**
 * The web app lives in web/ and builds to web/dist, which the Fastify server serves.
 * No third-party origins: everything the browser loads comes from this build. Every text file is
 * written brotli- and gzip-compressed beside itself (scripts/vite-precompress.ts); index.html starts
 * the opened page's files downloading at once (scripts/vite-route-preload.ts).
 */
export default defineConfig({
  root: 'web',
  // routePreload rewrites index.html before precompress compresses it; the service worker (web/src/sw.ts →
  // /sw.js) is built beside the app, not as one of its chunks, before precompress too.
  plugins: [react(), shell.plugin, routePreload(), serviceWorker(), precompress()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 600,
    rolldownOptions: {
      output: {
        // Vite 8 (Rolldown) replacement for `manualChunks`. Only vendor code the entry needs
        // statically is grouped; code that only lazy pages use (antd Table, Tree, DatePicker…)
        // stays in automatic chunks so the login page does not download it.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|react-router)[\\/]/, priority: 30 },
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender)[\\/]/, priority: 25 },
            { name: 'query', test: /node_modules[\\/]@tanstack[\\/]/, priority: 20 },
            {
              name: 'antd',
              test: /node_modules[\\/](antd|@ant-design|@rc-component|rc-[\w-]+|@emotion|dayjs|stylis|classnames|clsx)[\\/]/,
              tags: ['$initial'],
              priority: 10,
            },
            // The signed-in layout in two chunks instead of ~30 (scripts/vite-shell-chunks.ts).
            ...shell.groups,
          ],
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false },
    },
  },
  preview: {
    proxy: {
      '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false },
    },
  },
});

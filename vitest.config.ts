import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['common/**/*.test.ts', 'server/**/*.test.ts', 'test/**/*.test.ts', 'scripts/**/*.test.ts'],
    // The long torture tier runs under `npm run torture` (vitest.torture.config.ts), not in `npm test`.
    exclude: ['e2e/**', 'node_modules/**', 'test/torture/long/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each test file gets its own database; two cores keep two files busy.
    maxWorkers: 2,
  },
});

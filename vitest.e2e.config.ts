import { defineConfig } from 'vitest/config';

/** Browser journeys: `npx vite build && npx vitest run -c vitest.e2e.config.ts` (needs /usr/bin/chromium). */
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.test.ts'],
    // The demo data, seeded once for the run and copied by each file's server.
    globalSetup: ['e2e/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Pages answer in milliseconds, but a busy two-core CI machine can stall for seconds.
    expect: { poll: { timeout: 15_000 } },
    // One browser and one server at a time: two cores, and the journeys time real page loads.
    fileParallelism: false,
  },
});

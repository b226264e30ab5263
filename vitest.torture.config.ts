import { defineConfig } from 'vitest/config';

/**
 * `npm run torture`: the long tier of the torture tests (docs/torture.md) — crash durability, load, the
 * 1,000-case fuzzing of every write endpoint and the hostile spreadsheets. One file at a time, so the load
 * test and the crash rounds do not compete for the CPU. The quick tier runs in `npm test`.
 */
export default defineConfig({
  test: {
    include: ['test/torture/long/**/*.test.ts'],
    env: { GUANHUAI_TORTURE: 'long' },
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 300_000,
  },
});

import { defineConfig } from 'vitest/config';

/**
 * `npm run test:faults`: the fault drills (test/faults). Each starts its own Redis and PostgreSQL
 * and the engine as real processes, then kills things; they run one file at a time so their
 * processes do not fight over the CPU. `npm test` does not include them.
 */
export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 240_000,
    hookTimeout: 180_000,
  },
});

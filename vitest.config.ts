import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    // Most of the suite waits (child processes, sockets, timers) rather than computes: two workers on
    // this 2-core machine take it from ~340 s to ~245 s (one is vitest's default here).
    maxWorkers: 2,
    setupFiles: ['test/support/shelved-equality.ts'],
  },
});

import { defineConfig } from 'vitest/config';

/**
 * Two groups: in-process tests run in parallel first; then the tests that start real processes
 * (the bot, redis-server, npm) and measure deadlines run one file at a time, so they never compete
 * with each other for this machine's two cores.
 */
const PROCESS_SUITES = ['test/e2e/**/*.test.ts', 'test/resilience/**/*.test.ts', 'test/ops/**/*.test.ts'];

export default defineConfig({
  test: {
    globalSetup: ['test/setup/global.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: PROCESS_SUITES, sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: { name: 'processes', include: PROCESS_SUITES, fileParallelism: false, sequence: { groupOrder: 1 } },
      },
    ],
  },
});

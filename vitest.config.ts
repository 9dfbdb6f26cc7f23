import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // test/resilience/ runs real load for minutes: only through `npm run test:resilience`.
    exclude: process.env.VIOSCAN_RESILIENCE
      ? configDefaults.exclude
      : [...configDefaults.exclude, 'test/resilience/**'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // Two cores: one file per core; much of the suite waits on child processes and PostgreSQL.
    maxWorkers: 2,
    reporters: ['default'],
  },
});

import { defineConfig } from 'vitest/config';

// Three projects: fast pure tests, port contract suites (in-memory, embedded and AWS adapters),
// and integration/e2e tests that start real local servers (see test/integration/global-setup.ts).
export default defineConfig({
  test: {
    // Two test files at a time across the three projects. Vitest's default in a run is one
    // worker per core minus one: a single worker on a 2-core machine, which left the second
    // core mostly idle while a file waited on DynamoDB Local, s3rver, a CLI child process or a
    // worker thread (the suite used ~0.7 of a core). The timeouts below are unchanged and
    // already generous for a loaded machine.
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'infra/**/*.test.ts'],
          // generous: property tests of 100+ runs take 10x longer on a shared, busy machine
          testTimeout: 180_000,
          // hooks synthesize the CDK app (esbuild bundles): tens of seconds on a busy machine
          hookTimeout: 240_000,
        },
      },
      {
        test: {
          name: 'contract',
          globalSetup: ['test/integration/global-setup.ts'],
          include: ['test/contract/**/*.test.ts'],
          // property tests against DynamoDB Local passed 60 s at a load average of 15
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          name: 'integration',
          globalSetup: ['test/integration/global-setup.ts'],
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          // the AWS-mode run over the lab data takes ~3 minutes on a busy 2-core machine
          testTimeout: 600_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});

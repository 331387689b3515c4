import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    name: 'zapier-app',
    environment: 'node',
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    setupFiles: ['test/lambda-memory.ts'],
  },
});

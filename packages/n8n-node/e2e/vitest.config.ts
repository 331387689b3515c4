import { defineConfig } from 'vitest/config';

// The slow suites against real n8n (npm run test:e2e -w @codeqr-integrations/n8n-nodes-codeqr): not in `npm test`.
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    name: 'n8n-e2e',
    root: new URL('..', import.meta.url).pathname,
    environment: 'node',
    include: ['e2e/**/*.e2e.test.ts'],
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 900_000,
  },
});

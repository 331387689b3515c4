import { defineProject } from 'vitest/config';

// Unit tests with a fake n8n context against the sandbox, n8n's lint and the scanner. The real-n8n suites live in
// e2e/ (npm run test:e2e), outside `npm test`.
export default defineProject({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    name: 'n8n-node',
    environment: 'node',
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
  },
});

import { defineConfig } from 'vitest/config';

// `npm run test:resilience`: the slow model-based and contention suites (every package's `resilience/` folder), run
// by `.ci/run` after `npm test`, with more fresh random seeds per property (PROPERTY_RUNS, default 20 here).
const project = (name: string, root: string, setupFiles: string[] = []) => ({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    name: `${name}:resilience`,
    root,
    environment: 'node' as const,
    include: ['resilience/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 120_000,
    setupFiles,
  },
});

export default defineConfig({
  test: {
    projects: [
      project('core', 'packages/core'),
      project('n8n-node', 'packages/n8n-node'),
      project('zapier-app', 'packages/zapier-app', ['test/lambda-memory.ts']),
      project('github-action', 'packages/github-action'),
    ],
  },
});

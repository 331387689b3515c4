import { defineConfig } from 'vitest/config';

// One vitest run over every package (test.projects); each project resolves workspace packages to their TypeScript
// source through the "source" export condition, so tests never need a build first.
export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.ts', 'test/vitest.config.ts'],
  },
});

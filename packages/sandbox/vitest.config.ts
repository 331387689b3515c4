import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    name: 'sandbox',
    environment: 'node',
    include: ['test/**/*.test.ts'],
  },
});

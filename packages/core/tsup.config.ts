import { defineConfig } from 'tsup';

// ESM (.js) + CJS (.cjs) with .d.ts / .d.cts for each entry named in package.json "exports"; dependencies stay external.
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    base: 'src/base.ts',
    fetch: 'src/fetch.ts',
    schemas: 'src/schemas/index.ts',
  },
  format: ['esm', 'cjs'],
  target: 'node22',
  platform: 'node',
  dts: true,
  sourcemap: true,
  clean: true,
});

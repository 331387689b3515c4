import { defineConfig } from 'tsup';

// Zapier loads the app with `import('codeqr-zapier')` (ESM wrapper), so one ESM file: core and its dependencies
// bundled (workspace code cannot be installed by Zapier), zapier-platform-core external (Zapier's runtime needs
// the exact pinned copy in node_modules).
export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm'],
  platform: 'node',
  target: 'node22',
  outDir: 'dist',
  clean: true,
  sourcemap: false,
  splitting: false,
  external: ['zapier-platform-core'],
  noExternal: [/^(?!zapier-platform-core)/],
  // bundled CommonJS dependencies (qrcode) still call require() for Node built-ins
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);",
  },
  esbuildOptions(options) {
    options.conditions = ['source'];
  },
});

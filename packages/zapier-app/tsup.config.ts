import { copyFileSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'tsup';
import { NOTICES_FILE, noticesText, packagesOfMetafile } from '../../scripts/licences.ts';

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
  metafile: true,
  external: ['zapier-platform-core'],
  noExternal: [/^(?!zapier-platform-core)/],
  // bundled CommonJS dependencies (qrcode) still call require() for Node built-ins
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);",
  },
  esbuildOptions(options) {
    options.conditions = ['source'];
  },
  // the licence notices of everything bundled ship in dist/ (and so in build.zip); the metafile stays out of it
  async onSuccess() {
    mkdirSync('.build', { recursive: true });
    renameSync('dist/metafile-esm.json', '.build/metafile-esm.json');
    const bundled = packagesOfMetafile('.build/metafile-esm.json', '.');
    writeFileSync(join('dist', NOTICES_FILE), noticesText('the CodeQR Zapier app (dist/index.js)', bundled));
    // the app's own licence beside its code (Zapier's build.zip takes what `includeInBuild` names under dist/)
    copyFileSync('LICENSE', join('dist', 'LICENSE'));
  },
});

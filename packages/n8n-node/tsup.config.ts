import { cpSync, mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { defineConfig } from 'tsup';
import { NOTICES_FILE, noticesText, packagesOfMetafile } from '../../scripts/licences.ts';

/**
 * n8n loads `dist/**\/*.node.js` / `*.credentials.js` with require(): CommonJS files, each self-contained with core
 * and zod bundled (n8n forbids runtime dependencies); only `n8n-workflow` stays external. Core's `base` entry keeps ky
 * and timers out, and the `browser` condition picks fflate's browser build (no zlib/fs), so n8n's scanner finds
 * nothing in the bundle. Codex files (`*.node.json`) and icons are copied beside the code, as n8n expects.
 */
const entries = (dir: string, suffix: string) =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith(suffix))
    .map((file) => join(dir, file));

export default defineConfig({
  entry: Object.fromEntries(
    [...entries('nodes', '.node.ts'), ...entries('credentials', '.credentials.ts')].map((file) => [
      file.replace(/\.ts$/, ''),
      file,
    ]),
  ),
  outDir: 'dist',
  format: 'cjs',
  outExtension: () => ({ js: '.js' }),
  platform: 'node',
  target: 'node20',
  bundle: true,
  splitting: false,
  sourcemap: false,
  clean: true,
  dts: false,
  metafile: true,
  external: ['n8n-workflow'],
  noExternal: [/^@codeqr-integrations\//, /^zod/, /^fflate/, /^qrcode/],
  esbuildOptions(options) {
    options.conditions = ['source', 'browser'];
    options.mainFields = ['browser', 'module', 'main'];
    options.legalComments = 'none';
  },
  async onSuccess() {
    // the licence notices of everything bundled ship in dist/; the metafile they come from stays out of the package
    mkdirSync('.build', { recursive: true });
    renameSync('dist/metafile-cjs.json', '.build/metafile-cjs.json');
    const bundled = packagesOfMetafile('.build/metafile-cjs.json', '.');
    writeFileSync(join('dist', NOTICES_FILE), noticesText('the n8n nodes and credentials in dist/', bundled));
    for (const codex of entries('nodes', '.node.json')) {
      mkdirSync(dirname(join('dist', codex)), { recursive: true });
      cpSync(codex, join('dist', codex));
    }
    cpSync('icons', 'dist/icons', { recursive: true });
    // The workspace package is ESM for its TypeScript sources; the built code is CommonJS, as n8n require()s it. In
    // the workspace (tests, `npm run n8n`) this marker makes Node read dist/ so; the published package's own
    // manifest is CommonJS and leaves it out (`scripts/package-checks.ts` stage()).
    writeFileSync('dist/package.json', `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`);
  },
});

/**
 * Builds the one committed bundle, `dist/index.js`, with esbuild: ESM for Node 24, every dependency inlined,
 * deterministic (no timestamps, no absolute paths, stable order), so `test/dist.test.ts` can require the committed
 * file to equal a fresh build.
 *
 * `@actions/core` reaches undici (~770 KB) only through its OIDC client (`getIDToken`), which this Action never
 * calls: that one module is replaced by a stub, keeping the toolkit's inputs, outputs, masking and summary as they are.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { bundledPackages, NOTICES_FILE, noticesText, shippedInputs } from '../../../scripts/licences.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const noOidc: Plugin = {
  name: 'no-oidc',
  setup(b) {
    b.onResolve({ filter: /^\.\/oidc-utils\.js$/ }, (args) =>
      args.importer.includes(`${'@actions'}/core`) ? { path: 'oidc-utils', namespace: 'no-oidc' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'no-oidc' }, () => ({
      contents:
        'export class OidcClient { static async getIDToken() { throw new Error("OIDC tokens are not supported by the CodeQR action."); } }',
      loader: 'js',
    }));
  },
};

/** The bundle's text and its third-party notices (`dist/THIRD_PARTY_NOTICES.txt`). */
export async function bundleWithNotices(): Promise<{ text: string; notices: string; packages: string[] }> {
  const result = await build({
    absWorkingDir: root,
    entryPoints: ['src/index.ts'],
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    conditions: ['source'],
    minify: true,
    legalComments: 'none',
    charset: 'utf8',
    write: false,
    metafile: true,
    plugins: [noOidc],
    banner: {
      js: "import { createRequire as __codeqrCreateRequire } from 'node:module'; const require = __codeqrCreateRequire(import.meta.url);",
    },
    logLevel: 'warning',
  });
  const out = result.outputFiles[0];
  if (!out) throw new Error('esbuild produced no output');
  const packages = bundledPackages(shippedInputs(result.metafile), root);
  return {
    text: out.text,
    notices: noticesText('dist/index.js (the CodeQR GitHub Action)', packages),
    packages: packages.map((p) => `${p.name}@${p.version}`),
  };
}

export async function bundle(): Promise<string> {
  return (await bundleWithNotices()).text;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { text, notices } = await bundleWithNotices();
  const file = join(root, 'dist', 'index.js');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  writeFileSync(join(root, 'dist', NOTICES_FILE), notices);
  console.log(`dist/index.js: ${(Buffer.byteLength(text) / 1024).toFixed(1)} KB`);
}

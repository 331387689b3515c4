/**
 * Builds the committed bundle with esbuild: `dist/index.js` (the runner's `runs.main`) plus the chunks it imports on
 * demand, `dist/chunks/*.js` (code splitting: a step loads only its operation's path; yaml, csv-parse, @octokit,
 * fflate and qrcode only where they are used), ESM for Node 24, every dependency inlined, deterministic (no
 * timestamps, no absolute paths, content-hashed chunk names), so `test/dist.test.ts` can require every committed
 * file to equal a fresh build.
 *
 * `@actions/core` reaches undici (~770 KB) only through its OIDC client (`getIDToken`), which this Action never
 * calls: that one module is replaced by a stub, keeping the toolkit's inputs, outputs, masking and summary as they are.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
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

/** Where the chunks go, under `dist/`. */
export const CHUNKS_DIR = 'chunks';

export interface Bundle {
  /** Every output file by its path under `dist/` (`index.js`, `chunks/….js`), sorted by path. */
  files: Map<string, string>;
  /** `index.js`'s text. */
  text: string;
  /** `dist/THIRD_PARTY_NOTICES.txt`, covering every file above. */
  notices: string;
  packages: string[];
}

/** The bundle's files (entry and chunks) and their third-party notices (`dist/THIRD_PARTY_NOTICES.txt`). */
export async function bundleWithNotices(): Promise<Bundle> {
  const outdir = join(root, 'dist');
  const result = await build({
    absWorkingDir: root,
    entryPoints: ['src/index.ts'],
    bundle: true,
    splitting: true,
    outdir,
    entryNames: '[name]',
    chunkNames: `${CHUNKS_DIR}/[name]-[hash]`,
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
  const outputs = result.outputFiles
    .map((out) => [relative(outdir, out.path).split('\\').join('/'), out.text] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const files = new Map(outputs);
  const text = files.get('index.js');
  if (text === undefined) throw new Error('esbuild produced no dist/index.js');
  const packages = bundledPackages(shippedInputs(result.metafile), root);
  return {
    files,
    text,
    notices: noticesText(`dist/index.js and dist/${CHUNKS_DIR}/ (the CodeQR GitHub Action)`, packages),
    packages: packages.map((p) => `${p.name}@${p.version}`),
  };
}

/** The files of a dist folder that the build writes (`index.js`, `chunks/*.js`), by path under it, sorted. */
export function distFiles(dir: string): string[] {
  const chunks = join(dir, CHUNKS_DIR);
  let names: string[] = [];
  try {
    names = readdirSync(chunks).map((name) => `${CHUNKS_DIR}/${name}`);
  } catch {
    // no chunks folder: only the entry
  }
  return ['index.js', ...names].sort();
}

/** Writes a fresh bundle (entry and chunks, no notices) into `dir`, replacing its chunks; returns the entry's path. */
export async function writeBundle(dir: string, built?: Bundle): Promise<string> {
  const { files } = built ?? (await bundleWithNotices());
  rmSync(join(dir, CHUNKS_DIR), { recursive: true, force: true });
  for (const [name, text] of files) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return join(dir, 'index.js');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const built = await bundleWithNotices();
  const dir = join(root, 'dist');
  await writeBundle(dir, built);
  writeFileSync(join(dir, NOTICES_FILE), built.notices);
  const size = (name: string) => `${(Buffer.byteLength(built.files.get(name) ?? '') / 1024).toFixed(1)} KB`;
  const total = [...built.files.values()].reduce((sum, text) => sum + Buffer.byteLength(text), 0);
  console.log(
    `dist/index.js: ${size('index.js')}; ${built.files.size - 1} chunks; ${(total / 1024).toFixed(1)} KB in all`,
  );
}

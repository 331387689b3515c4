/**
 * The package checks shared by the tests, `.ci/run` and `npm run n8n`: build the dist with tsup, pack it the way npm
 * publishes it, list what the shipped code requires, run n8n's lint and n8n's verification scanner.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const REPO = resolve(PACKAGE_DIR, '../..');
const bin = (name: string) => join(REPO, 'node_modules/.bin', name);
const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${join(REPO, 'node_modules/.bin')}:${process.env.PATH ?? ''}` };

/** Builds `dist/` (tsup: core and zod bundled, n8n-workflow external). */
export function build(): void {
  execFileSync(bin('tsup'), [], { cwd: PACKAGE_DIR, env, stdio: 'pipe' });
}

/** Where `stage()` lays out the package as it is published (`npm publish` runs on this folder). */
export const STAGE_DIR = join(PACKAGE_DIR, '.build', 'package');

/** The fields of this package's manifest that users get: no scripts, no devDependencies, no `"type"`. */
const PUBLISHED_FIELDS = [
  'name',
  'version',
  'description',
  'license',
  'homepage',
  'author',
  'repository',
  'keywords',
  'n8n',
  'peerDependencies',
  'engines',
] as const;

/**
 * The manifest users install: CommonJS (no `"type"`, as n8n `require()`s the nodes and as the n8n-node starter
 * publishes), `files: ["dist"]`, the `n8n` block whose paths start at the package root (`dist/...`), the peer
 * dependency on `n8n-workflow`, and nothing of the workspace (scripts, devDependencies, the ESM `"type"` the
 * TypeScript sources use).
 */
export function publishedManifest(source: Record<string, unknown>): Record<string, unknown> {
  const manifest: Record<string, unknown> = {};
  for (const field of PUBLISHED_FIELDS) if (source[field] !== undefined) manifest[field] = source[field];
  manifest.files = ['dist'];
  return manifest;
}

/**
 * Lays out the package as npm publishes it in `.build/package/` (built `dist/` first): the clean manifest, `dist/`
 * (without the workspace-only `dist/package.json`), README and LICENSE. `npm run stage`; the release workflow
 * publishes this folder with provenance.
 */
export function stage(): string {
  rmSync(STAGE_DIR, { recursive: true, force: true });
  mkdirSync(STAGE_DIR, { recursive: true });
  cpSync(join(PACKAGE_DIR, 'dist'), join(STAGE_DIR, 'dist'), {
    recursive: true,
    filter: (from) => from !== join(PACKAGE_DIR, 'dist', 'package.json'),
  });
  for (const file of ['README.md', 'LICENSE']) cpSync(join(PACKAGE_DIR, file), join(STAGE_DIR, file));
  const source = JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8'));
  writeFileSync(join(STAGE_DIR, 'package.json'), `${JSON.stringify(publishedManifest(source), null, 2)}\n`);
  return STAGE_DIR;
}

/** `npm pack` of the staged package, unpacked into a temporary folder: the package exactly as users install it. */
export function packUnpacked(): { dir: string; tarball: string } {
  const staged = stage();
  const out = mkdtempSync(join(tmpdir(), 'codeqr-n8n-pack-'));
  const json = execFileSync('npm', ['pack', '--json', '--pack-destination', out], {
    cwd: staged,
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const [packedFile] = JSON.parse(json) as { filename: string }[];
  if (!packedFile) throw new Error(`npm pack answered no file: ${json}`);
  const tarball = join(out, packedFile.filename);
  execFileSync('tar', ['xzf', tarball, '-C', out]);
  return { dir: join(out, 'package'), tarball };
}

const ALLOWED_REQUIRES = new Set(['n8n-workflow', 'crypto', 'node:crypto']);

/** Every `require(...)` / `import` in the shipped JavaScript that is not `n8n-workflow`, `crypto` or relative. */
export function forbiddenRequires(dir: string): string[] {
  const found: string[] = [];
  const files = readdirSync(join(dir, 'dist'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'));
  for (const file of files) {
    const code = readFileSync(join(dir, 'dist', file), 'utf8');
    for (const match of code.matchAll(
      /\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)|\bimport\(\s*["'`]([^"'`]+)["'`]\s*\)/g,
    )) {
      const spec = match[1] ?? match[2] ?? '';
      if (!ALLOWED_REQUIRES.has(spec) && !spec.startsWith('./') && !spec.startsWith('../'))
        found.push(`${file}: ${spec}`);
    }
    if (/\brequire\(\s*[^"'`\s)]/.test(code)) found.push(`${file}: a computed require()`);
  }
  return found;
}

interface ScanResult {
  passed: boolean;
  message?: string;
  details?: string;
}

/** n8n's verification scanner (`@n8n/scan-community-package` analyzePackage) over an unpacked package. */
export async function scan(dir: string): Promise<ScanResult> {
  const { analyzePackage } = (await import('@n8n/scan-community-package/scanner/scanner.mjs' as string)) as {
    analyzePackage(dir: string): Promise<ScanResult>;
  };
  return analyzePackage(resolve(dir));
}

/** n8n's lint over the package, run the way `n8n-node lint` runs it: the `eslint` CLI in the package folder. */
export function lint(): { problems: number; report: string } {
  try {
    // eslint-plugin-n8n-nodes-base swaps in its own fixture file names when NODE_ENV is "test" (vitest sets it)
    const { NODE_ENV: _testRun, ...lintEnv } = env;
    const report = execFileSync(bin('eslint'), ['.', '--max-warnings', '0'], {
      cwd: PACKAGE_DIR,
      env: lintEnv,
      encoding: 'utf8',
    });
    return { problems: 0, report };
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    const counted = /(\d+) problems?/.exec(stdout);
    return { problems: counted ? Number(counted[1]) : 1, report: `${stdout}${stderr}` };
  }
}

// `node scripts/package-checks.ts stage`: build and lay out the package to publish (`npm run stage`)
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url) && process.argv[2] === 'stage') {
  build();
  console.log(`staged for npm publish: ${stage()}`);
  process.exit(0);
}

// `node scripts/package-checks.ts`: build, lint, pack, check the requires and scan; exits 1 on any finding
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  build();
  const linted = lint();
  const packed = packUnpacked();
  const requires = forbiddenRequires(packed.dir);
  const scanned = await scan(packed.dir);
  console.log(`n8n lint: ${linted.problems} problem(s)${linted.report}`);
  console.log(`dist requires beyond n8n-workflow/crypto/relative: ${requires.length ? requires.join(', ') : 'none'}`);
  console.log(`scanner: ${scanned.passed ? 'passed' : `FAILED\n${scanned.message ?? ''}\n${scanned.details ?? ''}`}`);
  console.log(`tarball: ${packed.tarball}`);
  if (linted.problems > 0 || requires.length > 0 || !scanned.passed) process.exit(1);
}

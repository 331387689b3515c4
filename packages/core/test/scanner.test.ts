// The n8n guard: n8n's community-package scanner (@n8n/scan-community-package) rejects restricted globals (globalThis,
// setTimeout, ...), console calls and more in the shipped node code. The n8n node bundles the `base` entry, so a bundle
// of src/base.ts laid out like an n8n package must scan clean; the main entry (its default transport sets timers) must
// not, which proves the check can fail.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';

interface ScanResult {
  passed: boolean;
  message?: string;
  /** ESLint "stylish" report of every finding, present when `passed` is false. */
  details?: string;
}
interface Scanner {
  analyzePackage(packageDir: string): Promise<ScanResult>;
}

const srcDir = resolve(dirname(fileURLToPath(import.meta.url)), '../src');
const scannerModule = '@n8n/scan-community-package/scanner/scanner.mjs';
const nodeFile = 'dist/nodes/Test/Test.node.js';
const tempDirs: string[] = [];

afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** Bundles one core entry the way the n8n node ships it and runs n8n's scanner over the resulting package. */
async function scanBundled(entry: string): Promise<{ result: ScanResult; inputs: string[]; report: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'codeqr-n8n-scan-'));
  tempDirs.push(dir);
  const { metafile } = await build({
    entryPoints: [join(srcDir, entry)],
    outfile: join(dir, nodeFile),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['n8n-workflow'],
    conditions: ['browser'],
    metafile: true,
    logLevel: 'silent',
  });
  const manifest = {
    name: 'n8n-nodes-codeqr-scan',
    version: '0.0.0',
    description: 'Scanner fixture for the CodeQR core bundle',
    homepage: 'https://github.com/codeqr/integrations',
    author: { name: 'CodeQR', email: 'support@codeqr.io' },
    license: 'MIT',
    keywords: ['n8n-community-node-package'],
    files: ['dist'],
    peerDependencies: { 'n8n-workflow': '*' },
    n8n: { n8nNodesApiVersion: 1, nodes: [nodeFile] },
  };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const { analyzePackage } = (await import(scannerModule)) as Scanner;
  const result = await analyzePackage(dir);
  return { result, inputs: Object.keys(metafile.inputs), report: explain(result, join(dir, nodeFile)) };
}

/** The scanner's report, each finding suffixed with the bundled module it sits in (esbuild's `// path` markers). */
function explain(result: ScanResult, bundleFile: string): string {
  const lines = readFileSync(bundleFile, 'utf8').split('\n');
  const moduleAt = (line: number) => {
    for (let i = line - 1; i >= 0; i--) {
      const marker = /^\/\/ (\S+\.[cm]?[jt]s)$/.exec(lines[i] ?? '');
      if (marker) return marker[1];
    }
    return '?';
  };
  const details = (result.details ?? '').replace(/^\s+(\d+):\d+\s.*$/gm, (finding, line: string) => {
    return `${finding}  [in ${moduleAt(Number(line))}]`;
  });
  return `${result.message ?? ''}\n${details}`;
}

describe('n8n community-package scanner', () => {
  it('finds nothing in a bundle of the base entry (no fetch transport, no timers, browser fflate)', async () => {
    const { result, inputs, report } = await scanBundled('base.ts');
    expect(result.passed, report).toBe(true);
    expect(result.details).toBeUndefined();
    expect(inputs.filter((input) => input.includes('node_modules/ky/'))).toEqual([]);
    expect(inputs.some((input) => /node_modules\/fflate\/.*browser/.test(input))).toBe(true);
  }, 60_000);

  it('flags a bundle of the main entry, whose default transport uses timers (negative control)', async () => {
    const { result, inputs, report } = await scanBundled('index.ts');
    expect(inputs.some((input) => input.endsWith('src/client/fetch-transport.ts'))).toBe(true);
    expect(result.passed).toBe(false);
    expect(report).toMatch(/no-restricted-globals\s+\[in \S*src\/client\/fetch-transport\.ts\]/);
    expect(result.details).toMatch(/Use of restricted global 'setTimeout'/);
  }, 60_000);
});

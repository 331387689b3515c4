/**
 * The committed bundle (`dist/index.js` and the chunks it imports, `dist/chunks/`) is exactly a fresh build of src/
 * (run `npm run build -w codeqr-github-action`), file for file and byte for byte, and lean.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NOTICES_FILE, readNotices } from '../../../scripts/licences.ts';
import { bundleWithNotices, distFiles } from '../scripts/build.ts';
import { dist } from '../scripts/run-dist.ts';

const distDir = dirname(dist);
const stale =
  'dist/ is not a fresh build of src/ and core: run `npm run build -w codeqr-github-action` and commit dist/ (chunks too)';

describe('dist/index.js and dist/chunks/', () => {
  it('match a fresh build, file for file and byte for byte (no chunk missing, none left over)', async () => {
    const fresh = (await bundleWithNotices()).files;
    const committed = distFiles(distDir);
    expect(committed, stale).toEqual([...fresh.keys()]);
    expect(committed.length).toBeGreaterThan(1);
    for (const [name, text] of fresh) {
      const file = readFileSync(join(distDir, name), 'utf8');
      expect(file.length, `${name}: ${stale}`).toBe(text.length);
      expect(file === text, `${name}: ${stale}`).toBe(true);
    }
  }, 60_000);

  it('is deterministic: two builds are identical', async () => {
    const [a, b] = [await bundleWithNotices(), await bundleWithNotices()];
    expect([...a.files]).toEqual([...b.files]);
  }, 60_000);

  it('stays under 500 KB in all and carries no undici, absolute paths or source maps', () => {
    const names = distFiles(distDir);
    const total = names.reduce((sum, name) => sum + statSync(join(distDir, name)).size, 0);
    expect(total).toBeLessThan(500 * 1024);
    for (const name of names) {
      const text = readFileSync(join(distDir, name), 'utf8');
      expect(text, name).not.toMatch(/\/work\/|\/home\/|\/root\//);
      expect(text, name).not.toContain('sourceMappingURL');
      expect(text, name).not.toContain('undici');
    }
  });

  it("loads yaml, csv-parse and @octokit only on the paths that use them, not before a step's first request", async () => {
    const { files } = await bundleWithNotices();
    // what every step loads before its request: index.js, the Action's main module it imports, and the chunks these
    // import statically, transitively
    const eager = new Set<string>();
    const imports = /(?:^|[;}\s])import\s*(?:[\w${},\s*]+from\s*)?["']\.\/([^"']+)["']/g;
    const visit = (name: string) => {
      if (eager.has(name)) return;
      eager.add(name);
      for (const [, target] of (files.get(name) ?? '').matchAll(imports)) {
        visit(
          join(dirname(name), target as string)
            .split('\\')
            .join('/'),
        );
      }
    };
    visit('index.js');
    const main = /import\(["']\.\/(chunks\/main-[^"']+)["']\)/.exec(files.get('index.js') ?? '')?.[1];
    expect(main, "index.js imports the Action's main chunk on demand").toBeDefined();
    visit(main as string);
    expect(eager.size).toBeGreaterThan(1);
    const eagerText = [...eager].map((name) => files.get(name) ?? '').join('\n');
    // a fingerprint of each library's code (present in dist/ somewhere, never in what every step loads)
    const fingerprints = {
      yaml: 'Implicit keys need to be on a single line',
      'csv-parse': 'CSV_INVALID_CLOSING_QUOTE',
      '@octokit': 'octokit-core.js',
    };
    const all = [...files.values()].join('\n');
    for (const [library, marker] of Object.entries(fingerprints)) {
      expect(all.includes(marker), `${library} is bundled`).toBe(true);
      expect(eagerText.includes(marker), `${library} loads before the first request`).toBe(false);
    }
  }, 60_000);

  it('ships the licence notice of every package it bundles (dist/THIRD_PARTY_NOTICES.txt, a fresh build)', async () => {
    const fresh = await bundleWithNotices();
    const committed = readFileSync(join(dist, '..', NOTICES_FILE), 'utf8');
    expect(committed, `dist/${NOTICES_FILE} is stale: run \`npm run build -w codeqr-github-action\``).toBe(
      fresh.notices,
    );
    const { listed, withText } = readNotices(committed);
    expect(fresh.packages.length).toBeGreaterThan(10);
    expect(listed).toEqual(fresh.packages);
    expect(withText).toEqual(fresh.packages);
    for (const name of ['zod@', 'yaml@', 'csv-parse@', 'qrcode@', 'fflate@', '@octokit/core@', '@actions/core@']) {
      expect(
        listed.some((p) => p.startsWith(name)),
        name,
      ).toBe(true);
    }
  }, 60_000);
});

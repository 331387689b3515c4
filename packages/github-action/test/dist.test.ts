/** The committed bundle is exactly a fresh build of src/ (run `npm run build -w codeqr-github-action`), and lean. */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NOTICES_FILE, readNotices } from '../../../scripts/licences.ts';
import { bundle, bundleWithNotices } from '../scripts/build.ts';
import { dist } from '../scripts/run-dist.ts';

describe('dist/index.js', () => {
  it('matches a fresh build, byte for byte', async () => {
    const fresh = await bundle();
    const committed = readFileSync(dist, 'utf8');
    const stale =
      'dist/index.js is not a fresh build of src/ and core: run `npm run build -w codeqr-github-action` and commit dist/';
    expect(committed.length, stale).toBe(fresh.length);
    expect(committed === fresh, stale).toBe(true);
  }, 60_000);

  it('is deterministic: two builds are identical', async () => {
    expect(await bundle()).toBe(await bundle());
  }, 60_000);

  it('stays under 500 KB and carries no undici, absolute paths or source maps', () => {
    const text = readFileSync(dist, 'utf8');
    expect(statSync(dist).size).toBeLessThan(500 * 1024);
    expect(text).not.toMatch(/\/work\/|\/home\/|\/root\//);
    expect(text).not.toContain('sourceMappingURL');
    expect(text).not.toContain('undici');
  });

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

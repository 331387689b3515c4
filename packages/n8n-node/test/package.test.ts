import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packagesOfMetafile, readNotices } from '../../../scripts/licences.ts';
import { build, forbiddenRequires, lint, PACKAGE_DIR, packUnpacked, scan } from '../scripts/package-checks.ts';

let packed: { dir: string; tarball: string };

beforeAll(() => {
  build();
  packed = packUnpacked();
}, 120_000);
afterAll(() => {
  if (packed) rmSync(dirname(packed.dir), { recursive: true, force: true });
});

describe('the published package', () => {
  it('ships only dist: nodes, credentials, codex files, icons and a CommonJS manifest', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const files = readdirSync(packed.dir, { recursive: true, encoding: 'utf8' }).sort();
    expect(files).toEqual(
      expect.arrayContaining([
        'dist/nodes/CodeQr/CodeQr.node.js',
        'dist/nodes/CodeQr/CodeQr.node.json',
        'dist/nodes/CodeQrTrigger/CodeQrTrigger.node.js',
        'dist/nodes/CodeQrWebhookTrigger/CodeQrWebhookTrigger.node.js',
        'dist/credentials/CodeQrApi.credentials.js',
        'dist/credentials/CodeQrWebhookApi.credentials.js',
        'dist/icons/codeqr.svg',
        'dist/icons/codeqr.dark.svg',
      ]),
    );
    expect(files.some((f) => f.endsWith('.ts'))).toBe(false);
    const manifest = JSON.parse(readFileSync(`${packed.dir}/package.json`, 'utf8'));
    expect(manifest).toMatchObject({
      name: '@codeqr-integrations/n8n-nodes-codeqr',
      license: 'MIT',
      keywords: expect.arrayContaining(['n8n-community-node-package']),
      n8n: { n8nNodesApiVersion: 1, strict: true },
      peerDependencies: { 'n8n-workflow': '*' },
    });
    expect(manifest.dependencies).toBeUndefined();
    // a clean CommonJS manifest: nothing of the workspace, and no second manifest inside dist/
    expect(manifest.type).toBeUndefined();
    expect(manifest.devDependencies).toBeUndefined();
    expect(manifest.scripts).toBeUndefined();
    expect(manifest.files).toEqual(['dist']);
    expect(files).not.toContain('dist/package.json');
    expect(files.filter((f) => f.endsWith('package.json'))).toEqual(['package.json']);
    for (const path of [...manifest.n8n.nodes, ...manifest.n8n.credentials]) expect(files).toContain(path);
  });

  it('ships the licence notice of every package it bundles (dist/THIRD_PARTY_NOTICES.txt) and its own LICENSE', async () => {
    const { readFileSync } = await import('node:fs');
    const bundled = packagesOfMetafile(`${PACKAGE_DIR}/.build/metafile-cjs.json`, PACKAGE_DIR).map(
      (p) => `${p.name}@${p.version}`,
    );
    expect(bundled).toEqual(
      expect.arrayContaining([expect.stringMatching(/^zod@/), expect.stringMatching(/^qrcode@/)]),
    );
    const { listed, withText } = readNotices(readFileSync(`${packed.dir}/dist/THIRD_PARTY_NOTICES.txt`, 'utf8'));
    expect(listed).toEqual(bundled);
    expect(withText).toEqual(bundled);
    expect(readFileSync(`${packed.dir}/LICENSE`, 'utf8')).toMatch(/^MIT License/);
  });

  it('requires only n8n-workflow, crypto and relative files from its dist', () => {
    expect(forbiddenRequires(packed.dir)).toEqual([]);
  });

  it('loads in CommonJS the way n8n loads it, with one shared n8n-workflow', async () => {
    // from the built dist in the workspace, where n8n-workflow resolves as it does inside n8n
    const { createRequire } = await import('node:module');
    const require = createRequire(import.meta.url);
    const workflow = require('n8n-workflow');
    for (const [file, name] of [
      ['../dist/nodes/CodeQr/CodeQr.node.js', 'CodeQr'],
      ['../dist/nodes/CodeQrTrigger/CodeQrTrigger.node.js', 'CodeQrTrigger'],
      ['../dist/nodes/CodeQrWebhookTrigger/CodeQrWebhookTrigger.node.js', 'CodeQrWebhookTrigger'],
      ['../dist/credentials/CodeQrApi.credentials.js', 'CodeQrApi'],
    ] as const) {
      const loaded = require(file);
      expect(typeof loaded[name], file).toBe('function');
      expect(new loaded[name]().description?.name ?? new loaded[name]().name).toBeTruthy();
    }
    expect(typeof workflow.NodeApiError).toBe('function');
  });

  it('passes n8n verification scanner (analyzePackage over the unpacked npm pack), 0 findings', async () => {
    const result = await scan(packed.dir);
    expect(result.passed, `${result.message}\n${result.details}`).toBe(true);
  }, 120_000);

  it('passes n8n lint (the n8n-node lint config) with 0 problems', async () => {
    const { problems, report } = lint();
    expect(problems, report).toBe(0);
  }, 120_000);
});

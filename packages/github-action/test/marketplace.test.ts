/**
 * The folder the release pushes to the Marketplace repository: action.yml at its root, the committed dist, notices,
 * README for Action users and LICENSE; and the runner's way of using it (`node dist/index.js` from that folder, with
 * nothing of this repository around it) runs an operation against the sandbox.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from '@codeqr-integrations/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { distFiles } from '../scripts/build.ts';
import { ACTION_REPOSITORY, buildMarketplaceFolder, packageRoot } from '../scripts/marketplace.ts';
import { runAction } from '../scripts/run-dist.ts';

let folder: string;
let parent: string;
beforeAll(() => {
  // outside the repository: no node_modules above it to fall back on
  parent = mkdtempSync(join(tmpdir(), 'codeqr-marketplace-'));
  folder = buildMarketplaceFolder(join(parent, 'codeqr-action'));
});
afterAll(() => rmSync(parent, { recursive: true, force: true }));

describe('the Marketplace folder', () => {
  it('holds action.yml at its root, the bundle, its notices, a README for Action users and the licence', () => {
    expect(readdirSync(folder).sort()).toEqual([
      'LICENSE',
      'README.md',
      'action.yml',
      'dist',
      'examples',
      'package.json',
    ]);
    expect(readdirSync(join(folder, 'dist')).sort()).toEqual(['THIRD_PARTY_NOTICES.txt', 'chunks', 'index.js']);
    // every chunk of the committed bundle, and nothing else
    expect(distFiles(join(folder, 'dist'))).toEqual(distFiles(join(packageRoot, 'dist')));
    const action = parse(readFileSync(join(folder, 'action.yml'), 'utf8'));
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
    expect(action.branding).toBeDefined();
    const readme = readFileSync(join(folder, 'README.md'), 'utf8');
    expect(readme).toContain(`uses: ${ACTION_REPOSITORY}@v1`);
    expect(readme).not.toContain('packages/github-action@');
    // every relative link of the README leads to a file of the folder; nothing of the monorepo's layout is left
    for (const [, target] of readme.matchAll(/\]\((?!https?:|#)([^)#]+)/g)) {
      expect(existsSync(join(folder, target ?? '')), `README links ${target}`).toBe(true);
    }
    expect(readme).not.toMatch(/packages\/github-action|src\/main\.ts|test\/\w+\.test\.ts/);
    expect(readFileSync(join(folder, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
  });

  it('runs an operation from that folder alone, as a runner does (node dist/index.js)', async () => {
    const key = 'codeqr_marketplace_key';
    const sandbox = await startSandbox({ keys: [{ key, plan: 'business' }], seed: 19 });
    try {
      expect(existsSync(join(parent, 'node_modules'))).toBe(false);
      const result = await runAction({
        entry: join(folder, 'dist', 'index.js'),
        inputs: {
          operation: 'create-qr-code',
          'api-key': key,
          'api-base-url': sandbox.url,
          url: 'https://example.com/from-the-marketplace-folder',
          title: 'Marketplace folder',
        },
      });
      expect(result.errors).toEqual([]);
      expect(result.code).toBe(0);
      expect(result.outputs['short-link']).toMatch(/^http:\/\//);
      // the key is handed to the runner to mask (`::add-mask::`) and appears nowhere else
      const printed = `${result.stdout}${result.stderr}`.split('\n').filter((l) => !l.startsWith('::add-mask::'));
      expect(printed.join('\n')).not.toContain(key);
    } finally {
      await sandbox.close();
    }
  }, 60_000);
});

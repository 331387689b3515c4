/** Every package ships the MIT licence its manifest names, the same text as the repository's. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PACKAGES = ['core', 'sandbox', 'n8n-node', 'zapier-app', 'github-action'];

describe('licences', () => {
  const root = readFileSync(path.join(ROOT, 'LICENSE'), 'utf8');

  it('the repository is MIT-licensed', () => {
    expect(root).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} CodeQR\n/);
    expect(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).license).toBe('MIT');
  });

  it.each(PACKAGES)('packages/%s has LICENSE (the same MIT text) and says MIT in package.json', (name) => {
    const dir = path.join(ROOT, 'packages', name);
    expect(readFileSync(path.join(dir, 'LICENSE'), 'utf8')).toBe(root);
    expect(JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).license).toBe('MIT');
  });
});

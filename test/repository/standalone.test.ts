/**
 * The repository stands alone: a clone in an empty folder runs every test, script and build. No file under
 * `packages/`, `test/`, `.ci/` or `spec/` may name the folder that sits beside the repository in this project's
 * workplace (its CodeQR API brief and research notes), nor reach outside the repository with a relative path.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SCANNED = ['packages', 'test', '.ci', 'spec', 'package.json', 'vitest.config.ts', 'vitest.resilience.config.ts'];
const SKIP_DIRS = new Set(['node_modules', 'dist', '.zapier-build', '.git']);
const TEXT = /\.(ts|mts|cts|js|mjs|cjs|json|ya?ml|sh|md|txt)$|^[^.]+$/;

function* files(entry: string): Generator<string> {
  const full = path.join(ROOT, entry);
  if (statSync(full).isFile()) {
    yield full;
    return;
  }
  for (const name of readdirSync(full)) {
    if (SKIP_DIRS.has(name)) continue;
    const child = path.join(full, name);
    if (statSync(child).isDirectory()) yield* files(path.relative(ROOT, child));
    else if (TEXT.test(name) && statSync(child).size < 2_000_000) yield child;
  }
}

// built from parts, so this file does not match itself
const SIBLING = ['shared', ''].join('/');
const NAMED = new RegExp(`(?:^|[^\\w.-])(?:\\.\\./)+${SIBLING}(?:codeqr-api|notes|hooks)\\b|/work/${SIBLING}`);
/** A relative path that climbs (`../`) somewhere, e.g. `'../../x'` or `"$here/../.."`. */
const CLIMB = /(?:\.\.\/)+(?:\.\.(?=['"`\s)]|$)|[\w@.-]+)?/g;

/** Where `literal` leads from `file`, read both as a path from its folder and as a URL relative to the file. */
function escapes(file: string, literal: string): boolean {
  const viaDir = path.resolve(path.dirname(file), literal);
  const viaUrl = fileURLToPath(new URL(literal, pathToFileURL(file)));
  const outside = (target: string) => path.relative(ROOT, target).startsWith('..');
  return outside(viaDir) && outside(viaUrl);
}

describe('the repository stands alone', () => {
  const scanned = SCANNED.flatMap((entry) => [...files(entry)]);

  it('scans the files it means to (sanity: the contract tests and the n8n nodes are among them)', () => {
    const names = scanned.map((file) => path.relative(ROOT, file));
    expect(names).toContain('test/contract/spec.ts');
    expect(names).toContain('.ci/run');
    expect(names.some((name) => name.startsWith('packages/n8n-node/nodes/'))).toBe(true);
  });

  it('no file names the folder beside the repository (its API brief or research notes)', () => {
    const offenders = scanned
      .filter((file) => NAMED.test(readFileSync(file, 'utf8')))
      .map((file) => path.relative(ROOT, file));
    expect(offenders).toEqual([]);
  });

  it('no relative path leads outside the repository', () => {
    const offenders: string[] = [];
    for (const file of scanned) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(CLIMB)) {
        if (escapes(file, match[0])) offenders.push(`${path.relative(ROOT, file)}: ${match[0]}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('the detector finds what it must (each would fail the checks above)', () => {
    const file = path.join(ROOT, 'test/contract/spec.ts');
    expect(NAMED.test(`readFileSync('../${SIBLING}codeqr-api/openapi.json')`)).toBe(true);
    expect(NAMED.test(`see ../../${SIBLING}notes/zapier.md`)).toBe(true);
    expect(NAMED.test(`import { x } from '../${SIBLING}fields.ts'`)).toBe(false); // n8n's own nodes/shared/
    expect(escapes(file, `${'../'.repeat(3)}elsewhere`)).toBe(true);
    expect(escapes(file, '../..')).toBe(false); // the repository root, as new URL('../..', import.meta.url) reads it
    expect(escapes(file, '../support/seeds.ts')).toBe(false);
  });
});

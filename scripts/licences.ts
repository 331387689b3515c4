/**
 * Third-party licence notices for a bundle: every package esbuild inlined (read from its metafile's inputs) with its
 * name, version, licence and the full text of its licence file, written beside the bundle as
 * `THIRD_PARTY_NOTICES.txt`. The bundles are minified with `legalComments: 'none'` (their comments would be scattered
 * and incomplete); this file is what keeps the notices MIT, ISC and Apache-2.0 ask to ship with the code.
 *
 * A bundled package without a licence file fails the build: the notice would be incomplete. Build tooling only (it
 * reads node_modules); nothing here is bundled.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const NOTICES_FILE = 'THIRD_PARTY_NOTICES.txt';

export interface BundledPackage {
  name: string;
  version: string;
  license: string;
  /** The package's licence file, as shipped. */
  text: string;
}

/** The packages under `node_modules` that a metafile's inputs come from (workspace code is this project's own). */
export function bundledPackages(inputs: Iterable<string>, workingDir: string): BundledPackage[] {
  const dirs = new Set<string>();
  for (const input of inputs) {
    const file = path.resolve(workingDir, input.replace(/^[\w-]+:/, ''));
    const parts = file.split(path.sep);
    const at = parts.lastIndexOf('node_modules');
    if (at < 0) continue;
    const depth = parts[at + 1]?.startsWith('@') ? 3 : 2;
    dirs.add(parts.slice(0, at + depth).join(path.sep));
  }
  const packages = new Map<string, BundledPackage>();
  const missing: string[] = [];
  for (const dir of dirs) {
    const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    const licenseFile = readdirSync(dir).find((name) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(name));
    if (!licenseFile) {
      missing.push(`${manifest.name}@${manifest.version}`);
      continue;
    }
    const license = typeof manifest.license === 'string' ? manifest.license : (manifest.license?.type ?? 'UNKNOWN');
    const text = readFileSync(path.join(dir, licenseFile), 'utf8').trim();
    packages.set(`${manifest.name}@${manifest.version}`, {
      name: manifest.name,
      version: manifest.version,
      license,
      text,
    });
  }
  if (missing.length > 0) {
    throw new Error(`bundled packages without a licence file (their notice cannot be shipped): ${missing.join(', ')}`);
  }
  return [...packages.values()].sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
}

/** The notices file's text: a list of the packages first, then each package's licence in full. Deterministic. */
export function noticesText(bundle: string, packages: readonly BundledPackage[]): string {
  const rule = '-'.repeat(78);
  const lines = [
    `Third-party software bundled in ${bundle}`,
    '',
    `The packages below are bundled in ${bundle}, each listed with its licence; their licence texts follow.`,
    '',
    ...packages.map((p) => `- ${p.name}@${p.version} (${p.license})`),
    '',
  ];
  for (const p of packages) lines.push(rule, `${p.name}@${p.version} (${p.license})`, rule, '', p.text, '');
  return `${lines.join('\n')}`;
}

/** Reads `THIRD_PARTY_NOTICES.txt` back: the `name@version` of every package it lists, and whether its text is there. */
export function readNotices(text: string): { listed: string[]; withText: string[] } {
  const listed = [...text.matchAll(/^- (\S+@\S+) \(/gm)].map((m) => m[1] ?? '');
  const rule = '-'.repeat(78);
  const withText = [...text.matchAll(new RegExp(`^${rule}\\n(\\S+@\\S+) \\(.*\\)\\n${rule}\\n\\n(.+)`, 'gm'))]
    .filter((m) => (m[2] ?? '').trim().length > 0)
    .map((m) => m[1] ?? '');
  return { listed, withText };
}

/** What esbuild's metafile says of its outputs: the bytes each input put into each output file. */
export interface Metafile {
  outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }>;
}

/**
 * The inputs that put code into an output: a module esbuild read but tree-shook away entirely (a package reached
 * through an entry whose other names are used) ships nothing, so it owes no notice.
 */
export function shippedInputs(meta: Metafile): string[] {
  const shipped = new Set<string>();
  for (const output of Object.values(meta.outputs))
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) if (bytesInOutput > 0) shipped.add(input);
  return [...shipped];
}

/** The packages of a metafile written by esbuild (or tsup's `metafile: true`). */
export function packagesOfMetafile(metafilePath: string, workingDir: string): BundledPackage[] {
  if (!existsSync(metafilePath)) throw new Error(`no metafile at ${metafilePath}: build first`);
  return bundledPackages(shippedInputs(JSON.parse(readFileSync(metafilePath, 'utf8')) as Metafile), workingDir);
}

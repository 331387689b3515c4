/**
 * `npm run release:check -- vX.Y.Z`: the tag a release runs for names the version every released package has (the
 * five are versioned together by Changesets, `.changeset/config.json` "fixed"); exits non-zero, saying which package
 * differs, otherwise. Run by `.github/workflows/release.yml` before anything is published.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const RELEASED = ['core', 'sandbox', 'n8n-node', 'zapier-app', 'github-action'] as const;

const root = fileURLToPath(new URL('../..', import.meta.url));

/** What is wrong with releasing `tag` from this checkout: an empty list when nothing is. */
export function tagProblems(tag: string, read = (file: string) => readFileSync(join(root, file), 'utf8')): string[] {
  const version = /^v(\d+\.\d+\.\d+(?:-[\w.]+)?)$/.exec(tag)?.[1];
  if (!version) return [`"${tag}" is not a version tag: tag releases vX.Y.Z (e.g. v1.2.3)`];
  const problems: string[] = [];
  for (const dir of RELEASED) {
    const manifest = JSON.parse(read(`packages/${dir}/package.json`)) as { name: string; version: string };
    if (manifest.version !== version)
      problems.push(
        `${manifest.name} is at ${manifest.version}, not ${version}: run \`npm run version-packages\` first`,
      );
  }
  return problems;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const tag = process.argv[2] ?? '';
  const problems = tagProblems(tag);
  for (const problem of problems) console.error(`::error::${problem}`);
  if (problems.length > 0) process.exit(1);
  console.log(`${tag}: every released package is at ${tag.slice(1)}`);
}

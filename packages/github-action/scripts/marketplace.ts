/**
 * `npm run marketplace -w codeqr-github-action [-- <folder>]`: the Action as the GitHub Marketplace takes it, in a
 * folder of its own (default `.marketplace/`, gitignored) that the release workflow pushes to the dedicated action
 * repository (`codeqr-io/codeqr-action`) and tags `v1.x.y` plus the moving major `v1`:
 *
 *   action.yml                 at the root (the Marketplace lists one action per repository, from its root)
 *   dist/index.js, dist/chunks/ the committed bundle (entry and the chunks it loads on demand), as it is
 *   dist/THIRD_PARTY_NOTICES.txt
 *   README.md                  this package's README, with `uses:` lines naming the action repository, without
 *                              what concerns only the monorepo (between `<!-- monorepo-only -->` markers)
 *   examples/                  the example workflows the README links to
 *   LICENSE
 *
 * Nothing is rebuilt here: the folder holds exactly the committed files (`test/dist.test.ts` keeps them fresh), so
 * what the Marketplace runs is what this repository's tests ran. `test/marketplace.test.ts` runs `dist/index.js` from
 * the built folder alone.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The repository the Marketplace lists the Action from. */
export const ACTION_REPOSITORY = 'codeqr-io/codeqr-action';
const MONOREPO_USES = /codeqr-io\/codeqr-integrations\/packages\/github-action@/g;

/**
 * The README as Action users read it: what concerns only the monorepo (between `<!-- monorepo-only -->` markers)
 * left out, and `uses:` lines naming the action repository.
 */
export function marketplaceReadme(readme: string): string {
  return readme
    .replace(/\n?<!-- monorepo-only -->[\s\S]*?<!-- \/monorepo-only -->\n?/g, '\n')
    .replace(MONOREPO_USES, `${ACTION_REPOSITORY}@`);
}

export function buildMarketplaceFolder(out = join(packageRoot, '.marketplace')): string {
  const folder = resolve(out);
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(join(folder, 'dist'), { recursive: true });
  for (const file of ['action.yml', 'dist/index.js', 'dist/chunks', 'dist/THIRD_PARTY_NOTICES.txt', 'LICENSE']) {
    if (!existsSync(join(packageRoot, file))) throw new Error(`${file} is missing: run npm run build first`);
    cpSync(join(packageRoot, file), join(folder, file), { recursive: true });
  }
  // the example workflows the README links to, as users copy them
  cpSync(join(packageRoot, 'examples'), join(folder, 'examples'), { recursive: true });
  writeFileSync(join(folder, 'README.md'), marketplaceReadme(readFileSync(join(packageRoot, 'README.md'), 'utf8')));
  // the bundle is ESM (`import` statements): Node reads it so only under a package.json that says so
  writeFileSync(join(folder, 'package.json'), `${JSON.stringify({ private: true, type: 'module' }, null, 2)}\n`);
  return folder;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const folder = buildMarketplaceFolder(process.argv[2]);
  console.log(`Marketplace folder: ${folder}`);
}

/**
 * A standalone copy of the built app for `zapier-platform build` / `push`, in `.zapier-build/app` (gitignored):
 * package.json with only the runtime dependency, `dist/` (core already bundled in), `.zapierapprc`, and
 * zapier-platform-core installed from the registry into its own node_modules.
 *
 * Why: in the workspace, npm hoists zapier-platform-core to the repo root, and the CLI's `includeInBuild` only
 * walks the app folder, so the `require.mjs` files its dependency scan misses (see the notes on 19.1.0) cannot be
 * added from there; and a build without `--skip-dep-install` fails on the workspace-only devDependencies.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const appDir = join(dirname(fileURLToPath(import.meta.url)), '..');
export const stageDir = join(appDir, '.zapier-build', 'app');

export function buildDist(): void {
  execFileSync('npm', ['run', 'build'], { cwd: appDir, stdio: ['ignore', 'inherit', 'inherit'] });
}

/** Builds `dist/` and lays out the standalone app; reuses its node_modules when the dependencies did not change. */
export function stage(): string {
  buildDist();
  const pkg = JSON.parse(readFileSync(join(appDir, 'package.json'), 'utf8'));
  const runtime = {
    name: pkg.name,
    version: pkg.version,
    description: pkg.description,
    license: pkg.license,
    private: true,
    type: pkg.type,
    exports: pkg.exports,
    engines: pkg.engines,
    dependencies: pkg.dependencies,
  };
  const pkgPath = join(stageDir, 'package.json');
  const same = existsSync(pkgPath) && readFileSync(pkgPath, 'utf8') === `${JSON.stringify(runtime, null, 2)}\n`;
  if (!same) rmSync(stageDir, { recursive: true, force: true });
  mkdirSync(stageDir, { recursive: true });
  writeFileSync(pkgPath, `${JSON.stringify(runtime, null, 2)}\n`);
  rmSync(join(stageDir, 'dist'), { recursive: true, force: true });
  cpSync(join(appDir, 'dist'), join(stageDir, 'dist'), { recursive: true });
  cpSync(join(appDir, '.zapierapprc'), join(stageDir, '.zapierapprc'));
  for (const optional of ['README.md', 'LICENSE', '.env']) {
    if (existsSync(join(appDir, optional))) cpSync(join(appDir, optional), join(stageDir, optional));
  }
  writeFileSync(join(stageDir, '.gitignore'), 'node_modules/\nbuild/\n.env\n');
  if (!same || !existsSync(join(stageDir, 'node_modules', 'zapier-platform-core'))) {
    execFileSync('npm', ['install', '--omit=dev', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: stageDir,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
  }
  return stageDir;
}

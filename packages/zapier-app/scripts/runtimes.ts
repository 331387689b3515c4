/**
 * The Zapier CLI and Zapier's Node runtime, installed from the npm registry into a cache folder outside the repo
 * and reused when present. The CLI must never sit in the app's own node_modules: `zapier-platform build` copies the
 * app folder, and the CLI's ~800 packages make it fail with EMFILE.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const CLI_VERSION = '19.1.0';
/** zapier-platform-core 19.x runs on Node 22 on Zapier (the CLI's version-store: 19.x → 22). */
export const RUNTIME_NODE_MAJOR = 22;

export const cacheRoot = () => join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'codeqr-integrations');

function npmInstall(prefix: string, spec: string, check: string): void {
  if (existsSync(check)) return;
  const staging = `${prefix}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  console.log(`installing ${spec} into ${prefix} (once; reused afterwards)`);
  execFileSync(
    'npm',
    ['install', '--prefix', staging, '--no-audit', '--no-fund', '--no-save', '--loglevel=error', spec],
    {
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  rmSync(prefix, { recursive: true, force: true });
  renameSync(staging, prefix);
  if (!existsSync(check)) throw new Error(`installing ${spec} did not produce ${check}`);
}

/** `zapier-platform` 19.1.0 (installs it on first use). */
export function zapierCli(): string {
  const prefix = join(cacheRoot(), `zapier-cli-${CLI_VERSION}`);
  const bin = join(prefix, 'node_modules', '.bin', 'zapier-platform');
  npmInstall(prefix, `zapier-platform-cli@${CLI_VERSION}`, bin);
  return bin;
}

/** A Node 22 binary from the `node` package, like the repo's own Node 24 (installs it on first use). */
export function node22(): string {
  const prefix = join(cacheRoot(), `node-${RUNTIME_NODE_MAJOR}`);
  const bin = join(prefix, 'node_modules', '.bin', 'node');
  npmInstall(prefix, `node@${RUNTIME_NODE_MAJOR}`, bin);
  const version = execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim();
  if (!version.startsWith(`v${RUNTIME_NODE_MAJOR}.`)) {
    throw new Error(`${bin} is ${version}, expected Node ${RUNTIME_NODE_MAJOR}; delete ${prefix} and rerun.`);
  }
  return bin;
}

/**
 * `npm run zapier -- <zapier-platform command>`: Zapier's CLI 19.1.0 (installed into the cache on first use) run
 * on the right copy of the app.
 *
 * - `invoke <key> [-i '<json>'] [--sandbox[=<url>]]`: runs one trigger, create or search locally
 *   (`zapier-platform invoke <type> <key>`; the type is looked up from the key). `--sandbox` points the app at a
 *   local sandbox (default http://127.0.0.1:8787, the one `npm run sandbox` starts) with its default key.
 * - `build`, `push`, `upload`, `register`, `link`, and anything else that packages or identifies the app: run in
 *   the standalone copy (`scripts/stage.ts`); a `.zapierapprc` that `register`/`link` writes is copied back.
 * - Everything else (`validate`, `describe`, ...): run in this package.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { zapierCli } from './runtimes.ts';
import { appDir, buildDist, stage, stageDir } from './stage.ts';

const STAGED = new Set(['build', 'push', 'upload', 'register', 'link', 'promote', 'migrate', 'versions', 'deprecate']);
const SANDBOX_URL = 'http://127.0.0.1:8787';
const SANDBOX_KEY = 'codeqr_sandbox_key';
const TYPES = ['auth', 'trigger', 'search', 'create'];

async function invokeArgs(args: string[]): Promise<string[]> {
  const [, first, ...rest] = args;
  if (!first || TYPES.includes(first) || first.startsWith('-')) return args;
  const { default: app } = await import('../src/index.ts');
  const type =
    first in app.triggers ? 'trigger' : first in app.creates ? 'create' : first in app.searches ? 'search' : undefined;
  if (!type) {
    const keys = [...Object.keys(app.triggers), ...Object.keys(app.creates), ...Object.keys(app.searches)];
    throw new Error(`"${first}" is not a trigger, create or search of this app; one of: ${keys.join(', ')}`);
  }
  return ['invoke', type, first, ...rest];
}

async function main(argv: string[]): Promise<number> {
  const env: Record<string, string | undefined> = {
    ...process.env,
    PATH: `${join(appDir, '..', '..', 'node_modules', '.bin')}:${process.env.PATH ?? ''}`,
  };
  let args = argv.filter((arg) => !arg.startsWith('--sandbox'));
  const sandbox = argv.find((arg) => arg.startsWith('--sandbox'));
  if (sandbox) {
    env.CODEQR_API_BASE_URL ??= sandbox.includes('=') ? sandbox.split('=')[1] : SANDBOX_URL;
    env.authData_apiKey ??= SANDBOX_KEY;
  }
  const command = args[0];
  if (!command) {
    console.log('usage: npm run zapier -- <invoke <key> | validate | build | push | ...> [flags]');
    return 1;
  }
  if (command === 'invoke') args = await invokeArgs(args);

  const cli = zapierCli();
  let cwd = appDir;
  if (STAGED.has(command)) cwd = stage();
  else buildDist();
  const result = spawnSync(cli, args, { cwd, env, stdio: 'inherit' });
  if ((command === 'register' || command === 'link') && existsSync(join(stageDir, '.zapierapprc'))) {
    cpSync(join(stageDir, '.zapierapprc'), join(appDir, '.zapierapprc'));
  }
  return result.status ?? 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);

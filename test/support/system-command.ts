/**
 * A command line a test needs from the machine (not from npm): present, or installed from Debian's packages as the
 * project's scripts install Chromium (apt-get as root, through sudo otherwise), so `npm test` on a fresh machine does
 * its own set-up. Anything else fails with one sentence naming the command and how to install it.
 */
import { execFileSync, spawnSync } from 'node:child_process';

const present = (command: string) => spawnSync(command, ['version'], { stdio: 'ignore' }).error === undefined;

export function ensureCommand(command: string, debianPackage: string): void {
  if (present(command)) return;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const options = { stdio: 'ignore' as const, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } };
  const run = (args: string[]) =>
    root ? execFileSync('apt-get', args, options) : execFileSync('sudo', ['-n', 'apt-get', ...args], options);
  try {
    run(['update', '-qq']);
    run(['install', '-y', '-qq', '--no-install-recommends', debianPackage]);
  } catch {
    // reported below, with the fix
  }
  if (!present(command))
    throw new Error(`this test needs the ${command} command line: install it (apt-get install -y ${debianPackage}).`);
}

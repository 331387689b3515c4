/**
 * Runs the committed bundle the way a runner does: `node dist/index.js` (Node 24) in a clean environment with
 * `INPUT_*` variables (hyphens kept, as the runner sets them), `GITHUB_OUTPUT` / `GITHUB_STEP_SUMMARY` files and an
 * event payload; returns the exit code, the log and the outputs parsed from the output file.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const dist = join(packageRoot, 'dist', 'index.js');
/** Node 24 from the repo's `node` devDependency (the machine's own may be older). */
export const node24 = join(packageRoot, '..', '..', 'node_modules', '.bin', 'node');

export interface RunOptions {
  inputs: Record<string, string>;
  githubApiUrl?: string;
  event?: { name: string; payload: unknown };
  /** Working directory (the "workspace"); a fresh temp dir by default. */
  cwd?: string;
  env?: Record<string, string>;
  /** The script to run instead of the committed dist (e.g. a fresh bundle of src/; or set CODEQR_ACTION_ENTRY). */
  entry?: string;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  errors: string[];
  cwd: string;
}

/** Parses `name<<DELIMITER\nvalue\nDELIMITER` blocks (and `name=value` lines) of a GITHUB_OUTPUT file. */
export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc as unknown as [string, string, string];
      const value: string[] = [];
      i++;
      while (i < lines.length && lines[i] !== delimiter) value.push(lines[i++] as string);
      if (i >= lines.length) throw new Error(`unterminated output ${name}`);
      out[name] = value.join('\n');
    } else if (line.includes('=')) {
      const at = line.indexOf('=');
      out[line.slice(0, at)] = line.slice(at + 1);
    }
  }
  return out;
}

export function runAction(options: RunOptions): Promise<RunResult> {
  const cwd = options.cwd ?? mkdtempSync(join(tmpdir(), 'codeqr-action-'));
  const runnerDir = mkdtempSync(join(tmpdir(), 'codeqr-runner-'));
  const outputFile = join(runnerDir, 'output');
  const summaryFile = join(runnerDir, 'summary');
  const eventFile = join(runnerDir, 'event.json');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  writeFileSync(eventFile, JSON.stringify(options.event?.payload ?? {}));
  mkdirSync(join(runnerDir, 'temp'), { recursive: true });
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_EVENT_PATH: eventFile,
    GITHUB_EVENT_NAME: options.event?.name ?? 'push',
    GITHUB_REPOSITORY: 'acme/widgets',
    GITHUB_WORKSPACE: cwd,
    GITHUB_SERVER_URL: 'https://github.com',
    RUNNER_TEMP: join(runnerDir, 'temp'),
    ...(options.githubApiUrl ? { GITHUB_API_URL: options.githubApiUrl } : {}),
    ...options.env,
  };
  for (const [name, value] of Object.entries(options.inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  return new Promise((resolve, reject) => {
    const child = spawn(node24, [options.entry ?? process.env.CODEQR_ACTION_ENTRY ?? dist], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({
        code: code ?? -1,
        stdout,
        stderr,
        outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
        summary: readFileSync(summaryFile, 'utf8'),
        errors: stdout
          .split('\n')
          .filter((l) => l.startsWith('::error'))
          .map((l) => l.replace(/^::error[^:]*::/, '')),
        cwd,
      });
    });
  });
}

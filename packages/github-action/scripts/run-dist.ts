/**
 * Runs the Action's bundle the way a runner runs a `node24` action: `node dist/index.js` in the workspace, in a
 * clean environment (nothing of the caller's but PATH), inputs as `INPUT_<NAME>` variables (upper-cased, hyphens
 * kept), the step's outputs and job summary written to the files named by `GITHUB_OUTPUT` / `GITHUB_STEP_SUMMARY`,
 * and an event payload at `GITHUB_EVENT_PATH`. Returns the exit code, the log and the outputs parsed from the
 * output file. The one runner of the dist tests (test/) and the root demo (scripts/demo).
 * (https://docs.github.com/en/actions/reference/workflows-and-actions/metadata-syntax#inputs,
 * https://docs.github.com/en/actions/using-workflows/workflow-commands-for-github-actions#environment-files)
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The committed bundle. */
export const dist = join(packageRoot, 'dist', 'index.js');
/** Node 24 from the repo's `node` devDependency (the machine's own may be older). */
export const node24 = join(packageRoot, '..', '..', 'node_modules', '.bin', 'node');

export interface RunOptions {
  inputs: Record<string, string>;
  githubApiUrl?: string;
  event?: { name: string; payload: unknown };
  /** Working directory (the "workspace"); a fresh temp dir by default. */
  cwd?: string;
  /** Where the runner's files go (output, summary, event, RUNNER_TEMP); a fresh temp dir by default. */
  runnerDir?: string;
  /** `GITHUB_REPOSITORY`; default acme/widgets. */
  repository?: string;
  env?: Record<string, string>;
  /** The script to run instead of the committed dist (e.g. a fresh bundle of src/; or set CODEQR_ACTION_ENTRY). */
  entry?: string;
  /** The node binary; default the repo's Node 24. */
  node?: string;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr as they came. */
  log: string;
  outputs: Record<string, string>;
  summary: string;
  /** The `::error::` lines of the log. */
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

/** The runner's files for one step: empty output and summary, the event payload, RUNNER_TEMP. */
function runnerFiles(runnerDir: string, payload: unknown) {
  mkdirSync(join(runnerDir, 'temp'), { recursive: true });
  const files = {
    output: join(runnerDir, 'output'),
    summary: join(runnerDir, 'summary.md'),
    event: join(runnerDir, 'event.json'),
    temp: join(runnerDir, 'temp'),
  };
  writeFileSync(files.output, '');
  writeFileSync(files.summary, '');
  writeFileSync(files.event, JSON.stringify(payload ?? {}));
  return files;
}

export function runAction(options: RunOptions): Promise<RunResult> {
  const cwd = options.cwd ?? mkdtempSync(join(tmpdir(), 'codeqr-action-'));
  const files = runnerFiles(options.runnerDir ?? mkdtempSync(join(tmpdir(), 'codeqr-runner-')), options.event?.payload);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_EVENT_NAME: options.event?.name ?? 'push',
    GITHUB_REPOSITORY: options.repository ?? 'acme/widgets',
    GITHUB_WORKSPACE: cwd,
    GITHUB_SERVER_URL: 'https://github.com',
    RUNNER_TEMP: files.temp,
    ...(options.githubApiUrl ? { GITHUB_API_URL: options.githubApiUrl } : {}),
    ...options.env,
  };
  for (const [name, value] of Object.entries(options.inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  const entry = options.entry ?? process.env.CODEQR_ACTION_ENTRY ?? dist;
  return new Promise((resolve, reject) => {
    const child = spawn(options.node ?? node24, [entry], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let log = '';
    child.stdout.on('data', (d) => {
      stdout += d;
      log += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
      log += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({
        code: code ?? -1,
        stdout,
        stderr,
        log,
        outputs: parseOutputFile(readFileSync(files.output, 'utf8')),
        summary: readFileSync(files.summary, 'utf8'),
        errors: stdout
          .split('\n')
          .filter((l) => l.startsWith('::error'))
          .map((l) => l.replace(/^::error[^:]*::/, '')),
        cwd,
      });
    });
  });
}

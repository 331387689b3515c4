/**
 * The GitHub Action's committed bundle run the way a runner runs a `node24` action: `node dist/index.js` in the
 * workspace, inputs as `INPUT_<NAME>` variables (upper-cased, hyphens kept), and the step's outputs and job summary
 * written to the files named by `GITHUB_OUTPUT` / `GITHUB_STEP_SUMMARY`.
 * (https://docs.github.com/en/actions/reference/workflows-and-actions/metadata-syntax#inputs,
 * https://docs.github.com/en/actions/using-workflows/workflow-commands-for-github-actions#environment-files)
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ACTION_DIST = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'packages',
  'github-action',
  'dist',
  'index.js',
);

export interface ActionRun {
  code: number;
  outputs: Record<string, string>;
  summary: string;
  /** The `::error::` lines of the log. */
  errors: string[];
  log: string;
}

/** `name<<DELIMITER … DELIMITER` blocks and `name=value` lines of a GITHUB_OUTPUT file. */
export function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name = '', delimiter] = heredoc;
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i] as string);
      out[name] = value.join('\n');
    } else if (line.includes('=')) {
      out[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return out;
}

/**
 * One run of the Action in `workspace` (the checkout), with the runner's files in `runnerDir`. The environment is a
 * runner's, not this process's: nothing of the caller's leaks in but PATH.
 */
export function runAction(inputs: Record<string, string>, workspace: string, runnerDir: string): Promise<ActionRun> {
  mkdirSync(join(runnerDir, 'temp'), { recursive: true });
  const outputFile = join(runnerDir, 'output');
  const summaryFile = join(runnerDir, 'summary.md');
  const eventFile = join(runnerDir, 'event.json');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  writeFileSync(eventFile, '{}');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_EVENT_PATH: eventFile,
    GITHUB_EVENT_NAME: 'push',
    GITHUB_REPOSITORY: 'acme/catalogue',
    GITHUB_WORKSPACE: workspace,
    GITHUB_SERVER_URL: 'https://github.com',
    RUNNER_TEMP: join(runnerDir, 'temp'),
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  return new Promise((resolve, reject) => {
    // this process's Node (npm start runs on the repo's Node 24, as `runs.using: node24` does)
    const child = spawn(process.execPath, [ACTION_DIST], { cwd: workspace, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stdout.on('data', (d) => {
      log += d;
    });
    child.stderr.on('data', (d) => {
      log += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({
        code: code ?? -1,
        outputs: parseOutputs(readFileSync(outputFile, 'utf8')),
        summary: readFileSync(summaryFile, 'utf8'),
        errors: log
          .split('\n')
          .filter((l) => l.startsWith('::error'))
          .map((l) => l.replace(/^::error[^:]*::/, '')),
        log,
      });
    });
  });
}

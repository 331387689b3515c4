/**
 * Runs one step of the Action from src/ in this process, as `dist/index.js` does (`run()` of `main.ts`, inputs as
 * `INPUT_*` variables, outputs through `@actions/core` into a `GITHUB_OUTPUT` file), for the fast suites that drive
 * many steps against the sandbox. The job summary is off unless asked for; `path` defaults to a temporary file.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseOutputFile } from '../../scripts/run-dist.ts';
import { run } from '../../src/main.ts';

export interface StepRun {
  outputs: Record<string, string>;
  /** The step's `::error::` line, when it failed. */
  error?: string;
  log: string;
}

/**
 * Runs `body` as inside a step: `env` and `inputs` (as `INPUT_*`) set, stdout (the workflow commands) captured and
 * `process.exitCode` kept; the process environment and stdout are restored afterwards. Returns what was written.
 */
export async function inStepEnvironment(
  env: Record<string, string>,
  inputs: Record<string, string>,
  body: () => Promise<void>,
): Promise<string> {
  const all = { ...env };
  for (const [name, value] of Object.entries(inputs)) all[`INPUT_${name.toUpperCase()}`] = value;
  const saved = new Map<string, string | undefined>();
  for (const [name, value] of Object.entries(all)) {
    saved.set(name, process.env[name]);
    process.env[name] = value;
  }
  const writes: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    writes.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
  const exitCode = process.exitCode;
  try {
    await body();
  } finally {
    process.stdout.write = write;
    process.exitCode = exitCode;
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
  return writes.join('');
}

/** One step with `inputs` (input names as in a workflow); the process environment is restored afterwards. */
export async function runStepInProcess(apiKey: string, inputs: Record<string, string>): Promise<StepRun> {
  const dir = mkdtempSync(join(tmpdir(), 'codeqr-step-'));
  const outputFile = join(dir, 'output');
  writeFileSync(outputFile, '');
  const env: Record<string, string> = {
    GITHUB_OUTPUT: outputFile,
    GITHUB_REPOSITORY: 'acme/widgets',
    INPUT_SUMMARY: 'false',
    INPUT_PATH: join(dir, 'image'),
  };
  const log = await inStepEnvironment(env, inputs, () => run(apiKey));
  const error = log.split('\n').find((line) => line.startsWith('::error'));
  return {
    outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
    ...(error === undefined ? {} : { error }),
    log,
  };
}

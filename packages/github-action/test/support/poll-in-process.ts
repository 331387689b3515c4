/**
 * Runs one of the Action's polls (`poll-scans`, or the `operation` input, e.g. `poll-new-qr-code`) from src/ in this
 * process, the way `main.ts` does (inputs as `INPUT_*` variables,
 * outputs through `@actions/core` into a `GITHUB_OUTPUT` file), with a fast `sleep` for the dispatch retries. The
 * state file is a real file, kept between runs as actions/cache keeps it. For the fast poll tests and the model test.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCodeQrClient } from '@codeqr-integrations/core/base';
import { parseOutputFile } from '../../scripts/run-dist.ts';
import { findCommand } from '../../src/commands.ts';
import type { Context } from '../../src/context.ts';
import { failureMessage } from '../../src/errors.ts';
import { runPoll } from '../../src/modes/poll.ts';
import { createNodeTransport } from '../../src/transport.ts';
import { inStepEnvironment } from './step-in-process.ts';

export interface PollRun {
  outputs: Record<string, string>;
  /** The step's `::error::` message, when it failed. */
  error?: string;
  log: string;
  /** `new-scans`, parsed. */
  scans: { id: string }[];
  /** `new-items` (the output of a `poll-<trigger>`), parsed. */
  items: { id: string }[];
}

export interface PollTarget {
  apiKey: string;
  apiUrl: string;
  githubUrl: string;
  /** Absolute path of the state file (the cursor the workflow caches). */
  stateFile: string;
}

export function tempStateFile(): string {
  return join(mkdtempSync(join(tmpdir(), 'codeqr-poll-state-')), 'scan-cursor.json');
}

/**
 * `sleeps` collects the dispatch retries' waits (not waited); `onWait` is called with every wait of the CodeQR client
 * (rate limits, retries), which waits at most 5 ms for real: a test with a fake clock moves it by that much.
 */
export async function runPollInProcess(
  target: PollTarget,
  inputs: Record<string, string> = {},
  sleeps: number[] = [],
  onWait?: (ms: number) => void,
): Promise<PollRun> {
  const outputFile = join(mkdtempSync(join(tmpdir(), 'codeqr-poll-out-')), 'output');
  writeFileSync(outputFile, '');
  const env: Record<string, string> = {
    GITHUB_OUTPUT: outputFile,
    GITHUB_REPOSITORY: 'acme/widgets',
    GITHUB_API_URL: target.githubUrl,
    'INPUT_STATE-FILE': target.stateFile,
    'INPUT_GITHUB-TOKEN': inputs['github-token'] ?? 'ghs_poll',
  };
  const http = createNodeTransport();
  let error: string | undefined;
  const log = await inStepEnvironment(env, inputs, async () => {
    try {
      const operation = inputs.operation ?? 'poll-scans';
      const command = findCommand(operation);
      if (!command) throw new Error(`no ${operation} command`);
      const client = createCodeQrClient({
        transport: http.transport,
        sleep: (ms) => {
          onWait?.(ms);
          return new Promise((done) => setTimeout(done, Math.min(ms, 5)));
        },
        apiKey: target.apiKey,
        baseUrl: target.apiUrl,
      });
      const ctx: Context = {
        command,
        client,
        apiBaseUrl: client.baseUrl,
        lookup: { inputFor: () => undefined, acceptsFor: () => undefined },
      };
      await runPoll(ctx, {
        sleep: async (ms) => {
          sleeps.push(ms);
        },
      });
    } catch (caught) {
      error = failureMessage(caught);
    } finally {
      http.close();
    }
  });
  const outputs = parseOutputFile(readFileSync(outputFile, 'utf8'));
  return {
    outputs,
    ...(error === undefined ? {} : { error }),
    log,
    scans: outputs['new-scans'] ? (JSON.parse(outputs['new-scans']) as { id: string }[]) : [],
    items: outputs['new-items'] ? (JSON.parse(outputs['new-items']) as { id: string }[]) : [],
  };
}

/**
 * The Action: reads the step's operation, builds the context, runs the operation's mode (one registry operation,
 * catalogue mode with `file`, or a poll), then reports through the job summary and an optional sticky PR comment.
 * Every failure is one `::error::` annotation.
 */
import * as core from '@actions/core';
import { type Command, requireCommand } from './commands.ts';
import { type Context, createContext, lookupFor } from './context.ts';
import { failureMessage, InputError } from './errors.ts';
import { input } from './inputs.ts';
import { checkPublishInputs, publishReport } from './publish.ts';
import { PartialFailure, type Report } from './report.ts';
import { createNodeTransport, proxyEnvOf } from './transport.ts';

/**
 * The mode of a step: a trigger polls, `file` is catalogue mode, anything else runs once. Each mode is loaded on
 * demand (a chunk of its own in dist/), so a step compiles only its own path before its first request.
 */
async function modeOf(command: Command): Promise<(ctx: Context) => Promise<Report>> {
  if (command.op.kind === 'trigger') return (await import('./modes/poll.ts')).runPoll;
  if (input('file')) return (await import('./modes/catalogue.ts')).runCatalogue;
  return (await import('./modes/single.ts')).runSingle;
}

/** The annotation's title: which input is wrong, or which step of which operation failed. */
function failureTitle(error: unknown, command: Command | undefined): string {
  if (error instanceof InputError) return `CodeQR: input ${error.input}`;
  return command ? `CodeQR: ${command.name} failed` : 'CodeQR: the step failed';
}

/** The `api-key` input, masked in the log before anything else can print it. */
function maskedKeyInput(): string {
  const key = core.getInput('api-key');
  if (key) core.setSecret(key);
  return key;
}

function requireApiKey(apiKey: string): void {
  if (apiKey) return;
  throw new InputError(
    'api-key',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a JS template
    'Input "api-key" is empty; set it to a secret, e.g. api-key: ${{ secrets.CODEQR_API_KEY }} ' +
      '(pull requests from forks get no secrets).',
  );
}

/**
 * Runs the step. `apiKey` defaults to the `api-key` input, read as `@actions/core` reads it (and masked), so
 * `npx @github/local-action run . src/main.ts .env` calls it with no argument; `dist/index.js` masks the key before
 * this module loads and passes it in.
 */
export async function run(apiKey: string = maskedKeyInput()): Promise<void> {
  let command: Command | undefined;
  const http = createNodeTransport({ proxyEnv: proxyEnvOf(process.env) });
  try {
    command = requireCommand(input('operation'));
    requireApiKey(apiKey);
    checkPublishInputs();
    const ctx = createContext(command, apiKey, http);
    const mode = await modeOf(command);
    const report = await mode(ctx).catch(async (error: unknown) => {
      // work was done before the failure: the summary and comment still show it
      if (error instanceof PartialFailure) await publishReport(error.report);
      throw error;
    });
    await publishReport(report);
  } catch (error) {
    // as core.setFailed, plus a title for the annotation (the run's summary lists annotations by title)
    core.error(failureMessage(error, lookupFor(command)), { title: failureTitle(error, command) });
    process.exitCode = core.ExitCode.Failure;
  } finally {
    http.close();
  }
}

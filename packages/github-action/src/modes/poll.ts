/**
 * Poll mode for a `schedule:` workflow: `poll-scans` (core's scan triggers, by `strategy`) and `poll-<trigger>`
 * (any core trigger: `poll-new-qr-code`, ...). The cursor lives in `state-file` (kept between runs by actions/cache);
 * new items become an output (`new-scans` / `new-items`) and, with `dispatch-event-type`, `repository_dispatch`
 * events. A run polls core in steps of one page, each sized to fit one dispatch and what is left of the output
 * (`poll/steps.ts`), and the state file moves past a step only once the step is delivered (`poll/dispatch.ts`):
 * nothing a run could not deliver (output full, a dispatch GitHub kept refusing) is skipped, and nothing delivered
 * comes again.
 */
import { resolve } from 'node:path';
import * as core from '@actions/core';
import { collectInput } from '../collect.ts';
import type { Context } from '../context.ts';
import { InputError } from '../errors.ts';
import { type GitHubContext, octokitFor, splitRepository } from '../github.ts';
import { input, integerInput } from '../inputs.ts';
import { setOutput } from '../outputs.ts';
import { type Delivery, deliverSteps } from '../poll/dispatch.ts';
import { type PollPlan, planFor } from '../poll/plan.ts';
import { openState } from '../poll/state.ts';
import { pollSteps } from '../poll/steps.ts';
import type { Report } from '../report.ts';

export interface PollOptions {
  /** How a retried dispatch waits (tests pass a fast one). */
  sleep?: (ms: number) => Promise<void>;
}

/** Where to dispatch, from the inputs: checked before polling, so a bad input costs no poll (nor prints items). */
interface DispatchSettings {
  eventType: string;
  batchSize: number;
  github: GitHubContext;
  repo?: { owner: string; repo: string };
}

function dispatchSettings(): DispatchSettings {
  const eventType = input('dispatch-event-type');
  if (eventType.length > 100) {
    throw new InputError('dispatch-event-type', 'Input "dispatch-event-type" must be at most 100 characters.');
  }
  const batchSize = integerInput('dispatch-batch-size', 100, 1, 1000);
  const github = {
    token: input('github-token'),
    apiUrl: input('github-api-url') || process.env.GITHUB_API_URL || 'https://api.github.com',
    repository: process.env.GITHUB_REPOSITORY,
    eventPath: process.env.GITHUB_EVENT_PATH,
  };
  const repoInput = input('dispatch-repository');
  const repo = eventType
    ? splitRepository(repoInput || github.repository, repoInput ? 'dispatch-repository' : 'GITHUB_REPOSITORY')
    : undefined;
  if (eventType && !github.token) {
    throw new InputError(
      'github-token',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a JS template
      'Input "github-token" is empty, and dispatch-event-type needs it; pass a token, e.g. github-token: ${{ github.token }}.',
    );
  }
  return { eventType, batchSize, github, ...(repo ? { repo } : {}) };
}

/** The items output and its count, named as the command's outputs are. */
function setItemOutputs(plan: PollPlan, delivered: { id: string }[]): void {
  if (plan.itemsKey === 'scans') {
    setOutput('new-scans', JSON.stringify(delivered));
    setOutput('new-scan-count', String(delivered.length));
  } else {
    setOutput('new-items', JSON.stringify(delivered));
    setOutput('new-item-count', String(delivered.length));
  }
}

/** What the run did, for the summary and comment. */
function notesOf(
  plan: PollPlan,
  delivery: Delivery,
  run: { primed: boolean; pending: boolean; eventType: string; statePath: string },
): string[] {
  const { many, counted } = plan.words;
  const notes: string[] = [];
  if (run.primed)
    notes.push(`First run: the cursor now records where ${many} stand; new ${many} show from the next run.`);
  else notes.push(`${delivery.delivered.length} new ${counted}.`);
  if (run.pending) notes.push(`More ${many} are waiting; the next run continues where this one stopped.`);
  if (delivery.dispatched > 0) {
    notes.push(`${delivery.dispatched} repository_dispatch event(s) of type \`${run.eventType}\` fired.`);
  }
  notes.push(`Cursor: \`${run.statePath}\`.`);
  return notes;
}

/** One run of the step's poll: poll in steps, deliver step by step, outputs and report. */
export async function runPoll(ctx: Context, options: PollOptions = {}): Promise<Report> {
  const plan = planFor(ctx.command);
  const statePath = resolve(input('state-file') || '.codeqr/scan-cursor.json');
  const settings = dispatchSettings();
  const raw = await collectInput(ctx.command);
  const state = openState(statePath, plan);
  const dispatch = settings.eventType ? { eventType: settings.eventType, batchSize: settings.batchSize } : undefined;
  const { steps, pending } = await pollSteps(ctx.client, plan, raw, state.cursor, { dispatch });

  const anyItems = steps.some((s) => s.items.length > 0);
  const target =
    dispatch && settings.repo && anyItems
      ? { octokit: await octokitFor(settings.github), repo: settings.repo, ...dispatch }
      : undefined;
  const delivery = await deliverSteps(steps, plan, target, state.save, options.sleep);
  if (delivery.dispatched > 0) {
    core.info(`Fired ${delivery.dispatched} repository_dispatch event(s) of type ${settings.eventType}.`);
  }
  setItemOutputs(plan, delivery.delivered);
  setOutput('dispatch-count', String(delivery.dispatched));
  if (delivery.failure) throw delivery.failure;

  const primed = steps.at(-1)?.primed === true;
  const notes = notesOf(plan, delivery, { primed, pending, eventType: settings.eventType, statePath });
  const report: Report = { operation: ctx.command.name, rows: [], notes };
  if (delivery.delivered.length > 0) report.data = delivery.delivered.slice(0, 20);
  return report;
}

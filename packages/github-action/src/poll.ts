/**
 * `poll-scans`: core's scan trigger for a `schedule:` workflow. The cursor lives in `state-file` (kept between runs
 * by actions/cache); new scans become the `new-scans` output and, with `dispatch-event-type`, `repository_dispatch`
 * events. A run polls core in steps of one page, each sized to fit one dispatch and what is left of the output, and
 * the state file moves past a step only once the step is delivered: nothing a run could not deliver (output full, a
 * dispatch GitHub kept refusing) is skipped, and nothing delivered comes again.
 */
import { accessSync, constants, existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import * as core from '@actions/core';
import { getOperation } from '@codeqr-integrations/core/base';
import { collectInput } from './collect.ts';
import { InputError } from './errors.ts';
import { dispatchEvent, octokitFor, splitRepository } from './github.ts';
import type { Context } from './main.ts';
import { POLL_STRATEGIES, type PollStrategy } from './overrides.ts';
import { choiceInput, input, integerInput, writeInputFile } from './read.ts';
import type { Report } from './report.ts';

/** GitHub: `client_payload` has at most 10 top-level properties; the whole body stays well under 64 KB. */
export const MAX_DISPATCH_BYTES = 60_000;
/**
 * `new-scans` at most (GitHub: "Outputs can be a maximum of 1 MB per job … Size is approximated based on UTF-16
 * encoding", https://docs.github.com/en/actions/reference/limits, github/docs#36846), measured as GitHub does:
 * 2 bytes per UTF-16 code unit. Half the job's 1 MB, so the step's other outputs and other steps' fit too.
 */
export const MAX_NEW_SCANS_OUTPUT = 512 * 1024;
const STATE_VERSION = 1;

interface StateFile {
  version: number;
  strategy: PollStrategy;
  cursor: unknown;
  updatedAt: string;
}

function readState(path: string): StateFile | undefined {
  if (!existsSync(path)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new InputError(
      'state-file',
      `Input "state-file" (${path}) is not valid JSON (${(error as Error).message}); delete it to start over from now.`,
    );
  }
  const state = parsed as Partial<StateFile>;
  if (!state || typeof state !== 'object' || state.version !== STATE_VERSION || !('cursor' in state)) {
    throw new InputError(
      'state-file',
      `Input "state-file" (${path}) is not a CodeQR scan cursor; point it at its own file, or delete it to start over.`,
    );
  }
  return state as StateFile;
}

function checkWritable(path: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    accessSync(dirname(path), constants.W_OK);
    if (existsSync(path)) accessSync(path, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new InputError('state-file', `Input "state-file" names ${path}, which cannot be written (${code}).`);
  }
}

function writeState(path: string, state: StateFile): void {
  const tmp = `${path}.tmp`;
  writeInputFile('state-file', tmp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(tmp, path);
}

export interface DispatchBatch {
  event_type: string;
  client_payload: Record<string, unknown>;
}

/**
 * Splits items into `repository_dispatch` bodies: at most `batchSize` items and `MAX_DISPATCH_BYTES` per body,
 * `client_payload` with 7 top-level properties (GitHub allows 10).
 */
export function dispatchBatches(
  eventType: string,
  strategy: PollStrategy,
  items: { id: string }[],
  batchSize: number,
): DispatchBatch[] {
  const groups: { id: string }[][] = [];
  let current: { id: string }[] = [];
  // the body's size, kept as items are added (one stringify per item, not per batch: linear in the scans)
  const empty = Buffer.byteLength(JSON.stringify({ event_type: eventType, client_payload: { scans: [] } })) + 400;
  let size = empty;
  for (const item of items) {
    const bytes = Buffer.byteLength(JSON.stringify(item));
    if (empty + bytes > MAX_DISPATCH_BYTES) {
      throw new Error(`The scan ${item.id} alone is larger than a repository_dispatch payload allows.`);
    }
    if (current.length > 0 && (current.length + 1 > batchSize || size + 1 + bytes > MAX_DISPATCH_BYTES)) {
      groups.push(current);
      current = [];
      size = empty;
    }
    size += bytes + (current.length > 0 ? 1 : 0);
    current.push(item);
  }
  if (current.length > 0) groups.push(current);
  return groups.map((group, i) => ({
    event_type: eventType,
    client_payload: {
      scans: group,
      count: group.length,
      batch: i + 1,
      batches: groups.length,
      strategy,
      batchId: `${strategy}:${group[0]?.id}:${group[group.length - 1]?.id}:${group.length}`,
      source: 'codeqr',
    },
  }));
}

/** Each poll step reads one page of this many rows at most (fewer when a step's items must fit a smaller room). */
const STEP_PAGE_SIZE = 100;
/** Rows one run reads at most (as core's own poll: 10 pages of 100), so small steps make more steps, up to 100. */
const MAX_ROWS_PER_RUN = 1000;
const MAX_STEPS = 100;
/** Re-polls of a step that did not fit, per run at most. */
const MAX_RETRIES = 15;

/** One poll of core's trigger whose items are delivered together (one dispatch), and the cursor after them. */
interface Step {
  items: { id: string }[];
  cursor: unknown;
  primed: boolean;
  truncated: boolean;
}

export interface PollScansOptions {
  /** How a retried dispatch waits (tests pass a fast one). */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * core's `newScan` cursor may carry `reach` (how wide its next first read is, grown by idle polls): a step re-read
 * because its items did not fit must read narrower, so the hint is dropped; core grows it again if needed.
 */
function withoutReach(cursor: unknown): unknown {
  if (!cursor || typeof cursor !== 'object' || !('reach' in cursor)) return cursor;
  const { reach: _reach, ...rest } = cursor as Record<string, unknown>;
  return rest;
}

/** An output's size as GitHub approximates it: UTF-16, 2 bytes per code unit. */
export const outputBytes = (text: string) => 2 * text.length;

export async function pollScans(ctx: Context, options: PollScansOptions = {}): Promise<Report> {
  const strategy = choiceInput('strategy', ['events', 'counts'] as const, 'events');
  const statePath = resolve(input('state-file') || '.codeqr/scan-cursor.json');
  const eventType = input('dispatch-event-type');
  if (eventType.length > 100) {
    throw new InputError('dispatch-event-type', 'Input "dispatch-event-type" must be at most 100 characters.');
  }
  const batchSize = integerInput('dispatch-batch-size', 100, 1, 1000);
  // where to dispatch, checked before polling: a bad input must not cost a poll (nor print scans it cannot deliver)
  const github = {
    token: input('github-token'),
    apiUrl: input('github-api-url') || process.env.GITHUB_API_URL || 'https://api.github.com',
    repository: process.env.GITHUB_REPOSITORY,
    eventPath: process.env.GITHUB_EVENT_PATH,
  };
  const repoInput = input('dispatch-repository');
  const target = eventType
    ? splitRepository(repoInput || github.repository, repoInput ? 'dispatch-repository' : 'GITHUB_REPOSITORY')
    : undefined;
  if (eventType && !github.token) {
    throw new InputError(
      'github-token',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a JS template
      'Input "github-token" is empty, and dispatch-event-type needs it; pass a token, e.g. github-token: ${{ github.token }}.',
    );
  }
  const trigger = getOperation(POLL_STRATEGIES[strategy]);
  if (trigger?.kind !== 'trigger') throw new Error(`core has no ${POLL_STRATEGIES[strategy]} trigger`);
  const raw = await collectInput(ctx.command);
  const state = readState(statePath);
  // the cursor is written after the dispatches: a folder that cannot take it must fail now, not re-fire them next run
  checkWritable(statePath);
  const stored = state?.strategy === strategy ? state.cursor : undefined;
  if (state && state.strategy !== strategy) {
    core.notice(`state-file holds a ${state.strategy} cursor; strategy is ${strategy}, so this run starts over.`);
  }
  const save = (cursor: unknown) =>
    writeState(statePath, { version: STATE_VERSION, strategy, cursor, updatedAt: new Date().toISOString() });

  // 1. Poll in steps, each one page of core's cursor, sized so that its items fit one dispatch and what is left of
  // the new-scans output. What a run cannot deliver is never polled past: the cursor stored is the one after the last
  // step delivered, so the rest comes with the next run (never dropped, never repeated).
  const steps: Step[] = [];
  let cursor = stored;
  let room = MAX_NEW_SCANS_OUTPUT - outputBytes('[]');
  let pageSize = eventType ? Math.min(STEP_PAGE_SIZE, batchSize) : STEP_PAGE_SIZE;
  let attempts = 0;
  let full = false;
  const maxSteps = Math.min(MAX_STEPS, Math.ceil(MAX_ROWS_PER_RUN / pageSize));
  while (steps.length < maxSteps && attempts < maxSteps + MAX_RETRIES) {
    attempts++;
    const primed = cursor === undefined;
    // the first poll (no cursor) only primes, with core's own budget
    const result = await trigger.execute(ctx.client, raw, cursor, primed ? undefined : { maxPages: 1, pageSize });
    const items = result.items as { id: string }[];
    // this step's share of the output: its items, without the brackets, and a comma after the previous ones
    const comma = steps.some((s) => s.items.length > 0) ? ',' : '';
    const bytes = items.length > 0 ? outputBytes(comma + JSON.stringify(items).slice(1, -1)) : 0;
    const fitsDispatch =
      !eventType || items.length === 0 || dispatchBatches(eventType, strategy, items, batchSize).length === 1;
    if (bytes > room || !fitsDispatch) {
      const delivered = steps.some((s) => s.items.length > 0);
      if (bytes > room && delivered && fitsDispatch) {
        full = true; // the output is full: this step's items come with the next run
        break;
      }
      const narrower = withoutReach(cursor);
      if (pageSize === 1 && narrower === cursor) {
        if (delivered) break; // deliver what fits; the rest comes with the next run
        const what = items.length === 1 ? 'The next scan alone does' : `The next ${items.length} scans alone do`;
        throw new Error(
          fitsDispatch
            ? `${what} not fit the new-scans output (${Math.round(bytes / 1024)} KB of ` +
                `${Math.round(MAX_NEW_SCANS_OUTPUT / 1024)} KB); the cursor stays before them.`
            : `${what} not fit one repository_dispatch event; the cursor stays before them.`,
        );
      }
      // read the same position again, narrower: by the share of the items that fit
      const share = Math.min(bytes > room ? room / bytes : 1, fitsDispatch ? 1 : batchSize / items.length);
      pageSize = Math.max(1, Math.min(pageSize - 1, Math.floor(pageSize * share * 0.9)));
      cursor = narrower;
      continue;
    }
    steps.push({ items, cursor: result.cursor, primed: result.primed, truncated: result.truncated });
    room -= bytes;
    cursor = result.cursor;
    if (result.primed || !result.truncated) break;
  }
  const last = steps.at(-1);
  const pending = full || last === undefined || (last.truncated && !last.primed);

  // 2. Deliver step by step: the state file moves past a step's items only once its dispatch was accepted.
  const batches = steps.filter((s) => s.items.length > 0).length;
  const delivered: { id: string }[] = [];
  let dispatched = 0;
  let failure: Error | undefined;
  const octokit = eventType && target && batches > 0 ? await octokitFor(github) : undefined;
  for (const step of steps) {
    if (octokit && target && step.items.length > 0) {
      const [body] = dispatchBatches(eventType, strategy, step.items, batchSize) as [DispatchBatch];
      const payload: Record<string, unknown> = { ...body.client_payload, batch: dispatched + 1, batches };
      try {
        await dispatchEvent(octokit, target, body.event_type, payload, { sleep: options.sleep });
      } catch (error) {
        const after = steps.reduce((n, s) => n + s.items.length, 0) - delivered.length - step.items.length;
        failure = new Error(
          `repository_dispatch ${dispatched + 1} of ${batches} (${eventType}, ${step.items.length} ` +
            `${strategy === 'events' ? 'scan(s)' : 'scan-count change(s)'}, batchId ${String(payload.batchId)}) to ` +
            `${target.owner}/${target.repo} failed: ${(error as Error).message} The cursor was saved after the ` +
            `${delivered.length} item(s) already dispatched, not past these ${step.items.length}` +
            `${after > 0 ? ` (nor the ${after} polled after them)` : ''}: the next run polls them again.`,
        );
        break;
      }
      dispatched++;
    }
    delivered.push(...step.items);
    save(step.cursor);
  }
  if (dispatched > 0) core.info(`Fired ${dispatched} repository_dispatch event(s) of type ${eventType}.`);

  core.setOutput('new-scans', JSON.stringify(delivered));
  core.setOutput('new-scan-count', String(delivered.length));
  core.setOutput('dispatch-count', String(dispatched));
  if (failure) throw failure;

  const notes: string[] = [];
  if (last?.primed)
    notes.push('First run: the cursor now records where scans stand; new scans show from the next run.');
  else notes.push(`${delivered.length} new ${strategy === 'events' ? 'scan(s)' : 'scan-count change(s)'}.`);
  if (pending) notes.push('More scans are waiting; the next run continues where this one stopped.');
  if (dispatched > 0) notes.push(`${dispatched} repository_dispatch event(s) of type \`${eventType}\` fired.`);
  notes.push(`Cursor: \`${statePath}\`.`);
  const report: Report = { operation: ctx.command.name, rows: [], notes };
  if (delivered.length > 0) report.data = delivered.slice(0, 20);
  return report;
}

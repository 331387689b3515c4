/**
 * `poll-scans`: core's scan trigger for a `schedule:` workflow. The cursor lives in `state-file` (kept between runs
 * by actions/cache); new scans become outputs and, with `dispatch-event-type`, `repository_dispatch` batches. The
 * cursor is written only after every batch was accepted, so a failed run repeats its batches rather than losing them
 * (each batch carries a `batchId` to dedupe on).
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
const MAX_NEW_SCANS_OUTPUT = 512 * 1024;
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

export async function pollScans(ctx: Context): Promise<Report> {
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
  const cursor = state?.strategy === strategy ? state.cursor : undefined;
  if (state && state.strategy !== strategy) {
    core.notice(`state-file holds a ${state.strategy} cursor; strategy is ${strategy}, so this run starts over.`);
  }
  const result = await trigger.execute(ctx.client, raw, cursor);
  const items = result.items as { id: string }[];

  let dispatched = 0;
  if (eventType && target && items.length > 0) {
    const octokit = await octokitFor(github);
    for (const batch of dispatchBatches(eventType, strategy, items, batchSize)) {
      await dispatchEvent(octokit, target, batch.event_type, batch.client_payload);
      dispatched++;
    }
    core.info(`Fired ${dispatched} repository_dispatch event(s) of type ${eventType}.`);
  }
  writeState(statePath, {
    version: STATE_VERSION,
    strategy,
    cursor: result.cursor,
    updatedAt: new Date().toISOString(),
  });

  let shown = items;
  let json = JSON.stringify(shown);
  while (json.length > MAX_NEW_SCANS_OUTPUT && shown.length > 0) {
    shown = shown.slice(0, Math.floor(shown.length / 2));
    json = JSON.stringify(shown);
  }
  if (shown.length < items.length) {
    core.warning(`new-scans holds the first ${shown.length} of ${items.length} items (outputs are limited in size).`);
  }
  core.setOutput('new-scans', json);
  core.setOutput('new-scan-count', String(items.length));
  core.setOutput('dispatch-count', String(dispatched));

  const notes: string[] = [];
  if (result.primed)
    notes.push('First run: the cursor now records where scans stand; new scans show from the next run.');
  else notes.push(`${items.length} new ${strategy === 'events' ? 'scan(s)' : 'scan-count change(s)'}.`);
  if (result.truncated) notes.push('More scans are waiting; the next run continues where this one stopped.');
  if (dispatched > 0) notes.push(`${dispatched} repository_dispatch event(s) of type \`${eventType}\` fired.`);
  notes.push(`Cursor: \`${statePath}\`.`);
  const report: Report = { operation: ctx.command.name, rows: [], notes };
  if (items.length > 0) report.data = items.slice(0, 20);
  return report;
}

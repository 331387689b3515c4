/**
 * The polling triggers, one per core trigger (core's stateless `recentReaders`: every item of the last hour, newest
 * first; Zapier dedupes on `id`), and the hidden dropdown triggers (`dropdowns.ts`).
 */
import {
  type CodeQrClient,
  type RecentOptions,
  type RecentReader,
  recentReaders,
  type Trigger,
  triggers,
} from '@codeqr-integrations/core/base';
import type { Bundle, ZObject } from 'zapier-platform-core';
import { withGroups } from '../fields.ts';
import { asZapierObject, outputFieldsFor } from '../output-fields.ts';
import { headerOf } from '../overrides.ts';
import { inputOf, labelsOf, step } from '../step.ts';
import { STEP_BUDGET_MS } from '../transport.ts';
import { formFieldsFor } from '../type-fields.ts';
import type { Sample, ZapierOperation } from '../types.ts';
import { dropdownTriggers } from './dropdowns.ts';

/**
 * What one poll of a trigger answers: every item of the last `POLL_LOOKBACK_MS` (newest first), so that nothing new
 * since the previous poll is left out however many items came in between, within Zapier's limits. Zapier dedupes the
 * items by `id` and runs only the new ones; a poll with more than 100 new ones is held by its flood protection for
 * the user to replay, not dropped. Zapier's numbers (https://docs.zapier.com/platform/build/operating-constraints):
 * 30 s per poll, 20 MB per response, 105,000 deduplication rows per Zap; polls every 1 to 15 minutes by plan
 * (https://docs.zapier.com/platform/build/troubleshoot-trigger-timeouts).
 */
export const POLL_LOOKBACK_MS = 60 * 60_000;
/** At most this many items per poll: the newest are kept (a tenth of Zapier's deduplication table). */
export const MAX_POLL_ITEMS = 10_000;
/** At most this many characters of items per poll (a quarter of Zapier's 20 MB response limit). */
export const MAX_POLL_BYTES = 5_000_000;
/** No new page is read after this long; every request also ends within the step budget (`STEP_BUDGET_MS`). */
export const POLL_READ_MS = 15_000;
/** "Test trigger" in the Zap editor: at most this many items, from the last 30 days (any plan's analytics window). */
export const SAMPLE_ITEMS = 10;
export const SAMPLE_LOOKBACK_MS = 30 * 86_400_000;

/**
 * How much one poll reads. `bundle.meta.limit` is "the number of items you should fetch, -1 for no limit"
 * (https://github.com/zapier/zapier-platform/blob/main/packages/cli/README.md#bundlemeta): live polls send -1 and get
 * the whole window; a positive limit is honoured. Loading a sample reads the newest few over a longer window.
 */
export function pollOptions(bundle: Bundle): RecentOptions {
  const meta = bundle.meta as { limit?: unknown; isLoadingSample?: unknown } | undefined;
  const limit = Number(meta?.limit);
  const asked = Number.isInteger(limit) && limit > 0 ? limit : undefined;
  if (meta?.isLoadingSample === true) {
    return { lookbackMs: SAMPLE_LOOKBACK_MS, maxItems: Math.min(asked ?? SAMPLE_ITEMS, MAX_POLL_ITEMS) };
  }
  return {
    lookbackMs: POLL_LOOKBACK_MS,
    maxItems: Math.min(asked ?? MAX_POLL_ITEMS, MAX_POLL_ITEMS),
    maxBytes: MAX_POLL_BYTES,
    budgetMs: POLL_READ_MS,
  };
}

/**
 * One poll: every item of the window, newest first, each with its unique `id` (Zapier's dedupe runs each new one
 * once). When a cap stopped the read, the newest items are answered and the app's log says what was left out.
 */
async function poll(z: ZObject, bundle: Bundle, op: Trigger, reader: RecentReader, client: CodeQrClient) {
  const read = await reader.read(
    client,
    op.parseInput(inputOf(bundle)) as Record<string, unknown>,
    pollOptions(bundle),
  );
  if (read.stop && bundle.meta?.isLoadingSample !== true) {
    z.console.log(
      `${op.title}: answered the newest ${read.items.length} items of the window from ${read.windowStart}; ` +
        `older ones (before ${read.stop.oldest ?? 'the first'}) were not read: ${read.stop.message}`,
    );
  }
  return read.items.map((item) => asZapierObject(item));
}

function triggerFor(op: Trigger): ZapierOperation {
  const labelOf = labelsOf(op);
  const reader = recentReaders[op.key];
  if (!reader) throw new Error(`core trigger "${op.key}" has no stateless read (recentReaders) for Zapier`);
  const output = reader.output ?? op.output;
  return {
    ...headerOf(op),
    operation: {
      type: 'polling',
      // one budget for the whole poll, within Zapier's 30 s
      perform: (z, bundle) =>
        step(z, labelOf, (client) => poll(z, bundle, op, reader, client.withBudget(STEP_BUDGET_MS))),
      // a trigger's dropdowns filter what fires: no "add a search step" offer next to them
      ...withGroups(formFieldsFor(op, { offerSearch: false })),
      outputFields: outputFieldsFor(output),
      // a narrower item (Updated Scan Count) shows the trigger's sample without the fields it does not claim
      sample: (reader.output ? reader.output.parse(op.sample) : op.sample) as Sample,
    },
  };
}

/** `app.triggers`: the registry's triggers, then the hidden dropdown triggers, by key. */
export function buildTriggers(): Record<string, ZapierOperation> {
  const all = [...triggers.map(triggerFor), ...dropdownTriggers()];
  return Object.fromEntries(all.map((trigger) => [trigger.key, trigger]));
}

/**
 * Zapier triggers, creates, searches and search-or-creates derived from core's registry: each operation's fields,
 * output fields and sample come from the mapper (`fields.ts`), its Zapier-only choices from `overrides.ts`, and its
 * perform hands `bundle.inputData` (flat keys un-nested, nothing coerced) to the operation's own `execute`.
 */
import {
  type AnyAction,
  type AnyTrigger,
  actions,
  type CodeQrClient,
  type DynamicOptionSource,
  describeFields,
  type FieldIssue,
  type FieldSpec,
  isCodeQrError,
  listOptions,
  type Operation,
  type RecentOptions,
  type RecentReader,
  recentReaders,
  type Trigger,
  triggers,
} from '@codeqr-integrations/core/base';
import type { Bundle, ZObject } from 'zapier-platform-core';
import type * as z from 'zod/v4';
import { clientFor, STEP_BUDGET_MS } from './client.ts';
import { type LabelOf, toZapierError } from './errors.ts';
import {
  ADVANCED_GROUP,
  applyClearFields,
  asZapierObject,
  clearableFields,
  clearFieldsInput,
  dropdownKey,
  inputFieldsFor,
  labelFor,
  lineItemsField,
  outputFieldsFor,
  unflatten,
  type ZapierInputField,
  type ZapierOutputField,
} from './fields.ts';
import { overrides, searchOrCreates as searchOrCreatePairs } from './overrides.ts';

type Perform = (z: ZObject, bundle: Bundle) => Promise<unknown>;
type Sample = Record<string, unknown>;

interface ZapierOperation {
  key: string;
  noun: string;
  display: { label: string; description: string; hidden?: boolean };
  operation: {
    type?: 'polling';
    canPaginate?: boolean;
    perform: Perform;
    inputFields?: ZapierInputField[];
    inputFieldGroups?: { key: string; label: string }[];
    outputFields?: ZapierOutputField[];
    sample?: Sample;
  };
}

export interface ZapierSearchOrCreate {
  key: string;
  display: { label: string; description: string };
  search: string;
  create: string;
}

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

/** `qrCode` → `QR Code`, `domains` → `Domain`, `analytics` stays: Zapier's noun ("creates a new QR Code"). */
export function nounOf(resource: string): string {
  return resource
    .replace(/(?<!ic|s)s$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(' ')
    .map((word) => (word.toLowerCase() === 'qr' ? 'QR' : word.charAt(0).toUpperCase() + word.slice(1)))
    .join(' ');
}

const labelsOf =
  (op: { input: z.ZodObject }): LabelOf =>
  (path) =>
    labelFor(op.input, path);

/** Runs one step with a fresh client; every error leaves as a Zapier error. */
async function step<T>(z: ZObject, labelOf: LabelOf, work: (client: CodeQrClient) => Promise<T>): Promise<T> {
  try {
    return await work(clientFor(z));
  } catch (error) {
    throw toZapierError(z, error, labelOf);
  }
}

const inputOf = (bundle: Bundle) => unflatten(bundle.inputData as Record<string, unknown>);

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

function withGroups(fields: ZapierInputField[]) {
  return fields.some((f) => f.group === ADVANCED_GROUP.key)
    ? { inputFields: fields, inputFieldGroups: [{ ...ADVANCED_GROUP }] }
    : { inputFields: fields };
}

/** What every trigger, create and search opens with: its key, its noun and its label and description. */
function headerOf(op: { key: string; resource: string; title: string; description: string }) {
  const override = overrides[op.key];
  return {
    key: override?.key ?? op.key,
    noun: override?.noun ?? nounOf(op.resource),
    display: { label: override?.label ?? op.title, description: override?.description ?? op.description },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Triggers

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
      ...withGroups(inputFieldsFor(op.key, op.input)),
      outputFields: outputFieldsFor(output),
      // a narrower item (Updated Scan Count) shows the trigger's sample without the fields it does not claim
      sample: (reader.output ? reader.output.parse(op.sample) : op.sample) as Sample,
    },
  };
}

/** Every dynamic dropdown source the registry's fields use. */
export function dropdownSources(): DynamicOptionSource[] {
  const found = new Set<DynamicOptionSource>();
  const walk = (specs: FieldSpec[]) => {
    for (const spec of specs) {
      if (spec.dynamic) found.add(spec.dynamic);
      if (spec.children) walk(spec.children);
    }
  };
  for (const op of [...actions, ...triggers]) walk(describeFields(op.input));
  return [...found];
}

/** The hidden trigger behind one dropdown: `{ id, name }` per choice, a page at a time. */
function dropdownFor(source: DynamicOptionSource): ZapierOperation {
  const noun = nounOf(source);
  return {
    key: dropdownKey(source),
    noun,
    display: {
      label: `List ${noun}s`,
      description: `Lists your ${noun}s to fill the ${noun} dropdowns (hidden).`,
      hidden: true,
    },
    operation: {
      type: 'polling',
      canPaginate: true,
      perform: (z, bundle) =>
        step(
          z,
          () => undefined,
          async (client) => {
            const page = Number(bundle.meta?.page ?? 0) + 1;
            const options = await listOptions(client, source, { page });
            return options.map((option) => ({ id: String(option.value), name: option.label }));
          },
        ),
      outputFields: [
        { key: 'id', label: 'ID', type: 'string' },
        { key: 'name', label: 'Name', type: 'string' },
      ],
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Creates

/** One line-item result as core's bulk operations answer it (`bulkCreate`, `upsertMany`). */
interface ItemResult {
  index: number;
  ok: boolean;
  action?: string;
  qrCode?: Record<string, unknown>;
  error?: {
    code: string;
    message: string;
    field?: string;
    externalId?: string;
    retryAfter?: number;
    issues?: FieldIssue[];
  };
}

const LINE_FIELDS: ZapierOutputField[] = [
  { key: 'total', label: 'Lines', type: 'integer' },
  { key: 'succeeded', label: 'Succeeded', type: 'integer' },
  { key: 'failed', label: 'Failed', type: 'integer' },
  { key: 'results[]line', label: 'Results: Line', type: 'integer' },
  { key: 'results[]status', label: 'Results: Status', type: 'string' },
  { key: 'results[]id', label: 'Results: QR Code ID', type: 'string' },
  { key: 'results[]shortLink', label: 'Results: Short Link', type: 'string' },
  { key: 'results[]url', label: 'Results: Destination URL', type: 'string' },
  { key: 'results[]externalId', label: 'Results: External ID', type: 'string' },
  { key: 'results[]title', label: 'Results: Title', type: 'string' },
  { key: 'results[]errorCode', label: 'Results: Error Code', type: 'string' },
  { key: 'results[]errorMessage', label: 'Results: Error Message', type: 'string' },
  { key: 'results[]errorField', label: 'Results: Error Field', type: 'string' },
];

/** One output line per input line: its QR code, or why that line failed (with the External ID to retry with). */
function lineRow(result: ItemResult, externalId: unknown): Record<string, unknown> {
  const qr = result.qrCode ?? {};
  const issue = result.error?.issues?.[0];
  return {
    line: result.index + 1,
    status: result.ok ? (result.action ?? 'created') : 'failed',
    id: qr.id ?? null,
    shortLink: qr.shortLink ?? null,
    url: qr.url ?? null,
    externalId: qr.externalId ?? result.error?.externalId ?? (typeof externalId === 'string' ? externalId : null),
    title: qr.title ?? null,
    errorCode: result.error?.code ?? null,
    errorMessage: result.error?.message ?? null,
    // core names the item's field by its label (the line number has its own column)
    errorField: issue?.label ?? issue?.field ?? result.error?.field ?? null,
  };
}

function lineSummary(rows: Record<string, unknown>[]) {
  const failed = rows.filter((row) => row.status === 'failed').length;
  return { total: rows.length, succeeded: rows.length - failed, failed, results: rows };
}

/**
 * A line-items create (Bulk Create): core checks each line on its own (a bad line fails alone, named by its field's
 * label), sends the good ones in bulk, and answers every line in input order; this only lays the lines out.
 */
function linePerform(op: Operation, field: FieldSpec): Perform {
  const labelOf = labelsOf(op);
  return (z, bundle) =>
    step(z, labelOf, async (client) => {
      const input = inputOf(bundle);
      const lines = Array.isArray(input[field.key]) ? (input[field.key] as Record<string, unknown>[]) : [];
      const results = (await op.execute(client, input)) as ItemResult[];
      return settle(
        z,
        results.map((result) => lineRow(result, lines[result.index]?.externalId)),
        results,
      );
    });
}

/** Line failures that leave nothing behind in CodeQR: a rerun of the whole step cannot duplicate anything. */
const NOTHING_WRITTEN = new Set(['rate_limit_exceeded', 'validation_error']);
/** Seconds Zapier waits before it retries a throttled step when CodeQR's delay did not come with the lines. */
const LINE_THROTTLE_SECONDS = 60;

/**
 * The step's answer: every line with its outcome. A step where no line succeeded fails, naming each line; when
 * CodeQR's rate limit turned lines away and nothing was written, as Zapier's throttled error, so Zapier runs the
 * step again later (as it does for a single create).
 */
function settle(z: ZObject, rows: Record<string, unknown>[], results: ItemResult[] = []) {
  const summary = lineSummary(rows);
  if (rows.length > 0 && summary.succeeded === 0) {
    const codes = rows.map((row) => String(row.errorCode));
    if (codes.includes('rate_limit_exceeded') && codes.every((code) => NOTHING_WRITTEN.has(code))) {
      const delays = results.map((r) => r.error?.retryAfter).filter((d): d is number => typeof d === 'number');
      const throttled = rows.filter((row) => row.errorCode === 'rate_limit_exceeded');
      throw new z.errors.ThrottledError(
        `CodeQR's rate limit turned away ${throttled.length} of ${rows.length} lines and nothing was created; ` +
          `Zapier runs this step again later. ${throttled[0]?.errorMessage ?? ''}`.trim(),
        delays.length > 0 ? Math.max(...delays) : LINE_THROTTLE_SECONDS,
      );
    }
    const detail = rows.map((row) => `line ${row.line}: ${row.errorMessage}`).join('; ');
    throw new z.errors.Error(`No line succeeded: ${detail}`, 'all_lines_failed', 422);
  }
  return summary;
}

/** Core's rendered image as a Zapier file: stashed, so later steps (email, Drive, Slack) can attach it. */
interface RenderedImage {
  mimeType: string;
  fileName: string;
  encoding: 'base64' | 'utf8';
  data: string;
  [key: string]: unknown;
}
const STASHED_SAMPLE_URL = 'https://zapier-dev-files.s3.amazonaws.com/cli-platform/20260314/qr-spring-menu.png';

async function stashImage(z: ZObject, image: RenderedImage): Promise<Record<string, unknown>> {
  const { data, encoding, ...rest } = image;
  const bytes = Buffer.from(data, encoding === 'base64' ? 'base64' : 'utf8');
  const file = await z.stashFile(bytes, bytes.length, image.fileName, image.mimeType);
  return { file, ...rest };
}

function createFor(op: Operation): ZapierOperation {
  const override = overrides[op.key];
  const labelOf = labelsOf(op);
  const lineField = lineItemsField(op.input);
  const base = headerOf(op);
  const fields = withGroups(inputFieldsFor(op.key, op.input));
  if (lineField) {
    const sample = lineSummary((op.sample as ItemResult[]).map((result) => lineRow(result, undefined)));
    return {
      ...base,
      operation: { perform: linePerform(op, lineField), ...fields, outputFields: LINE_FIELDS, sample },
    };
  }
  if (override?.file) {
    const { data: _data, encoding: _encoding, ...rest } = op.sample as RenderedImage;
    return {
      ...base,
      operation: {
        perform: (z, bundle) =>
          step(z, labelOf, async (client) =>
            stashImage(z, (await op.execute(client, inputOf(bundle))) as RenderedImage),
          ),
        ...fields,
        outputFields: [
          { key: 'file', label: 'File', type: 'file' },
          ...outputFieldsFor(op.output).filter((f) => f.key !== 'data' && f.key !== 'encoding'),
        ],
        sample: {
          file: STASHED_SAMPLE_URL.replace(/png$/, rest.mimeType === 'image/svg+xml' ? 'svg' : 'png'),
          ...rest,
        },
      },
    };
  }
  // an update can empty fields: Zapier sends no nulls, so the form gets a "Clear Fields" pick (see fields.ts)
  const clearable = op.verb === 'update' ? clearableFields(op.input) : [];
  const withClear = clearable.length > 0 ? withGroups([...fields.inputFields, clearFieldsInput(clearable)]) : fields;
  const rawInput = (bundle: Bundle) =>
    clearable.length > 0 ? applyClearFields(inputOf(bundle), clearable) : inputOf(bundle);
  return {
    ...base,
    operation: {
      perform: (z, bundle) =>
        step(z, labelOf, async (client) => asZapierObject(await op.execute(client, rawInput(bundle)))),
      ...withClear,
      outputFields: outputFieldsFor(op.output),
      sample: asZapierObject(op.sample),
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Searches

function searchFor(op: Operation): ZapierOperation {
  const labelOf = labelsOf(op);
  return {
    ...headerOf(op),
    operation: {
      // Zapier reads "nothing found" from an empty list, never from an error
      perform: (z, bundle) =>
        step(z, labelOf, async (client) => {
          try {
            return [asZapierObject(await op.execute(client, inputOf(bundle)))];
          } catch (error) {
            if (isCodeQrError(error) && error.code === 'not_found') return [];
            throw error;
          }
        }),
      ...withGroups(inputFieldsFor(op.key, op.input)),
      outputFields: outputFieldsFor(op.output),
      sample: asZapierObject(op.sample),
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------

const byKey = <T extends { key: string }>(items: T[]) => Object.fromEntries(items.map((item) => [item.key, item]));
const placement = (op: AnyAction) => overrides[op.key]?.as ?? 'create';

export function buildTriggers(): Record<string, ZapierOperation> {
  return byKey([
    ...(triggers as readonly AnyTrigger[]).map((t) => triggerFor(t as unknown as Trigger)),
    ...dropdownSources().map(dropdownFor),
  ]);
}

export function buildCreates(): Record<string, ZapierOperation> {
  return byKey(actions.filter((op) => placement(op) === 'create').map((op) => createFor(op as unknown as Operation)));
}

export function buildSearches(): Record<string, ZapierOperation> {
  return byKey(actions.filter((op) => placement(op) === 'search').map((op) => searchFor(op as unknown as Operation)));
}

export function buildSearchOrCreates(): Record<string, ZapierSearchOrCreate> {
  return Object.fromEntries(
    Object.entries(searchOrCreatePairs).map(([search, pair]) => [
      search,
      { key: search, display: { label: pair.label, description: pair.description }, search, create: pair.create },
    ]),
  );
}

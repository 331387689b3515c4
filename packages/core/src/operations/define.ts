import type * as z from 'zod/v4';
import { schemaIssues, unknownKeyIssues, validationError } from '../client/validate.ts';
import type { CodeQrClient } from '../create-client.ts';
import type { CodeQrError, FieldIssue } from '../errors.ts';
import { coerceHostInput } from '../fields/coerce.ts';
import { arrayElement, bounds, fieldAtPath, hasCatchall, objectShape, unwrapField } from '../fields/describe.ts';

/** Which host surface an operation is: an action (run once per call) or a polling trigger. */
export type OperationKind = 'action' | 'trigger';

/**
 * What an action answers, so a host renders it without guessing from the value: one QR code (`qrCode`), an upsert
 * outcome (`{ action, qrCode }`), one result per input item in input order (`items`: `{ index, ok, … }`), a file
 * (`{ mimeType, fileName, encoding, data }`), a list of records (`list`), or one record of data (`data`).
 */
export type Answer = 'qrCode' | 'upsert' | 'items' | 'file' | 'list' | 'data';

interface Common<K extends string, I extends z.ZodObject, O extends z.ZodType> {
  /** Stable camelCase key (`createQrCode`); hosts derive their names from it (`create-qr-code`). */
  key: K;
  /** The API noun (`qrCode`, `analytics`, `scan`): n8n's resource. */
  resource: string;
  /** What is done to it (`create`, `getImage`): n8n's operation within the resource. */
  verb: string;
  title: string;
  description: string;
  /** The input; every field carries `.meta({ label, ... })` (see `FieldMeta`). */
  input: I;
  /** What `run` answers (actions) or one emitted item (triggers). */
  output: O;
  /** A realistic output (action) or item (trigger); tests parse it with `output`. */
  sample: z.input<O>;
}

export interface OperationDefinition<K extends string, I extends z.ZodObject, O extends z.ZodType>
  extends Common<K, I, O> {
  kind?: 'action';
  /** What `run` answers (see `Answer`). `items`: the input has an `items` list, each item checked on its own. */
  answers: Answer;
  /**
   * The key of the bulk action that does this one for many inputs at once (its input: `items` of this action's
   * input, plus its own shared fields): hosts with many items at once send them through it (`runItems`).
   */
  batch?: string;
  /** The work, on parsed input only. */
  run(client: CodeQrClient, input: z.output<I>): Promise<z.output<O>>;
}

/** One input item that failed before anything was sent, or after: its index in the input and why. */
export interface ItemFailure {
  index: number;
  error: CodeQrError;
}

/** `parseItems`: the input with only its valid items, where each came from, and the items that failed. */
export interface ParsedItems<I> {
  input: I;
  /** `positions[p]` is the input index of `input.items[p]`. */
  positions: number[];
  failures: ItemFailure[];
}

export interface Operation<
  K extends string = string,
  I extends z.ZodObject = z.ZodObject,
  O extends z.ZodType = z.ZodType,
> extends Common<K, I, O> {
  readonly kind: 'action';
  readonly answers: Answer;
  readonly batch?: string;
  run(client: CodeQrClient, input: z.output<I>): Promise<z.output<O>>;
  /** Validates untrusted input; throws one `validation_error` naming every bad field (every bad item, too). */
  parseInput(raw: unknown): z.output<I>;
  /**
   * `answers: 'items'` only: validates the input around its `items` (throwing for those fields) and each item on
   * its own, with item-relative field paths (`url`, not `items.3.url`); a bad item fails alone.
   */
  parseItems(raw: unknown): ParsedItems<z.output<I>>;
  /**
   * `run(client, parseInput(raw))`: invalid input never reaches the network. An `items` action answers every item
   * in input order: an invalid one as a `validation_error` result of its own, the others as `run` answers them.
   */
  execute(client: CodeQrClient, raw: unknown): Promise<z.output<O>>;
}

/**
 * How much one poll may read, for a host that must size what it delivers (the GitHub Action fits each poll's items
 * into one output or dispatch): `maxPages` requests of `pageSize` rows, as core's polling functions take them.
 * Omitted fields keep the trigger's defaults. Chained polls with any budgets emit every item once.
 */
export interface PollBudget {
  maxPages?: number;
  pageSize?: number;
}

/** One poll of a trigger: new items oldest first, and the cursor to store for the next poll (plain JSON). */
export interface PollResult<T, C = unknown> {
  items: T[];
  cursor: C;
  /** More was waiting than one poll reads; the rest comes with the next poll. */
  truncated: boolean;
  /** The first poll (no cursor): it only records where things stand and emits nothing. */
  primed: boolean;
}

export interface TriggerDefinition<K extends string, I extends z.ZodObject, O extends z.ZodType, C>
  extends Common<K, I, O> {
  /**
   * One poll from `cursor` (undefined on the first poll, which primes). Items carry a unique `id`, so hosts that
   * dedupe themselves (Zapier) can use `recent` instead.
   */
  poll(
    client: CodeQrClient,
    input: z.output<I>,
    cursor: unknown,
    budget?: PollBudget,
  ): Promise<PollResult<z.output<O>, C>>;
  /** The latest items, newest first, without any cursor: for stateless hosts and "fetch test event". */
  recent(client: CodeQrClient, input: z.output<I>, limit: number): Promise<z.output<O>[]>;
}

export interface Trigger<
  K extends string = string,
  I extends z.ZodObject = z.ZodObject,
  O extends z.ZodType = z.ZodType,
  C = unknown,
> extends Common<K, I, O> {
  readonly kind: 'trigger';
  poll(
    client: CodeQrClient,
    input: z.output<I>,
    cursor: unknown,
    budget?: PollBudget,
  ): Promise<PollResult<z.output<O>, C>>;
  recent(client: CodeQrClient, input: z.output<I>, limit: number): Promise<z.output<O>[]>;
  parseInput(raw: unknown): z.output<I>;
  /** `poll(client, parseInput(raw), cursor, budget)`. */
  execute(
    client: CodeQrClient,
    raw: unknown,
    cursor?: unknown,
    budget?: PollBudget,
  ): Promise<PollResult<z.output<O>, C>>;
  /** `recent(client, parseInput(raw), limit)`; `limit` defaults to 3. */
  executeRecent(client: CodeQrClient, raw: unknown, limit?: number): Promise<z.output<O>[]>;
}

const joinPath = (prefix: string, key: string | number) => (prefix ? `${prefix}.${key}` : String(key));

/** The object keys a schema allows, nested: built once per schema (walking zod wrappers is not free). */
interface KeyTree {
  /** Allowed keys; undefined when any key is (a catch-all record) or the node is not an object. */
  keys?: readonly string[];
  children: Map<string, KeyTree>;
  element?: KeyTree;
}

const keyTrees = new WeakMap<z.ZodType, KeyTree>();

function keyTree(schema: z.ZodType): KeyTree {
  const cached = keyTrees.get(schema);
  if (cached) return cached;
  const tree: KeyTree = { children: new Map() };
  keyTrees.set(schema, tree);
  const shape = objectShape(schema);
  if (shape) {
    if (!hasCatchall(schema)) tree.keys = Object.keys(shape);
    for (const [key, field] of Object.entries(shape)) tree.children.set(key, keyTree(field));
  } else {
    const element = arrayElement(schema);
    if (element) tree.element = keyTree(element);
  }
  return tree;
}

/** Unknown keys of every nested plain object (top level included), each with a "did you mean" hint. */
function unknownKeys(tree: KeyTree, value: unknown, path: string, what: string, issues: FieldIssue[]): void {
  if (!value || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    if (tree.element)
      for (const [index, item] of value.entries()) unknownKeys(tree.element, item, joinPath(path, index), what, issues);
    return;
  }
  if (tree.keys) issues.push(...unknownKeyIssues(value, tree.keys, what, path));
  for (const [key, child] of tree.children) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined && v !== null) unknownKeys(child, v, joinPath(path, key), what, issues);
  }
}

/**
 * Parses untrusted operation input, the one boundary every host hands its raw form values to: host-style values
 * are coerced first (`coerceHostInput`: blanks are "not set", numeric and boolean text, lists as text, JSON text
 * for objects, trimming), then unknown keys anywhere (with a "did you mean" hint) and every schema violation become
 * one `validation_error` whose `issues` name each bad field by its label. `undefined` / `null` input counts as `{}`.
 */
export function parseOperationInput<I extends z.ZodObject>(input: I, raw: unknown, title: string): z.output<I> {
  const value = coerceHostInput(input, raw ?? {});
  const what = `input for "${title}"`;
  const issues: FieldIssue[] = [];
  unknownKeys(keyTree(input), value, '', `"${title}"`, issues);
  const parsed = schemaIssues(input, value);
  issues.push(...parsed.issues);
  if (issues.length > 0) throw validationError(what, issues);
  return parsed.data as z.output<I>;
}

/**
 * The input of an `items` action with each item checked on its own: the fields around `items` must be valid (else
 * one `validation_error`), and `items` a list within its bounds; each item then parses alone (host-style values
 * coerced, unknown keys and schema violations named by label, paths relative to the item).
 */
export function parseItemsInput<I extends z.ZodObject>(
  input: I,
  raw: unknown,
  title: string,
): ParsedItems<z.output<I>> {
  const shape = objectShape(input);
  const itemsSchema = shape?.items;
  const element = itemsSchema ? arrayElement(itemsSchema) : undefined;
  if (!shape || !itemsSchema || !element) throw new Error(`"${title}" has no items list to check item by item`);
  const value = coerceHostInput(input, raw ?? {}) as Record<string, unknown>;
  const { items, ...rest } = value && typeof value === 'object' ? value : ({} as Record<string, unknown>);
  const issues: FieldIssue[] = [];
  issues.push(...unknownKeyIssues(rest, Object.keys(shape), `"${title}"`));
  const envelope = schemaIssues(input.omit({ items: true } as never), rest);
  issues.push(...envelope.issues);
  const { min, max } = bounds(itemsSchema);
  const label = unwrapField(itemsSchema).meta.label ?? 'Items';
  if (!Array.isArray(items)) {
    issues.push({
      field: 'items',
      label,
      rule: 'must be a list of items',
      message: `${label} (items) must be a list of items`,
    });
  } else if ((min !== undefined && items.length < min) || (max !== undefined && items.length > max)) {
    const rule = `must hold ${min ?? 0} to ${(max ?? Number.POSITIVE_INFINITY).toLocaleString('en-US')} items`;
    issues.push({ field: 'items', label, rule, message: `${label} (items) ${rule}` });
  }
  if (issues.length > 0) throw validationError(`input for "${title}"`, issues);
  const tree = keyTree(element);
  const valid: unknown[] = [];
  const positions: number[] = [];
  const failures: ItemFailure[] = [];
  for (const [index, item] of (items as unknown[]).entries()) {
    const itemIssues: FieldIssue[] = [];
    unknownKeys(tree, item, '', `"${title}" item`, itemIssues);
    const parsed = schemaIssues(element, item, '', 'The item');
    itemIssues.push(...parsed.issues);
    if (itemIssues.length > 0) failures.push({ index, error: validationError(`item ${index + 1}`, itemIssues) });
    else {
      valid.push(parsed.data);
      positions.push(index);
    }
  }
  return { input: { ...(envelope.data as object), items: valid } as z.output<I>, positions, failures };
}

/** A failed item as an `items` action answers it: `{ index, ok: false, error }` with the error's facts. */
export function itemFailureResult(index: number, error: CodeQrError) {
  return {
    index,
    ok: false as const,
    error: {
      code: error.code,
      message: error.message,
      ...(error.issues[0]?.field ? { field: error.issues[0].field } : {}),
      ...(error.issues.length > 0 ? { issues: error.issues } : {}),
      ...(error.status !== undefined ? { status: error.status } : {}),
      ...(error.retryAfter !== undefined ? { retryAfter: error.retryAfter } : {}),
    },
  };
}

type ItemResultLike = {
  index: number;
  ok?: boolean;
  error?: { field?: string; message: string; issues?: FieldIssue[] };
};

/**
 * `run`'s per-item results (indexes into the valid items) merged with the failed items, in input order. A failure
 * CodeQR answered for one field (`{ field: 'key' }`) gets that field's issue with its label too, so every failed
 * item names its field the way the form does, whichever side found the problem.
 */
function mergeItemResults(results: unknown, parsed: ParsedItems<unknown>, element: z.ZodType): unknown[] {
  const out: unknown[] = [];
  for (const result of Array.isArray(results) ? results : []) {
    const r = result as ItemResultLike;
    const error = r.error;
    if (error?.field && !error.issues) {
      const label = fieldAtPath(element, error.field.split('.')).labels.join(' › ');
      const issue: FieldIssue = { field: error.field, message: error.message, ...(label ? { label } : {}) };
      out.push({ ...r, index: parsed.positions[r.index] ?? r.index, error: { ...error, issues: [issue] } });
    } else out.push({ ...r, index: parsed.positions[r.index] ?? r.index });
  }
  for (const { index, error } of parsed.failures) out.push(itemFailureResult(index, error));
  return out.sort((a, b) => (a as { index: number }).index - (b as { index: number }).index);
}

/**
 * `{ ...definition, ...extra }`, frozen, except that a getter of `definition` stays a getter, run on first read and
 * cached: an operation may build its schemas on first use (`get input() { ... }`), so importing the registry does
 * not construct every operation's zod schemas (most of a host's cold start). Reads return the same schema each time.
 */
function frozen<T extends object, E extends object>(definition: T, extra: E): T & E {
  const descriptors: PropertyDescriptorMap = Object.getOwnPropertyDescriptors(definition);
  for (const [name, descriptor] of Object.entries(descriptors)) {
    const get = descriptor.get;
    if (!get) continue;
    let cached: { value: unknown } | undefined;
    descriptors[name] = {
      enumerable: descriptor.enumerable,
      get: () => {
        if (!cached) cached = { value: get.call(definition) };
        return cached.value;
      },
    };
  }
  for (const [name, value] of Object.entries(extra)) descriptors[name] = { value, enumerable: true };
  return Object.freeze(Object.defineProperties({}, descriptors)) as T & E;
}

/**
 * Defines an action once, for every host: zod input (with `.meta()` labels) and output, a sample, and `run` on
 * parsed input. The returned operation's `execute` validates first, so hosts share one validation boundary.
 * Write `input` as a getter (`get input() { return z.object(...); }`) so its schema is built on first read, not
 * when the registry is imported (`frozen` caches it).
 */
export function defineOperation<const K extends string, I extends z.ZodObject, O extends z.ZodType>(
  definition: OperationDefinition<K, I, O>,
): Operation<K, I, O> {
  const parseInput = (raw: unknown) => parseOperationInput(op.input, raw, op.title);
  const parseItems = (raw: unknown) => parseItemsInput(op.input, raw, op.title);
  const op: Operation<K, I, O> = frozen(definition, {
    kind: 'action' as const,
    parseInput,
    parseItems,
    execute: async (client: CodeQrClient, raw: unknown): Promise<z.output<O>> => {
      if (definition.answers !== 'items') return definition.run(client, parseInput(raw));
      const parsed = parseItems(raw);
      const items = (parsed.input as { items: unknown[] }).items;
      const results = items.length > 0 ? await definition.run(client, parsed.input) : [];
      const element = arrayElement(objectShape(op.input)?.items as z.ZodType) as z.ZodType;
      return mergeItemResults(results, parsed, element) as z.output<O>;
    },
  });
  return op;
}

/**
 * Defines a polling trigger: `poll` turns a stored cursor into new items and the next cursor (the first poll
 * primes), `recent` lists the latest items without state. `output` describes one item.
 */
export function defineTrigger<const K extends string, I extends z.ZodObject, O extends z.ZodType, C>(
  definition: TriggerDefinition<K, I, O, C>,
): Trigger<K, I, O, C> {
  const parseInput = (raw: unknown) => parseOperationInput(trigger.input, raw, trigger.title);
  const trigger: Trigger<K, I, O, C> = frozen(definition, {
    kind: 'trigger' as const,
    parseInput,
    execute: async (client: CodeQrClient, raw: unknown, cursor?: unknown, budget?: PollBudget) =>
      definition.poll(client, parseInput(raw), cursor, budget),
    executeRecent: async (client: CodeQrClient, raw: unknown, limit = 3) =>
      definition.recent(client, parseInput(raw), limit),
  });
  return trigger;
}

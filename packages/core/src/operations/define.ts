import type * as z from 'zod/v4';
import type { CodeQrClient } from '../create-client.ts';
import { arrayElement, objectShape } from '../fields/describe.ts';
import {
  type ItemFailure,
  mergeItemResults,
  type ParsedItems,
  parseItemsInput,
  parseOperationInput,
} from './parse-input.ts';

export type { ItemFailure, ParsedItems };

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

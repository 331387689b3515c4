import * as z from 'zod/v4';
import type { CodeQrClient } from '../client/create.ts';
import { validateInput } from '../client/validate.ts';
import { CodeQrError, type FieldIssue, isCodeQrError } from '../errors.ts';
import { arrayElement, hasCatchall, objectShape } from '../fields/describe.ts';

/** Which host surface an operation is: an action (run once per call) or a polling trigger. */
export type OperationKind = 'action' | 'trigger';

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
  /** The work, on parsed input only. */
  run(client: CodeQrClient, input: z.output<I>): Promise<z.output<O>>;
}

export interface Operation<
  K extends string = string,
  I extends z.ZodObject = z.ZodObject,
  O extends z.ZodType = z.ZodType,
> extends Common<K, I, O> {
  readonly kind: 'action';
  run(client: CodeQrClient, input: z.output<I>): Promise<z.output<O>>;
  /** Validates untrusted input; throws one `validation_error` naming every bad field. */
  parseInput(raw: unknown): z.output<I>;
  /** `run(client, parseInput(raw))`: invalid input never reaches the network. */
  execute(client: CodeQrClient, raw: unknown): Promise<z.output<O>>;
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
  poll(client: CodeQrClient, input: z.output<I>, cursor: unknown): Promise<PollResult<z.output<O>, C>>;
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
  poll(client: CodeQrClient, input: z.output<I>, cursor: unknown): Promise<PollResult<z.output<O>, C>>;
  recent(client: CodeQrClient, input: z.output<I>, limit: number): Promise<z.output<O>[]>;
  parseInput(raw: unknown): z.output<I>;
  /** `poll(client, parseInput(raw), cursor)`. */
  execute(client: CodeQrClient, raw: unknown, cursor?: unknown): Promise<PollResult<z.output<O>, C>>;
  /** `recent(client, parseInput(raw), limit)`; `limit` defaults to 3. */
  executeRecent(client: CodeQrClient, raw: unknown, limit?: number): Promise<z.output<O>[]>;
}

const joinPath = (prefix: string, key: string | number) => (prefix ? `${prefix}.${key}` : String(key));

function collect(issues: FieldIssue[], fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    if (!isCodeQrError(error) || error.code !== 'validation_error') throw error;
    issues.push(...error.issues);
  }
}

/** Unknown keys of every nested plain object (top level included), each with a "did you mean" hint. */
function unknownKeys(schema: z.ZodType, value: unknown, path: string, what: string, issues: FieldIssue[]): void {
  const shape = objectShape(schema);
  if (shape) {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return;
    if (!hasCatchall(schema)) {
      collect(issues, () => validateInput(z.unknown(), value, what, Object.keys(shape), path));
    }
    for (const [key, field] of Object.entries(shape)) {
      const child = (value as Record<string, unknown>)[key];
      if (child !== undefined && child !== null) unknownKeys(field, child, joinPath(path, key), what, issues);
    }
    return;
  }
  const element = arrayElement(schema);
  if (element && Array.isArray(value)) {
    for (const [index, item] of value.entries()) unknownKeys(element, item, joinPath(path, index), what, issues);
  }
}

/**
 * Parses untrusted operation input: unknown keys anywhere (with a "did you mean" hint) and every schema violation
 * become one `validation_error` whose `issues` name each bad field. `undefined` / `null` input counts as `{}`.
 */
export function parseOperationInput<I extends z.ZodObject>(input: I, raw: unknown, title: string): z.output<I> {
  const value = raw ?? {};
  const what = `"${title}"`;
  const issues: FieldIssue[] = [];
  unknownKeys(input, value, '', what, issues);
  let parsed: z.output<I> | undefined;
  collect(issues, () => {
    parsed = validateInput(input, value, what);
  });
  if (issues.length > 0 || parsed === undefined) {
    const list = issues.map((i) => (i.field ? `${i.field}: ${i.message}` : i.message)).join('; ');
    throw new CodeQrError({ code: 'validation_error', message: `Invalid input for ${what}: ${list}.`, issues });
  }
  return parsed;
}

/**
 * Defines an action once, for every host: zod input (with `.meta()` labels) and output, a sample, and `run` on
 * parsed input. The returned operation's `execute` validates first, so hosts share one validation boundary.
 */
export function defineOperation<const K extends string, I extends z.ZodObject, O extends z.ZodType>(
  definition: OperationDefinition<K, I, O>,
): Operation<K, I, O> {
  const parseInput = (raw: unknown) => parseOperationInput(definition.input, raw, definition.title);
  return Object.freeze({
    ...definition,
    kind: 'action' as const,
    parseInput,
    execute: async (client: CodeQrClient, raw: unknown) => definition.run(client, parseInput(raw)),
  });
}

/**
 * Defines a polling trigger: `poll` turns a stored cursor into new items and the next cursor (the first poll
 * primes), `recent` lists the latest items without state. `output` describes one item.
 */
export function defineTrigger<const K extends string, I extends z.ZodObject, O extends z.ZodType, C>(
  definition: TriggerDefinition<K, I, O, C>,
): Trigger<K, I, O, C> {
  const parseInput = (raw: unknown) => parseOperationInput(definition.input, raw, definition.title);
  return Object.freeze({
    ...definition,
    kind: 'trigger' as const,
    parseInput,
    execute: async (client: CodeQrClient, raw: unknown, cursor?: unknown) =>
      definition.poll(client, parseInput(raw), cursor),
    executeRecent: async (client: CodeQrClient, raw: unknown, limit = 3) =>
      definition.recent(client, parseInput(raw), limit),
  });
}

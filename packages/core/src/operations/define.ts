import type * as z from 'zod/v4';
import { schemaIssues, unknownKeyIssues, validationError } from '../client/validate.ts';
import type { CodeQrClient } from '../create-client.ts';
import type { FieldIssue } from '../errors.ts';
import { coerceHostInput } from '../fields/coerce.ts';
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
  const op: Operation<K, I, O> = frozen(definition, {
    kind: 'action' as const,
    parseInput,
    execute: async (client: CodeQrClient, raw: unknown) => definition.run(client, parseInput(raw)),
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
    execute: async (client: CodeQrClient, raw: unknown, cursor?: unknown) =>
      definition.poll(client, parseInput(raw), cursor),
    executeRecent: async (client: CodeQrClient, raw: unknown, limit = 3) =>
      definition.recent(client, parseInput(raw), limit),
  });
  return trigger;
}

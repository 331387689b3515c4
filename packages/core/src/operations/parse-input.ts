import type * as z from 'zod/v4';
import { schemaIssues, unknownKeyIssues, validationError } from '../client/validate.ts';
import type { CodeQrError, FieldIssue } from '../errors.ts';
import { coerceHostInput } from '../fields/coerce.ts';
import { arrayElement, bounds, fieldAtPath, hasCatchall, objectShape, unwrapField } from '../fields/describe.ts';

/**
 * The one input boundary every operation shares: host form values coerced, unknown keys (with a "did you mean"
 * hint) and schema violations named by label in one `validation_error`; for `items` actions, each item on its own.
 */

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
export function mergeItemResults(results: unknown, parsed: ParsedItems<unknown>, element: z.ZodType): unknown[] {
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

import type * as z from 'zod/v4';
import { CodeQrError, type FieldIssue } from '../errors.ts';
import {
  bagOf,
  bounds,
  defOf,
  fieldAtPath,
  objectShape,
  type UnwrappedField,
  unwrapField,
} from '../fields/describe.ts';

function closest(name: string, candidates: string[]): string | undefined {
  const lower = name.toLowerCase();
  let best: { key: string; score: number } | undefined;
  for (const key of candidates) {
    const k = key.toLowerCase();
    // a small edit distance is enough for typo hints
    const dp = Array.from({ length: lower.length + 1 }, (_, i) => [i, ...Array<number>(k.length).fill(0)]);
    for (let j = 1; j <= k.length; j++) dp[0]![j] = j;
    for (let i = 1; i <= lower.length; i++) {
      for (let j = 1; j <= k.length; j++) {
        dp[i]![j] = Math.min(
          dp[i - 1]![j]! + 1,
          dp[i]![j - 1]! + 1,
          dp[i - 1]![j - 1]! + (lower[i - 1] === k[j - 1] ? 0 : 1),
        );
      }
    }
    const score = dp[lower.length]![k.length]!;
    if (score <= 2 && (!best || score < best.score)) best = { key, score };
  }
  return best?.key;
}

/** Keys of `input` (a plain object) that are not in `knownKeys`, each with a "did you mean" hint. */
export function unknownKeyIssues(
  input: unknown,
  knownKeys: readonly string[],
  what: string,
  pathPrefix = '',
): FieldIssue[] {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return [];
  const prefix = pathPrefix ? `${pathPrefix}.` : '';
  const issues: FieldIssue[] = [];
  for (const key of Object.keys(input)) {
    if (knownKeys.includes(key) || (input as Record<string, unknown>)[key] === undefined) continue;
    const hint = closest(key, [...knownKeys]);
    const rule = `is not a ${what} field${hint ? `; did you mean "${hint}"?` : ''}`;
    issues.push({ field: `${prefix}${key}`, message: `"${prefix}${key}" ${rule}`, rule });
  }
  return issues;
}

/**
 * zod's own texts ("Too small: expected string to have >=1 characters") never reach a user: a per-parse error map
 * (which zod consults only where the schema gave no message of its own) marks those issues, and `issueFragment`
 * words them from the issue's facts and the field's schema instead. Messages never repeat the value (it may be a
 * secret).
 */
const NO_MESSAGE = '\u0000no-message';
const MISSING = '\u0000missing';
const parseParams = {
  error: (issue: { code?: string; input?: unknown }) =>
    issue.code === 'invalid_type' && issue.input === undefined ? MISSING : NO_MESSAGE,
};

/** The item schema when the field is a list (or a union with one, like `string | string[]`). */
function listElement(field: UnwrappedField | undefined): z.ZodType | undefined {
  if (!field) return undefined;
  const def = defOf(field.schema);
  if (def.type === 'array') return def.element;
  const list =
    def.type === 'union' ? def.options?.find((o) => defOf(unwrapField(o).schema).type === 'array') : undefined;
  return list ? defOf(unwrapField(list).schema).element : undefined;
}

/** What a list field takes: text lists for scalar items, an array or its JSON for objects. */
function listRule(field: UnwrappedField | undefined): string {
  const element = listElement(field);
  const objects = element !== undefined && objectShape(element) !== undefined;
  return objects
    ? 'a list of objects: an array, or the JSON text of one'
    : 'a list: an array, a JSON array, or comma- or newline-separated text';
}
const count = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

function range(field: UnwrappedField | undefined): string {
  const { min, max } = field ? bounds(field.schema) : {};
  if (min !== undefined && max !== undefined) return ` from ${min} to ${max}`;
  if (min !== undefined) return ` of at least ${min}`;
  if (max !== undefined) return ` of at most ${max}`;
  return '';
}

/** ", e.g. 512" from the field's example, default or placeholder (none when it has none). */
function example(field: UnwrappedField | undefined): string {
  if (!field) return '';
  const value = field.meta.example ?? field.default?.value ?? field.meta.placeholder;
  return typeof value === 'number' || typeof value === 'string' ? `, e.g. ${value}` : '';
}

function objectRule(field: UnwrappedField | undefined): string {
  const shape = field ? objectShape(field.schema) : undefined;
  const keys = shape ? Object.keys(shape).slice(0, 3) : [];
  const example = keys.length > 0 ? `, e.g. {${keys.map((k) => `"${k}": …`).join(', ')}}` : '';
  return `must be an object of fields (or the JSON text of one${example})`;
}

type AnyIssue = z.core.$ZodIssue & Record<string, unknown>;

/** What is wrong, in words that follow the field's label: "must be a number, e.g. 512". */
function issueFragment(issue: AnyIssue, field: UnwrappedField | undefined): string {
  if (issue.message !== NO_MESSAGE && issue.message !== MISSING) return issue.message;
  if (issue.message === MISSING) return 'is required';
  const { minimum, maximum, origin } = issue as { minimum?: number; maximum?: number; origin?: string };
  switch (issue.code) {
    case 'invalid_type':
      switch (issue.expected) {
        case 'number':
        case 'int': {
          const whole = issue.expected === 'int' || /int/.test(String(field ? bagOf(field.schema).format : ''));
          return `must be a ${whole ? 'whole number' : 'number'}${range(field)}${example(field)}`;
        }
        case 'boolean':
          return 'must be true or false';
        case 'string':
          return 'must be text';
        case 'object':
        case 'record':
          return objectRule(field);
        case 'array':
          return `must be ${listRule(field)}`;
        default:
          return `must be ${String(issue.expected)}`;
      }
    case 'too_small': {
      const min = Number(minimum);
      if (origin === 'string') return min <= 1 ? 'cannot be empty' : `must be at least ${count(min, 'character')}`;
      if (origin === 'array' || origin === 'set') {
        return min <= 1 ? 'needs at least one item' : `needs at least ${count(min, 'item')}`;
      }
      return issue.inclusive === false ? `must be more than ${min}` : `must be at least ${min}`;
    }
    case 'too_big': {
      const max = Number(maximum);
      if (origin === 'string') return `must be at most ${count(max, 'character')}`;
      if (origin === 'array' || origin === 'set') return `takes at most ${count(max, 'item')}`;
      return issue.inclusive === false ? `must be less than ${max}` : `must be at most ${max}`;
    }
    case 'invalid_format':
      switch (issue.format) {
        case 'url':
          return 'must be an absolute URL, e.g. https://example.com/page';
        case 'email':
          return 'must be an e-mail address, e.g. hello@example.com';
        case 'datetime':
          return 'must be an ISO 8601 date-time with a time zone, e.g. 2026-12-31T23:59:59Z';
        case 'date':
          return 'must be a date like 2026-12-31';
        case 'regex':
          return 'is not in the expected format';
        default:
          return `must be a valid ${String(issue.format)}`;
      }
    case 'invalid_value': {
      const values = (issue.values as unknown[]).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
      return values.length === 1 ? `must be ${values[0]}` : `must be one of ${values.join(', ')}`;
    }
    case 'unrecognized_keys':
      return `has no field ${(issue.keys as string[]).map((key) => `"${key}"`).join(', ')}`;
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.divisor)}`;
    case 'invalid_union':
      return listElement(field) ? `must be ${listRule(field)}` : 'has a value of the wrong kind';
    case 'invalid_key':
      return 'has an invalid key';
    case 'invalid_element':
      return 'has an invalid item';
    default:
      return 'is invalid';
  }
}

const CONTINUES_LABEL = /^(is|are|must|can|cannot|needs|has|takes|should|was|does|did)\b/;

/**
 * Schema violations of `input` as field issues (empty when valid), and the parsed value when valid. Each message
 * names the field by its label (and dotted path), says what is accepted, and never repeats the value.
 */
export function schemaIssues<S extends z.ZodType>(
  schema: S,
  input: unknown,
  pathPrefix = '',
  /** What the whole value is called when it is the problem ("The input must be an object …"). */
  whole = 'The input',
): { issues: FieldIssue[]; data?: z.output<S> } {
  const first = schema.safeParse(input);
  if (first.success) return { issues: [], data: first.data };
  // parsed again with the error map only when invalid: any parse option costs zod its fast path (about 2x)
  const parsed = schema.safeParse(input, parseParams);
  if (parsed.success) return { issues: [], data: parsed.data };
  const prefix = pathPrefix ? `${pathPrefix}.` : '';
  return {
    issues: parsed.error.issues.map((issue) => {
      const { labels, field } = fieldAtPath(schema, issue.path);
      const path = `${prefix}${issue.path.map(String).join('.')}`;
      const fragment = issueFragment(issue as AnyIssue, field);
      const label = labels.length > 0 ? labels.join(' › ') : undefined;
      const subject = label ? `${label} (${path})` : path ? `"${path}"` : whole;
      const message = CONTINUES_LABEL.test(fragment) ? `${subject} ${fragment}` : `${subject}: ${fragment}`;
      return { field: path, message, ...(label ? { label } : {}), rule: fragment };
    }),
  };
}

/** How many issues the message spells out; the rest are counted (every one stays in `issues`). */
const MESSAGE_ISSUES = 10;

/**
 * The one `validation_error` for a list of field issues: "Invalid <what>: <issue>; <issue>." A bulk call with
 * thousands of bad items names the first few and counts the rest, so the message stays one readable sentence.
 */
export function validationError(what: string, issues: FieldIssue[]): CodeQrError {
  const shown = issues
    .slice(0, MESSAGE_ISSUES)
    .map((i) => (!i.field || i.message.includes(i.field) ? i.message : `${i.field}: ${i.message}`));
  const more = issues.length - shown.length;
  if (more > 0) shown.push(`and ${more.toLocaleString('en-US')} more ${more === 1 ? 'issue' : 'issues'} (see issues)`);
  const list = shown.join('; ');
  const end = /[.?!]$/.test(list) ? '' : '.';
  return new CodeQrError({ code: 'validation_error', message: `Invalid ${what}: ${list}${end}`, issues });
}

/**
 * Validates caller input before anything reaches the network: unknown fields (with a "did you mean" hint) and
 * schema violations become one `validation_error` naming every bad field.
 */
export function validateInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what: string,
  knownKeys?: readonly string[],
  pathPrefix = '',
): z.output<S> {
  const unknown = knownKeys ? unknownKeyIssues(input, knownKeys, what, pathPrefix) : [];
  const { issues, data } = schemaIssues(schema, input, pathPrefix);
  if (unknown.length > 0 || issues.length > 0) throw validationError(what, [...unknown, ...issues]);
  return data as z.output<S>;
}

/**
 * Drops `undefined` values, inside nested plain objects too, so bodies carry only what the caller set (hosts often
 * produce `{ password: undefined }` for an empty sub-field, which a string map would otherwise reject).
 */
export function compact<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) if (v !== undefined) out[key] = compact(v);
  return out as T;
}

/**
 * Host-style input → the typed input a zod schema expects, driven by the schema itself: n8n sends `''` for an
 * untouched field, Zapier sends strings and `''`, a GitHub Action gets nothing but strings. One pass, compiled once
 * per schema, so every operation (and any new one) accepts the same renderings:
 *
 * - a blank or whitespace-only value means "not set", at any depth (objects, records, list items); so does an
 *   optional object or record left with nothing set, and an empty list;
 * - `null` clears: it stays `null` where the field is nullable, becomes `[]` for an optional list, and means "not
 *   set" elsewhere;
 * - numbers from numeric text (`' 512 '`), booleans from `true`/`false`/`yes`/`no`/`1`/`0` (any case);
 * - enum values matched case-insensitively (`m` → `M`), after trimming;
 * - lists from an array, a JSON array, or comma- or newline-separated text (items trimmed, blank items dropped);
 * - objects and records from an object or its JSON text;
 * - text trimmed (except fields marked `verbatim`, such as a Wi-Fi password); numbers and booleans given to a text
 *   field become text, dates (a `Date`, a Luxon `DateTime` from an n8n expression) become ISO strings;
 * - a URL field given a bare host name (`example.com/menu`) gets `https://`, as CodeQR itself does (Dub's
 *   `getUrlFromString`: `example.com` → `https://example.com/`).
 *
 * Anything else is left as it is for the schema to reject with a clear message.
 */
import type * as z from 'zod/v4';
import { bagOf, defOf, type UnwrappedField, unwrapField } from './describe.ts';

type Coerce = (value: unknown) => unknown;

const compiled = new WeakMap<z.ZodType, Coerce>();

const isBlank = (value: unknown): boolean => typeof value === 'string' && value.trim() === '';
const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date);

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;
const TRUE = new Set(['true', 'yes', '1']);
const FALSE = new Set(['false', 'no', '0']);
/** `example.com`, `www.example.com/menu?x=1`, `shop.example.co.uk:8080/a`: a host name with a dot, no scheme. */
const BARE_HOST = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}(?::\d{1,5})?(?:[/?#]\S*)?$/i;

/** `JSON.parse` of text that looks like JSON of the wanted kind (`[` or `{`), else undefined. */
function parseJson(text: string, open: '[' | '{'): unknown {
  const trimmed = text.trim();
  if (!trimmed.startsWith(open)) return undefined;
  try {
    return JSON.parse(trimmed);
  } catch {
    return undefined;
  }
}

/** A Luxon `DateTime` (what an n8n expression such as `{{ $now }}` gives a top-level parameter), by its shape. */
const isDateTimeLike = (value: unknown): value is { toISO(): string | null } =>
  typeof value === 'object' && value !== null && typeof (value as { toISO?: unknown }).toISO === 'function';

function stringCoercer(field: UnwrappedField): Coerce {
  const verbatim = field.meta.verbatim === true;
  const isUrl = field.meta.format === 'uri' || bagOf(field.schema).format === 'url';
  return (value) => {
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? value : value.toISOString();
    if (isDateTimeLike(value)) return value.toISO() ?? value;
    if (typeof value !== 'string') return value;
    const text = verbatim ? value : value.trim();
    return isUrl ? urlFromString(text) : text;
  };
}

/**
 * Dub's `getUrlFromString`, which CodeQR applies to a URL before storing it: text that does not parse as a URL but
 * has a dot and no space becomes `new URL('https://' + text)` in the parser's own form (`example.org` →
 * `https://example.org/`, `EXAMPLE.org/Menu` → `https://example.org/Menu`), so what core sends is what CodeQR
 * would store, and upsert by URL finds a code created elsewhere from the same text. A bare `host:port/…` (which the
 * parser reads as a scheme, and CodeQR would keep as an invalid URL) gets `https://` too.
 */
function urlFromString(text: string): string {
  if (!BARE_HOST.test(text)) {
    try {
      new URL(text);
      return text;
    } catch {
      // not a URL: maybe a bare host below
    }
  }
  if (!text.includes('.') || text.includes(' ')) return text;
  try {
    return new URL(`https://${text}`).toString();
  } catch {
    return text;
  }
}

const numberCoercer: Coerce = (value) => {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  return NUMBER.test(text) ? Number(text) : value;
};

const booleanCoercer: Coerce = (value) => {
  if (typeof value === 'number') return value === 1 ? true : value === 0 ? false : value;
  if (typeof value !== 'string') return value;
  const text = value.trim().toLowerCase();
  return TRUE.has(text) ? true : FALSE.has(text) ? false : value;
};

function enumCoercer(values: readonly unknown[]): Coerce {
  const byLower = new Map<string, unknown>();
  const clashes = new Set<string>();
  for (const v of values) {
    if (typeof v !== 'string') continue;
    const lower = v.toLowerCase();
    if (byLower.has(lower)) clashes.add(lower);
    byLower.set(lower, v);
  }
  const numbers = values.filter((v): v is number => typeof v === 'number');
  return (value) => {
    if (typeof value !== 'string') return value;
    const text = value.trim();
    if (values.includes(text)) return text;
    const lower = text.toLowerCase();
    if (byLower.has(lower) && !clashes.has(lower)) return byLower.get(lower);
    if (numbers.length > 0 && NUMBER.test(text) && numbers.includes(Number(text))) return Number(text);
    return text;
  };
}

/** Whether a (wrapped) schema is a list of scalars, or a union with such a list (e.g. `string | string[]`). */
function listElement(schema: z.ZodType): z.ZodType | undefined {
  const def = defOf(schema);
  if (def.type === 'array') return def.element;
  if (def.type === 'union') {
    for (const option of def.options ?? []) {
      const inner = unwrapField(option).schema;
      if (defOf(inner).type === 'array') return defOf(inner).element;
    }
  }
  return undefined;
}

const SCALAR_TYPES = new Set(['string', 'number', 'int', 'boolean', 'enum', 'literal', 'date', 'bigint']);

function arrayCoercer(element: z.ZodType): Coerce {
  const item = compile(element);
  const scalar = SCALAR_TYPES.has(defOf(unwrapField(element).schema).type);
  return (value) => {
    let list: unknown[] | undefined;
    if (Array.isArray(value)) list = value;
    else if (typeof value === 'string') {
      const json = parseJson(value, '[');
      if (Array.isArray(json)) list = json;
      else if (scalar) list = value.split(/\r?\n|,/);
      else return value;
    } else if (scalar && value !== null && typeof value !== 'object') list = [value];
    else return value;
    if (!scalar) return list.map(item);
    const out: unknown[] = [];
    for (const entry of list) {
      const coerced = item(entry);
      if (coerced !== undefined && coerced !== null) out.push(coerced);
    }
    return out;
  };
}

function objectCoercer(shape: Record<string, z.ZodType>): Coerce {
  const children = Object.entries(shape).map(([key, schema]) => [key, compile(schema)] as const);
  const known = new Map(children);
  return (value) => {
    const object = typeof value === 'string' ? parseJson(value, '{') : value;
    if (!isPlainObject(object)) return value;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(object)) {
      const coerce = known.get(key);
      const coerced = coerce ? coerce(object[key]) : object[key];
      if (coerced !== undefined) out[key] = coerced;
    }
    return out;
  };
}

function recordCoercer(valueType: z.ZodType | undefined): Coerce {
  const item = valueType ? compile(valueType) : (v: unknown) => v;
  return (value) => {
    const object = typeof value === 'string' ? parseJson(value, '{') : value;
    if (!isPlainObject(object)) return value;
    const out: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(object)) {
      const coerced = item(entry);
      if (coerced !== undefined) out[key] = coerced;
    }
    return out;
  };
}

/** A union without a list member: the first member whose kind fits the value decides. */
function unionCoercer(options: z.ZodType[]): Coerce {
  const members = options.map((option) => ({ type: defOf(unwrapField(option).schema).type, coerce: compile(option) }));
  const of = (...types: string[]) => members.find((m) => types.includes(m.type))?.coerce;
  const forObject = of('object', 'record');
  const forNumber = of('number', 'int');
  const forBoolean = of('boolean');
  const forString = of('string', 'enum', 'literal');
  return (value) => {
    if (isPlainObject(value)) return forObject ? forObject(value) : value;
    if (typeof value !== 'string') return value;
    if (forString) return forString(value);
    if (forObject && parseJson(value, '{') !== undefined) return forObject(value);
    if (forNumber && NUMBER.test(value.trim())) return forNumber(value);
    if (forBoolean) return forBoolean(value);
    return value;
  };
}

const isEmpty = (value: unknown): boolean =>
  (Array.isArray(value) && value.length === 0) || (isPlainObject(value) && Object.keys(value).length === 0);

function build(schema: z.ZodType): Coerce {
  const field = unwrapField(schema);
  const inner = field.schema;
  const def = defOf(inner);
  const element = listElement(inner);
  let coerce: Coerce;
  if (element) coerce = arrayCoercer(element);
  else {
    switch (def.type) {
      case 'string':
        coerce = stringCoercer(field);
        break;
      case 'number':
      case 'int':
        coerce = numberCoercer;
        break;
      case 'boolean':
        coerce = booleanCoercer;
        break;
      case 'enum':
        coerce = enumCoercer(Object.values(def.entries ?? {}));
        break;
      case 'literal':
        coerce = enumCoercer(def.values ?? []);
        break;
      case 'object':
        coerce = objectCoercer(def.shape ?? {});
        break;
      case 'record':
        coerce = recordCoercer(def.valueType);
        break;
      case 'union':
        coerce = unionCoercer(def.options ?? []);
        break;
      default:
        coerce = (value) => value;
    }
  }
  const { optional, nullable } = field;
  const container = element !== undefined || def.type === 'object' || def.type === 'record';
  return (value) => {
    if (value === undefined) return undefined;
    if (value === null) {
      if (nullable) return null;
      return optional && element ? [] : undefined;
    }
    if (isBlank(value)) return undefined;
    const out = coerce(value);
    // an optional container left with nothing in it (an untouched n8n collection, `'a, ,'` minus blanks) is not set
    return optional && container && isEmpty(out) ? undefined : out;
  };
}

/** The coercer of a schema, compiled on first use (a lazy placeholder first, so recursive schemas terminate). */
function compile(schema: z.ZodType): Coerce {
  const cached = compiled.get(schema);
  if (cached) return cached;
  let real: Coerce | undefined;
  compiled.set(schema, (value) => (real as Coerce)(value));
  real = build(schema);
  compiled.set(schema, real);
  return real;
}

/**
 * `raw` as the typed input `schema` expects, following the host-style rules above. Never throws: what cannot be
 * coerced is returned as it is, for the schema to reject.
 */
export function coerceHostInput(schema: z.ZodType, raw: unknown): unknown {
  return compile(schema)(raw);
}

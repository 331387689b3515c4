import type * as z from 'zod/v4';
import { type DynamicOptionSource, type FieldMeta, humanize } from './meta.ts';
import { bagOf, defOf, unwrapField } from './unwrap.ts';

export * from './paths.ts';
export * from './unwrap.ts';

/** What kind of input a field is, independent of any host. */
export const FIELD_KINDS = [
  'string',
  'number',
  'boolean',
  'enum',
  'stringList',
  'datetime',
  'json',
  'object',
  'url',
] as const;
export type FieldKind = (typeof FIELD_KINDS)[number];

export interface FieldOption {
  value: string | number | boolean;
  label: string;
}

/** A host-neutral description of one input field, derived from a zod schema and its `.meta()`. */
export interface FieldSpec {
  key: string;
  /** The `.meta()` label, else the humanised key. */
  label: string;
  description?: string;
  placeholder?: string;
  example?: unknown;
  /** The value a host form starts at: CodeQR's own default (`FieldMeta.initial`); never sent unless the user keeps it. */
  initial?: unknown;
  /** The field must be present (it has no `.optional()` / `.default()`). */
  required: boolean;
  default?: unknown;
  kind: FieldKind;
  /** Choices of an `enum` (or of a `stringList` of enum values). */
  options?: FieldOption[];
  /** Choices come from the account: see `listOptions` / `DYNAMIC_OPTIONS`. */
  dynamic?: DynamicOptionSource;
  advanced: boolean;
  /** Sub-fields of an `object`, or of each item of a `json` list of objects. */
  children?: FieldSpec[];
  /** Bounds: the value for a `number`, the length for a string kind, the item count for a list. */
  min?: number;
  max?: number;
}

const isStringLike = (type: string) => type === 'string' || type === 'enum' || type === 'literal';

function enumOptions(schema: z.ZodType, meta: FieldMeta): FieldOption[] | undefined {
  const def = defOf(schema);
  const values =
    def.type === 'enum' ? Object.values(def.entries ?? {}) : def.type === 'literal' ? (def.values ?? []) : undefined;
  if (!values) return undefined;
  return values
    .filter((v): v is string | number | boolean => ['string', 'number', 'boolean'].includes(typeof v))
    .map((value) => ({ value, label: meta.optionLabels?.[String(value)] ?? humanize(String(value)) }));
}

/** Bounds worth showing: the value for a number, the length for a string, the item count for a list. */
export function bounds(schema: z.ZodType): Pick<FieldSpec, 'min' | 'max'> {
  const bag = bagOf(schema);
  const out: Pick<FieldSpec, 'min' | 'max'> = {};
  // `.int()` alone records the safe-integer range: not a bound worth showing
  const real = (n: unknown): n is number => typeof n === 'number' && Math.abs(n) < Number.MAX_SAFE_INTEGER;
  if (real(bag.minimum)) out.min = bag.minimum;
  if (real(bag.maximum)) out.max = bag.maximum;
  return out;
}

type Shape = Omit<FieldSpec, 'key' | 'label' | 'required' | 'advanced'>;

function stringKind(schema: z.ZodType, meta: FieldMeta): FieldKind {
  const format = bagOf(schema).format;
  if (format === 'url' || meta.format === 'uri') return 'url';
  if (format === 'datetime' || format === 'date' || meta.format === 'date-time' || meta.format === 'date') {
    return 'datetime';
  }
  return 'string';
}

function shapeOf(schema: z.ZodType, meta: FieldMeta): Shape {
  const def = defOf(schema);
  switch (def.type) {
    case 'string':
      return { kind: stringKind(schema, meta), ...bounds(schema) };
    case 'number':
    case 'int':
    case 'bigint':
      return { kind: 'number', ...bounds(schema) };
    case 'boolean':
      return { kind: 'boolean' };
    case 'date':
      return { kind: 'datetime' };
    case 'enum':
    case 'literal': {
      const options = enumOptions(schema, meta);
      return options ? { kind: 'enum', options } : { kind: 'json' };
    }
    case 'object':
      return { kind: 'object', children: describeShape(def.shape ?? {}) };
    case 'array': {
      const item = def.element ? unwrapField(def.element) : undefined;
      const itemType = item ? defOf(item.schema).type : 'unknown';
      if (item && isStringLike(itemType)) {
        const options = itemType === 'string' ? undefined : enumOptions(item.schema, { ...item.meta, ...meta });
        return { kind: 'stringList', ...(options ? { options } : {}), ...bounds(schema) };
      }
      if (item && itemType === 'object') {
        return { kind: 'json', children: describeShape(defOf(item.schema).shape ?? {}), ...bounds(schema) };
      }
      return { kind: 'json', ...bounds(schema) };
    }
    case 'union': {
      const members = (def.options ?? []).map((option) => unwrapField(option).schema);
      const types = members.map((member) => defOf(member).type);
      const listOfStrings = (member: z.ZodType) => {
        const d = defOf(member);
        return d.type === 'array' && !!d.element && isStringLike(defOf(unwrapField(d.element).schema).type);
      };
      if (members.length > 0 && members.every((m) => isStringLike(defOf(m).type) || listOfStrings(m))) {
        if (members.some(listOfStrings)) return { kind: 'stringList' };
        if (types.includes('string')) return { kind: 'string' };
        const options = members.flatMap((m) => enumOptions(m, meta) ?? []);
        return { kind: 'enum', options };
      }
      return { kind: 'json' };
    }
    default:
      return { kind: 'json' };
  }
}

function describeField(key: string, schema: z.ZodType): FieldSpec {
  const field = unwrapField(schema);
  const { meta } = field;
  const spec: FieldSpec = {
    key,
    label: meta.label ?? humanize(key),
    required: !field.optional,
    advanced: meta.advanced === true,
    ...shapeOf(field.schema, meta),
  };
  if (meta.description !== undefined) spec.description = meta.description;
  if (meta.placeholder !== undefined) spec.placeholder = meta.placeholder;
  if (meta.example !== undefined) spec.example = meta.example;
  if (meta.initial !== undefined) spec.initial = meta.initial;
  if (field.default) spec.default = field.default.value;
  if (meta.options) spec.dynamic = meta.options;
  return spec;
}

function describeShape(shape: Record<string, z.ZodType>): FieldSpec[] {
  return Object.entries(shape).map(([key, schema]) => describeField(key, schema));
}

/**
 * Host-neutral specs of an object schema's fields, in declaration order: what every host's field builder maps from.
 * Wrappers are unwrapped and their `.meta()` merged; a field without a `label` falls back to its humanised key.
 */
export function describeFields(schema: z.ZodObject): FieldSpec[] {
  return describeShape(schema.shape as Record<string, z.ZodType>);
}

export function dynamicSources(ops: readonly { input: z.ZodObject }[]): DynamicOptionSource[] {
  const found = new Set<DynamicOptionSource>();
  const walk = (specs: readonly FieldSpec[]) => {
    for (const spec of specs) {
      if (spec.dynamic) found.add(spec.dynamic);
      if (spec.children) walk(spec.children);
    }
  };
  for (const op of ops) walk(describeFields(op.input));
  return [...found].sort();
}

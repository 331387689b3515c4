/**
 * Core's host-neutral field descriptions as Zapier's form: `FieldSpec` → input fields (nested ones flattened as
 * `wifi__ssid`, lists of objects as line items), and back from Zapier's flat field keys to the nested input core
 * parses; issue paths → the labels on the form. Output fields: `output-fields.ts`; Clear Fields: `clear-fields.ts`.
 */
import { type DynamicOptionSource, describeFields, type FieldSpec, fieldAtPath } from '@codeqr-integrations/core/base';
import type * as z from 'zod/v4';
import { fieldOverride, searchFor } from './overrides.ts';
import type { ZapierFormField, ZapierInputField } from './types.ts';

/** Nested keys are flattened with Zapier's own separator: `wifi__ssid` is `wifi.ssid` in core. */
export const NESTED = '__';
/** The group that collects a form's less common fields (core's `advanced`). */
export const ADVANCED_GROUP = { key: 'advanced', label: 'Advanced Options' } as const;

/** The hidden trigger that fills one dynamic dropdown source: `qrCodes` → `qrCodesDropdown`. */
export const dropdownKey = (source: DynamicOptionSource) => `${source}Dropdown`;

/** Whether the field at a core key path (`size`, `items[].size`) is a whole number (`z.number().int()`). */
function isInteger(input: z.ZodObject, path: string): boolean {
  const steps = path.split('.').flatMap((step) => (step.endsWith('[]') ? [step.slice(0, -2), 0] : [step]));
  const schema = fieldAtPath(input, steps).field?.schema;
  const bag = (schema?._zod as { bag?: { format?: string } } | undefined)?.bag;
  return bag?.format === 'safeint' || bag?.format === 'int32' || bag?.format === 'uint32';
}

const inputType = (spec: FieldSpec, integer: boolean): ZapierInputField['type'] => {
  switch (spec.kind) {
    case 'number':
      return integer ? 'integer' : 'number';
    case 'boolean':
      return 'boolean';
    case 'datetime':
      return 'datetime';
    case 'json':
      return 'text';
    default:
      return 'string';
  }
};

/**
 * Whether a list of text is a Zapier `list: true` field. Only a list of fixed choices is: Zapier sends a value
 * mapped into one slot of a list field as it is (`'A,B'` arrives as `['A,B']`, one item), so every other list
 * (tag names, IDs: values that cannot hold a comma, since CodeQR and core both split on commas) is one text field
 * that core splits on commas and line breaks; Zapier joins mapped line items into it with commas.
 */
const isZapierList = (spec: FieldSpec) => spec.kind === 'stringList' && !!spec.options && !spec.dynamic;

function helpText(spec: FieldSpec, inLine: boolean): string | undefined {
  const parts = [spec.description];
  if (spec.kind === 'json' && !spec.children) parts.push('JSON.');
  if (spec.kind === 'stringList' && (inLine || !isZapierList(spec))) {
    parts.push(
      spec.dynamic ? 'Pick one, or type or map several separated by commas.' : 'Separate several with commas.',
    );
  }
  const text = parts.filter(Boolean).join(' ');
  return text && text !== spec.label ? text : undefined;
}

interface Context {
  /** The operation, for its overrides, and its input (for what `FieldSpec` leaves out: whole numbers). */
  opKey: string;
  input: z.ZodObject;
  /** Offer a search step next to a dropdown (`search:`): not on trigger fields, which filter what fires. */
  offerSearch: boolean;
  /** Key path so far (`wifi__`), label path so far (`Wi-Fi: `). */
  prefix: string;
  labelPrefix: string;
  /** Inside a line item (children of a line-items field): no lists, no groups. */
  inLine: boolean;
  /** The parent was advanced (so its flattened children are too). */
  advanced: boolean;
  /** The core key path (`wifi.ssid`), for overrides. */
  path: string;
}

function fieldFor(spec: FieldSpec, ctx: Context): ZapierInputField[] {
  const path = ctx.path ? `${ctx.path}.${spec.key}` : spec.key;
  const advanced = ctx.advanced || spec.advanced;
  if (spec.kind === 'object') {
    return (spec.children ?? []).flatMap((child) =>
      fieldFor(child, {
        ...ctx,
        prefix: `${ctx.prefix}${spec.key}${NESTED}`,
        labelPrefix: `${ctx.labelPrefix}${spec.label}: `,
        advanced,
        path,
      }),
    );
  }
  const field: ZapierInputField = {
    key: `${ctx.prefix}${spec.key}`,
    label: `${ctx.labelPrefix}${spec.label}`,
    type: inputType(spec, spec.kind === 'number' && isInteger(ctx.input, path)),
    // a nested field is required only once its parent is used: core checks that
    required: ctx.prefix === '' && spec.required,
  };
  const help = helpText(spec, ctx.inLine);
  if (help) field.helpText = help;
  if (spec.placeholder) field.placeholder = spec.placeholder;
  // CodeQR's own default, shown and never saved (Zapier's placeholder): a blank field is left out and CodeQR applies it
  else if (['string', 'number', 'boolean'].includes(typeof spec.initial)) field.placeholder = String(spec.initial);
  if (spec.default !== undefined && spec.default !== null && typeof spec.default !== 'object') {
    field.default = String(spec.default);
  }
  if (spec.dynamic) {
    field.dynamic = `${dropdownKey(spec.dynamic)}.id.name`;
    const search = ctx.offerSearch ? searchFor(ctx.opKey, spec.dynamic) : undefined;
    if (search) field.search = search;
  } else if (spec.options) {
    field.choices = spec.options.map((o) => ({ value: String(o.value), label: o.label, sample: String(o.value) }));
  }
  if (isZapierList(spec) && !ctx.inLine) field.list = true;
  if (spec.kind === 'json' && spec.children && !ctx.inLine) {
    // a list of objects: Zapier line items, one child per column (Zapier allows no help text next to children)
    delete field.type;
    delete field.helpText;
    field.children = spec.children.flatMap((child) =>
      fieldFor(child, { ...ctx, prefix: '', labelPrefix: '', inLine: true, advanced: false, path: `${path}[]` }),
    );
  }
  if (advanced && !ctx.inLine && !field.required) field.group = ADVANCED_GROUP.key;
  return [{ ...field, ...fieldOverride(ctx.opKey, path) }];
}

export interface FormOptions {
  /** Offer search steps next to dropdowns (default true; triggers say false). */
  offerSearch?: boolean;
}

/** The Zapier fields of one of an operation's top-level field specs (an object's children flattened). */
export function fieldsOfSpec(
  opKey: string,
  input: z.ZodObject,
  spec: FieldSpec,
  options: FormOptions = {},
): ZapierInputField[] {
  const offerSearch = options.offerSearch ?? true;
  return fieldFor(spec, {
    opKey,
    input,
    offerSearch,
    prefix: '',
    labelPrefix: '',
    inLine: false,
    advanced: false,
    path: '',
  });
}

/** Zapier input fields for an operation's input schema, in core's order (every type's content fields included). */
export function inputFieldsFor(opKey: string, input: z.ZodObject, options: FormOptions = {}): ZapierInputField[] {
  return describeFields(input).flatMap((spec) => fieldsOfSpec(opKey, input, spec, options));
}

/** A form's fields, with the Advanced Options group declared when any field is in it. */
export function withGroups(fields: ZapierFormField[]) {
  return fields.some((f) => typeof f !== 'function' && f.group === ADVANCED_GROUP.key)
    ? { inputFields: fields, inputFieldGroups: [{ ...ADVANCED_GROUP }] }
    : { inputFields: fields };
}

/** The key paths (`wifi.ssid`, `items[].url`) of every field an input has, for checking overrides. */
export function fieldPaths(input: z.ZodObject): string[] {
  const walk = (specs: FieldSpec[], prefix: string): string[] =>
    specs.flatMap((spec) => {
      const path = `${prefix}${spec.key}`;
      const nested = spec.kind === 'object' ? `${path}.` : spec.kind === 'json' ? `${path}[].` : undefined;
      return [path, ...(spec.children && nested ? walk(spec.children, nested) : [])];
    });
  return walk(describeFields(input), '');
}

/** The line-items field of an input (a list of objects), if it has one: Bulk Create's `items`. */
export function lineItemsField(input: z.ZodObject): FieldSpec | undefined {
  return describeFields(input).find((spec) => spec.kind === 'json' && spec.children);
}

/**
 * The labels a user sees, by core's dotted issue path: `wifi.ssid` → `Wi-Fi: Network Name (SSID)`, `items.2.url` →
 * `line 3, Destination URL`. Core's `fieldAtPath` walks the schema; this words it as Zapier's form does (core says
 * `QR Codes › item 3 › Destination URL`), names a part the form lacks by its nearest known parent, and names nothing
 * when even the first key is not on the form (CodeQR's own field names).
 */
export function labelFor(input: z.ZodObject, path: string): string | undefined {
  let steps: PropertyKey[] = path
    .split('.')
    .filter(Boolean)
    .map((step) => (/^\d+$/.test(step) ? Number(step) : step));
  while (steps.length > 0 && !fieldAtPath(input, steps).field) steps = steps.slice(0, -1);
  const { labels } = fieldAtPath(input, steps);
  const named = labels.filter((_, i) => typeof steps[i] !== 'number');
  if (named.length === 0) return undefined;
  const line = steps.find((step) => typeof step === 'number');
  return line !== undefined && named.length > 1
    ? `line ${Number(line) + 1}, ${named.slice(1).join(': ')}`
    : named.join(': ');
}

/** Zapier's flat keys back to core's nested input: `{ wifi__ssid: 'x' }` → `{ wifi: { ssid: 'x' } }`, lines too. */
export function unflatten(data: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data ?? {})) {
    const parts = key.split(NESTED);
    let node = out;
    for (const part of parts.slice(0, -1)) {
      const next = node[part];
      if (next && typeof next === 'object' && !Array.isArray(next)) node = next as Record<string, unknown>;
      else {
        const created: Record<string, unknown> = {};
        node[part] = created;
        node = created;
      }
    }
    const leaf = parts[parts.length - 1]!;
    node[leaf] =
      Array.isArray(value) && value.every((v) => v && typeof v === 'object' && !Array.isArray(v))
        ? value.map((v) => unflatten(v as Record<string, unknown>))
        : value;
  }
  return out;
}

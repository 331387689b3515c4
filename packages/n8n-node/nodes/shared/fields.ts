/**
 * The one mapper: core's host-neutral `FieldSpec`s (from `describeFields(op.input)`) → n8n `INodeProperties`, and
 * back from n8n parameter values to the raw operation input core's `parseInput` validates. Required fields and
 * common ones whose empty value means "not set" sit at the top; the rest go into "Additional Fields".
 */
import {
  type AnyAction,
  type AnyTrigger,
  type DynamicOptionSource,
  describeFields,
  type FieldSpec,
} from '@codeqr-integrations/core/base';
import type {
  IDataObject,
  IDisplayOptions,
  INodeProperties,
  INodePropertyMode,
  INodePropertyOptions,
} from 'n8n-workflow';
import { type LocatorMode, type OperationOverride, OVERRIDES } from './overrides.ts';

type AnyOp = AnyAction | AnyTrigger;

/** Reads one node parameter of the current item (execute) or of the node (poll). */
export type ParameterReader = (name: string, fallback: unknown, options?: { rawLocator?: boolean }) => unknown;

const ADDITIONAL = 'additionalFields';

const capitalise = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);
/** `qrCodes` → `getQrCodes` (loadOptions) / `searchQrCodes` (listSearch). */
export const loadOptionsMethod = (source: DynamicOptionSource) => `get${capitalise(source)}`;
export const listSearchMethod = (source: DynamicOptionSource) => `search${capitalise(source)}`;

export function overrideOf(op: AnyOp): OperationOverride {
  return OVERRIDES[op.key] ?? {};
}

/** A field whose blank value reads as "not set" (core treats '' so), so it can sit at the top without a default. */
function blankMeansUnset(spec: FieldSpec): boolean {
  return spec.kind === 'string' || spec.kind === 'url' || spec.kind === 'datetime';
}

function isTopLevel(spec: FieldSpec): boolean {
  if (spec.required) return true;
  if (spec.advanced) return false;
  // an optional dropdown filled from the account has no blank choice: n8n would flag its empty value as an issue
  if (spec.dynamic && !isLocator(spec)) return false;
  return spec.default !== undefined || blankMeansUnset(spec);
}

function isLocator(spec: FieldSpec): boolean {
  return spec.dynamic === 'qrCodes' && (spec.kind === 'string' || spec.kind === 'url');
}

function describe(spec: FieldSpec, suffix?: string): string | undefined {
  const text = [spec.description, suffix].filter(Boolean).join(' ');
  return text || undefined;
}

function locatorModes(spec: FieldSpec, extra: LocatorMode[]): Pick<INodeProperties, 'modes'> {
  const source = spec.dynamic as DynamicOptionSource;
  const extraModes = extra.map((mode): INodePropertyMode => {
    const { name, displayName, placeholder, pattern } = mode;
    const validation = pattern
      ? [{ type: 'regex' as const, properties: { regex: pattern.regex, errorMessage: pattern.errorMessage } }]
      : undefined;
    return { ...{ name, displayName, placeholder }, type: 'string', ...(validation ? { validation } : {}) };
  });
  return {
    modes: [
      {
        displayName: 'From List',
        name: 'list',
        type: 'list',
        typeOptions: { searchListMethod: listSearchMethod(source), searchable: true },
      },
      { displayName: 'By ID', name: 'id', type: 'string', placeholder: spec.placeholder ?? 'cm1a2b3c4d5e6f7g8h9i0j1k' },
      ...extraModes,
    ],
  };
}

/** One field as an n8n property (without display options). */
export function toProperty(spec: FieldSpec, extraModes: LocatorMode[] = []): INodeProperties {
  const base = {
    displayName: spec.label,
    name: spec.key,
    ...(spec.required ? { required: true } : {}),
    ...(spec.placeholder ? { placeholder: spec.placeholder } : {}),
  };
  const withDescription = (suffix?: string) => {
    const description = describe(spec, suffix);
    return description ? { description } : {};
  };
  if (isLocator(spec)) {
    return {
      ...base,
      ...withDescription(),
      type: 'resourceLocator',
      default: { mode: 'list', value: '' },
      ...locatorModes(spec, extraModes),
    };
  }
  const options = (spec.options ?? []).map(
    (option): INodePropertyOptions => ({ name: option.label, value: option.value as string | number | boolean }),
  );
  switch (spec.kind) {
    case 'enum':
      return {
        ...base,
        ...withDescription(),
        type: 'options',
        options,
        default: (spec.default ?? options[0]?.value ?? '') as string,
      };
    case 'stringList':
      if (spec.options) return { ...base, ...withDescription(), type: 'multiOptions', options, default: [] };
      if (spec.dynamic) {
        return {
          ...base,
          ...withDescription('Choose from the list, or specify names or IDs using an expression.'),
          type: 'multiOptions',
          typeOptions: { loadOptionsMethod: loadOptionsMethod(spec.dynamic) },
          default: [],
        };
      }
      return { ...base, ...withDescription('Separate several with commas.'), type: 'string', default: '' };
    case 'number':
      return {
        ...base,
        ...withDescription(),
        type: 'number',
        default: (spec.default ?? spec.min ?? 0) as number,
        typeOptions: {
          ...(spec.min !== undefined ? { minValue: spec.min } : {}),
          ...(spec.max !== undefined ? { maxValue: spec.max } : {}),
        },
      };
    case 'boolean':
      return { ...base, ...withDescription(), type: 'boolean', default: (spec.default ?? false) as boolean };
    case 'datetime':
      return { ...base, ...withDescription(), type: 'dateTime', default: '' };
    case 'object':
      return {
        ...base,
        ...withDescription(),
        type: 'collection',
        placeholder: 'Add Field',
        default: {},
        // never `required` inside a collection: n8n flags those as workflow issues even when the collection is
        // unused (core names a missing sub-field by its label once the collection is filled)
        options: (spec.children ?? []).map((child) => toProperty({ ...child, required: false })),
      };
    case 'json': {
      const fallback = spec.children ? [] : {};
      return {
        ...base,
        ...withDescription(spec.example !== undefined ? `Example: ${JSON.stringify(spec.example)}` : 'A JSON value.'),
        type: 'json',
        default: JSON.stringify(spec.default ?? fallback),
      };
    }
    default:
      if (spec.dynamic) {
        return {
          ...base,
          ...withDescription('Choose from the list, or specify a value using an expression.'),
          type: 'options',
          typeOptions: { loadOptionsMethod: loadOptionsMethod(spec.dynamic) },
          default: '',
        };
      }
      return { ...base, ...withDescription(), type: 'string', default: (spec.default ?? '') as string };
  }
}

/** The fields of an operation as n8n shows them: locator replacements applied, then top-level vs additional. */
export function operationFields(op: AnyOp): { top: FieldSpec[]; additional: FieldSpec[] } {
  const override = overrideOf(op);
  const replaced = new Set(override.locator?.replaces ?? []);
  const specs = describeFields(op.input).filter((spec) => !replaced.has(spec.key));
  return {
    top: specs.filter(isTopLevel),
    additional: specs.filter((spec) => !isTopLevel(spec)).sort((a, b) => a.label.localeCompare(b.label)),
  };
}

/** Every property of one operation, shown only under `show` (its resource + operation, or its trigger event). */
export function operationProperties(op: AnyOp, show: IDisplayOptions['show']): INodeProperties[] {
  const override = overrideOf(op);
  const { top, additional } = operationFields(op);
  const displayOptions = { show };
  const tweak = (property: INodeProperties): INodeProperties => ({
    ...property,
    ...(override.fields?.[property.name] ?? {}),
  });
  const keys = new Set(top.map((spec) => spec.key));
  const properties = top.map((spec) => {
    const extraModes = override.locator?.field === spec.key ? override.locator.modes : [];
    const property = tweak(toProperty(spec, extraModes));
    // n8n's Return All / Limit pattern: Limit only while Return All is off
    if (spec.key === 'limit' && keys.has('returnAll')) {
      return { ...property, displayOptions: { show: { ...show, returnAll: [false] } } };
    }
    return { ...property, displayOptions };
  });
  if (additional.length > 0) {
    properties.push({
      displayName: 'Additional Fields',
      name: ADDITIONAL,
      type: 'collection',
      placeholder: 'Add Field',
      default: {},
      displayOptions,
      options: additional.map((spec) => tweak(toProperty(spec))),
    });
  }
  return properties;
}

interface LocatorValue {
  __rl?: boolean;
  mode?: string;
  value?: unknown;
}

/** A resource-locator value: `{ __rl: true, mode, value }` (a property's own default may lack `__rl`). */
function isLocatorValue(value: unknown): value is LocatorValue {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const v = value as LocatorValue;
  return v.__rl === true || (typeof v.mode === 'string' && 'value' in v && Object.keys(v).length <= 3);
}

/** `2026-12-31T10:00:00` (n8n's date picker): a wall-clock time without an offset. */
const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?$/;

/** The offset (minutes east of UTC) of `timeZone` at the instant `epochMs`. */
function zoneOffsetAt(timeZone: string, epochMs: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(epochMs));
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
  return Math.round((wall - Math.floor(epochMs / 1000) * 1000) / 60_000);
}

/**
 * A date-time without an offset, as n8n's date picker stores it, read in the workflow's time zone (n8n's own
 * meaning of such a value): `2026-12-31T10:00:00` in Europe/Paris → `2026-12-31T10:00:00+01:00`. Anything else
 * (an offset already there, an expression's ISO string, a bad value core will name) passes through unchanged.
 */
export function inTimeZone(value: unknown, timeZone: string | undefined): unknown {
  if (typeof value !== 'string' || !timeZone) return value;
  const match = LOCAL_DATE_TIME.exec(value.trim());
  if (!match) return value;
  const [, y, mo, d, h, mi, s = '00', fraction = ''] = match;
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  let offset: number;
  try {
    offset = zoneOffsetAt(timeZone, wall);
    // the offset at the wall time read as UTC may differ from the one at the real instant (near a DST change)
    const second = zoneOffsetAt(timeZone, wall - offset * 60_000);
    if (second !== offset) offset = second;
  } catch {
    return value; // not a time zone Intl knows: core names the field
  }
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${y}-${mo}-${d}T${h}:${mi}:${s}${fraction}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** Date-time fields (nested ones in collections too) read in the workflow's time zone. */
function zoned(spec: FieldSpec, value: unknown, timeZone: string | undefined): unknown {
  if (spec.kind === 'datetime') return inTimeZone(value, timeZone);
  if (spec.kind === 'object' && spec.children && value && typeof value === 'object' && !Array.isArray(value)) {
    const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    for (const child of spec.children) if (child.key in out) out[child.key] = zoned(child, out[child.key], timeZone);
    return out;
  }
  return value;
}

/**
 * The raw operation input from the node's parameters: values exactly as n8n holds them (core's `parseInput` trims,
 * coerces and validates), Additional Fields spread in, a resource locator turned into the input it stands for, and
 * date-times without an offset read in the workflow's time zone (`timeZone`, from `this.getTimezone()`).
 */
export function readOperationInput(op: AnyOp, read: ParameterReader, timeZone?: string): Record<string, unknown> {
  const override = overrideOf(op);
  const { top, additional } = operationFields(op);
  const raw: Record<string, unknown> = {};
  for (const spec of top) {
    const fallback = toProperty(spec).default;
    const value = read(spec.key, fallback, { rawLocator: true });
    if (!isLocatorValue(value)) {
      raw[spec.key] = zoned(spec, value, timeZone);
      continue;
    }
    const mode =
      override.locator?.field === spec.key ? override.locator.modes.find((m) => m.name === value.mode) : undefined;
    const text = value.value === undefined || value.value === null ? '' : value.value;
    if (mode && typeof text === 'string' && text.trim() !== '') Object.assign(raw, mode.toInput(text));
    else raw[spec.key] = text;
  }
  if (additional.length > 0) {
    const extra = read(ADDITIONAL, {}) as IDataObject | undefined;
    if (extra && typeof extra === 'object') {
      const specs = new Map(additional.map((spec) => [spec.key, spec]));
      for (const [key, value] of Object.entries(extra)) {
        const spec = specs.get(key);
        if (isLocatorValue(value)) raw[key] = value.value ?? '';
        else raw[key] = spec ? zoned(spec, value, timeZone) : value;
      }
    }
  }
  return raw;
}

/** Every dynamic source an operation's fields use (nested ones included). */
export function dynamicSources(ops: readonly AnyOp[]): DynamicOptionSource[] {
  const found = new Set<DynamicOptionSource>();
  const walk = (specs: FieldSpec[]) => {
    for (const spec of specs) {
      if (spec.dynamic) found.add(spec.dynamic);
      if (spec.children) walk(spec.children);
    }
  };
  for (const op of ops) walk(describeFields(op.input));
  return [...found].sort();
}

/**
 * The way back from the form: n8n parameter values → the raw operation input core's `parseInput` validates (values
 * as n8n holds them; core trims, coerces and names bad fields by their labels).
 */
import type { AnyAction, AnyTrigger, FieldSpec } from '@codeqr-integrations/core/base';
import type { IDataObject } from 'n8n-workflow';
import { ADDITIONAL_FIELDS, operationFields, toProperty } from './fields.ts';
import { overrideOf } from './overrides.ts';
import { inTimeZone } from './time-zone.ts';

/** Reads one node parameter of the current item (execute) or of the node (poll). */
export type ParameterReader = (name: string, fallback: unknown, options?: { rawLocator?: boolean }) => unknown;

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

/** A top-level locator's value as input: what an extra mode stands for (e.g. an External ID), else its ID. */
function locatorInput(op: AnyAction | AnyTrigger, spec: FieldSpec, value: LocatorValue): Record<string, unknown> {
  const locator = overrideOf(op).locator;
  const mode = locator?.field === spec.key ? locator.modes.find((m) => m.name === value.mode) : undefined;
  const text = value.value === undefined || value.value === null ? '' : value.value;
  return mode && typeof text === 'string' && text.trim() !== '' ? mode.toInput(text) : { [spec.key]: text };
}

/** The filled Additional Fields, spread in: a locator by its value, date-times read in the time zone. */
function additionalInput(
  additional: readonly FieldSpec[],
  extra: unknown,
  timeZone: string | undefined,
): Record<string, unknown> {
  if (!extra || typeof extra !== 'object') return {};
  const specs = new Map(additional.map((spec) => [spec.key, spec]));
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(extra as IDataObject)) {
    const spec = specs.get(key);
    if (isLocatorValue(value)) out[key] = value.value ?? '';
    else out[key] = spec ? zoned(spec, value, timeZone) : value;
  }
  return out;
}

/**
 * The raw operation input from the node's parameters: values exactly as n8n holds them (core's `parseInput` trims,
 * coerces and validates), Additional Fields spread in, a resource locator turned into the input it stands for, and
 * date-times without an offset read in the workflow's time zone (`timeZone`, from `this.getTimezone()`).
 */
export function readOperationInput(
  op: AnyAction | AnyTrigger,
  read: ParameterReader,
  timeZone?: string,
): Record<string, unknown> {
  const { top, additional } = operationFields(op);
  const raw: Record<string, unknown> = {};
  for (const spec of top) {
    const value = read(spec.key, toProperty(spec).default, { rawLocator: true });
    if (isLocatorValue(value)) Object.assign(raw, locatorInput(op, spec, value));
    else raw[spec.key] = zoned(spec, value, timeZone);
  }
  if (additional.length > 0) Object.assign(raw, additionalInput(additional, read(ADDITIONAL_FIELDS, {}), timeZone));
  return raw;
}

/**
 * The way back from the form: n8n parameter values → the raw operation input core's `parseInput` validates (values
 * as n8n holds them; core trims, coerces and names bad fields by their labels).
 */
import {
  type AnyAction,
  type AnyTrigger,
  type CodeQrClient,
  type FieldSpec,
  getOperation,
} from '@codeqr-integrations/core/base';
import type { IDataObject } from 'n8n-workflow';
import { ADDITIONAL_FIELDS, operationFields, toProperty } from './fields.ts';
import { limitWithoutReturnAll, RETURN_ALL, typeSwitch } from './form.ts';
import { overrideOf, SHORT_LINK_KEY } from './overrides.ts';
import { inTimeZone } from './time-zone.ts';

/** Reads one node parameter of the current item (execute) or of the node (poll). */
export type ParameterReader = (name: string, fallback: unknown) => unknown;

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

/** Per operation: its fields and each top field's default, worked out once (a run reads them for every item). */
const fieldsCache = new WeakMap<AnyAction | AnyTrigger, ReturnType<typeof operationFields> & { defaults: unknown[] }>();
function fieldsOf(op: AnyAction | AnyTrigger) {
  let fields = fieldsCache.get(op);
  if (!fields) {
    const { top, additional } = operationFields(op);
    fields = { top, additional, defaults: top.map((spec) => toProperty(spec).default) };
    fieldsCache.set(op, fields);
  }
  return fields;
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
  const { top, additional, defaults } = fieldsOf(op);
  const raw: Record<string, unknown> = {};
  // with a type switch, only the chosen type's content is read (another type's may linger, hidden, in the workflow)
  const switched = typeSwitch(top);
  const typeSpec = switched ? top.find((spec) => spec.key === switched.key) : undefined;
  const chosen = typeSpec ? read(typeSpec.key, typeSpec.default) : undefined;
  for (const [i, spec] of top.entries()) {
    const forType = switched?.content.get(spec.key);
    if (forType !== undefined && forType !== chosen) continue;
    const fallback = defaults[i];
    const value = read(
      spec.key,
      typeof fallback === 'object' && fallback !== null ? structuredClone(fallback) : fallback,
    );
    if (isLocatorValue(value)) Object.assign(raw, locatorInput(op, spec, value));
    else raw[spec.key] = zoned(spec, value, timeZone);
  }
  if (additional.length > 0) Object.assign(raw, additionalInput(additional, read(ADDITIONAL_FIELDS, {}), timeZone));
  // n8n's Return All on a list that has only a Limit: all = the Limit's maximum
  const limit = limitWithoutReturnAll(top);
  if (limit && read(RETURN_ALL, false) === true) raw[limit.key] = limit.max;
  return raw;
}

/**
 * By Short Link on an operation that takes only an ID (Update, Delete): the QR code is looked up by its link first
 * (core's Get, which names a bad link by its field), and the item goes on with its ID; a failed look-up goes to
 * `fail` (in item order) and the item is left out.
 */
export async function resolveShortLinks(
  client: CodeQrClient,
  readable: { index: number; raw: unknown }[],
  fail: (index: number, error: unknown) => void,
): Promise<{ index: number; raw: unknown }[]> {
  const linked = (raw: unknown): raw is Record<string, unknown> =>
    typeof raw === 'object' && raw !== null && SHORT_LINK_KEY in raw;
  if (!readable.some(({ raw }) => linked(raw))) return readable;
  const get = getOperation('getQrCode');
  const resolved = await Promise.all(
    readable.map(async ({ index, raw }) => {
      if (!linked(raw)) return { index, raw };
      const { [SHORT_LINK_KEY]: link, ...rest } = raw;
      try {
        return { index, raw: { ...rest, id: (await get.execute(client, link)).id } };
      } catch (error) {
        return { index, error };
      }
    }),
  );
  const ready: { index: number; raw: unknown }[] = [];
  for (const item of resolved) {
    if ('error' in item) fail(item.index, item.error);
    else ready.push(item);
  }
  return ready;
}

/**
 * The one mapper: core's host-neutral `FieldSpec`s (from `describeFields(op.input)`) → n8n `INodeProperties`.
 * Required fields and common ones whose empty value means "not set" sit at the top; the rest go into "Additional
 * Fields". The way back (parameter values → operation input) is `input.ts`.
 */
import {
  type AnyAction,
  type AnyTrigger,
  type DynamicOptionSource,
  describeFields,
  type FieldSpec,
} from '@codeqr-integrations/core/base';
import type { IDisplayOptions, INodeProperties, INodePropertyMode, INodePropertyOptions } from 'n8n-workflow';
import { helpText, initialOf, returnAllFor, typeSwitch } from './form.ts';
import { type LocatorMode, overrideOf } from './overrides.ts';

type AnyOp = AnyAction | AnyTrigger;

/** The collection holding an operation's optional fields. */
export const ADDITIONAL_FIELDS = 'additionalFields';

const capitalise = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);
/** `qrCodes` → `getQrCodes` (loadOptions) / `searchQrCodes` (listSearch). */
export const loadOptionsMethod = (source: DynamicOptionSource) => `get${capitalise(source)}`;
export const listSearchMethod = (source: DynamicOptionSource) => `search${capitalise(source)}`;

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

/** How a field is mapped: for which operation (help texts, initial values), and whether it starts at `initial`. */
export interface PropertyContext {
  op?: AnyOp;
  /** Start at core's `initial` (an added Additional Field; never a top field, whose value is always sent). */
  initial?: boolean;
}

/** One field as an n8n property (without display options). */
export function toProperty(
  spec: FieldSpec,
  extraModes: LocatorMode[] = [],
  context: PropertyContext = {},
): INodeProperties {
  const { op } = context;
  const initial = context.initial ? initialOf(spec) : undefined;
  const base = {
    displayName: spec.label,
    name: spec.key,
    ...(spec.required ? { required: true } : {}),
    ...(spec.placeholder ? { placeholder: spec.placeholder } : {}),
  };
  const withDescription = (suffix?: string) => {
    const description = helpText(op, spec, suffix);
    return description ? { description } : {};
  };
  if (isLocator(spec)) {
    return {
      ...base,
      // a locator with more ways to pick (Get: by ID, External ID or short link) is the record acted on, not a filter
      ...(extraModes.length > 0 ? { required: true } : {}),
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
        default: (initial ?? spec.default ?? options[0]?.value ?? '') as string,
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
        default: (initial ?? spec.default ?? spec.min ?? 0) as number,
        typeOptions: {
          ...(spec.min !== undefined ? { minValue: spec.min } : {}),
          ...(spec.max !== undefined ? { maxValue: spec.max } : {}),
        },
      };
    case 'boolean':
      return { ...base, ...withDescription(), type: 'boolean', default: (initial ?? spec.default ?? false) as boolean };
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
        options: (spec.children ?? []).map((child) =>
          // a sub-field's help is its own: an update writes the group as a whole
          toProperty({ ...child, required: false }, [], { initial: true }),
        ),
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
      return { ...base, ...withDescription(), type: 'string', default: (spec.default ?? initial ?? '') as string };
  }
}

/**
 * The fields of an operation as n8n shows them: locator replacements applied, then top-level vs additional. With a
 * type switch (create, upsert), each type's content field is a top field right after the type, shown for that type.
 */
export function operationFields(op: AnyOp): { top: FieldSpec[]; additional: FieldSpec[] } {
  const override = overrideOf(op);
  const replaced = new Set(override.locator?.replaces ?? []);
  const specs = describeFields(op.input).filter((spec) => !replaced.has(spec.key));
  const content = typeSwitch(specs)?.content ?? new Map<string, string>();
  const top = specs.filter((spec) => isTopLevel(spec) && !content.has(spec.key));
  const typed = specs.filter((spec) => content.has(spec.key));
  const at = top.findIndex((spec) => spec.key === 'type') + 1;
  return {
    top: [...top.slice(0, at), ...typed, ...top.slice(at)],
    additional: specs
      .filter((spec) => !isTopLevel(spec) && !content.has(spec.key))
      .sort((a, b) => a.label.localeCompare(b.label)),
  };
}

/** Every property of one operation, shown only under `show` (its resource + operation, or its trigger event). */
export function operationProperties(op: AnyOp, show: IDisplayOptions['show']): INodeProperties[] {
  const override = overrideOf(op);
  const { top, additional } = operationFields(op);
  const switched = typeSwitch(top);
  const displayOptions = { show };
  const tweak = (property: INodeProperties): INodeProperties => ({
    ...property,
    ...(override.fields?.[property.name] ?? {}),
  });
  const keys = new Set(top.map((spec) => spec.key));
  const returnAll = returnAllFor(top);
  const properties = top.flatMap((spec): INodeProperties[] => {
    const extraModes = override.locator?.field === spec.key ? override.locator.modes : [];
    const property = tweak(toProperty(spec, extraModes, { op }));
    const forType = switched?.content.get(spec.key);
    if (switched && forType !== undefined) {
      // shown for its own type only, where it is the content. Never marked required: with Type set by an expression
      // n8n shows every type's content at once (displayParameter shows a field whose condition is an expression), so
      // a required URL would block a mapped Wi-Fi code; core names a missing content field by its label instead.
      return [{ ...property, displayOptions: { show: { ...show, [switched.key]: [forType] } } }];
    }
    // n8n's Return All / Limit pattern: Limit only while Return All is off
    if (spec.key === 'limit' && (keys.has('returnAll') || returnAll)) {
      const limit = { ...property, displayOptions: { show: { ...show, returnAll: [false] } } };
      return returnAll ? [{ ...returnAll, displayOptions }, limit] : [limit];
    }
    return [{ ...property, displayOptions }];
  });
  if (additional.length > 0) {
    properties.push({
      displayName: 'Additional Fields',
      name: ADDITIONAL_FIELDS,
      type: 'collection',
      placeholder: 'Add Field',
      default: {},
      displayOptions,
      options: additional.map((spec) => tweak(toProperty(spec, [], { op, initial: true }))),
    });
  }
  return properties;
}

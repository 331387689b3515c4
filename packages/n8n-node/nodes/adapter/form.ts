/**
 * What makes the form adapt: the content fields shown per chosen type (core's convention: a type's content field is
 * keyed by the type's value, `vcard` for a vCard code), the value an added field starts at (core's `initial`), and
 * the help texts of an update (empty keeps the current value). `fields.ts` maps with these; `input.ts` reads back.
 */
import {
  type AnyAction,
  type AnyTrigger,
  describeFields,
  type FieldSpec,
  typeContent,
} from '@codeqr-integrations/core/base';
import type { INodeProperties } from 'n8n-workflow';

type AnyOp = AnyAction | AnyTrigger;

/** The field choosing the type of what is written, and the content field of each type value. */
export interface TypeSwitch {
  /** The key of the type field (`type`). */
  key: string;
  /** Content field key → the type value it belongs to (the same string, by core's convention). */
  content: Map<string, string>;
}

/**
 * The type switch of an operation whose `type` is an enum with a default at the top of the form (create, upsert):
 * each type's content field (core's `typeContent`). None for an operation whose type is optional (update: no type
 * is chosen, every content field stays available).
 */
export function typeSwitch(specs: readonly FieldSpec[]): TypeSwitch | undefined {
  const typed = typeContent(specs);
  if (!typed || typed.type.default === undefined) return undefined;
  return { key: typed.type.key, content: new Map([...typed.content.keys()].map((value) => [value, value])) };
}

/** The value an added field starts at in the form: core's `initial` (CodeQR's own default). */
export function initialOf(spec: FieldSpec): unknown {
  return spec.initial;
}

/** An update changes only what is given: its help never promises a create's default. */
const DEFAULT_SENTENCE = /(?:^|\s)[^.]*\bDefaults? (?:to|is)\b[^.]*\.(?=\s|$)/gi;
export const KEEP_CURRENT = 'Leave empty to keep the current value.';

const patches = new WeakMap<AnyOp, boolean>();
/**
 * Whether this operation changes an existing record field by field (its help says empty keeps the value): it needs
 * the QR code it acts on, and takes fields besides it.
 */
export function isPatch(op: AnyOp | undefined): boolean {
  if (!op) return false;
  let patch = patches.get(op);
  if (patch === undefined) {
    const specs = describeFields(op.input);
    patch = specs.length > 1 && specs.some((spec) => spec.required && spec.dynamic === 'qrCodes');
    patches.set(op, patch);
  }
  return patch;
}

/** The help text of one field of `op`: core's description, reworded for an update, plus a host suffix. */
export function helpText(op: AnyOp | undefined, spec: FieldSpec, suffix?: string): string | undefined {
  const own = spec.description;
  // (an option of the run itself, such as Create Missing Tags, has a default and keeps its own help)
  if (!isPatch(op) || spec.required || spec.dynamic === 'qrCodes' || spec.default !== undefined) {
    return [own, suffix].filter(Boolean).join(' ') || undefined;
  }
  const kept = own?.replace(DEFAULT_SENTENCE, '').trim();
  return [kept, suffix, KEEP_CURRENT].filter(Boolean).join(' ');
}

/** The n8n parameter of a Return All the operation itself lacks. */
export const RETURN_ALL = 'returnAll';

/** The Limit of a list that has no Return All of its own (Scan → Get Many): n8n's pattern adds one. */
export function limitWithoutReturnAll(specs: readonly FieldSpec[]): FieldSpec | undefined {
  if (specs.some((spec) => spec.key === RETURN_ALL)) return undefined;
  return specs.find((spec) => spec.key === 'limit' && spec.kind === 'number' && spec.max !== undefined);
}

/** The Return All property n8n's list pattern adds (true: the input's Limit becomes its maximum). */
export function returnAllFor(specs: readonly FieldSpec[]): INodeProperties | undefined {
  const limit = limitWithoutReturnAll(specs);
  if (!limit) return undefined;
  return {
    displayName: 'Return All',
    name: RETURN_ALL,
    type: 'boolean',
    default: false,
    description: `Whether to return all results (at most ${limit.max?.toLocaleString('en-US')}) or only up to a given limit`,
  };
}

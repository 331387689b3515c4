/**
 * The creates: every registry action placed as a create (`overrides.ts`), with its fields, output fields and sample
 * from the mappers; its perform hands `bundle.inputData` (flat keys un-nested, nothing coerced) to the operation's
 * own `execute`. Line-items creates and file creates lay out their answers in `line-items.ts` and `file.ts`.
 */
import { actions, type Operation } from '@codeqr-integrations/core/base';
import type { Bundle } from 'zapier-platform-core';
import { applyClearFields, clearableFields, clearFieldsInput } from '../clear-fields.ts';
import { lineItemsField, withGroups } from '../fields.ts';
import { asZapierObject, outputFieldsFor } from '../output-fields.ts';
import { headerOf, overrides, placementOf } from '../overrides.ts';
import { inputOf, labelsOf, step } from '../step.ts';
import { formFieldsFor } from '../type-fields.ts';
import type { ZapierOperation } from '../types.ts';
import { fileOperation } from './file.ts';
import { lineItemsOperation } from './line-items.ts';

/** A create whose answer is the operation's own, as one object. */
function plainOperation(op: Operation, fields: ReturnType<typeof withGroups>): ZapierOperation['operation'] {
  const labelOf = labelsOf(op);
  // an update can empty fields: Zapier sends no nulls, so the form gets a "Clear Fields" pick (see clear-fields.ts)
  const clearable = op.verb === 'update' ? clearableFields(op.input) : [];
  const withClear = clearable.length > 0 ? withGroups([...fields.inputFields, clearFieldsInput(clearable)]) : fields;
  const rawInput = (bundle: Bundle) =>
    clearable.length > 0 ? applyClearFields(inputOf(bundle), clearable) : inputOf(bundle);
  return {
    perform: (z, bundle) =>
      step(z, labelOf, async (client) => asZapierObject(await op.execute(client, rawInput(bundle)))),
    ...withClear,
    outputFields: outputFieldsFor(op.output),
    sample: asZapierObject(op.sample),
  };
}

function createFor(op: Operation): ZapierOperation {
  const fields = withGroups(formFieldsFor(op));
  // a list answer per input line (bulk create, upsert many); a list of objects elsewhere (rules) is one field
  const lineField = op.answers === 'items' ? lineItemsField(op.input) : undefined;
  if (lineField || overrides[op.key]?.file) {
    const { perform, ...answer } = lineField ? lineItemsOperation(op, lineField) : fileOperation(op);
    return { ...headerOf(op), operation: { perform, ...fields, ...answer } };
  }
  return { ...headerOf(op), operation: plainOperation(op, fields) };
}

/** `app.creates`: every registry action placed as a create, by key. */
export function buildCreates(): Record<string, ZapierOperation> {
  const creates = actions.filter((op) => placementOf(op) === 'create').map(createFor);
  return Object.fromEntries(creates.map((create) => [create.key, create]));
}

/**
 * The hidden triggers behind the dynamic dropdowns: one per option source the registry's fields use (`qrCodes` →
 * `qrCodesDropdown`), each answering `{ id, name }` per choice, a page at a time.
 */
import {
  actions,
  type DynamicOptionSource,
  dynamicSources,
  listOptions,
  triggers,
} from '@codeqr-integrations/core/base';
import { dropdownKey } from '../fields.ts';
import { nounOf } from '../overrides.ts';
import { step } from '../step.ts';
import type { ZapierOperation } from '../types.ts';

function dropdownFor(source: DynamicOptionSource): ZapierOperation {
  const noun = nounOf(source);
  return {
    key: dropdownKey(source),
    noun,
    display: {
      label: `List ${noun}s`,
      description: `Lists your ${noun}s to fill the ${noun} dropdowns (hidden).`,
      hidden: true,
    },
    operation: {
      type: 'polling',
      canPaginate: true,
      perform: (z, bundle) =>
        step(
          z,
          () => undefined,
          async (client) => {
            const page = Number(bundle.meta?.page ?? 0) + 1;
            const options = await listOptions(client, source, { page });
            return options.map((option) => ({ id: String(option.value), name: option.label }));
          },
        ),
      outputFields: [
        { key: 'id', label: 'ID', type: 'string' },
        { key: 'name', label: 'Name', type: 'string' },
      ],
    },
  };
}

/** One hidden dropdown trigger per dynamic option source of any action's or trigger's fields. */
export const dropdownTriggers = (): ZapierOperation[] => dynamicSources([...actions, ...triggers]).map(dropdownFor);

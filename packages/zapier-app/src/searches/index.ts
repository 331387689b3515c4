/**
 * The searches (the registry actions placed as searches in `overrides.ts`) and the search-or-create pairs. A search
 * answers a list: its one result, or an empty list when CodeQR has nothing (Zapier's "nothing found").
 */
import { actions, isCodeQrError, type Operation } from '@codeqr-integrations/core/base';
import { withGroups } from '../fields.ts';
import { asZapierObject, outputFieldsFor } from '../output-fields.ts';
import { headerOf, placementOf, searchOrCreates } from '../overrides.ts';
import { inputOf, labelsOf, step } from '../step.ts';
import { formFieldsFor } from '../type-fields.ts';
import type { ZapierOperation, ZapierSearchOrCreate } from '../types.ts';

function searchFor(op: Operation): ZapierOperation {
  const labelOf = labelsOf(op);
  return {
    ...headerOf(op),
    operation: {
      // Zapier reads "nothing found" from an empty list, never from an error
      perform: (z, bundle) =>
        step(z, labelOf, async (client) => {
          try {
            return [asZapierObject(await op.execute(client, inputOf(bundle)))];
          } catch (error) {
            if (isCodeQrError(error) && error.code === 'not_found') return [];
            throw error;
          }
        }),
      ...withGroups(formFieldsFor(op)),
      outputFields: outputFieldsFor(op.output),
      sample: asZapierObject(op.sample),
    },
  };
}

/** `app.searches`: every registry action placed as a search, by key. */
export function buildSearches(): Record<string, ZapierOperation> {
  const searches = actions.filter((op) => placementOf(op) === 'search').map(searchFor);
  return Object.fromEntries(searches.map((search) => [search.key, search]));
}

/** `app.searchOrCreates`: the pairs in `overrides.ts`, keyed by their search (Zapier requires the same key). */
export function buildSearchOrCreates(): Record<string, ZapierSearchOrCreate> {
  return Object.fromEntries(
    Object.entries(searchOrCreates).map(([search, pair]) => [
      search,
      { key: search, display: { label: pair.label, description: pair.description }, search, create: pair.create },
    ]),
  );
}

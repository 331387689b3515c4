/** Dynamic dropdowns (loadOptions) and searchable lists (listSearch), one of each per core option source. */
import {
  type AnyAction,
  type AnyTrigger,
  type DynamicOptionSource,
  dynamicSources,
  listOptions,
} from '@codeqr-integrations/core/base';
import type { ILoadOptionsFunctions, INodeListSearchResult, INodePropertyOptions } from 'n8n-workflow';
import { toNodeError } from './errors.ts';
import { listSearchMethod, loadOptionsMethod } from './fields.ts';
import { codeQrClient } from './transport.ts';

type LoadOptions = (this: ILoadOptionsFunctions) => Promise<INodePropertyOptions[]>;
type ListSearch = (this: ILoadOptionsFunctions, filter?: string) => Promise<INodeListSearchResult>;

async function options(ctx: ILoadOptionsFunctions, source: DynamicOptionSource, search?: string) {
  try {
    const client = await codeQrClient(ctx);
    return await listOptions(client, source, { search, limit: 100 });
  } catch (error) {
    throw toNodeError(ctx.getNode(), error);
  }
}

/** `methods` of a node whose fields come from these operations. */
export function nodeMethods(ops: readonly (AnyAction | AnyTrigger)[]): {
  loadOptions: Record<string, LoadOptions>;
  listSearch: Record<string, ListSearch>;
} {
  const loadOptions: Record<string, LoadOptions> = {};
  const listSearch: Record<string, ListSearch> = {};
  for (const source of dynamicSources(ops)) {
    loadOptions[loadOptionsMethod(source)] = async function (this: ILoadOptionsFunctions) {
      const found = await options(this, source);
      return found.map((option) => ({ name: option.label, value: option.value as string | number }));
    };
    listSearch[listSearchMethod(source)] = async function (this: ILoadOptionsFunctions, filter?: string) {
      const found = await options(this, source, filter);
      return { results: found.map((option) => ({ name: option.label, value: option.value as string | number })) };
    };
  }
  return { loadOptions, listSearch };
}

/**
 * Core's registry as n8n sees it: each action becomes a resource + operation of the CodeQR node (names from
 * `VERBS` / `RESOURCES`, or an override), with its fields from the mapper. Nothing here names an operation key.
 */
import { type AnyAction, actions, humanize } from '@codeqr-integrations/core/base';
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { operationProperties } from '../adapter/fields.ts';
import { overrideOf, RESOURCES, VERBS } from '../adapter/overrides.ts';
import { isSimplifiable, simplifyProperty } from './simplify.ts';

export interface NodeOperation {
  op: AnyAction;
  resource: string;
  /** n8n's operation value. */
  value: string;
  name: string;
  /** The action as n8n lists it, sentence case: "Create a QR code", "Get many QR codes". */
  action: string;
  /** Many input items of this operation can go through core's bulk operation in few calls (core's `op.batch`). */
  batchable: boolean;
  /** The operation answers a file (`mimeType`, `fileName`, `encoding`, `data`): it becomes binary output. */
  binary: boolean;
}

function toNodeOperation(op: AnyAction): NodeOperation {
  const override = overrideOf(op);
  const verb = VERBS[op.verb];
  const resource = override.resource ?? op.resource;
  const noun = RESOURCES[resource] ?? { a: humanize(resource).toLowerCase(), many: humanize(resource).toLowerCase() };
  const name = override.name ?? verb?.name ?? humanize(op.verb);
  const action = override.action ?? verb?.action.replace('{a}', noun.a).replace('{many}', noun.many);
  return {
    op,
    resource,
    value: override.operation ?? verb?.value ?? op.verb,
    name,
    action: action ?? `${name} ${noun.a}`,
    batchable: 'batch' in op && op.batch !== undefined,
    binary: op.answers === 'file',
  };
}

/** Every registry action as a node operation, in registry order. */
export const NODE_OPERATIONS: readonly NodeOperation[] = actions.map(toNodeOperation);

export function findNodeOperation(resource: string, value: string): NodeOperation | undefined {
  return NODE_OPERATIONS.find((entry) => entry.resource === resource && entry.value === value);
}

/** The resources in registry order. */
export function resourceOptions(): INodePropertyOptions[] {
  const seen = [...new Set(NODE_OPERATIONS.map((entry) => entry.resource))];
  return seen.map((value) => ({ name: RESOURCES[value]?.name ?? humanize(value), value }));
}

/** Binary output: the n8n name of the binary field (n8n's convention, default `data`). */
export const BINARY_PROPERTY = 'binaryPropertyName';
/** The batching switch, in the operation's Options. */
export const BATCH_OPTION = 'batching';

/** The resource, operation and every operation's fields, as the node's `properties`. */
export function nodeProperties(): INodeProperties[] {
  const resources = resourceOptions();
  const firstResource = resources[0]?.value ?? '';
  const properties: INodeProperties[] = [
    {
      displayName: 'Resource',
      name: 'resource',
      type: 'options',
      noDataExpression: true,
      options: resources,
      default: firstResource,
    },
  ];
  for (const resource of resources) {
    const entries = NODE_OPERATIONS.filter((entry) => entry.resource === resource.value);
    const firstOperation = entries[0]?.value ?? '';
    properties.push({
      displayName: 'Operation',
      name: 'operation',
      type: 'options',
      noDataExpression: true,
      displayOptions: { show: { resource: [resource.value as string] } },
      options: entries
        .map((entry) => ({
          name: entry.name,
          value: entry.value,
          description: entry.op.description,
          action: entry.action,
        }))
        .sort((a, b) => a.name.localeCompare(b.name)),
      default: firstOperation,
    });
  }
  for (const entry of NODE_OPERATIONS) {
    const show = { resource: [entry.resource], operation: [entry.value] };
    properties.push(...operationProperties(entry.op, show));
    if (isSimplifiable(entry)) properties.push(simplifyProperty(show));
    if (entry.binary) {
      properties.push({
        displayName: 'Put Output File in Field',
        name: BINARY_PROPERTY,
        type: 'string',
        required: true,
        default: 'data',
        hint: 'The name of the output binary field to put the file in',
        description: 'The binary field of the output item that holds the image (e.g. for Send Email or Google Drive)',
        displayOptions: { show },
      });
    }
    if (entry.batchable) {
      properties.push({
        displayName: 'Options',
        name: 'options',
        type: 'collection',
        placeholder: 'Add Option',
        default: {},
        displayOptions: { show },
        options: [
          {
            displayName: 'Batch Items',
            name: BATCH_OPTION,
            type: 'boolean',
            default: true,
            description:
              'Whether to send many input items to CodeQR in bulk calls (up to 100 QR codes per call) instead of one call per item. Results still come back one per item, in order.',
          },
        ],
      });
    }
  }
  return properties;
}

/**
 * The canvas subtitle: the operation's display name and its resource ("Get Analytics: Scan"), never raw keys; an
 * n8n expression looking the pair up in a table built from the registry.
 */
export function nodeSubtitle(): string {
  const names: Record<string, string> = {};
  for (const entry of NODE_OPERATIONS) {
    names[`${entry.resource}:${entry.value}`] =
      `${entry.name}: ${RESOURCES[entry.resource]?.name ?? humanize(entry.resource)}`;
  }
  return `={{ ${JSON.stringify(names)}[$parameter["resource"] + ":" + $parameter["operation"]] ?? $parameter["operation"] }}`;
}

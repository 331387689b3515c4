import { actions, getOperation, triggers } from '@codeqr-integrations/core/base';
import type { INodeProperties } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';
import { operationFields } from '../nodes/adapter/fields.ts';
import { type OperationOverride, OVERRIDES, VERBS } from '../nodes/adapter/overrides.ts';
import { CodeQr } from '../nodes/CodeQr/CodeQr.node.ts';
import { NODE_OPERATIONS } from '../nodes/CodeQr/operations.ts';
import { CodeQrTrigger } from '../nodes/CodeQrTrigger/CodeQrTrigger.node.ts';
import { CodeQrWebhookTrigger } from '../nodes/CodeQrWebhookTrigger/CodeQrWebhookTrigger.node.ts';

const action = new CodeQr().description;
const polling = new CodeQrTrigger().description;
const hook = new CodeQrWebhookTrigger().description;

const shownFor = (properties: INodeProperties[], show: Record<string, string[]>) =>
  properties.filter((p) =>
    Object.entries(show).every(([key, values]) => values.every((v) => p.displayOptions?.show?.[key]?.includes(v))),
  );

function names(properties: INodeProperties[]): string[] {
  return properties.flatMap((p) =>
    p.name === 'additionalFields' ? (p.options as INodeProperties[]).map((o) => o.name) : [p.name],
  );
}

describe('the CodeQR node is the registry', () => {
  it('offers every registry action as a resource + operation, each once', () => {
    expect(NODE_OPERATIONS.map((entry) => entry.op.key)).toEqual(actions.map((op) => op.key));
    const pairs = NODE_OPERATIONS.map((entry) => `${entry.resource}:${entry.value}`);
    expect(new Set(pairs).size).toBe(pairs.length);
    const operationOptions = action.properties.filter((p) => p.name === 'operation');
    for (const entry of NODE_OPERATIONS) {
      const menu = operationOptions.find((p) => p.displayOptions?.show?.resource?.includes(entry.resource));
      expect(
        menu?.options?.map((o) => (o as { value: string }).value),
        entry.op.key,
      ).toContain(entry.value);
    }
  });

  it('names operations the n8n way', () => {
    const named = Object.fromEntries(NODE_OPERATIONS.map((entry) => [entry.op.key, `${entry.resource}/${entry.name}`]));
    expect(named).toMatchObject({
      createQrCode: 'qrCode/Create',
      updateQrCode: 'qrCode/Update',
      upsertQrCode: 'qrCode/Create or Update',
      getQrCode: 'qrCode/Get',
      listQrCodes: 'qrCode/Get Many',
      deleteQrCode: 'qrCode/Delete',
      bulkCreateQrCodes: 'qrCode/Create Many',
      bulkDeleteQrCodes: 'qrCode/Delete Many',
      getQrCodeImage: 'qrCode/Get Image',
      getScanAnalytics: 'scan/Get Analytics',
      listScans: 'scan/Get Many',
    });
  });

  it('gives every input field of every action a property (or a locator mode standing in for it)', () => {
    for (const entry of NODE_OPERATIONS) {
      const shown = names(shownFor(action.properties, { resource: [entry.resource], operation: [entry.value] }));
      const replaced = OVERRIDES[entry.op.key]?.locator?.replaces ?? [];
      for (const key of Object.keys(entry.op.input.shape)) {
        if (replaced.includes(key)) continue;
        expect(shown, `${entry.op.key}.${key}`).toContain(key);
      }
    }
  });

  it('keeps required fields at the top and optional extras in a sorted "Additional Fields"', () => {
    const { top, additional } = operationFields(getOperation('createQrCode'));
    expect(top.map((s) => s.key)).toEqual(expect.arrayContaining(['type', 'url', 'key', 'externalId']));
    // optional account dropdowns (no blank choice in n8n) wait in Additional Fields
    expect(additional.map((s) => s.key)).toEqual(expect.arrayContaining(['domain', 'folderId', 'tagNames']));
    expect(additional.map((s) => s.label)).toEqual(
      [...additional.map((s) => s.label)].sort((a, b) => a.localeCompare(b)),
    );
    const update = shownFor(action.properties, { resource: ['qrCode'], operation: ['update'] });
    const id = update.find((p) => p.name === 'id');
    expect(id).toMatchObject({ type: 'resourceLocator', required: true });
    // an update never sends a default it was not given: no top-level booleans, numbers, lists or enums
    // (Simplify shapes the output only: nothing is sent for it)
    for (const p of update.filter((p) => !['id', 'additionalFields', 'simplify'].includes(p.name))) {
      expect(['string', 'dateTime', 'options'], p.name).toContain(p.type);
      expect(p.default, p.name).toBe('');
    }
    const getAll = shownFor(action.properties, { resource: ['qrCode'], operation: ['getAll'] });
    expect(getAll.find((p) => p.name === 'limit')?.displayOptions?.show?.returnAll).toEqual([false]);
  });

  it('has what n8n lint checks on generated descriptions: defaults, unique names, dynamic lists', () => {
    const all = [...action.properties, ...polling.properties, ...hook.properties];
    for (const p of all) expect(p, p.name).toHaveProperty('default');
    const collections = all.filter((p) => p.type === 'collection');
    expect(collections.length).toBeGreaterThan(0);
    for (const p of collections) {
      const inner = (p.options as INodeProperties[]).map((o) => o.name);
      expect(new Set(inner).size, p.name).toBe(inner.length);
    }
    // n8n reports a `required` option inside a collection as a workflow issue even while it is unused
    const nestedRequired = (properties: INodeProperties[], inCollection: boolean): string[] =>
      properties.flatMap((p) => [
        ...(inCollection && p.required ? [p.name] : []),
        ...(p.type === 'collection' ? nestedRequired(p.options as INodeProperties[], true) : []),
      ]);
    expect(nestedRequired([...action.properties, ...polling.properties], false)).toEqual([]);
    const tags = shownFor(action.properties, { resource: ['qrCode'], operation: ['create'] })
      .find((p) => p.name === 'additionalFields')
      ?.options?.find((o) => (o as INodeProperties).name === 'tagNames') as INodeProperties;
    expect(tags).toMatchObject({ type: 'multiOptions', typeOptions: { loadOptionsMethod: 'getTags' } });
    expect(Object.keys(new CodeQr().methods.loadOptions)).toEqual([
      'getDomains',
      'getFolders',
      'getQrCodes',
      'getTags',
    ]);
  });

  it('marks the action node usable as a tool and the triggers as triggers', () => {
    expect(action.usableAsTool).toBe(true);
    for (const trigger of [polling, hook]) {
      expect(trigger.usableAsTool).toBeUndefined();
      expect(trigger.inputs).toEqual([]);
      expect(trigger.name.endsWith('Trigger')).toBe(true);
    }
    expect(polling.polling).toBe(true);
    expect(polling.properties[0]?.options?.map((o) => (o as { value: string }).value)).toEqual(
      triggers.map((t) => t.key),
    );
    expect(hook.webhooks?.[0]).toMatchObject({ httpMethod: 'POST', path: 'webhook' });
  });
});

/** What is wrong with an overrides table: every name in it must be a real operation or field. */
function overrideProblems(overrides: Record<string, OperationOverride>): string[] {
  const problems: string[] = [];
  for (const [key, override] of Object.entries(overrides)) {
    const op = getOperation(key);
    if (!op) {
      problems.push(`"${key}" is not a registry operation`);
      continue;
    }
    const fields = Object.keys(op.input.shape);
    const named = [
      ...Object.keys(override.fields ?? {}),
      ...(override.locator ? [override.locator.field, ...override.locator.replaces] : []),
    ];
    for (const field of named) if (!fields.includes(field)) problems.push(`${key}: no field "${field}"`);
  }
  return problems;
}

describe('overrides name only real operations and fields', () => {
  it('finds nothing wrong with the overrides', () => {
    expect(overrideProblems(OVERRIDES)).toEqual([]);
  });

  it('catches an override naming an operation or field that does not exist (the check can fail)', () => {
    expect(
      overrideProblems({
        createQrCodeTypo: {},
        getQrCode: { locator: { field: 'id', replaces: ['shortLink'], modes: [] } },
        updateQrCode: { fields: { colour: {} } },
      }),
    ).toEqual([
      '"createQrCodeTypo" is not a registry operation',
      'getQrCode: no field "shortLink"',
      'updateQrCode: no field "colour"',
    ]);
  });

  it('names only verbs core uses', () => {
    const verbs = new Set(actions.map((op) => op.verb));
    for (const verb of Object.keys(VERBS)) expect(verbs, verb).toContain(verb);
  });
});

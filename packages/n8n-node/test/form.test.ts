/**
 * The form as n8n's editor shows it: every field visible in any state of the form (each resource, operation, QR
 * type and Return All) has a label and help; content fields follow the chosen type; added fields start where CodeQR
 * would; an update's help says that empty keeps the value; names read the way n8n's own nodes write them.
 */
import { actions, describeFields, getOperation } from '@codeqr-integrations/core/base';
import { type INode, type INodeProperties, type INodePropertyOptions, NodeHelpers } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';
import { KEEP_CURRENT } from '../nodes/adapter/form.ts';
import { CodeQr } from '../nodes/CodeQr/CodeQr.node.ts';
import { NODE_OPERATIONS, nodeSubtitle } from '../nodes/CodeQr/operations.ts';
import { SIMPLE_FIELDS, simplifyValue } from '../nodes/CodeQr/simplify.ts';

const properties = new CodeQr().description.properties;
type State = Record<string, unknown>;

/** Whether n8n shows `p` in this state of the form (only `show` conditions are used by the node). */
const visible = (p: INodeProperties, state: State) =>
  Object.entries(p.displayOptions?.show ?? {}).every(([key, values]) => (values as unknown[]).includes(state[key]));

const choices = (name: string, shown: INodeProperties[]): unknown[] => {
  const p = shown.find((q) => q.name === name);
  if (p?.type === 'boolean') return [true, false];
  return (p?.options as INodePropertyOptions[] | undefined)?.map((o) => o.value) ?? [];
};

/** Every state of the form: each operation, and every value of the fields other fields' visibility depends on. */
function formStates(): State[] {
  const states: State[] = [];
  for (const entry of NODE_OPERATIONS) {
    let partial: State[] = [{ resource: entry.resource, operation: entry.value }];
    const shown = properties.filter((p) => visible(p, partial[0] as State) || !p.displayOptions);
    const switches = new Set(
      properties.flatMap((p) => Object.keys(p.displayOptions?.show ?? {})).filter((k) => k !== 'resource'),
    );
    switches.delete('operation');
    for (const name of switches) {
      const values = choices(name, shown);
      if (values.length === 0) continue;
      partial = partial.flatMap((state) => values.map((value) => ({ ...state, [name]: value })));
    }
    states.push(...partial);
  }
  return states;
}

/** The fields a user can see or add in `state`: top-level ones and the options of every collection, nested. */
function fieldsIn(state: State): { path: string; p: INodeProperties }[] {
  const walk = (list: INodeProperties[], prefix: string): { path: string; p: INodeProperties }[] =>
    list.flatMap((p) => [
      { path: `${prefix}${p.name}`, p },
      ...(p.type === 'collection' ? walk(p.options as INodeProperties[], `${prefix}${p.name}.`) : []),
    ]);
  return walk(
    properties.filter((p) => visible(p, state)),
    '',
  );
}

const CHOOSERS = new Set(['resource', 'operation', 'additionalFields', 'options']);

describe('every state of the form', () => {
  const states = formStates();

  it('covers every operation and every QR type', () => {
    expect(new Set(states.map((s) => `${s.resource}:${s.operation}`)).size).toBe(NODE_OPERATIONS.length);
    const typeValues = describeFields(getOperation('createQrCode').input)
      .find((s) => s.key === 'type')
      ?.options?.map((o) => o.value);
    expect(typeValues?.length).toBeGreaterThanOrEqual(13);
    const created = states.filter((s) => s.operation === 'create' && s.resource === 'qrCode').map((s) => s.type);
    expect(created.sort()).toEqual([...(typeValues ?? [])].sort());
  });

  it('gives every visible field a label and help text', () => {
    const missing: string[] = [];
    let checked = 0;
    for (const state of states) {
      for (const { path, p } of fieldsIn(state)) {
        if (CHOOSERS.has(p.name)) continue;
        checked++;
        const where = `${state.resource}:${state.operation}${state.type ? `:${state.type}` : ''} ${path}`;
        if (!p.displayName?.trim()) missing.push(`${where}: no label`);
        if (!p.description?.trim()) missing.push(`${where}: no help`);
      }
    }
    console.log(`[figure] ${states.length} form states, ${checked} visible fields checked`);
    expect(missing).toEqual([]);
  });

  it('shows each type its own content, at the top (never required: a Type set by an expression shows them all)', () => {
    for (const operation of ['create', 'upsert']) {
      const url = fieldsIn({ resource: 'qrCode', operation, type: 'url' }).map((f) => f.path);
      expect(url).toContain('url');
      expect(url).not.toContain('wifi');
      const urlField = properties.find(
        (p) => p.name === 'url' && visible(p, { resource: 'qrCode', operation, type: 'url' }),
      );
      expect(urlField?.required).toBeUndefined();
      const wifi = fieldsIn({ resource: 'qrCode', operation, type: 'wifi' });
      expect(wifi.map((f) => f.path)).toEqual(expect.arrayContaining(['wifi', 'wifi.ssid', 'wifi.password']));
      expect(wifi.map((f) => f.path)).not.toContain('url');
      // no content of another type, neither at the top nor under Additional Fields
      for (const other of ['vcard', 'crypto', 'pix', 'facetime', 'latlog', 'text', 'sms']) {
        expect(
          wifi.some((f) => f.path === other || f.path === `additionalFields.${other}`),
          other,
        ).toBe(false);
      }
    }
    // an update has no type chosen: every content field stays available under Additional Fields
    const update = fieldsIn({ resource: 'qrCode', operation: 'update' }).map((f) => f.path);
    expect(update).toEqual(expect.arrayContaining(['additionalFields.vcard', 'additionalFields.latlog']));
  });

  it("marks Get's QR Code required, and every QR code picker offers ID, External ID and Short Link", () => {
    for (const operation of ['get', 'update', 'delete']) {
      const id = properties.find((p) => p.name === 'id' && visible(p, { resource: 'qrCode', operation }));
      expect(id?.required, operation).toBe(true);
      expect(
        id?.modes?.map((m) => m.name),
        operation,
      ).toEqual(['list', 'id', 'externalId', 'shortLink']);
    }
    // a QR code that only filters (analytics, scans) stays optional: n8n would refuse to run the workflow without it
    for (const operation of ['getAnalytics', 'getAll']) {
      const filter = properties.find((p) => p.name === 'qrcodeId' && visible(p, { resource: 'scan', operation }));
      expect(filter?.type, operation).toBe('resourceLocator');
      expect(filter?.required, operation).toBeUndefined();
    }
  });

  it("starts added fields at CodeQR's own defaults", () => {
    const added = (operation: string, name: string, resource = 'qrCode') =>
      fieldsIn({ resource, operation, type: 'url' }).find((f) => f.path === `additionalFields.${name}`)?.p.default;
    expect(added('create', 'size')).toBe(1024);
    expect(added('create', 'level')).toBe('M');
    expect(added('update', 'size')).toBe(1024);
    expect(added('getImage', 'margin')).toBe(4);
    expect(added('getAnalytics', 'interval', 'scan')).toBe('24h');
    expect(added('getAll', 'interval', 'scan')).toBe('24h');
  });

  it('says in an update that empty keeps the current value, never a create default', () => {
    const update = fieldsIn({ resource: 'qrCode', operation: 'update' }).filter(
      ({ p }) => !CHOOSERS.has(p.name) && !['id', 'simplify'].includes(p.name) && !p.name.includes('.'),
    );
    const options = describeFields(getOperation('updateQrCode').input)
      .filter((spec) => spec.default !== undefined)
      .map((spec) => `additionalFields.${spec.key}`);
    const topAndAdded = update.filter(({ path }) => path.split('.').length <= 2 && !options.includes(path));
    expect(topAndAdded.length).toBeGreaterThan(40);
    for (const { path, p } of topAndAdded) {
      expect(p.description, path).toContain(KEEP_CURRENT);
      expect(p.description, path).not.toMatch(/\bDefaults to\b/);
    }
    const create = fieldsIn({ resource: 'qrCode', operation: 'create', type: 'url' });
    expect(create.find((f) => f.path === 'type')?.p.description).toMatch(/Defaults to/);
  });

  it('labels types as CodeQR does (vCard, Location, FaceTime)', () => {
    const type = properties.find((p) => p.name === 'type' && visible(p, { resource: 'qrCode', operation: 'create' }));
    const names = ((type?.options ?? []) as INodePropertyOptions[]).map((o) => o.name);
    expect(names).toEqual(expect.arrayContaining(['vCard', 'Location', 'FaceTime', 'Wi-Fi', 'URL']));
    expect(names).not.toEqual(expect.arrayContaining(['Vcard']));
  });
});

describe('what n8n itself checks before running', () => {
  it('flags only required fields of a fresh node (n8n refuses to run a workflow with any other issue)', () => {
    const description = new CodeQr().description;
    for (const state of formStates()) {
      const parameters = NodeHelpers.getNodeParameters(properties, state as never, true, false, null, description);
      const node = { parameters, typeVersion: 1, type: description.name } as unknown as INode;
      const issues = Object.keys(NodeHelpers.getNodeParametersIssues(properties, node, description)?.parameters ?? {});
      // what may be missing: core's required fields, the QR code acted on, and the chosen type's content
      const entry = NODE_OPERATIONS.find((e) => e.resource === state.resource && e.value === state.operation);
      const required = [
        ...describeFields(entry?.op.input ?? getOperation('createQrCode').input)
          .filter((spec) => spec.required)
          .map((spec) => spec.key),
        'id',
        String(state.type),
      ];
      expect(
        issues.filter((name) => !required.includes(name)),
        JSON.stringify(state),
      ).toEqual([]);
    }
  });
});

describe('a Type set by an expression', () => {
  it('shows every type’s content and flags none of it: a mapped Wi-Fi code is not held up by a missing URL', () => {
    const description = new CodeQr().description;
    for (const operation of ['create', 'upsert']) {
      const state = { resource: 'qrCode', operation, type: '={{ $json.type }}' };
      const parameters = NodeHelpers.getNodeParameters(properties, state as never, true, false, null, description);
      const node = { parameters, typeVersion: 1, type: description.name } as unknown as INode;
      const issues = Object.keys(NodeHelpers.getNodeParametersIssues(properties, node, description)?.parameters ?? {});
      // n8n's own visibility rule (an expression in a condition shows the field)
      const shown = properties.filter((p) => NodeHelpers.displayParameter(parameters ?? {}, p, node, description));
      expect(
        shown.map((p) => p.name),
        operation,
      ).toEqual(expect.arrayContaining(['url', 'text', 'wifi']));
      expect(issues, operation).toEqual([]);
    }
  });
});

describe('names as n8n writes them', () => {
  it('words each action in sentence case, with the operation’s own verb', () => {
    const menus = properties.filter((p) => p.name === 'operation');
    const actionsByValue = Object.fromEntries(
      menus.flatMap((m) =>
        (m.options as INodePropertyOptions[]).map((o) => [
          `${m.displayOptions?.show?.resource?.[0]}:${o.value}`,
          o.action,
        ]),
      ),
    );
    expect(actionsByValue).toMatchObject({
      'qrCode:create': 'Create a QR code',
      'qrCode:getAll': 'Get many QR codes',
      'qrCode:get': 'Get a QR code',
      'qrCode:upsert': 'Create or update a QR code',
      'scan:getAll': 'Get many scans',
      'scan:getAnalytics': 'Get scan analytics',
      'tag:getAll': 'Get many tags',
      'tag:create': 'Create a tag',
      'folder:getAll': 'Get many folders',
      'folder:create': 'Create a folder',
    });
    for (const [key, action] of Object.entries(actionsByValue)) {
      const words = String(action).split(' ').slice(1);
      expect(
        words.filter((w) => /^[A-Z][a-z]/.test(w)),
        key,
      ).toEqual([]);
      expect(String(action), key).not.toMatch(/\b(Find|List)\b/);
    }
  });

  it('shows display names on the canvas, never raw keys', () => {
    const subtitle = nodeSubtitle();
    const table = JSON.parse(subtitle.slice(subtitle.indexOf('{', 3), subtitle.indexOf('}[') + 1)) as Record<
      string,
      string
    >;
    expect(table['scan:getAnalytics']).toBe('Get Analytics: Scan');
    expect(table['scan:getAll']).toBe('Get Many: Scan');
    expect(table['qrCode:upsert']).toBe('Create or Update: QR Code');
    expect(Object.keys(table)).toHaveLength(actions.length);
    expect(new CodeQr().description.subtitle).toBe(subtitle);
  });

  it('offers Tag and Folder resources and Return All on every list', () => {
    const resources = ((properties.find((p) => p.name === 'resource')?.options ?? []) as INodePropertyOptions[]).map(
      (o) => o.name,
    );
    expect(resources).toEqual(expect.arrayContaining(['QR Code', 'Scan', 'Tag', 'Folder']));
    for (const resource of ['qrCode', 'scan', 'tag', 'folder']) {
      const shown = fieldsIn({ resource, operation: 'getAll', returnAll: false }).map((f) => f.path);
      expect(shown, resource).toEqual(expect.arrayContaining(['returnAll', 'limit']));
      expect(fieldsIn({ resource, operation: 'getAll', returnAll: true }).map((f) => f.path)).not.toContain('limit');
    }
  });

  it('simplifies QR codes to the documented handful, in every answer shape', () => {
    const qrCode = { ...getOperation('createQrCode').sample, extra: 1 } as Record<string, unknown>;
    const simple = simplifyValue(qrCode) as Record<string, unknown>;
    expect(Object.keys(simple).sort()).toEqual([...SIMPLE_FIELDS].filter((k) => k in qrCode).sort());
    expect(simplifyValue([qrCode])).toEqual([simple]);
    expect(simplifyValue({ action: 'created', qrCode })).toEqual({ action: 'created', qrCode: simple });
    expect(simplifyValue({ index: 0, ok: true, qrCode })).toEqual({ index: 0, ok: true, qrCode: simple });
    expect(Object.keys(qrCode).length).toBeGreaterThan(SIMPLE_FIELDS.length);
    const withSimplify = NODE_OPERATIONS.filter((entry) =>
      properties.some((p) => p.name === 'simplify' && visible(p, { resource: entry.resource, operation: entry.value })),
    ).map((entry) => entry.op.key);
    expect(withSimplify).toEqual([
      'createQrCode',
      'updateQrCode',
      'upsertQrCode',
      'getQrCode',
      'listQrCodes',
      'bulkCreateQrCodes',
      'upsertQrCodes',
    ]);
  });
});

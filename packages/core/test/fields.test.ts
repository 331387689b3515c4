import type { Sandbox } from '@codeqr-integrations/sandbox';
import { startSpecCheckedSandbox } from '@codeqr-integrations/test/support/client-requests';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod/v4';
import { humanize, keepMeta, ownMeta, unlabelledFields, unwrapField, withMeta } from '../src/fields/index.ts';
import {
  type AnyOperation,
  actions,
  createCodeQrClient,
  describeFields,
  type FieldSpec,
  getOperation,
  kebabKey,
  listOptions,
  operations,
  triggers,
  typeContent,
} from '../src/index.ts';

const byKey = (specs: FieldSpec[]) => Object.fromEntries(specs.map((spec) => [spec.key, spec]));

describe('humanize', () => {
  it.each([
    ['bgColor', 'Background Color'],
    ['fgColor', 'Foreground Color'],
    ['qrCodeId', 'QR Code ID'],
    ['top_qrcodes', 'Top QR Codes'],
    ['expiresAt', 'Expires At'],
    ['utm_source', 'UTM Source'],
    ['externalID', 'External ID'],
    ['wifi', 'Wi-Fi'],
  ])('%s → %s', (key, label) => expect(humanize(key)).toBe(label));
});

describe('unwrapField', () => {
  it('merges meta from every wrapper, the outermost winning', () => {
    const field = z
      .string()
      .meta({ label: 'Inner', description: 'from the string' })
      .nullable()
      .meta({ placeholder: 'p' })
      .optional()
      .meta({ label: 'Outer' })
      .default(null);
    const unwrapped = unwrapField(field);
    expect(unwrapped.meta).toEqual({ label: 'Outer', description: 'from the string', placeholder: 'p' });
    expect(unwrapped).toMatchObject({ optional: true, nullable: true, default: { value: null } });
    expect(unwrapped.schema._zod.def.type).toBe('string');
  });

  it('sees through pipes, transforms and lazy schemas', () => {
    const piped = withMeta(
      z.string().transform((s) => s.length),
      { label: 'Piped' },
    );
    expect(unwrapField(piped)).toMatchObject({ meta: { label: 'Piped' }, optional: false });
    expect(unwrapField(piped).schema._zod.def.type).toBe('string');
    const lazy = z.lazy(() => z.number().meta({ label: 'Lazy' }));
    expect(unwrapField(lazy).meta.label).toBe('Lazy');
  });

  it('documents zod v4: checks added after .meta() drop it, keepMeta puts it back', () => {
    const base = withMeta(z.string(), { label: 'Colour', placeholder: '#000000' });
    expect(ownMeta(base.max(7)).label).toBeUndefined();
    const kept = keepMeta(base, base.max(7), { advanced: true });
    expect(ownMeta(kept)).toEqual({ label: 'Colour', placeholder: '#000000', advanced: true });
  });
});

describe('describeFields', () => {
  const schema = z.object({
    name: withMeta(z.string().min(2).max(40), { label: 'Name', description: 'Who', placeholder: 'Ada' }),
    nickname: z.string().nullable(),
    count: withMeta(z.number().int().min(1).max(9).default(3), { label: 'Count' }),
    anyInt: z.number().int(),
    enabled: withMeta(z.boolean().optional(), { label: 'Enabled', advanced: true }),
    color: withMeta(z.enum(['red', 'dark_blue']), { label: 'Colour', optionLabels: { red: 'Crimson' } }),
    tags: withMeta(z.union([z.string(), z.array(z.string())]).optional(), { label: 'Tags', options: 'tags' }),
    levels: z.array(z.enum(['L', 'H'])).max(2),
    when: z.iso.datetime().optional(),
    since: withMeta(
      z.string().refine((v) => !Number.isNaN(Date.parse(v))),
      { format: 'date-time' },
    ),
    site: z.url(),
    link: withMeta(z.string().optional(), { format: 'uri' }),
    data: z.record(z.string(), z.string()),
    anything: z.unknown(),
    kind: z.literal('fixed'),
    either: z.union([z.literal('a'), z.literal('b')]),
    address: z.object({ street: withMeta(z.string(), { label: 'Street' }), zip: z.string().optional() }).nullish(),
    rows: z.array(z.object({ sku: z.string() })).min(1),
    numbers: z.array(z.number()),
  });
  const specs = byKey(describeFields(schema));

  it('keeps declaration order', () => {
    expect(Object.keys(specs)).toEqual(Object.keys(schema.shape));
  });

  it('describes strings, numbers and booleans with bounds, defaults and requiredness', () => {
    expect(specs.name).toEqual({
      key: 'name',
      label: 'Name',
      description: 'Who',
      placeholder: 'Ada',
      required: true,
      advanced: false,
      kind: 'string',
      min: 2,
      max: 40,
    });
    expect(specs.nickname).toMatchObject({ label: 'Nickname', required: true, kind: 'string' });
    expect(specs.count).toMatchObject({ kind: 'number', required: false, default: 3, min: 1, max: 9 });
    expect(specs.anyInt).not.toHaveProperty('min');
    expect(specs.enabled).toMatchObject({ kind: 'boolean', required: false, advanced: true });
  });

  it('turns enums and literals into options, labelled from meta or humanised', () => {
    expect(specs.color?.options).toEqual([
      { value: 'red', label: 'Crimson' },
      { value: 'dark_blue', label: 'Dark Blue' },
    ]);
    expect(specs.kind).toMatchObject({ kind: 'enum', options: [{ value: 'fixed', label: 'Fixed' }] });
    expect(specs.either).toMatchObject({ kind: 'enum', options: [{ value: 'a' }, { value: 'b' }] });
  });

  it('turns string | string[] and string arrays into string lists', () => {
    expect(specs.tags).toMatchObject({ kind: 'stringList', dynamic: 'tags', required: false });
    expect(specs.levels).toMatchObject({ kind: 'stringList', max: 2, options: [{ value: 'L' }, { value: 'H' }] });
  });

  it('recognises date-times and URLs from zod formats and from meta', () => {
    expect(specs.when?.kind).toBe('datetime');
    expect(specs.since?.kind).toBe('datetime');
    expect(specs.site?.kind).toBe('url');
    expect(specs.link?.kind).toBe('url');
  });

  it('describes objects with children and everything else as json', () => {
    expect(specs.address).toMatchObject({ kind: 'object', required: false });
    expect(specs.address?.children?.map((c) => [c.key, c.label, c.required])).toEqual([
      ['street', 'Street', true],
      ['zip', 'Zip', false],
    ]);
    expect(specs.rows).toMatchObject({ kind: 'json', min: 1, children: [{ key: 'sku', kind: 'string' }] });
    for (const key of ['data', 'anything', 'numbers']) expect(specs[key]?.kind, key).toBe('json');
  });

  it('lists the fields without an explicit label, nested ones included', () => {
    expect(unlabelledFields(schema)).toEqual([
      'nickname',
      'anyInt',
      'levels',
      'when',
      'since',
      'site',
      'link',
      'data',
      'anything',
      'kind',
      'either',
      'address',
      'address.zip',
      'rows',
      'rows[].sku',
      'numbers',
    ]);
  });

  it('describes the real create input from QrCodeFields meta', () => {
    const create = byKey(describeFields(getOperation('createQrCode').input));
    expect(create.type).toMatchObject({ kind: 'enum', default: 'url', required: false, label: 'Type' });
    expect(create.url).toMatchObject({
      kind: 'url',
      label: 'Destination URL',
      placeholder: 'https://example.com/landing',
    });
    expect(create.tagNames).toMatchObject({ kind: 'stringList', dynamic: 'tags', label: 'Tags' });
    expect(create.folderId).toMatchObject({ dynamic: 'folders', advanced: true });
    expect(create.expiresAt).toMatchObject({ kind: 'datetime', advanced: true });
    expect(create.bgColor).toMatchObject({ label: 'Background Color', advanced: true, max: 32 });
    expect(create.whatsapp?.children?.map((c) => c.key)).toEqual(['number', 'message']);
    const update = byKey(describeFields(getOperation('updateQrCode').input));
    expect(update.id).toMatchObject({ required: true, dynamic: 'qrCodes' });
    expect(Object.values(update).filter((s) => s.required)).toHaveLength(1);
    expect(update.type).not.toHaveProperty('default'); // an update never resets the type
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Three tiny host mappers, to show that one registry is enough for every host (the real ones live in the hosts).

interface N8nProperty {
  displayName: string;
  name: string;
  type: 'string' | 'number' | 'boolean' | 'options' | 'multiOptions' | 'dateTime' | 'json' | 'collection';
  required?: boolean;
  default: unknown;
  description?: string;
  placeholder?: string;
  options?: ({ name: string; value: string | number | boolean } | N8nProperty)[];
  typeOptions?: { multipleValues?: boolean; loadOptionsMethod?: string; minValue?: number; maxValue?: number };
  displayOptions: { show: { resource: string[]; operation: string[] } };
}

function n8nProperty(spec: FieldSpec, op: AnyOperation): N8nProperty {
  const show = { resource: [op.resource], operation: [op.verb] };
  const base = {
    displayName: spec.label,
    name: spec.key,
    displayOptions: { show },
    ...(spec.required ? { required: true } : {}),
    ...(spec.description ? { description: spec.description } : {}),
    ...(spec.placeholder ? { placeholder: spec.placeholder } : {}),
  };
  const typeOptions: N8nProperty['typeOptions'] = {};
  if (spec.dynamic) typeOptions.loadOptionsMethod = `get${spec.dynamic[0]?.toUpperCase()}${spec.dynamic.slice(1)}`;
  if (spec.kind === 'number' && spec.min !== undefined) typeOptions.minValue = spec.min;
  if (spec.kind === 'number' && spec.max !== undefined) typeOptions.maxValue = spec.max;
  const opts = Object.keys(typeOptions).length > 0 ? { typeOptions } : {};
  switch (spec.kind) {
    case 'enum':
      return {
        ...base,
        type: 'options',
        default: spec.default ?? spec.options?.[0]?.value,
        options: spec.options?.map((o) => ({ name: o.label, value: o.value })),
      };
    case 'stringList':
      return spec.options
        ? {
            ...base,
            type: 'multiOptions',
            default: [],
            options: spec.options.map((o) => ({ name: o.label, value: o.value })),
          }
        : { ...base, type: 'string', default: '', typeOptions: { ...typeOptions, multipleValues: true } };
    case 'number':
      return { ...base, type: 'number', default: spec.default ?? 0, ...opts };
    case 'boolean':
      return { ...base, type: 'boolean', default: spec.default ?? false };
    case 'datetime':
      return { ...base, type: 'dateTime', default: '' };
    case 'object':
      return {
        ...base,
        type: 'collection',
        default: {},
        options: (spec.children ?? []).map((child) => n8nProperty(child, op)),
      };
    case 'json':
      return { ...base, type: 'json', default: JSON.stringify(spec.default ?? null) };
    default:
      return { ...base, type: 'string', default: spec.default ?? '', ...opts };
  }
}

/** Required and common fields at the top; advanced optional ones in an "Additional Fields" collection. */
function toN8nProperties(op: AnyOperation): N8nProperty[] {
  const specs = describeFields(op.input);
  const top = specs.filter((s) => s.required || !s.advanced).map((s) => n8nProperty(s, op));
  const extra = specs
    .filter((s) => !s.required && s.advanced)
    .map((s) => n8nProperty(s, op))
    .sort((a, b) => a.displayName.localeCompare(b.displayName));
  if (extra.length === 0) return top;
  return [
    ...top,
    {
      displayName: 'Additional Fields',
      name: 'additionalFields',
      type: 'collection',
      default: {},
      options: extra,
      displayOptions: { show: { resource: [op.resource], operation: [op.verb] } },
    },
  ];
}

interface ZapierField {
  key: string;
  label: string;
  required: boolean;
  type: 'string' | 'number' | 'boolean' | 'datetime' | 'text';
  helpText?: string;
  choices?: { value: string; label: string; sample: string }[];
  list?: boolean;
  dynamic?: string;
  default?: string;
  important?: boolean;
}

function toZapierFields(op: AnyOperation): ZapierField[] {
  const field = (spec: FieldSpec, prefix = '', labelPrefix = ''): ZapierField[] => {
    if (spec.kind === 'object') {
      return (spec.children ?? []).flatMap((child) => field(child, `${prefix}${spec.key}__`, `${spec.label}: `));
    }
    const type: ZapierField['type'] =
      spec.kind === 'number'
        ? 'number'
        : spec.kind === 'boolean'
          ? 'boolean'
          : spec.kind === 'datetime'
            ? 'datetime'
            : spec.kind === 'json'
              ? 'text'
              : 'string';
    // a hidden list trigger per source answers listOptions' { value, label } items
    const dynamic = spec.dynamic
      ? `list${spec.dynamic.charAt(0).toUpperCase()}${spec.dynamic.slice(1)}.value.label`
      : undefined;
    return [
      {
        key: `${prefix}${spec.key}`,
        label: `${labelPrefix}${spec.label}`,
        required: prefix === '' && spec.required,
        type,
        ...(spec.description ? { helpText: spec.description } : {}),
        ...(spec.options && !dynamic
          ? { choices: spec.options.map((o) => ({ value: String(o.value), label: o.label, sample: String(o.value) })) }
          : {}),
        ...(spec.kind === 'stringList' ? { list: true } : {}),
        ...(dynamic ? { dynamic } : {}),
        ...(spec.default !== undefined ? { default: String(spec.default) } : {}),
        ...(spec.advanced ? {} : { important: true }),
      },
    ];
  };
  return describeFields(op.input).flatMap((spec) => field(spec));
}

interface ActionInput {
  description: string;
  required: false;
  default?: string;
}

/** One `action.yml` for every action: a `command`, then `<command>-<field>` inputs, all optional in YAML. */
function toActionInputs(ops: readonly AnyOperation[]): Record<string, ActionInput> {
  const inputs: Record<string, ActionInput> = {
    command: { description: `One of: ${ops.map((op) => kebabKey(op.key)).join(', ')}.`, required: false },
  };
  for (const op of ops) {
    for (const spec of describeFields(op.input)) {
      const parts = [spec.label, spec.description, spec.required ? `Required for ${kebabKey(op.key)}.` : undefined];
      if (spec.options) parts.push(`One of: ${spec.options.map((o) => o.value).join(', ')}.`);
      if (spec.kind === 'object' || spec.kind === 'json') parts.push('JSON.');
      if (spec.kind === 'stringList') parts.push('Comma- or newline-separated.');
      inputs[`${kebabKey(op.key)}-${kebabKey(spec.key)}`] = {
        description: parts.filter(Boolean).join(' '),
        required: false,
        ...(spec.default !== undefined ? { default: String(spec.default) } : {}),
      };
    }
  }
  return inputs;
}

describe('one registry, three hosts', () => {
  it('gives every input field of every operation a place in each host', () => {
    const action = toActionInputs(actions);
    for (const op of operations) {
      const n8n = toN8nProperties(op);
      const n8nNames = n8n.flatMap((p) => (p.name === 'additionalFields' ? (p.options as N8nProperty[]) : [p]));
      const zapierKeys = toZapierFields(op).map((f) => f.key.split('__')[0]);
      for (const key of Object.keys(op.input.shape)) {
        expect(
          n8nNames.map((p) => p.name),
          `${op.key}.${key} in n8n`,
        ).toContain(key);
        expect(zapierKeys, `${op.key}.${key} in Zapier`).toContain(key);
        if (op.kind === 'action')
          expect(action, `${op.key}.${key} in action.yml`).toHaveProperty(`${kebabKey(op.key)}-${kebabKey(key)}`);
      }
    }
  });

  it('n8n: enums become options, advanced fields go to Additional Fields, required stays required', () => {
    const create = toN8nProperties(getOperation('createQrCode'));
    const top = byName(create);
    expect(top.type).toMatchObject({ type: 'options', default: 'url' });
    expect(top.type?.options).toContainEqual({ name: 'Wi-Fi', value: 'wifi' });
    expect(top.url).toMatchObject({ type: 'string', displayName: 'Destination URL' });
    expect(top.domain?.typeOptions).toEqual({ loadOptionsMethod: 'getDomains' });
    expect(top.tagNames?.typeOptions).toEqual({ loadOptionsMethod: 'getTags', multipleValues: true });
    expect(top.bgColor).toBeUndefined();
    const additional = top.additionalFields;
    expect(additional?.type).toBe('collection');
    const extra = (additional?.options ?? []) as N8nProperty[];
    expect(extra.map((p) => p.name)).toEqual(expect.arrayContaining(['bgColor', 'expiresAt', 'folderId', 'wifi']));
    expect(extra.map((p) => p.displayName)).toEqual(
      [...extra.map((p) => p.displayName)].sort((a, b) => a.localeCompare(b)),
    );
    expect(extra.find((p) => p.name === 'expiresAt')?.type).toBe('dateTime');
    const wifi = extra.find((p) => p.name === 'wifi');
    expect(wifi).toMatchObject({ type: 'collection', default: {} });
    expect(((wifi?.options ?? []) as N8nProperty[]).find((p) => p.name === 'ssid')).toMatchObject({ required: true });

    const del = byName(toN8nProperties(getOperation('deleteQrCode')));
    expect(del.id).toMatchObject({
      required: true,
      displayOptions: { show: { resource: ['qrCode'], operation: ['delete'] } },
    });
    expect(del.additionalFields).toBeUndefined();
  });

  it('Zapier: enums become choices, lists and dynamic dropdowns are marked, required stays required', () => {
    const fields = Object.fromEntries(toZapierFields(getOperation('createQrCode')).map((f) => [f.key, f]));
    expect(fields.type?.choices).toContainEqual({ value: 'url', label: 'URL', sample: 'url' });
    expect(fields.type?.default).toBe('url');
    expect(fields.domain?.dynamic).toBe('listDomains.value.label');
    expect(fields.tagNames).toMatchObject({ list: true, dynamic: 'listTags.value.label' });
    expect(fields.folderId?.dynamic).toBe('listFolders.value.label');
    expect(fields.url).toMatchObject({ important: true, required: false });
    expect(fields.bgColor?.important).toBeUndefined();
    expect(fields.wifi__ssid).toMatchObject({ label: 'Wi-Fi: Network Name (SSID)', type: 'string' });
    expect(fields.expiresAt?.type).toBe('datetime');
    const bulk = toZapierFields(getOperation('bulkCreateQrCodes'));
    expect(bulk).toEqual([
      expect.objectContaining({ key: 'items', required: true, type: 'text' }),
      expect.objectContaining({ key: 'createMissingTags', type: 'boolean', default: 'true' }),
    ]);
    const get = toZapierFields(getOperation('getQrCode'));
    expect(get.find((f) => f.key === 'id')).toMatchObject({ required: false, dynamic: 'listQrCodes.value.label' });
    const trigger = toZapierFields(getOperation('newScan'));
    expect(trigger).toEqual([expect.objectContaining({ key: 'qrCodeId', required: false })]);
  });

  it('action.yml: one kebab input per operation field, all optional in YAML, requiredness in the description', () => {
    const inputs = toActionInputs(actions);
    expect(inputs.command?.description).toContain('create-qr-code, update-qr-code, upsert-qr-code');
    expect(inputs['create-qr-code-bg-color']).toEqual({
      description: 'Background Color A hex colour (#ffffff) or a CSS colour name (white). Defaults to white.',
      required: false,
    });
    expect(inputs['create-qr-code-type']).toMatchObject({ default: 'url' });
    expect(inputs['create-qr-code-type']?.description).toContain(
      'One of: url, text, email, wifi, phone, vcard, crypto, sms, facetime, geo, latlog, pix, whatsapp.',
    );
    expect(inputs['delete-qr-code-id']?.description).toContain('Required for delete-qr-code.');
    expect(inputs['bulk-create-qr-codes-items']?.description).toContain('JSON.');
    expect(inputs['list-qr-codes-limit']).toMatchObject({ default: '50' });
    expect(Object.values(inputs).every((input) => input.required === false)).toBe(true);
    expect(Object.keys(inputs).every((key) => /^[a-z0-9]+(-[a-z0-9]+)*$/.test(key))).toBe(true);
    expect(Object.keys(inputs).some((key) => key.startsWith('new-scan'))).toBe(false);
    expect(triggers.length).toBeGreaterThan(0);
  });
});

function byName(properties: N8nProperty[]): Record<string, N8nProperty> {
  return Object.fromEntries(properties.map((p) => [p.name, p]));
}

describe('dynamic options against the sandbox', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startSpecCheckedSandbox({ keys: [{ key: 'k', plan: 'business' }], seed: 3 });
  });
  afterAll(async () => {
    await sb?.close(); // also fails if any request was not valid against the official spec
  }, 30_000);

  it('lists domains, tags, folders and QR codes as { value, label }, and the values work as input', async () => {
    const client = createCodeQrClient({ apiKey: 'k', baseUrl: sb.url });
    await client.tags.create({ name: 'restaurant', color: 'green' });
    await client.tags.create({ name: 'retail' });
    const folder = await fetch(`${sb.url}/folders`, {
      method: 'POST',
      headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Campaigns' }),
    });
    expect(folder.status).toBe(201);

    const domains = await listOptions(client, 'domains');
    expect(domains).toContainEqual({ value: sb.linkDomain, label: sb.linkDomain });
    expect(await listOptions(client, 'tags', { search: 'rest' })).toEqual([
      { value: 'restaurant', label: 'restaurant' },
    ]);
    const folders = await listOptions(client, 'folders');
    expect(folders).toEqual([{ value: expect.any(String), label: 'Campaigns' }]);

    const created = await getOperation('createQrCode').execute(client, {
      url: 'https://example.com/menu',
      title: 'Menu',
      domain: domains[0]?.value,
      tagNames: ['restaurant'],
      folderId: folders[0]?.value,
    });
    expect(created.tags?.map((t) => t.name)).toEqual(['restaurant']);
    expect(created.folderId).toBe(folders[0]?.value);
    expect(await listOptions(client, 'qrCodes', { limit: 5 })).toEqual([
      { value: created.id, label: `Menu (${created.shortLink})` },
    ]);
  });
});

describe('typeContent', () => {
  it('pairs every type of the write operations with the field keyed like it, Geo with none', () => {
    for (const key of ['createQrCode', 'updateQrCode', 'upsertQrCode'] as const) {
      const specs = describeFields(getOperation(key).input);
      const typed = typeContent(specs);
      const types = (typed?.type.options ?? []).map((option) => String(option.value));
      expect(types, key).toHaveLength(13);
      // `geo` is a field too, but it is country targeting: no type's content
      expect(specs.some((spec) => spec.key === 'geo')).toBe(true);
      expect([...(typed?.content.keys() ?? [])], key).toEqual(types.filter((type) => type !== 'geo'));
      for (const [type, spec] of typed?.content ?? []) expect(spec.key).toBe(type);
    }
  });

  it('is undefined for an input without a type (Get QR Code)', () => {
    expect(typeContent(describeFields(getOperation('getQrCode').input))).toBeUndefined();
  });
});

/**
 * The one input boundary (`op.parseInput` / `op.execute`) takes what host forms send, for every operation of the
 * registry: property tests render generated valid input the way n8n, Zapier and a GitHub Action do, and corrupt it
 * the way users do, and the form values users reported, one by one.
 */
import { startSandbox } from '@codeqr-integrations/sandbox';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type * as z from 'zod/v4';
import { bagOf, bounds, defOf, fieldAtPath, type UnwrappedField, unwrapField } from '../src/fields/describe.ts';
import {
  CodeQrError,
  createCodeQrClient,
  type FieldIssue,
  isCodeQrError,
  type TransportRequest,
} from '../src/index.ts';
import { type AnyOperation, getOperation, operations } from '../src/operations/index.ts';
import { WRITABLE_TYPES } from '../src/operations/qr-code-input.ts';
import { CreateQrCodeBody, CreateQrCodeRequest, UpdateQrCodeBody } from '../src/schemas/qr-code.ts';

// ---------------------------------------------------------------------------------------------------------------
// A client whose transport records every request and answers a plausible QR code (or list), so only validation
// decides what happens.

function recordingClient() {
  const sent: TransportRequest[] = [];
  const client = createCodeQrClient({
    apiKey: 'codeqr_input_test_key',
    baseUrl: 'http://127.0.0.1:9',
    sleep: async () => {},
    transport: async (request) => {
      sent.push(request);
      const now = new Date().toISOString();
      const qr = { id: 'q1', domain: 'cqr.link', key: 'k1', type: 'url', url: 'https://example.com', createdAt: now };
      if (request.method === 'GET') {
        const one = request.url.includes('/qrcodes/info');
        return { status: 200, headers: {}, body: JSON.stringify(one ? { ...qr, updatedAt: now } : []) };
      }
      const body = request.body ? JSON.parse(request.body) : {};
      const answer = (item: object) => ({ ...qr, ...item, updatedAt: now });
      return {
        status: 200,
        headers: {},
        body: JSON.stringify(Array.isArray(body) ? body.map(answer) : answer(body)),
      };
    },
  });
  return { client, sent };
}

type Client = ReturnType<typeof recordingClient>['client'];

/**
 * Runs `op` on `raw`. An `items` action answers a bad item as that item's own result (the batch goes on): those are
 * gathered into one error here, each issue at its item's path (`items.3.url`), so every operation is checked alike.
 */
async function run(op: AnyOperation, client: Client, raw: unknown): Promise<unknown> {
  const execute = op.execute as (client: Client, raw: unknown) => Promise<unknown>;
  const result = await execute(client, raw);
  if (op.kind !== 'action' || op.answers !== 'items') return result;
  type Failure = { index: number; ok: false; error: { code: string; message: string; issues?: FieldIssue[] } };
  const failed = (result as Failure[]).filter((r) => !r.ok && r.error.code === 'validation_error');
  if (failed.length === 0) return result;
  throw new CodeQrError({
    code: 'validation_error',
    message: failed.map((f) => f.error.message).join(' '),
    issues: failed.flatMap((f) =>
      (f.error.issues ?? []).map((i) => ({ ...i, field: `items.${f.index}${i.field ? `.${i.field}` : ''}` })),
    ),
  });
}

async function rejection(promise: () => Promise<unknown>): Promise<CodeQrError> {
  try {
    await promise();
  } catch (error) {
    if (isCodeQrError(error)) return error;
    throw error;
  }
  throw new Error('expected a validation_error, but it succeeded');
}

/** zod's own wording, which must never reach a user. */
const ZOD_DEFAULTS =
  /Invalid input:|Too small:|Too big:|Invalid option:|Invalid string:|Invalid ISO|Unrecognized key|Invalid key in|Invalid element in|expected \w+, received|to have [<>]=/;

function sentBody(sent: TransportRequest[], index = 0): Record<string, unknown> {
  const body = sent[index]?.body;
  if (!body) throw new Error(`request ${index} had no body`);
  return JSON.parse(body);
}

// ---------------------------------------------------------------------------------------------------------------
// Valid input generated from each operation's own schema.

type Path = (string | number)[];

const listElementOf = (schema: z.ZodType): z.ZodType | undefined => {
  const def = defOf(schema);
  if (def.type === 'array') return def.element;
  if (def.type === 'union') {
    const list = (def.options ?? []).find((option) => defOf(unwrapField(option).schema).type === 'array');
    return list ? defOf(unwrapField(list).schema).element : undefined;
  }
  return undefined;
};

const SCALARS = new Set(['string', 'number', 'int', 'boolean', 'enum', 'literal']);
const isScalar = (schema: z.ZodType) => SCALARS.has(defOf(unwrapField(schema).schema).type);

const word = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,12}[A-Za-z0-9]$/);
const slug = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,12}$/);
const isoDate = fc
  .date({ min: new Date('2027-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true })
  .map((date) => date.toISOString());
const COLORS = ['#fff', '#abcd', '#1a1a2e', '#11223344', 'navy', 'White', 'transparent', 'rebeccapurple'];

/** Kinds of text field whose valid values have a shape, by key (and where it sits). */
function textKind(key: string, parent: string | undefined, field: UnwrappedField): string {
  if (field.meta.format === 'uri' || bagOf(field.schema).format === 'url') return 'url';
  if (field.meta.format === 'date-time' || bagOf(field.schema).format === 'datetime') return 'datetime';
  if (key === 'bgColor' || key === 'fgColor' || key === 'frameColor' || key === 'frameTextColor') return 'color';
  if (parent === 'latlog' && (key === 'latitude' || key === 'longitude')) return key;
  if ((parent === 'crypto' || parent === 'pix') && key === 'amount') return 'amount';
  if (parent === 'crypto' && key === 'cryptocurrency') return 'cryptocurrency';
  if (key === 'key') return 'key';
  if (key === 'domain') return 'domain';
  if (parent === 'whatsapp' && key === 'number') return 'whatsapp';
  if ((parent === 'email' && ['email', 'cc', 'cco'].includes(key)) || key === 'to') return 'email';
  if (parent === 'vcard' && key === 'email') return 'email';
  if (key === 'phone' || key === 'tel' || key === 'telephone') return 'phone';
  if (key === 'timezone') return 'timezone';
  if (/(^id$|Id$|^ids$)/.test(key)) return 'id';
  return 'text';
}

function textArb(kind: string): fc.Arbitrary<string> {
  switch (kind) {
    case 'url':
      return fc
        .tuple(fc.constantFrom('https://example.com', 'http://shop.example.org', 'https://cqr.link'), slug)
        .map(([base, path]) => `${base}/${path}`);
    case 'datetime':
      return isoDate;
    case 'color':
      return fc.constantFrom(...COLORS);
    case 'key':
      return slug;
    case 'domain':
      return fc.constantFrom('cqr.link', 'codeqr.link', 'links.example.com');
    case 'whatsapp':
      return fc.stringMatching(/^[1-9]\d{7,14}$/);
    case 'email':
      return fc
        .tuple(slug, fc.constantFrom('example.com', 'mail.example.org'))
        .map(([user, host]) => `${user}@${host}`);
    case 'phone':
      return fc.stringMatching(/^\+?[1-9]\d{6,12}$/);
    case 'timezone':
      return fc.constantFrom('UTC', 'Europe/Paris', 'America/New_York');
    case 'latitude':
    case 'longitude': {
      const limit = kind === 'latitude' ? 90 : 180;
      return fc.integer({ min: -limit * 100, max: limit * 100 }).map((n) => String(n / 100));
    }
    case 'amount':
      return fc.tuple(fc.nat(99_999), fc.nat(99)).map(([units, cents]) => `${units}.${String(cents).padStart(2, '0')}`);
    case 'cryptocurrency':
      return fc.constantFrom('bitcoin', 'ethereum', 'litecoin');
    case 'id':
      return fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,20}$/);
    default:
      return word;
  }
}

/** A valid typed value for a field that is present. */
function validValue(schema: z.ZodType, key: string, parent?: string): fc.Arbitrary<unknown> {
  const field = unwrapField(schema);
  const inner = field.schema;
  const def = defOf(inner);
  const element = listElementOf(inner);
  if (element) {
    const { min = 0, max = 3 } = bounds(inner);
    const size = { minLength: Math.max(1, min), maxLength: Math.max(1, Math.min(3, max)) };
    return isScalar(element)
      ? fc.uniqueArray(validValue(element, key, parent), size)
      : fc.array(validValue(element, key, parent), size);
  }
  switch (def.type) {
    case 'string':
      return textArb(textKind(key, parent, field)).filter((value) => inner.safeParse(value).success);
    case 'number':
    case 'int': {
      const { min = 0, max = 10_000 } = bounds(inner);
      return fc.integer({ min, max });
    }
    case 'boolean':
      return fc.boolean();
    case 'enum':
      return fc.constantFrom(...Object.values(def.entries ?? {}));
    case 'literal':
      return fc.constantFrom(...(def.values ?? []));
    case 'object':
      return validObject(def.shape ?? {}, key);
    default:
      return fc.constant(undefined);
  }
}

function validObject(shape: Record<string, z.ZodType>, name?: string): fc.Arbitrary<Record<string, unknown>> {
  const arbs: Record<string, fc.Arbitrary<unknown>> = {};
  const required: string[] = [];
  for (const [key, schema] of Object.entries(shape)) {
    arbs[key] = validValue(schema, key, name);
    if (!unwrapField(schema).optional) required.push(key);
  }
  return fc.record(arbs, { requiredKeys: required });
}

/** Valid typed input of an operation: generated from its fields, kept when the operation's schema accepts it. */
function validInput(op: AnyOperation): fc.Arbitrary<Record<string, unknown>> {
  const shape = op.input.shape as Record<string, z.ZodType>;
  return validObject(shape).filter((value) => op.input.safeParse(value).success);
}

// ---------------------------------------------------------------------------------------------------------------
// Host-style renderings of a typed value.

const pad = (text: string) => fc.constantFrom(text, ` ${text}`, `${text}  `, `\t${text}\n`);
const blank = fc.constantFrom('', ' ', '   ', '\n', '\t');

function caseVariants(value: string, values: readonly unknown[]): string[] {
  const lower = values.filter((v): v is string => typeof v === 'string').map((v) => v.toLowerCase());
  if (lower.filter((v) => v === value.toLowerCase()).length !== 1) return [value];
  return [value, value.toUpperCase(), value.toLowerCase()];
}

/** The ways a host may send `value` (present) for a field of `schema`. */
function rendered(schema: z.ZodType, value: unknown): fc.Arbitrary<unknown> {
  const field = unwrapField(schema);
  const inner = field.schema;
  const def = defOf(inner);
  const element = listElementOf(inner);
  if (element && Array.isArray(value)) {
    const items = value.map((item) => rendered(element, item));
    const asArray = fc
      .tuple(fc.tuple(...items), fc.array(fc.tuple(fc.nat(), blank), { maxLength: 2 }))
      .map(([list, blanks]) => {
        const out = [...list];
        if (isScalar(element)) for (const [at, b] of blanks) out.splice(at % (out.length + 1), 0, b);
        return out;
      });
    if (!isScalar(element)) return fc.oneof(asArray, fc.constant(JSON.stringify(value)));
    const texts = value.map(String);
    return fc.oneof(
      asArray,
      fc.constant(texts.join(',')),
      fc.constant(` ${texts.join(' , ')} ,`),
      fc.constant(texts.join('\n')),
      fc.constant(`${texts.join('\r\n')}\n`),
      fc.constant(JSON.stringify(value)),
    );
  }
  switch (def.type) {
    case 'string': {
      const text = value as string;
      if (field.meta.verbatim) return fc.constant(text);
      const bare = /^https:\/\/((?:[a-z0-9-]+\.)+[a-z]{2,}(?:\/\S*)?)$/.exec(text)?.[1];
      return bare ? fc.oneof(pad(text), pad(bare)) : pad(text);
    }
    case 'number':
    case 'int':
      return fc.oneof(fc.constant(value), pad(String(value)));
    case 'boolean':
      return value
        ? fc.constantFrom(true, 'true', 'TRUE', 'True', 'yes', '1', ' true ')
        : fc.constantFrom(false, 'false', 'FALSE', 'no', '0', ' false');
    case 'enum':
    case 'literal': {
      const values = def.type === 'enum' ? Object.values(def.entries ?? {}) : (def.values ?? []);
      return typeof value === 'string'
        ? fc.constantFrom(...caseVariants(value, values)).chain(pad)
        : fc.constant(value);
    }
    case 'object': {
      const object = renderedObject(def.shape ?? {}, value as Record<string, unknown>);
      return fc.oneof(
        object,
        object.map((o) => JSON.stringify(o)),
      );
    }
    default:
      return fc.constant(value);
  }
}

/** An object rendered field by field; optional fields it lacks may come as blanks (an untouched form field). */
function renderedObject(shape: Record<string, z.ZodType>, value: Record<string, unknown>) {
  const arbs: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [key, schema] of Object.entries(shape)) {
    if (value[key] !== undefined) arbs[key] = rendered(schema, value[key]);
    else if (unwrapField(schema).optional) arbs[key] = fc.option(blank, { nil: undefined });
  }
  return fc.record(arbs, { requiredKeys: [] }).map((o) => {
    // keys the typed value has must stay (fc.record with no required keys may drop them)
    const out: Record<string, unknown> = { ...o };
    for (const key of Object.keys(value)) if (value[key] !== undefined && out[key] === undefined) out[key] = value[key];
    return out;
  });
}

function hostRendering(op: AnyOperation, typed: Record<string, unknown>): fc.Arbitrary<unknown> {
  return renderedObject(op.input.shape as Record<string, z.ZodType>, typed);
}

// ---------------------------------------------------------------------------------------------------------------
// Invalid renderings: one field corrupted the way users get it wrong.

interface Leaf {
  path: Path;
  label: string;
  kind: string;
  required: boolean;
}

/** Every field of an operation (nested objects and the first item of lists of objects included). */
function leaves(op: AnyOperation): Leaf[] {
  const out: Leaf[] = [];
  const walk = (shape: Record<string, z.ZodType>, path: Path, parent?: string) => {
    for (const [key, schema] of Object.entries(shape)) {
      const field = unwrapField(schema);
      const def = defOf(field.schema);
      const element = listElementOf(field.schema);
      const at = [...path, key];
      const label = fieldAtPath(op.input, at).labels.at(-1) ?? key;
      const required = !field.optional;
      if (element && !isScalar(element)) {
        const item = defOf(unwrapField(element).schema);
        if (item.type === 'object') walk(item.shape ?? {}, [...at, 0], key);
        continue;
      }
      let kind: string;
      if (element) kind = 'list';
      else if (def.type === 'object') {
        walk(def.shape ?? {}, at, key);
        continue;
      } else if (def.type === 'string') kind = textKind(key, parent, field);
      else if (def.type === 'number' || def.type === 'int') kind = 'number';
      else if (def.type === 'boolean') kind = 'boolean';
      else if (def.type === 'enum' || def.type === 'literal') kind = 'enum';
      else continue;
      out.push({ path: at, label, kind, required });
    }
  };
  walk(op.input.shape as Record<string, z.ZodType>, []);
  return out;
}

const BAD_VALUES: Record<string, unknown[]> = {
  number: ['abc', '12px', '1,024', '5 5', { n: 1 }],
  boolean: ['maybe', 'yess', 'nope'],
  enum: ['not-an-option', 'x y'],
  color: ['banana', '#12345', '#abcde', 'rgb(1, 2, 3)', 'blak'],
  url: ['not a url', 'ftp://example.com/file', 'http://', 'mailto:a@example.com'],
  email: ['nope', 'a@b', 'two words@example.com'],
  key: ['no spaces allowed!', '-leading-dash'],
  whatsapp: ['+33 6 12', '0123'],
  latitude: ['91', 'north', '-90.5'],
  longitude: ['181', 'east'],
  amount: ['1,5', 'ten', '$3'],
  cryptocurrency: ['bit coin', '1btc'],
  datetime: ['tomorrow-ish', '2026-13-45'],
  phone: ['call me', '12'],
  list: [{ not: 'a list' }, [{ nested: true }]],
  text: [{ nested: true }, ['a', 'list']],
  id: [{ nested: true }],
  domain: [{ nested: true }],
  timezone: [{ nested: true }],
};

function valueAt(target: unknown, path: Path): unknown {
  let node = target;
  for (const segment of path)
    node = node && typeof node === 'object' ? (node as Record<string, unknown>)[segment] : undefined;
  return node;
}

function setAt(target: Record<string, unknown>, path: Path, value: unknown): Record<string, unknown> {
  const copy = structuredClone(target);
  let node: Record<string | number, unknown> = copy;
  for (const segment of path.slice(0, -1)) {
    const next = node[segment];
    if (next === null || typeof next !== 'object') node[segment] = {};
    node = node[segment] as Record<string | number, unknown>;
  }
  node[path.at(-1) as string] = value;
  return copy;
}

/** One corrupted field: where, and the input carrying it. */
function invalidInput(op: AnyOperation) {
  const fields = leaves(op);
  return validInput(op).chain((typed) => {
    const corrupted = fc
      .constantFrom(...fields)
      // a list item's field only where that list is there (a nested list too: items.0.rules.0.value)
      .filter((leaf) =>
        leaf.path.every(
          (segment, at) => typeof segment !== 'number' || Array.isArray(valueAt(typed, leaf.path.slice(0, at))),
        ),
      )
      .chain((leaf) => {
        // a blank required field is missing, unless blanking it leaves its (optional) object empty, i.e. not set
        const parent = leaf.path.length > 1 ? valueAt(typed, leaf.path.slice(0, -1)) : typed;
        const siblings = Object.entries((parent ?? {}) as object).filter(
          ([k, v]) => k !== leaf.path.at(-1) && v !== undefined,
        );
        const blankIsMissing = leaf.required && (leaf.path.length === 1 || siblings.length > 0);
        const bad = [...(BAD_VALUES[leaf.kind] ?? []), ...(blankIsMissing ? ['', '   '] : [])];
        return fc.constantFrom(...bad).map((value) => ({ leaf, raw: setAt(typed, leaf.path, value) }));
      });
    const misspelt = fc.constantFrom(...Object.keys(op.input.shape)).map((key) => ({
      leaf: { path: [`${key}X`], label: `${key}X`, kind: 'unknown', required: false } as Leaf,
      raw: { ...typed, [`${key}X`]: 'x' },
    }));
    return fc.oneof({ arbitrary: corrupted, weight: 4 }, { arbitrary: misspelt, weight: 1 });
  });
}

// ---------------------------------------------------------------------------------------------------------------

describe('host-style input, every operation', () => {
  it.each(operations.map((op) => [op.key, op] as const))(
    '%s: host renderings of valid input parse to the same value as the typed form',
    (_, op) => {
      fc.assert(
        fc.property(
          validInput(op).chain((typed) => fc.tuple(fc.constant(typed), hostRendering(op, typed))),
          ([typed, host]) => {
            const expected = op.input.parse(typed);
            expect(op.parseInput(typed)).toEqual(expected);
            expect(op.parseInput(host)).toEqual(expected);
          },
        ),
        { numRuns: 60 },
      );
    },
  );

  it.each(operations.map((op) => [op.key, op] as const))(
    '%s: invalid renderings fail with one validation_error naming the field by label, and send nothing',
    async (_, op) => {
      await fc.assert(
        fc.asyncProperty(invalidInput(op), async ({ leaf, raw }) => {
          const { client, sent } = recordingClient();
          const error = await rejection(() => run(op, client, raw));
          expect(error.code).toBe('validation_error');
          if (op.kind === 'action' && op.answers === 'items') {
            // a bad item fails alone: only the others may be sent
            const items = (raw as { items?: unknown }).items;
            const bad = new Set(error.issues.map((i) => i.field.split('.')[1]));
            // QR codes sent (bulk bodies and single creates); a tag or folder created first is not one
            const sentItems = sent
              .filter((r) => r.method === 'POST' && /\/qrcodes(\/bulk)?(\?|$)/.test(r.url))
              .reduce((n, r) => {
                const body = JSON.parse(r.body ?? '[]') as unknown;
                return n + (Array.isArray(body) ? body.length : 1);
              }, 0);
            expect(sentItems).toBeLessThanOrEqual((Array.isArray(items) ? items.length : 0) - bad.size);
          } else {
            expect(sent).toEqual([]);
          }
          const field = leaf.path.join('.');
          // a bad list item is named by its index (tagNames.0)
          const issue = error.issues.find((i) => i.field === field || i.field.startsWith(`${field}.`));
          expect(issue, `no issue for ${field} in ${JSON.stringify(error.issues)}`).toBeDefined();
          expect(issue?.message).toContain(leaf.label);
          for (const i of error.issues) {
            expect(i.message).not.toMatch(ZOD_DEFAULTS);
            expect(error.message).toContain(i.message);
          }
        }),
        { numRuns: 40 },
      );
    },
  );

  it('every create-like operation rejects a QR code whose type has no content, before sending', async () => {
    for (const key of ['createQrCode', 'upsertQrCode', 'bulkCreateQrCodes', 'upsertQrCodes'] as const) {
      const op = getOperation(key);
      if (!op) continue; // upsertQrCodes arrives with the bulk upsert
      for (const type of WRITABLE_TYPES) {
        const item = { type, title: 'No content' };
        const raw = 'items' in op.input.shape ? { items: [item] } : item;
        const { client, sent } = recordingClient();
        const error = await rejection(() => run(op, client, raw));
        expect(sent, `${key} ${type}`).toEqual([]);
        const content = { url: 'url', text: 'text', phone: 'phone', email: 'email.email', wifi: 'wifi.ssid' };
        const expected = {
          ...content,
          sms: 'sms.tel',
          whatsapp: 'whatsapp.number',
          vcard: 'vcard',
          crypto: 'crypto.cryptocurrency',
          pix: 'pix.key',
          facetime: 'facetime.phone',
          latlog: 'latlog.latitude',
          geo: 'type',
        }[type];
        const prefix = 'items' in op.input.shape ? 'items.0.' : '';
        expect(
          error.issues.map((i) => i.field),
          `${key} ${type}`,
        ).toContain(`${prefix}${expected}`);
      }
    }
  });
});

describe('form values users reported', () => {
  it("accepts size: '512', and sends the number", async () => {
    const { client, sent } = recordingClient();
    await getOperation('createQrCode').execute(client, { url: 'https://example.com', size: '512' });
    expect(sentBody(sent)).toMatchObject({ url: 'https://example.com', size: 512 });
  });

  it("treats domain: '', title: '' and folderId: '' as not set: none of them reaches the network", async () => {
    const { client, sent } = recordingClient();
    await getOperation('createQrCode').execute(client, {
      url: 'https://example.com',
      domain: '',
      title: '',
      folderId: '   ',
      tagNames: '',
      expiresAt: '',
      static: '',
      size: '',
    });
    expect(sent).toHaveLength(1);
    expect(sentBody(sent)).toEqual({ type: 'url', url: 'https://example.com' });
  });

  it('an update with blank fields changes nothing, and says so before sending', async () => {
    const { client, sent } = recordingClient();
    const error = await rejection(() =>
      getOperation('updateQrCode').execute(client, { id: 'q1', title: '', description: ' ', folderId: '' }),
    );
    expect(error.code).toBe('validation_error');
    expect(error.message).toMatch(/Nothing to update/);
    expect(sent).toEqual([]);
  });

  it('an update clears a field with an explicit null (and tags with null too)', async () => {
    const { client, sent } = recordingClient();
    await getOperation('updateQrCode').execute(client, { id: ' q1 ', title: null, folderId: null, tagNames: null });
    expect(sent[0]?.url).toMatch(/\/qrcodes\/q1$/);
    expect(sentBody(sent)).toEqual({ title: null, folderId: null, tagNames: [] });
  });

  it("rejects bgColor: 'banana' before the network, through the operation and the client", async () => {
    const { client, sent } = recordingClient();
    const viaOp = await rejection(() =>
      getOperation('createQrCode').execute(client, { url: 'https://example.com', bgColor: 'banana' }),
    );
    expect(viaOp.issues).toEqual([
      {
        field: 'bgColor',
        label: 'Background Color',
        rule: expect.stringMatching(/^must be a hex colour/),
        message: expect.stringMatching(/^Background Color \(bgColor\) must be a hex colour/),
      },
    ]);
    expect(viaOp.message).not.toContain('banana');
    const viaClient = await rejection(() => client.qrcodes.create({ url: 'https://example.com', fgColor: 'banana' }));
    expect(viaClient.issues.map((i) => i.field)).toEqual(['fgColor']);
    const viaUpdate = await rejection(() => client.qrcodes.update('q1', { bgColor: 'banana' }));
    expect(viaUpdate.issues.map((i) => i.field)).toEqual(['bgColor']);
    expect(sent).toEqual([]);
  });

  it('renders an image in a CSS colour name too', async () => {
    const { client, sent } = recordingClient();
    const image = await getOperation('getQrCodeImage').execute(client, {
      content: 'hello',
      format: 'SVG',
      fgColor: 'Navy',
      bgColor: ' ',
    });
    expect(image.data).toContain('fill="#000080"');
    expect(image.data).toContain('fill="#ffffff"');
    const short = await getOperation('getQrCodeImage').execute(client, {
      content: 'x',
      format: 'svg',
      bgColor: '#FeD',
    });
    expect(short.data).toContain('fill="#ffeedd"');
    expect(sent).toEqual([]);
  });

  it('accepts hex colours and CSS colour names', async () => {
    const { client, sent } = recordingClient();
    for (const color of ['#fff', '#ABCD', '#1A1A2E', '#11223344', 'navy', 'RebeccaPurple', 'transparent']) {
      await getOperation('createQrCode').execute(client, {
        url: 'https://example.com',
        fgColor: color,
        bgColor: color,
      });
    }
    expect(sent).toHaveLength(7);
  });

  it.each([
    ['text', {}],
    ['phone', { phone: '  ' }],
    ['email', { email: { subject: 'Hi' } }],
    ['wifi', { wifi: { password: 'secret-pw' } }],
    ['sms', { sms: {} }],
    ['whatsapp', {}],
  ])('rejects a %s QR code with no content, through the operation and the client', async (type, content) => {
    const { client, sent } = recordingClient();
    const viaOp = await rejection(() => getOperation('createQrCode').execute(client, { type, ...content }));
    expect(viaOp.code).toBe('validation_error');
    expect(viaOp.issues).toHaveLength(1);
    expect(viaOp.message).toMatch(/ is required/);
    expect(viaOp.message).not.toContain('secret-pw');
    const viaClient = await rejection(() => client.qrcodes.create({ type, ...content } as never));
    expect(viaClient.message).toMatch(new RegExp(`required for a QR code of type "${type}"`));
    expect(sent).toEqual([]);
  });

  it('rejects update(id, { url: null }) before sending, unless the type changes too', async () => {
    const { client, sent } = recordingClient();
    const viaClient = await rejection(() => client.qrcodes.update('q1', { url: null }));
    expect(viaClient.issues).toEqual([
      expect.objectContaining({ field: 'url', message: expect.stringMatching(/cannot be cleared/) }),
    ]);
    const viaOp = await rejection(() => getOperation('updateQrCode').execute(client, { id: 'q1', url: null }));
    expect(viaOp.issues.map((i) => i.field)).toEqual(['url']);
    expect(viaOp.message).toMatch(/Destination URL \(url\) cannot be cleared/);
    expect(sent).toEqual([]);
    await client.qrcodes.update('q1', { type: 'text', text: 'Now a text code', url: null });
    expect(sentBody(sent)).toEqual({ type: 'text', text: 'Now a text code', url: null });
  });

  it('checks URL and e-mail shapes, and blank external ids, in the client too', async () => {
    const { client, sent } = recordingClient();
    const fields = async (input: object) =>
      (await rejection(() => client.qrcodes.create(input as never))).issues.map((i) => i.field);
    expect(await fields({ url: 'https://exa mple.com' })).toEqual(['url']);
    expect(await fields({ url: 'https://nohost' })).toEqual(['url']);
    expect(await fields({ url: 'https://example.com', externalId: '   ' })).toEqual(['externalId']);
    expect(await fields({ type: 'email', email: { email: 'not-an-address' } })).toEqual(['email.email']);
    expect(await fields({ type: 'email', email: { email: 'a@example.com', cc: 'b@example.com, nope' } })).toEqual([
      'email.cc',
    ]);
    expect(await fields({ type: 'phone', phone: 'call me maybe' })).toEqual(['phone']);
    expect(await fields({ type: 'vcard', vcard: { name: ' ' } })).toEqual(['vcard']);
    expect(await fields({ type: 'crypto', crypto: { cryptocurrency: 'btc' } })).toEqual(['crypto.address']);
    expect(sent).toEqual([]);
  });

  it('bulkCreate never sends an item the client rejects, and says why per item', async () => {
    const { client, sent } = recordingClient();
    const results = await client.qrcodes.bulkCreate([
      { url: 'https://example.com/a' },
      { url: 'https://example.com/b', bgColor: 'banana' },
      { type: 'wifi' },
    ]);
    expect(results.map((r) => r.ok)).toEqual([true, false, false]);
    const items = sent.flatMap((request) => JSON.parse(request.body ?? '[]'));
    expect(items.map((item: { url?: string }) => item.url)).toEqual(['https://example.com/a']);
    const failed = results[1];
    expect(failed?.ok === false && failed.error).toMatchObject({ code: 'validation_error', field: 'items.1.bgColor' });
  });

  it('normalises a URL without scheme to https://, as CodeQR does', async () => {
    const { client, sent } = recordingClient();
    await getOperation('createQrCode').execute(client, {
      url: 'example.org',
      expiredUrl: ' www.example.org/gone?x=1 ',
    });
    expect(sentBody(sent)).toMatchObject({
      url: 'https://example.org/',
      expiredUrl: 'https://www.example.org/gone?x=1',
    });
    const error = await rejection(() => getOperation('createQrCode').execute(client, { url: 'not a url' }));
    expect(error.issues.map((i) => i.field)).toEqual(['url']);
  });

  it("gives a bare host exactly the URL CodeQR would store (Dub's getUrlFromString), so upsert by URL finds it", async () => {
    // CodeQR stores `new URL('https://' + text).toString()` for text that is no URL but has a dot and no space
    const cases: [string, string][] = [
      ['example.org', 'https://example.org/'],
      ['EXAMPLE.org/Menu', 'https://example.org/Menu'],
      ['sub.example.org?q=1', 'https://sub.example.org/?q=1'],
      ['example.org#top', 'https://example.org/#top'],
      ['www.example.com/menu?x=1', 'https://www.example.com/menu?x=1'],
      ['bücher.de/x', 'https://xn--bcher-kva.de/x'],
      ['192.168.1.10/admin', 'https://192.168.1.10/admin'],
      ['my_site.example.com', 'https://my_site.example.com/'],
      ['example.org/ä', 'https://example.org/%C3%A4'],
      ['shop.example.co.uk:8080/a', 'https://shop.example.co.uk:8080/a'],
      ['https://EXAMPLE.org', 'https://EXAMPLE.org'], // a URL stays as typed, as CodeQR keeps it
    ];
    const create = getOperation('createQrCode');
    for (const [text, stored] of cases) {
      expect(create.parseInput({ url: text, expiredUrl: ` ${text} ` })).toMatchObject({
        url: stored,
        expiredUrl: stored,
      });
      expect(create.parseInput({ url: stored }).url).toBe(stored); // and once normalised it stays so
    }
  });

  it('takes lists as arrays, JSON text or comma/newline-separated text, and objects as JSON text', async () => {
    const list = getOperation('bulkDeleteQrCodes');
    for (const ids of [['a', 'b'], '["a","b"]', 'a,b', ' a , b ,', 'a\nb\n', ['a', '', ' b ']]) {
      expect(list.parseInput({ ids })).toEqual({ ids: ['a', 'b'] });
    }
    const create = getOperation('createQrCode');
    expect(
      create.parseInput({ type: 'WIFI', wifi: '{"ssid":"Cafe","encryption":"wpa2","password":" p w "}' }),
    ).toMatchObject({
      type: 'wifi',
      wifi: { ssid: 'Cafe', encryption: 'WPA2', password: ' p w ' }, // a password keeps its spaces
    });
    const bulk = getOperation('bulkCreateQrCodes');
    expect(bulk.parseInput({ items: '[{"url":"https://example.com","size":"256"}]' })).toMatchObject({
      items: [{ url: 'https://example.com', size: 256 }],
    });
  });

  it('coerces numbers and booleans where the schema wants them, and says what is wrong otherwise', () => {
    const list = getOperation('listQrCodes');
    expect(list.parseInput({ limit: ' 25 ', returnAll: 'FALSE', showArchived: 'yes' })).toMatchObject({
      limit: 25,
      returnAll: false,
      showArchived: true,
    });
    const error = (() => {
      try {
        list.parseInput({ limit: '25 items', returnAll: 'sometimes' });
      } catch (e) {
        return e as CodeQrError;
      }
    })();
    // structured, so a host renders them without parsing the sentence: the path, the label and the rule apart
    expect(error?.issues).toEqual([
      {
        field: 'returnAll',
        label: 'Return All',
        rule: 'must be true or false',
        message: 'Return All (returnAll) must be true or false',
      },
      {
        field: 'limit',
        label: 'Limit',
        rule: 'must be a whole number from 1 to 10000, e.g. 50',
        message: 'Limit (limit) must be a whole number from 1 to 10000, e.g. 50',
      },
    ]);
  });

  it("takes an n8n expression's date (a Luxon DateTime, a Date) for a date-time field", () => {
    // what `{{ $now.plus({ days: 7 }) }}` hands a top-level n8n parameter: a Luxon DateTime (n8n only turns those
    // into text inside collections); a stand-in with the same `toISO()`
    class DateTimeLike {
      readonly #iso: string;
      constructor(iso: string) {
        this.#iso = iso;
      }
      toISO() {
        return this.#iso;
      }
    }
    const expiresAt = new DateTimeLike('2027-03-01T09:30:00.000+01:00');
    expect(getOperation('createQrCode').parseInput({ url: 'https://example.com/', expiresAt }).expiresAt).toBe(
      '2027-03-01T09:30:00.000+01:00',
    );
    const list = getOperation('listQrCodes').parseInput({
      createdAfter: new DateTimeLike('2026-11-01T00:00:00.000+00:00'),
      createdBefore: new Date('2026-12-01T00:00:00Z'),
    });
    expect(list).toMatchObject({
      createdAfter: '2026-11-01T00:00:00.000+00:00',
      createdBefore: '2026-12-01T00:00:00.000Z',
    });
  });

  it('a bulk call with many bad items stays one readable message; every issue is still in issues', () => {
    const items = Array.from({ length: 10_000 }, (_, i) => ({
      url: `example.com/${i}`,
      bgColor: i % 10 === 0 ? 'banana' : 'navy',
    }));
    let error: CodeQrError | undefined;
    try {
      getOperation('bulkCreateQrCodes').parseInput({ items });
    } catch (e) {
      error = e as CodeQrError;
    }
    expect(error?.issues).toHaveLength(1_000);
    expect(error?.message.length).toBeLessThan(10_000);
    expect(error?.message).toMatch(
      /^Invalid input for "Create QR Codes in Bulk": QR Codes › item 1 › Background Color/,
    );
    expect(error?.message).toMatch(/; and 990 more issues \(see issues\)\.$/);
  });

  it('rejects a time zone that is not an IANA name before sending, and takes a real one', async () => {
    const { client, sent } = recordingClient();
    const analytics = getOperation('getScanAnalytics');
    for (const timezone of ['Mars/Olympus', 'GMT+2', '+02:00', 'Paris']) {
      const error = await rejection(() => analytics.execute(client, { groupBy: 'timeseries', timezone }));
      expect(error.issues).toEqual([
        expect.objectContaining({
          field: 'timezone',
          label: 'Time Zone',
          message: expect.stringMatching(/^Time Zone \(timezone\) must be an IANA time zone/),
        }),
      ]);
    }
    expect(sent).toEqual([]);
    for (const timezone of ['Europe/Paris', ' UTC ', 'America/New_York']) {
      expect(analytics.parseInput({ timezone }).timezone).toBe(timezone.trim());
    }
  });

  it('trims ids and keys, and matches enum values whatever their case', () => {
    expect(getOperation('getQrCode').parseInput({ domain: ' cqr.link ', key: ' menu ' })).toEqual({
      domain: 'cqr.link',
      key: 'menu',
    });
    expect(getOperation('deleteQrCode').parseInput({ id: '\tq1\n' })).toEqual({ id: 'q1' });
    expect(getOperation('getScanAnalytics').parseInput({ groupBy: 'Countries', interval: '7D' })).toMatchObject({
      groupBy: 'countries',
      interval: '7d',
    });
  });
});

describe('the sandbox keeps mirroring CodeQR', () => {
  it('the wire schemas stay as lenient as the API: only the client adds its checks', () => {
    const body = { type: 'url', url: 'https://example.com', bgColor: 'banana', fgColor: 'nope' };
    expect(CreateQrCodeBody.safeParse(body).success).toBe(true);
    expect(UpdateQrCodeBody.safeParse({ url: null }).success).toBe(true);
    expect(CreateQrCodeBody.safeParse({ type: 'wifi' }).success).toBe(true);
    expect(CreateQrCodeRequest.safeParse(body).success).toBe(false);
  });

  it('a bare host upserted by URL is unchanged the second time, and matches a code CodeQR stored from that text', async () => {
    const key = 'codeqr_input_test_upsert';
    const sb = await startSandbox({ keys: [{ key, plan: 'business' }], seed: 7 });
    try {
      const client = createCodeQrClient({ apiKey: key, baseUrl: sb.url, sleep: async () => {} });
      const upsert = getOperation('upsertQrCode');
      expect((await upsert.execute(client, { url: 'example.org', title: 'Menu' })).action).toBe('created');
      expect((await upsert.execute(client, { url: ' example.org ', title: 'Menu' })).action).toBe('unchanged');
      // created by another client (the dashboard, the API) from the same text: CodeQR normalised it itself
      const res = await fetch(`${sb.url}/qrcodes`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'url', url: 'Shop.example.com', title: 'Shop' }),
      });
      const stored = (await res.json()) as { id: string; url: string };
      const found = await upsert.execute(client, { url: 'shop.example.com', title: 'Shop' });
      expect(found).toMatchObject({ action: 'unchanged', qrCode: { id: stored.id, url: stored.url } });
      const many = await getOperation('upsertQrCodes').execute(client, {
        items: [
          { url: 'EXAMPLE.org', title: 'Menu' },
          { url: 'shop.example.com/', title: 'Shop' },
        ],
        matchBy: 'url',
      });
      expect(many.map((r) => r.ok && r.action)).toEqual(['unchanged', 'unchanged']);
    } finally {
      await sb.close();
    }
  });
});

describe('messages', () => {
  it('never use zod wording, whatever the junk', () => {
    const junk = fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }),
      fc.dictionary(fc.string({ maxLength: 4 }), fc.string({ maxLength: 4 }), { maxKeys: 2 }),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...operations),
        fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), junk, { maxKeys: 4 }),
        (op, extra) => {
          const keys = Object.keys(op.input.shape);
          const raw = Object.fromEntries(Object.entries(extra).map(([k, v], i) => [keys[i % keys.length] ?? k, v]));
          try {
            op.parseInput(raw);
          } catch (error) {
            if (!isCodeQrError(error)) throw error;
            expect(error.code).toBe('validation_error');
            for (const issue of error.issues) expect(issue.message).not.toMatch(ZOD_DEFAULTS);
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});

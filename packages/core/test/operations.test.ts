import type { Sandbox } from '@codeqr-integrations/sandbox';
import { startSpecCheckedSandbox } from '@codeqr-integrations/test/support/client-requests';
import { scanQr } from '@codeqr-integrations/test/support/qr-decode';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as z from 'zod/v4';
import { describeFields, undescribedFields, unlabelledFields } from '../src/fields/describe.ts';
import {
  type Answer,
  type AnyAction,
  type AnyOperation,
  actions,
  type CodeQrClient,
  CodeQrError,
  createCodeQrClient,
  getOperation,
  isCodeQrError,
  kebabKey,
  type Operation,
  operations,
  type QrCode,
  type TransportRequest,
  type Trigger,
  triggers,
} from '../src/index.ts';
import { toBase64 } from '../src/operations/base64.ts';

function decodePng(base64: string): { width: number; text: string | undefined } {
  const image = PNG.sync.read(Buffer.from(base64, 'base64'));
  const { data, width, height } = image;
  return { width, text: scanQr(data, width, height) };
}

describe('the registry', () => {
  it('lists every action and trigger once, under unique keys', () => {
    expect(operations).toHaveLength(actions.length + triggers.length);
    const keys = operations.map((op) => op.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toEqual([
      'createQrCode',
      'updateQrCode',
      'upsertQrCode',
      'getQrCode',
      'listQrCodes',
      'deleteQrCode',
      'bulkCreateQrCodes',
      'bulkDeleteQrCodes',
      'upsertQrCodes',
      'getQrCodeImage',
      'getScanAnalytics',
      'listScans',
      'listTags',
      'createTag',
      'listFolders',
      'createFolder',
      'newScan',
      'scanCountChanged',
      'newQrCode',
    ]);
    expect(actions.every((op) => op.kind === 'action')).toBe(true);
    expect(triggers.every((op) => op.kind === 'trigger')).toBe(true);
    expect(operations.map((op) => kebabKey(op.key))).toContain('bulk-create-qr-codes');
  });

  it('finds operations by key', () => {
    expect(getOperation('createQrCode').title).toBe('Create QR Code');
    expect(getOperation('newScan').kind).toBe('trigger');
    expect(getOperation('nope')).toBeUndefined();
  });

  it.each(operations.map((op) => [op.key, op] as const))('%s has a sample that its output schema accepts', (_, op) => {
    const parsed = (op.output as AnyOperation['output']).safeParse(op.sample);
    expect(parsed.error?.issues ?? []).toEqual([]);
  });

  it('hands out actions and triggers that hosts use as Operation and Trigger without a cast', () => {
    // type-checked by tsc: the registry's precise types widen to the generic ones hosts take
    const asActions: readonly Operation[] = actions;
    const asTriggers: readonly Trigger[] = triggers;
    const create: Operation = getOperation('createQrCode');
    expect(asActions.map((op) => op.kind)).toEqual(actions.map(() => 'action'));
    expect(asTriggers.map((op) => op.kind)).toEqual(triggers.map(() => 'trigger'));
    expect(create.key).toBe('createQrCode');
  });

  it('labels every input field of every operation', () => {
    const missing = operations.flatMap((op) => unlabelledFields(op.input).map((field) => `${op.key}.${field}`));
    expect(missing, `fields without .meta({ label }): ${missing.join(', ')}`).toEqual([]);
  });

  it('gives every input field of every operation help text (a description)', () => {
    const missing = operations.flatMap((op) => undescribedFields(op.input).map((field) => `${op.key}.${field}`));
    expect(missing, `fields without .meta({ description }): ${missing.join(', ')}`).toEqual([]);
  });

  it("starts CodeQR's defaulted fields at CodeQR's default (initial)", () => {
    const initial = (key: 'createQrCode' | 'getQrCodeImage' | 'getScanAnalytics', field: string) =>
      describeFields(getOperation(key).input).find((spec) => spec.key === field)?.initial;
    expect(initial('createQrCode', 'size')).toBe(1024);
    expect(initial('createQrCode', 'level')).toBe('M');
    expect(initial('createQrCode', 'bgColor')).toBe('#ffffff');
    expect(initial('createQrCode', 'showLogo')).toBe(true);
    expect(initial('createQrCode', 'createMissingTags')).toBe(true);
    expect(initial('getQrCodeImage', 'margin')).toBe(4);
    expect(initial('getScanAnalytics', 'interval')).toBe('24h');
  });

  it('says what every action answers, and its sample answers that', () => {
    const kinds = Object.fromEntries(actions.map((op) => [op.key, op.answers]));
    expect(kinds).toEqual({
      createQrCode: 'qrCode',
      updateQrCode: 'qrCode',
      upsertQrCode: 'upsert',
      getQrCode: 'qrCode',
      listQrCodes: 'list',
      deleteQrCode: 'data',
      bulkCreateQrCodes: 'items',
      bulkDeleteQrCodes: 'data',
      upsertQrCodes: 'items',
      getQrCodeImage: 'file',
      getScanAnalytics: 'data',
      listScans: 'list',
      listTags: 'list',
      createTag: 'data',
      listFolders: 'list',
      createFolder: 'data',
    });
    // what each kind of answer looks like; every action's sample is checked against its own
    const record = (sample: unknown): sample is Record<string, unknown> =>
      typeof sample === 'object' && sample !== null && !Array.isArray(sample);
    const shapes: Record<Answer, (sample: unknown) => boolean> = {
      items: Array.isArray,
      list: Array.isArray,
      qrCode: (sample) => record(sample) && 'shortLink' in sample,
      upsert: (sample) => record(sample) && Object.keys(sample).sort().join() === 'action,qrCode',
      file: (sample) => record(sample) && 'mimeType' in sample,
      data: record,
    };
    for (const op of actions) expect(shapes[op.answers](op.sample), `${op.key} answers ${op.answers}`).toBe(true);
  });

  it("names as each action's batch a bulk action whose items take the action's own fields", () => {
    const batched = actions.filter((op) => 'batch' in op && op.batch);
    expect(batched.map((op) => [op.key, 'batch' in op ? op.batch : undefined])).toEqual([
      ['createQrCode', 'bulkCreateQrCodes'],
      ['upsertQrCode', 'upsertQrCodes'],
    ]);
    for (const op of batched) {
      const bulk = getOperation(('batch' in op ? op.batch : '') as string) as AnyAction;
      expect(bulk.answers, op.key).toBe('items');
      const shared = Object.keys(bulk.input.shape).filter((key) => key !== 'items');
      const item = (bulk.input.shape as Record<string, z.ZodType & { element?: z.ZodObject }>).items?.element;
      const own = Object.keys(op.input.shape).filter((key) => !shared.includes(key));
      expect(Object.keys(item?.shape ?? {}).sort(), op.key).toEqual(own.sort());
    }
  });

  it('gives every operation a title, a description, and a resource and verb for n8n', () => {
    for (const op of operations) {
      expect(op.title, op.key).toMatch(/^[A-Z]/);
      expect(op.description.length, op.key).toBeGreaterThan(20);
      expect(op.resource, op.key).toMatch(/^[a-z][A-Za-z]*$/);
      expect(op.verb, op.key).toMatch(/^[a-z][A-Za-z]*$/);
    }
  });
});

describe('invalid input', () => {
  const calls: TransportRequest[] = [];
  const client = createCodeQrClient({
    apiKey: 'k',
    baseUrl: 'http://127.0.0.1:9',
    transport: async (request) => {
      calls.push(request);
      return { status: 500, headers: {}, body: '' };
    },
    sleep: async () => {},
  });

  async function rejection(run: () => Promise<unknown>): Promise<CodeQrError> {
    try {
      await run();
    } catch (error) {
      if (isCodeQrError(error)) return error;
      throw error;
    }
    throw new Error('expected a validation_error, but the operation succeeded');
  }

  /** Runs `key` with `raw` and returns the issues by field, after checking nothing was sent. */
  async function issuesOf(key: string, raw: unknown): Promise<Record<string, string>> {
    const op = getOperation(key);
    if (!op) throw new Error(`no operation ${key}`);
    const before = calls.length;
    const error = await rejection(() => op.execute(client, raw));
    expect(error).toBeInstanceOf(CodeQrError);
    expect(error.code).toBe('validation_error');
    expect(calls.length, 'a request was sent').toBe(before);
    for (const issue of error.issues) expect(error.message).toContain(issue.message);
    return Object.fromEntries(error.issues.map((issue) => [issue.field, issue.message]));
  }

  it('names each bad field of a create at once', async () => {
    const issues = await issuesOf('createQrCode', {
      url: 'not a url',
      externalId: 'x'.repeat(256),
      size: 'big',
      level: 'X',
      static: 'maybe', // 'yes' is a boolean now (host-style input), 'maybe' is not
    });
    expect(Object.keys(issues).sort()).toEqual(['externalId', 'level', 'size', 'static', 'url']);
    expect(issues.url).toMatch(/absolute http\(s\) URL/);
    expect(issues.externalId).toMatch(/255/);
  });

  it('rejects unknown keys with a "did you mean" hint', async () => {
    const issues = await issuesOf('createQrCode', { urll: 'https://example.com', titel: 'Menu' });
    expect(issues.urll).toMatch(/did you mean "url"/);
    expect(issues.titel).toMatch(/did you mean "title"/);
    // the misspelt url leaves a URL code without its destination
    expect(issues.url).toMatch(/required when type is "url"/);
  });

  it('checks nested content objects, unknown keys included', async () => {
    const issues = await issuesOf('createQrCode', {
      type: 'wifi',
      wifi: { ssid: '', pasword: 'secret', encryption: 'WPA3' },
      whatsapp: { number: '+33 6 12' },
    });
    expect(Object.keys(issues).sort()).toEqual(['whatsapp.number', 'wifi.encryption', 'wifi.pasword', 'wifi.ssid']);
    expect(issues['wifi.pasword']).toMatch(/did you mean "password"/);
  });

  it('answers each invalid item of a bulk create on its own (item-relative field, label, rule), never the batch', async () => {
    const before = calls.length;
    const results = (await getOperation('bulkCreateQrCodes').execute(client, {
      items: [
        { url: 'ftp://example.com' },
        { type: 'text', text: 'hi', urll: 'x' },
        { externalId: '' }, // a blank External ID is "not set" (host-style input), so only the URL is missing
      ],
    })) as { index: number; ok: boolean; error?: { code: string; field?: string; issues?: CodeQrError['issues'] } }[];
    expect(calls.length, 'nothing valid, so nothing is sent').toBe(before);
    expect(results.map((r) => [r.index, r.ok, r.error?.code, r.error?.field])).toEqual([
      [0, false, 'validation_error', 'url'],
      [1, false, 'validation_error', 'urll'],
      [2, false, 'validation_error', 'url'],
    ]);
    expect(results[0]?.error?.issues?.[0]).toMatchObject({ field: 'url', label: 'Destination URL' });
    expect(results[1]?.error?.issues?.[0]?.rule).toMatch(/did you mean "url"/);
    // the list itself is still checked as a whole
    expect(Object.keys(await issuesOf('bulkCreateQrCodes', { items: [] }))).toEqual(['items']);
    expect(Object.keys(await issuesOf('bulkCreateQrCodes', {}))).toEqual(['items']);
    const tooMany = Array.from({ length: 10_001 }, (_, i) => ({ url: `https://example.com/${i}` }));
    expect(Object.keys(await issuesOf('bulkCreateQrCodes', { items: tooMany }))).toEqual(['items']);
    expect(
      Object.keys(await issuesOf('upsertQrCodes', { items: [{ url: 'https://a.example' }], matchBy: 'x' })),
    ).toEqual(['matchBy']);
  });

  it('sends the valid items of a bulk create and answers the invalid ones in their place', async () => {
    const results = (await getOperation('bulkCreateQrCodes').execute(client, {
      items: [{ url: 'https://example.com/ok' }, { url: 'nope' }],
    })) as { index: number; ok: boolean; error?: { code: string } }[];
    calls.length = 0;
    expect(results.map((r) => [r.index, r.ok])).toEqual([
      [0, false], // sent; this fake CodeQR answers 500, so its outcome is unknown
      [1, false],
    ]);
    expect(results.map((r) => r.error?.code)).toEqual(['outcome_unknown', 'validation_error']);
  });

  it('requires exactly one way to find a QR code', async () => {
    expect(Object.keys(await issuesOf('getQrCode', {}))).toEqual(['id']);
    expect(Object.keys(await issuesOf('getQrCode', { id: 'a', externalId: 'b' })).sort()).toEqual(['externalId', 'id']);
    expect(await issuesOf('getQrCode', { domain: 'cqr.link' })).toEqual({ key: 'Key (key) is required with domain' });
    expect(Object.keys(await issuesOf('getQrCodeImage', { id: 'a', content: 'b' })).sort()).toEqual(['content', 'id']);
    expect(Object.keys(await issuesOf('getQrCodeImage', { content: 'x', bgColor: 'banana', size: 8 })).sort()).toEqual([
      'bgColor',
      'size',
    ]);
  });

  it('rejects wrong types and empty updates across operations', async () => {
    expect(Object.keys(await issuesOf('updateQrCode', { id: 'qr_1' }))).toEqual(['']);
    expect(Object.keys(await issuesOf('updateQrCode', { url: 'https://example.com' }))).toEqual(['id']);
    expect(Object.keys(await issuesOf('upsertQrCode', { url: 'https://example.com', matchBy: 'title' }))).toEqual([
      'matchBy',
    ]);
    expect(Object.keys(await issuesOf('listQrCodes', { limit: 0, returnAll: 'maybe', sort: 'name' })).sort()).toEqual([
      'limit',
      'returnAll',
      'sort',
    ]);
    expect(Object.keys(await issuesOf('deleteQrCode', { id: '   ' }))).toEqual(['id']);
    // a blank list item is dropped (host-style input); an object is no ID
    expect(Object.keys(await issuesOf('bulkDeleteQrCodes', { ids: ['a', { id: 'b' }] }))).toEqual(['ids.1']);
    expect(Object.keys(await issuesOf('getScanAnalytics', { groupBy: 'cities', start: 'yesterday' })).sort()).toEqual([
      'groupBy',
      'start',
    ]);
    expect(Object.keys(await issuesOf('listScans', { limit: 10_001, interval: '2d' })).sort()).toEqual([
      'interval',
      'limit',
    ]);
    expect(Object.keys(await issuesOf('createQrCode', 'https://example.com'))).toEqual(['']);
  });

  it('validates trigger input before polling', async () => {
    for (const trigger of triggers) {
      const error = await rejection(() => trigger.execute(client, { qrCodeID: 'x', domain: 5 }));
      expect(error.code).toBe('validation_error');
      expect(error.issues.map((i) => i.field)).toContain('qrCodeID');
    }
    const error = await rejection(() => getOperation('newScan').execute(client, { qrCodeID: 'x' }));
    expect(error.issues).toEqual([
      {
        field: 'qrCodeID',
        rule: 'is not a "New Scan" field; did you mean "qrCodeId"?',
        message: '"qrCodeID" is not a "New Scan" field; did you mean "qrCodeId"?',
      },
    ]);
    expect(calls).toEqual([]);
  });
});

type ResultOf<K extends AnyAction['key']> = z.output<Extract<AnyAction, { key: K }>['output']>;

describe('against the sandbox', () => {
  let sb: Sandbox;
  let client: CodeQrClient;
  const exercised = new Set<string>();

  /** Executes an operation, checks its answer against its output schema, and records that it ran. */
  async function run<K extends AnyAction['key']>(key: K, raw: unknown): Promise<ResultOf<K>> {
    const op = getOperation(key) as AnyAction;
    const result: unknown = await op.execute(client, raw);
    const parsed = (op.output as AnyAction['output']).safeParse(result);
    expect(parsed.error?.issues ?? [], `${key} answered outside its output schema`).toEqual([]);
    exercised.add(key);
    return result as ResultOf<K>;
  }

  async function scan(qrCodeId: string, count: number): Promise<void> {
    const response = await fetch(`${sb.url}/__sandbox/scans`, {
      method: 'POST',
      headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
      body: JSON.stringify({ qrCodeId, count }),
    });
    expect(response.status).toBe(200);
  }

  beforeAll(async () => {
    sb = await startSpecCheckedSandbox({ keys: [{ key: 'k', plan: 'business' }], seed: 3 });
    client = createCodeQrClient({ apiKey: 'k', baseUrl: sb.url });
  });
  afterAll(async () => {
    await sb?.close(); // also fails if any request was not valid against the official spec
  }, 30_000);

  let menu: QrCode;

  it('creates, finds and updates a QR code', async () => {
    menu = await run('createQrCode', {
      url: 'https://example.com/menu',
      externalId: 'menu-1',
      title: 'Menu',
      fgColor: '#1a1a2e',
    });
    expect(menu).toMatchObject({ url: 'https://example.com/menu', externalId: 'menu-1', title: 'Menu', type: 'url' });

    expect((await run('getQrCode', { id: menu.id })).id).toBe(menu.id);
    expect((await run('getQrCode', { externalId: 'menu-1' })).id).toBe(menu.id);
    expect((await run('getQrCode', { domain: menu.domain, key: menu.key })).id).toBe(menu.id);

    const updated = await run('updateQrCode', { id: menu.id, title: 'Dinner menu', description: 'Table cards' });
    expect(updated).toMatchObject({ id: menu.id, title: 'Dinner menu', description: 'Table cards' });
    menu = updated;
  });

  it('upserts: unchanged, updated, then created', async () => {
    const same = await run('upsertQrCode', { url: 'https://example.com/menu', externalId: 'menu-1' });
    expect(same.action).toBe('unchanged');
    expect(same.qrCode.id).toBe(menu.id);

    const changed = await run('upsertQrCode', {
      url: 'https://example.com/menu-v2',
      externalId: 'menu-1',
      matchBy: 'externalId',
    });
    expect(changed).toMatchObject({ action: 'updated', qrCode: { id: menu.id, url: 'https://example.com/menu-v2' } });

    const created = await run('upsertQrCode', { url: 'https://example.com/drinks', matchBy: 'url' });
    expect(created.action).toBe('created');
    expect(created.qrCode.id).not.toBe(menu.id);
  });

  it('creates in bulk with one result per item, then lists', async () => {
    const results = await run('bulkCreateQrCodes', {
      items: [
        { url: 'https://example.com/a', externalId: 'bulk-a' },
        { url: 'https://example.com/b', externalId: 'bulk-a' },
        { type: 'text', text: 'Hello', static: true, externalId: 'bulk-text' },
      ],
    });
    expect(results.map((r) => [r.index, r.ok])).toEqual([
      [0, true],
      [1, false],
      [2, true],
    ]);
    const failed = results[1];
    expect(failed?.ok === false && failed.error).toMatchObject({ code: 'conflict', field: 'externalId' });

    const firstTwo = await run('listQrCodes', { limit: 2 });
    expect(firstTwo).toHaveLength(2);
    const all = await run('listQrCodes', { returnAll: true, limit: 1 });
    expect(all.map((qr) => qr.externalId).sort()).toEqual(
      ['bulk-a', 'bulk-text', 'menu-1', null].sort((a, b) => String(a).localeCompare(String(b))),
    );
    const searched = await run('listQrCodes', { search: 'drinks' });
    expect(searched.map((qr) => qr.url)).toEqual(['https://example.com/drinks']);
  });

  it('renders images of a QR code, a static code and plain content', async () => {
    const png = await run('getQrCodeImage', { id: menu.id });
    expect(png).toMatchObject({ mimeType: 'image/png', encoding: 'base64', qrCodeId: menu.id, size: 512 });
    expect(png.fileName).toBe(`qr-${menu.key}.png`);
    expect(png.content).toBe(menu.shortLink);
    const decoded = decodePng(png.data);
    expect(decoded).toEqual({ width: 512, text: menu.shortLink });

    const svg = await run('getQrCodeImage', { externalId: 'menu-1', format: 'svg', size: 256, bgColor: '#ffeedd' });
    expect(svg).toMatchObject({ mimeType: 'image/svg+xml', encoding: 'utf8', content: menu.shortLink });
    expect(svg.data).toMatch(/^<svg [^>]*width="256"/);
    expect(svg.data).toContain('fill="#1a1a2e"'); // the QR code's own foreground
    expect(svg.data).toContain('fill="#ffeedd"'); // the override

    const text = await run('getQrCodeImage', { externalId: 'bulk-text' });
    expect(decodePng(text.data).text).toBe('Hello');

    const content = await run('getQrCodeImage', { content: 'WIFI:T:WPA;S:Cafe;P:pw;;', size: 300, margin: 2 });
    expect(content.qrCodeId).toBeUndefined();
    expect(content.fileName).toBe('qr-code.png');
    expect(decodePng(content.data)).toEqual({ width: 300, text: 'WIFI:T:WPA;S:Cafe;P:pw;;' });
  });

  it('reports scans as analytics and events', async () => {
    await scan(menu.id, 3);
    const total = await run('getScanAnalytics', { qrcodeId: menu.id, interval: '24h' });
    expect(total).toMatchObject({ scans: 3 });
    const series = await run('getScanAnalytics', { groupBy: 'timeseries', interval: '24h' });
    expect(Array.isArray(series)).toBe(true);
    const top = await run('getScanAnalytics', { groupBy: 'top_qrcodes', interval: '24h' });
    expect(Array.isArray(top) && top[0]).toMatchObject({ id: menu.id });

    const scans = await run('listScans', { qrcodeId: menu.id, limit: 2 });
    expect(scans).toHaveLength(2);
    expect(scans.every((s) => s.qrCodeId === menu.id && s.source === 'events')).toBe(true);
    const oldestFirst = await run('listScans', { qrcodeId: menu.id, order: 'asc', interval: '24h' });
    expect(oldestFirst.map((s) => s.timestamp)).toEqual([...oldestFirst.map((s) => s.timestamp)].sort());
    expect(oldestFirst).toHaveLength(3);
  });

  it('emits each new scan exactly once', async () => {
    const trigger = getOperation('newScan');
    const first = await trigger.execute(client, { qrCodeId: menu.id });
    expect(first).toMatchObject({ items: [], primed: true });
    await scan(menu.id, 3);
    await new Promise((r) => setTimeout(r, 2100)); // the trigger reads up to 2 s ago (scans show up with a lag)
    const second = await trigger.execute(client, { qrCodeId: menu.id }, first.cursor);
    expect(second.primed).toBe(false);
    expect(second.items).toHaveLength(3);
    expect(new Set(second.items.map((s) => s.id)).size).toBe(3);
    for (const item of second.items) expect(trigger.output.parse(item).qrCodeId).toBe(menu.id);
    const third = await trigger.execute(client, { qrCodeId: menu.id }, JSON.parse(JSON.stringify(second.cursor)));
    expect(third.items).toEqual([]);

    const recent = await trigger.executeRecent(client, {}, 2);
    expect(recent).toHaveLength(2);
    expect(recent[0]?.id).toBe(second.items.at(-1)?.id);
    exercised.add(trigger.key);
  });

  it('emits a scan-count change once per growth', async () => {
    const trigger = getOperation('scanCountChanged');
    const first = await trigger.execute(client, {});
    expect(first).toMatchObject({ items: [], primed: true });
    await scan(menu.id, 3);
    const second = await trigger.execute(client, {}, first.cursor);
    expect(second.items).toEqual([
      expect.objectContaining({ qrCodeId: menu.id, previousScans: 6, scans: 9, newScans: 3, id: `${menu.id}:9` }),
    ]);
    for (const item of second.items) trigger.output.parse(item);
    expect((await trigger.execute(client, {}, second.cursor)).items).toEqual([]);

    const recent = await trigger.executeRecent(client, { qrCodeId: menu.id });
    expect(recent).toEqual([expect.objectContaining({ id: `${menu.id}:9`, newScans: 9 })]);
    exercised.add(trigger.key);
  });

  it('emits each new QR code exactly once', async () => {
    const trigger = getOperation('newQrCode');
    const first = await trigger.execute(client, {});
    expect(first).toMatchObject({ items: [], primed: true });
    const a = await run('createQrCode', { url: 'https://example.com/new-a' });
    const b = await run('createQrCode', { url: 'https://example.com/new-b' });
    await new Promise((r) => setTimeout(r, 2100)); // the trigger reads a window that ends 2 s ago (settleMs)
    const second = await trigger.execute(client, {}, first.cursor);
    expect(second.items.map((qr) => qr.id)).toEqual([a.id, b.id]);
    for (const item of second.items) trigger.output.parse(item);
    expect((await trigger.execute(client, {}, second.cursor)).items).toEqual([]);
    expect((await trigger.executeRecent(client, {}, 1)).map((qr) => qr.id)).toEqual([b.id]);
    exercised.add(trigger.key);
  });

  it('deletes one and many', async () => {
    const again = await run('upsertQrCodes', { items: [{ url: 'https://example.com/a', externalId: 'bulk-a' }] });
    expect(again).toEqual([expect.objectContaining({ index: 0, ok: true, action: 'unchanged' })]);
    const all = await run('listQrCodes', { returnAll: true });
    const [first, ...rest] = all;
    if (!first) throw new Error('nothing to delete');
    expect(await run('deleteQrCode', { id: first.id })).toMatchObject({ id: first.id });
    expect(await run('bulkDeleteQrCodes', { ids: rest.map((qr) => qr.id) })).toEqual({ deletedCount: rest.length });
    expect(await run('listQrCodes', { returnAll: true })).toEqual([]);
    const gone = await (async () => {
      try {
        await run('getQrCode', { id: first.id });
      } catch (error) {
        return error;
      }
    })();
    expect(isCodeQrError(gone) && gone.code).toBe('not_found');
  });

  it('creates and lists tags and folders', async () => {
    const tag = await run('createTag', { name: ' Spring ', color: 'green' });
    expect(tag).toMatchObject({ name: 'Spring', color: 'green' });
    expect((await run('listTags', { search: 'spri' })).map((t) => t.id)).toEqual([tag.id]);
    expect((await run('listTags', { returnAll: true })).map((t) => t.id)).toContain(tag.id);
    const folder = await run('createFolder', { name: 'Campaigns', accessLevel: 'read' });
    expect(folder).toMatchObject({ name: 'Campaigns', accessLevel: 'read' });
    expect((await run('listFolders', { search: 'campaign', limit: 1 })).map((f) => f.id)).toEqual([folder.id]);
    const short = await getOperation('createFolder')
      .execute(client, { name: 'ab' })
      .catch((error: unknown) => error);
    expect(isCodeQrError(short) && short.issues?.map((issue) => issue.field)).toEqual(['name']);
  });

  it('ran every operation of the registry', () => {
    expect([...exercised].sort()).toEqual(operations.map((op) => op.key).sort());
  });
});

describe('toBase64', () => {
  it('matches the standard encoding, padding included', () => {
    for (const text of ['', 'f', 'fo', 'foo', 'foob', 'fooba', 'foobar', '\u00ff\u0000\u00fe']) {
      const bytes = Uint8Array.from(text, (c) => c.charCodeAt(0));
      expect(toBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    }
    const random = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7919) % 256);
    expect(toBase64(random)).toBe(Buffer.from(random).toString('base64'));
  });
});

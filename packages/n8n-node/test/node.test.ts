import { type INodeProperties, NodeApiError, NodeOperationError } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';
import { codeQrNode, create, sandboxPerFile } from './sandbox.ts';

const KEY = 'codeqr_n8n_unit';
const sandbox = sandboxPerFile({ keys: [{ key: KEY, plan: 'business' }], seed: 8 });
const { node, context, run, failure } = codeQrNode(sandbox);
const { control } = sandbox;

describe('CodeQR node: per item, paired, continue-on-fail', () => {
  it('runs every item with its own parameters and pairs every output', async () => {
    const { items, calls } = await run([
      create({ url: 'https://example.com/a', title: 'A', key: '' }),
      create({ url: 'https://example.com/b', title: 'B', additionalFields: { comments: 'second' } }),
    ]);
    expect(items.map((item) => [item.json.url, item.json.title, item.pairedItem])).toEqual([
      ['https://example.com/a', 'A', { item: 0 }],
      ['https://example.com/b', 'B', { item: 1 }],
    ]);
    expect(items[1]?.json.comments).toBe('second');
    expect(calls.every((call) => call.credentialType === 'codeQrApi')).toBe(true);
  });

  it('names the bad field by its label with the item index (NodeOperationError), nothing sent', async () => {
    const { error, calls } = await failure([create({ url: 'not a url' })]);
    expect(error).toBeInstanceOf(NodeOperationError);
    expect((error as NodeOperationError).message).toMatch(/Destination URL/);
    expect((error as NodeOperationError).context.itemIndex).toBe(0);
    expect(calls).toHaveLength(0);
  });

  it('keeps going with continue-on-fail: the error sits in that item, paired, the others succeed', async () => {
    const { items } = await run(
      [
        { resource: 'qrCode', operation: 'get', id: { __rl: true, mode: 'id', value: 'cm_missing_000000000000' } },
        { resource: 'qrCode', operation: 'getAll', returnAll: true },
      ],
      { continueOnFail: true },
    );
    expect(items[0]).toMatchObject({ json: { details: { code: 'not_found', status: 404 } }, pairedItem: { item: 0 } });
    expect(String(items[0]?.json.error)).toMatch(/not found/i);
  });

  it('answers NodeApiError with CodeQR message, HTTP status and a hint for a wrong API key', async () => {
    const { error } = await failure([{ resource: 'qrCode', operation: 'getAll', returnAll: false, limit: 5 }], {
      credentials: sandbox.credentials('wrong_key'),
    });
    expect(error).toBeInstanceOf(NodeApiError);
    expect((error as NodeApiError).httpCode).toBe('401');
    expect((error as NodeApiError).description).toMatch(/API key/);
    expect(JSON.stringify(error)).not.toContain('wrong_key');
  });
});

describe('CodeQR node: every operation', () => {
  it('updates, gets (by ID, External ID and short link), lists, deletes', async () => {
    const [created] = (await run([create({ url: 'https://example.com/x', externalId: 'x-1', key: 'spring' })])).items;
    const id = String(created?.json.id);
    const shortLink = String(created?.json.shortLink);

    const updated = await run([
      { resource: 'qrCode', operation: 'update', id: { __rl: true, mode: 'list', value: id }, title: 'Renamed' },
    ]);
    expect(updated.items[0]?.json).toMatchObject({ id, title: 'Renamed' });

    for (const [mode, value] of [
      ['id', id],
      ['externalId', 'x-1'],
      ['shortLink', shortLink],
    ]) {
      const got = await run([{ resource: 'qrCode', operation: 'get', id: { __rl: true, mode, value } }]);
      expect(got.items[0]?.json.id, mode).toBe(id);
    }

    const listed = await run([{ resource: 'qrCode', operation: 'getAll', returnAll: false, limit: 1 }]);
    expect(listed.items).toHaveLength(1);

    const deleted = await run([{ resource: 'qrCode', operation: 'delete', id: { __rl: true, mode: 'id', value: id } }]);
    expect(deleted.items[0]?.json).toMatchObject({ id });
  });

  it('Create Many with one bad line answers every line, the bad one in its place, even without continue-on-fail', async () => {
    const { items } = await run([
      {
        resource: 'qrCode',
        operation: 'createMany',
        items: JSON.stringify([
          { url: 'https://example.com/cm/1' },
          { url: 'not a url' },
          { url: 'https://example.com/cm/3' },
        ]),
      },
    ]);
    expect(items.map((item) => [item.json.index, item.json.ok])).toEqual([
      [0, true],
      [1, false],
      [2, true],
    ]);
    expect(items[1]?.json.error).toMatchObject({ code: 'validation_error', field: 'url' });
  });

  it('creates many from one item (JSON) and deletes many', async () => {
    const many = await run([
      {
        resource: 'qrCode',
        operation: 'createMany',
        items: JSON.stringify([{ url: 'https://example.com/m/1' }, { url: 'https://example.com/m/2' }]),
      },
    ]);
    expect(many.items).toHaveLength(2);
    expect(many.items.map((item) => [item.json.ok, item.pairedItem])).toEqual([
      [true, { item: 0 }],
      [true, { item: 0 }],
    ]);
    const ids = many.items.map((item) => (item.json.qrCode as { id: string }).id);
    const gone = await run([{ resource: 'qrCode', operation: 'deleteMany', ids }]);
    expect(gone.items[0]?.json).toEqual({ deletedCount: 2 });
  });

  it('writes a PNG or SVG into the named binary property with a file name and MIME type', async () => {
    const [created] = (await run([create({ url: 'https://example.com/img', key: 'menu' })])).items;
    const id = String(created?.json.id);
    const png = await run([
      {
        resource: 'qrCode',
        operation: 'getImage',
        id: { __rl: true, mode: 'id', value: id },
        binaryPropertyName: 'qr',
      },
    ]);
    const binary = png.items[0]?.binary?.qr;
    expect(binary).toMatchObject({ mimeType: 'image/png', fileName: 'qr-menu.png' });
    expect(Buffer.from(String(binary?.data), 'base64').subarray(1, 4).toString()).toBe('PNG');
    expect(png.items[0]?.json).not.toHaveProperty('data');
    const svg = await run([
      {
        resource: 'qrCode',
        operation: 'getImage',
        id: { __rl: true, mode: 'id', value: '' },
        additionalFields: { content: 'hello' },
        format: 'svg',
      },
    ]);
    expect(svg.items[0]?.binary?.data).toMatchObject({ mimeType: 'image/svg+xml', fileName: 'qr-code.svg' });
  });

  it('reads scan analytics and scans', async () => {
    const [created] = (await run([create({ url: 'https://example.com/scan' })])).items;
    await control('POST', '/scans', { qrCodeId: created?.json.id, count: 3, country: 'FR' });
    const total = await run([{ resource: 'scan', operation: 'getAnalytics', groupBy: 'count', interval: '24h' }]);
    expect(total.items[0]?.json).toMatchObject({ scans: 3 });
    const countries = await run([
      { resource: 'scan', operation: 'getAnalytics', groupBy: 'countries', interval: '24h' },
    ]);
    expect(countries.items[0]?.json).toMatchObject({ country: 'FR' });
    const scans = await run([{ resource: 'scan', operation: 'getAll', interval: '24h', limit: 2 }]);
    expect(scans.items).toHaveLength(2);
    expect(scans.items[0]?.json).toMatchObject({ qrCodeId: created?.json.id, source: 'events' });
  });

  it('returns every scan with Return All (Scan → Get Many), and the Limit without it', async () => {
    const [created] = (await run([create({ url: 'https://example.com/all' })])).items;
    await control('POST', '/scans', { qrCodeId: created?.json.id, count: 120 });
    const scan = { resource: 'scan', operation: 'getAll', additionalFields: { interval: '24h' } };
    expect((await run([{ ...scan, returnAll: true, limit: 2 }])).items).toHaveLength(120);
    expect((await run([{ ...scan, returnAll: false, limit: 2 }])).items).toHaveLength(2);
  });

  it('simplifies QR codes when Simplify is on, and only then', async () => {
    const full = (await run([create({ url: 'https://example.com/simple', externalId: 'simple-1' })])).items[0];
    const get = { resource: 'qrCode', operation: 'get', id: { __rl: true, mode: 'externalId', value: 'simple-1' } };
    const simple = (await run([{ ...get, simplify: true }])).items[0];
    expect(Object.keys(simple?.json ?? {}).sort()).toEqual(
      ['createdAt', 'domain', 'externalId', 'id', 'key', 'scans', 'shortLink', 'title', 'type', 'url'].sort(),
    );
    expect(simple?.json).toMatchObject({ id: full?.json.id, shortLink: full?.json.shortLink });
    expect(Object.keys((await run([get])).items[0]?.json ?? {}).length).toBeGreaterThan(20);
    const listed = await run([{ resource: 'qrCode', operation: 'getAll', returnAll: true, simplify: true }]);
    expect(Object.keys(listed.items[0]?.json ?? {})).toHaveLength(10);
  });

  it('creates and lists tags and folders (Tag and Folder resources)', async () => {
    const tag = (
      await run([{ resource: 'tag', operation: 'create', name: 'Spring', additionalFields: { color: 'green' } }])
    ).items[0];
    expect(tag?.json).toMatchObject({ name: 'Spring', color: 'green' });
    const tags = await run([{ resource: 'tag', operation: 'getAll', search: 'spr', returnAll: true }]);
    expect(tags.items.map((item) => item.json.id)).toEqual([tag?.json.id]);
    const folder = (await run([{ resource: 'folder', operation: 'create', name: 'Campaigns' }])).items[0];
    expect(folder?.json).toMatchObject({ name: 'Campaigns' });
    const folders = await run([{ resource: 'folder', operation: 'getAll', returnAll: false, limit: 10 }]);
    expect(folders.items.map((item) => item.json.id)).toContain(folder?.json.id);
    const { error } = await failure([{ resource: 'folder', operation: 'create', name: 'ab' }]);
    expect((error as NodeOperationError).message).toMatch(/Name/);
  });

  it('fills dynamic dropdowns and searchable lists', async () => {
    await run([create({ url: 'https://example.com/menu', title: 'Menu' })]);
    const fake = context([{}]);
    const lists = node.methods.listSearch;
    const found = await lists.searchQrCodes?.call(fake.nodeCtx as never, 'menu');
    expect(found?.results[0]?.name).toMatch(/^Menu \(/);
    const domains = await node.methods.loadOptions.getDomains?.call(fake.nodeCtx as never);
    expect(domains).toContainEqual({ name: sandbox.linkDomain, value: sandbox.linkDomain });
  });
});

describe('CodeQR API credential', () => {
  it('tests the key with a cheap authenticated call, and says what to fix when it fails', async () => {
    const { CodeQrApi } = await import('../credentials/CodeQrApi.credentials.ts');
    const credential = new CodeQrApi();
    const request = credential.test.request;
    const url = `${String(request.baseURL).replace('={{$credentials.baseUrl}}', sandbox.url)}${request.url}?pageSize=1`;
    const header = (key: string) =>
      String(credential.authenticate.properties.headers?.Authorization)
        .replace(/^=/, '')
        .replace('{{$credentials.apiKey.trim()}}', key.trim());
    expect(header('k\n')).toBe('Bearer k');
    const ok = await fetch(url, { headers: { authorization: `Bearer ${KEY}` } });
    expect(ok.status).toBe(200);
    const bad = await fetch(url, { headers: { authorization: 'Bearer nope' } });
    const rule = credential.test.rules?.find(
      (r) => r.type === 'responseCode' && (r.properties as { value: number }).value === bad.status,
    );
    expect((rule?.properties as { message: string } | undefined)?.message).toMatch(/API key/);
    const password = credential.properties.find((p: INodeProperties) => p.name === 'apiKey');
    expect(password?.typeOptions?.password).toBe(true);
  });
});

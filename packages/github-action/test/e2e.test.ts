/**
 * The committed dist/index.js run the way a runner runs it (clean env, INPUT_*, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY,
 * GITHUB_EVENT_PATH, GITHUB_API_URL at a fake GitHub on 127.0.0.1) against the spec-checked sandbox: every
 * operation, the bad-input and CodeQR failure paths, the sticky PR comment and the scan poll with dispatch.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../scripts/run-dist.ts';
import { API_KEY, type E2E, expectNoSecret, startE2E } from './support/env.ts';

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
});
afterAll(async () => {
  await e?.close(); // fails if any request the Action sent was not valid against CodeQR's official spec
});

const ok = (r: RunResult) => {
  expect(r.errors, r.stdout + r.stderr).toEqual([]);
  expect(r.code).toBe(0);
  expectNoSecret(r);
  return r;
};
const failed = (r: RunResult) => {
  expect(r.code).toBe(1);
  expect(r.errors).toHaveLength(1);
  expectNoSecret(r);
  return r.errors[0] as string;
};

describe('single operations', () => {
  let id = '';

  it('create-qr-code: outputs, multiline-safe result, summary with a hosted image, key masked first', async () => {
    const r = ok(
      await e.run({
        operation: 'create-qr-code',
        url: 'https://example.com/menu',
        title: 'Menu | spring',
        size: '512',
        'external-id': 'menu-1',
      }),
    );
    expect(r.stdout.split('\n')[0]).toBe(`::add-mask::${API_KEY}`);
    id = r.outputs.id as string;
    expect(id).toMatch(/^c/);
    expect(r.outputs['short-link']).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\w+$/);
    expect(r.outputs['external-id']).toBe('menu-1');
    expect(r.outputs['image-url']).toBe(
      `${e.sandbox.url}/qr?url=${encodeURIComponent(r.outputs['short-link'] as string)}`,
    );
    expect(JSON.parse(r.outputs.result as string)).toMatchObject({ id, size: 512, title: 'Menu | spring' });
    expect(r.summary).toContain('🆕 created');
    expect(r.summary).toContain('Menu \\| spring');
    expect(r.summary).toContain(`<img src="${r.outputs['image-url']?.replace(/&/g, '&amp;')}"`);
  });

  it('get-qr-code by id (alias get) and by external id', async () => {
    const byId = ok(await e.run({ operation: 'get', 'qr-code-id': id }));
    expect(byId.outputs.id).toBe(id);
    const byExt = ok(await e.run({ operation: 'get-qr-code', 'external-id': 'menu-1' }));
    expect(byExt.outputs.id).toBe(id);
  });

  it('update-qr-code changes only what is given', async () => {
    const r = ok(
      await e.run({ operation: 'update-qr-code', 'qr-code-id': id, title: 'Menu (summer)', 'fg-color': '#112233' }),
    );
    expect(JSON.parse(r.outputs.result as string)).toMatchObject({
      id,
      title: 'Menu (summer)',
      fgColor: '#112233',
      url: 'https://example.com/menu',
    });
    expect(r.summary).toContain('updated');
  });

  it('update-qr-code clears a field given as null in fields', async () => {
    ok(await e.run({ operation: 'update', 'qr-code-id': id, comments: 'laminated' }));
    const r = ok(await e.run({ operation: 'update', 'qr-code-id': id, fields: '{"comments": null}' }));
    expect(JSON.parse(r.outputs.result as string).comments).toBeNull();
  });

  it('upsert-qr-code: created, then unchanged, then updated; fields as YAML', async () => {
    const inputs = { operation: 'upsert', 'external-id': 'flyer-9', url: 'https://example.com/flyer' };
    expect(ok(await e.run({ ...inputs, fields: 'title: Flyer\ncomments: printed' })).outputs.action).toBe('created');
    expect(ok(await e.run({ ...inputs, fields: 'title: Flyer\ncomments: printed' })).outputs.action).toBe('unchanged');
    const updated = ok(await e.run({ ...inputs, url: 'https://example.com/flyer-v2', fields: '{"title":"Flyer"}' }));
    expect(updated.outputs.action).toBe('updated');
    expect(JSON.parse(updated.outputs.result as string).qrCode.url).toBe('https://example.com/flyer-v2');
  });

  it('list-qr-codes with a limit', async () => {
    const r = ok(await e.run({ operation: 'list-qr-codes', limit: '1' }));
    expect(r.outputs.count).toBe('1');
    expect(JSON.parse(r.outputs.result as string)).toHaveLength(1);
  });

  it('get-qr-code-image writes a PNG and an SVG to path', async () => {
    const png = ok(await e.run({ operation: 'image', 'qr-code-id': id, path: 'out/menu.png', size: '256' }));
    expect(png.outputs.path).toBe(join(png.cwd, 'out/menu.png'));
    expect(
      readFileSync(png.outputs.path as string)
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');
    expect(png.outputs.id).toBe(id);
    const svg = ok(await e.run({ operation: 'get-qr-code-image', 'external-id': 'menu-1', format: 'svg' }));
    expect(svg.outputs.path).toMatch(/\.svg$/);
    expect(readFileSync(svg.outputs.path as string, 'utf8')).toContain('<svg');
    expect(JSON.parse(svg.outputs.result as string)).not.toHaveProperty('data');
  });

  it('an image path that cannot be written names path', async () => {
    const first = ok(await e.run({ operation: 'image', content: 'hello', path: 'a.png' }));
    const message = failed(
      await e.run({ operation: 'image', content: 'hello', path: 'a.png/b.png' }, { cwd: first.cwd }),
    );
    expect(message).toMatch(/^Input "path" names .*a\.png\/b\.png, which cannot be written \((ENOTDIR|EEXIST)\)/);
  });

  it('bulk-create-qr-codes from an items input, then bulk-delete-qr-codes', async () => {
    const items = JSON.stringify([
      { url: 'https://example.com/b1', externalId: 'b1' },
      { url: 'https://example.com/b2', externalId: 'b2' },
    ]);
    const r = ok(await e.run({ operation: 'bulk-create', items }));
    expect(r.outputs['created-count']).toBe('2');
    expect(r.outputs['failed-count']).toBe('0');
    const ids = (JSON.parse(r.outputs.result as string) as { qrCode: { id: string } }[]).map((x) => x.qrCode.id);
    const del = ok(await e.run({ operation: 'bulk-delete-qr-codes', 'qr-code-ids': ids.join(',') }));
    expect(JSON.parse(del.outputs.result as string)).toEqual({ deletedCount: 2 });
  });

  it('upsert-qr-codes from items: created, then unchanged on a rerun', async () => {
    const items =
      '- { url: https://example.com/u1, externalId: u1 }\n- { url: https://example.com/u2, externalId: u2 }';
    const first = ok(await e.run({ operation: 'bulk-upsert', items, 'match-by': 'externalId' }));
    expect([first.outputs['created-count'], first.outputs['unchanged-count']]).toEqual(['2', '0']);
    const again = ok(await e.run({ operation: 'upsert-qr-codes', items }));
    expect([again.outputs['created-count'], again.outputs['unchanged-count']]).toEqual(['0', '2']);
    expect(again.summary).toContain('**2 unchanged**');
  });

  it('get-scan-analytics and list-scans', async () => {
    await e.scan(id, 3);
    const analytics = ok(await e.run({ operation: 'analytics', 'qr-code-id': id, 'group-by': 'count' }));
    expect(JSON.parse(analytics.outputs.result as string)).toMatchObject({ scans: 3 });
    const scans = ok(await e.run({ operation: 'list-scans', 'qr-code-id': id, limit: '2' }));
    expect(scans.outputs.count).toBe('2');
    expect(JSON.parse(scans.outputs.result as string)[0]).toMatchObject({ qrCodeId: id });
    expect(scans.summary).toContain('```json');
  });

  it('delete-qr-code', async () => {
    const r = ok(await e.run({ operation: 'delete', 'qr-code-id': id }));
    expect(JSON.parse(r.outputs.result as string)).toEqual({ id });
    const gone = failed(await e.run({ operation: 'get', 'qr-code-id': id }));
    expect(gone).toMatch(/^CodeQR could not find it \(HTTP 404, not_found\)/);
  });
});

describe('failures: one ::error:: naming the input', () => {
  it('a bad number names the kebab input and what it accepts', async () => {
    const message = failed(await e.run({ operation: 'create', url: 'https://example.com', size: 'huge' }));
    expect(message).toBe('Input "size" (Size (px)) must be a whole number from 16 to 4096.');
  });

  it('a bad enum lists the choices', async () => {
    const message = failed(await e.run({ operation: 'create', url: 'https://example.com', level: 'Z' }));
    expect(message).toMatch(/^Input "level" \(Error Correction Level\) must be one of L, M, Q/);
  });

  it('an unknown operation lists the operations', async () => {
    const message = failed(await e.run({ operation: 'make-coffee' }));
    expect(message).toContain('Input "operation"');
    expect(message).toContain('create-qr-code');
  });

  it('a missing api-key says how to set it', async () => {
    const r = await e.run({ operation: 'list', 'api-key': '' });
    expect(r.code).toBe(1);
    expect(r.errors[0]).toContain('Input "api-key" is empty');
  });

  it('an input the operation does not take', async () => {
    const message = failed(await e.run({ operation: 'delete', 'qr-code-id': 'x', url: 'https://example.com' }));
    expect(message).toMatch(/^Input "url" does not apply to delete-qr-code/);
  });

  it('fields that are not JSON or YAML, and unknown keys in fields', async () => {
    expect(failed(await e.run({ operation: 'create', url: 'https://e.com', fields: '{ title: [' }))).toMatch(
      /^Input "fields" is neither valid JSON nor valid YAML/,
    );
    expect(failed(await e.run({ operation: 'create', url: 'https://e.com', fields: '{"titel": "x"}' }))).toContain(
      'did you mean "title"',
    );
  });

  it('a wrong API key: CodeQR says unauthorized, the key is never printed', async () => {
    const r = await e.run({ operation: 'list', 'api-key': 'codeqr_wrong_key_123' });
    expect(r.code).toBe(1);
    expect(r.errors[0]).toContain('unauthorized');
    expect(r.stdout.replace('::add-mask::codeqr_wrong_key_123', '')).not.toContain('codeqr_wrong_key_123');
  });

  it('an http base URL other than loopback names api-base-url', async () => {
    const message = failed(await e.run({ operation: 'list', 'api-base-url': 'http://api.codeqr.io' }));
    expect(message).toMatch(/^Input "api-base-url"/);
  });
});

describe('sticky PR comment', () => {
  it('is created once, then updated in place, found past the first page of comments', async () => {
    const list = Array.from({ length: 120 }, (_, i) => ({
      id: i + 1,
      body: `chatter ${i}`,
      user: { login: 'dev', type: 'User' as const },
    }));
    list.push({
      id: 500,
      body: '<!-- codeqr-action:codeqr --> quoted by a person',
      user: { login: 'dev', type: 'User' },
    });
    e.github.comments.set(42, list);
    const event = { name: 'pull_request', payload: { pull_request: { number: 42 } } };
    const inputs = {
      operation: 'upsert',
      'external-id': 'pr-42',
      url: 'https://preview.example.com/pr-42',
      'comment-on-pr': 'true',
      'github-token': 'ghs_faketoken',
    };
    const first = ok(await e.run(inputs, { event }));
    const after1 = e.github.comments.get(42)?.filter((c) => c.user.type === 'Bot') ?? [];
    expect(after1).toHaveLength(1);
    expect(after1[0]?.body.startsWith('<!-- codeqr-action:codeqr -->')).toBe(true);
    expect(after1[0]?.body).toContain('https://preview.example.com/pr-42');
    expect(first.outputs['comment-id']).toBe(String(after1[0]?.id));

    const second = ok(await e.run({ ...inputs, url: 'https://preview.example.com/pr-42-v2' }, { event }));
    const bots = e.github.comments.get(42)?.filter((c) => c.user.type === 'Bot') ?? [];
    expect(bots).toHaveLength(1);
    expect(bots[0]?.body).toContain('pr-42-v2');
    expect(bots[0]?.body).toContain('updated');
    expect(second.outputs['comment-id']).toBe(first.outputs['comment-id']);
    expect(e.github.comments.get(42)?.find((c) => c.id === 500)?.body).toContain('quoted by a person');
    const patches = e.github.requests.filter((r) => r.method === 'PATCH');
    expect(patches).toHaveLength(1);
    expect(e.github.requests.some((r) => r.method === 'GET' && r.query.get('page') === '2')).toBe(true);
    expect(e.github.requests.every((r) => r.headers.authorization === 'token ghs_faketoken')).toBe(true);
  });

  it('with a personal token: its own marked comment is updated, a stranger quoting the marker is not', async () => {
    e.github.comments.set(43, [
      { id: 900, body: '<!-- codeqr-action:codeqr --> copied by someone', user: { login: 'someone', type: 'User' } },
    ]);
    const event = { name: 'pull_request', payload: { pull_request: { number: 43 } } };
    const inputs = {
      operation: 'upsert',
      'external-id': 'pr-43',
      url: 'https://preview.example.com/pr-43',
      'comment-on-pr': 'true',
      'github-token': 'ghp_personal',
    };
    ok(await e.run(inputs, { event }));
    ok(await e.run(inputs, { event }));
    const list = e.github.comments.get(43) ?? [];
    expect(list.map((c) => c.user.login)).toEqual(['someone', 'octo-dev']);
    expect(list[0]?.body).toContain('copied by someone');
  });

  it('outside a pull request it writes nothing and says so', async () => {
    const before = e.github.requests.length;
    const r = ok(await e.run({ operation: 'list', limit: '1', 'comment-on-pr': 'true', 'github-token': 'ghs_x' }));
    expect(r.stdout).toContain('::notice::comment-on-pr is set, but this run is not for a pull request');
    expect(e.github.requests.length).toBe(before);
  });
});

describe('poll-scans', () => {
  it('primes, then emits each scan once, dispatching batches within GitHub limits', async () => {
    const qr = ok(await e.run({ operation: 'create', url: 'https://example.com/poster', 'external-id': 'poster' }));
    const qrId = qr.outputs.id as string;
    const cwd = qr.cwd;
    const inputs = {
      operation: 'poll-scans',
      'qr-code-id': qrId,
      'dispatch-event-type': 'codeqr.scan',
      'dispatch-batch-size': '2',
      'github-token': 'ghs_dispatch',
    };
    const first = ok(await e.run(inputs, { cwd }));
    expect(first.outputs['new-scan-count']).toBe('0');
    expect(existsSync(join(cwd, '.codeqr/scan-cursor.json'))).toBe(true);
    const dispatchesBefore = e.github.dispatches.length;

    await e.scan(qrId, 3);
    // core reads scans only once they are 2 s old (its settle window: a scan may be recorded after its timestamp)
    await new Promise((done) => setTimeout(done, 2500));
    const second = ok(await e.run(inputs, { cwd }));
    expect(second.outputs['new-scan-count']).toBe('3');
    const scans = JSON.parse(second.outputs['new-scans'] as string) as { id: string; qrCodeId: string }[];
    expect(scans).toHaveLength(3);
    expect(new Set(scans.map((s) => s.id)).size).toBe(3);
    expect(second.outputs['dispatch-count']).toBe('2');
    const fired = e.github.dispatches.slice(dispatchesBefore);
    expect(fired.map((d) => d.event_type)).toEqual(['codeqr.scan', 'codeqr.scan']);
    expect(fired.map((d) => (d.client_payload.scans as unknown[]).length)).toEqual([2, 1]);
    expect(
      fired.every((d) => Object.keys(d.client_payload).length <= 10 && d.owner === 'acme' && d.repo === 'widgets'),
    ).toBe(true);
    expect(fired.flatMap((d) => (d.client_payload.scans as { id: string }[]).map((s) => s.id))).toEqual(
      scans.map((s) => s.id),
    );

    const third = ok(await e.run(inputs, { cwd }));
    expect(third.outputs['new-scan-count']).toBe('0');
    expect(e.github.dispatches.length).toBe(dispatchesBefore + 2);
  });

  it('counts strategy, and a refused dispatch fails without moving the cursor', async () => {
    const qr = ok(await e.run({ operation: 'create', url: 'https://example.com/sign', 'external-id': 'sign' }));
    const qrId = qr.outputs.id as string;
    const cwd = qr.cwd;
    const inputs = {
      operation: 'poll',
      strategy: 'counts',
      'qr-code-id': qrId,
      'dispatch-event-type': 'codeqr.count',
      'github-token': 'ghs_dispatch',
    };
    ok(await e.run(inputs, { cwd }));
    await e.scan(qrId, 2);
    const cursor = readFileSync(join(cwd, '.codeqr/scan-cursor.json'), 'utf8');
    e.github.failDispatches(404, 1);
    const refused = failed(await e.run(inputs, { cwd }));
    expect(refused).toContain('contents: write');
    expect(readFileSync(join(cwd, '.codeqr/scan-cursor.json'), 'utf8')).toBe(cursor);
    const retried = ok(await e.run(inputs, { cwd }));
    expect(JSON.parse(retried.outputs['new-scans'] as string)).toMatchObject([{ qrCodeId: qrId, newScans: 2 }]);
  });

  it('a state file that is not a cursor names state-file', async () => {
    const qr = ok(await e.run({ operation: 'list', limit: '1' }));
    writeFileSync(join(qr.cwd, 'junk.json'), '{"hello": 1}');
    expect(failed(await e.run({ operation: 'poll-scans', 'state-file': 'junk.json' }, { cwd: qr.cwd }))).toMatch(
      /^Input "state-file"/,
    );
  });
});

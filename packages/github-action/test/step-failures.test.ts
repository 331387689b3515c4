/**
 * Review of the Action as a workflow author meets it, run from a fresh bundle of src/ (so it holds before dist is
 * rebuilt) the way a runner runs it: a typo in one of the Action's own inputs fails before anything is created,
 * CodeQR's refusals read as one sentence, a refused PR comment says which permission is missing, a poller with a
 * bad dispatch set-up fails before it polls, blank spreadsheet rows are no failed rows, and the public job summary
 * carries no scanner's IP address.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBundle } from '../scripts/build.ts';
import type { RunOptions, RunResult } from '../scripts/run-dist.ts';
import { API_KEY, type E2E, expectNoSecret, startE2E } from './support/env.ts';

let e: E2E;
let entry: string;
let refusing: Server;
let refusingUrl: string;
beforeAll(async () => {
  entry = await writeBundle(mkdtempSync(join(tmpdir(), 'codeqr-src-bundle-')));
  e = await startE2E();
  // a GitHub API that refuses as it does a read-only token
  refusing = createServer((_req, res) => {
    res.writeHead(403, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ message: 'Resource not accessible by integration', documentation_url: 'https://docs' }));
  });
  await new Promise<void>((done) => refusing.listen(0, '127.0.0.1', done));
  refusingUrl = `http://127.0.0.1:${(refusing.address() as AddressInfo).port}`;
}, 120_000);
afterAll(async () => {
  await new Promise<void>((done) => refusing?.close(() => done()));
  await e?.close();
});

const run = (inputs: Record<string, string>, options: Omit<RunOptions, 'inputs'> = {}) =>
  e.run(inputs, { entry, ...options });
const failed = (r: RunResult) => {
  expect(r.code, r.stdout + r.stderr).toBe(1);
  expect(r.errors).toHaveLength(1);
  expectNoSecret(r);
  return r.errors[0] as string;
};
const ok = (r: RunResult) => {
  expect(r.errors, r.stdout + r.stderr).toEqual([]);
  expect(r.code).toBe(0);
  expectNoSecret(r);
  return r;
};

async function codeCount(): Promise<number> {
  let n = 0;
  for (let page = 1; ; page++) {
    const res = await fetch(`${e.sandbox.url}/qrcodes?page=${page}&pageSize=100&showArchived=true`, {
      headers: { authorization: `Bearer ${API_KEY}` },
    });
    const batch = (await res.json()) as unknown[];
    n += batch.length;
    if (batch.length < 100) return n;
  }
}
const pr = { name: 'pull_request', payload: { pull_request: { number: 9 } } };

describe("the Action's own inputs are checked before anything is sent", () => {
  it('summary, fail-on-error and comment-on-pr typos fail first, naming the input; nothing is created', async () => {
    const before = await codeCount();
    const create = { operation: 'create', url: 'https://example.com/typo' };
    const typo = await run({ ...create, summary: 'yes' });
    expect(failed(typo)).toBe('Input "summary" must be true or false; got "yes".');
    // one annotation, titled after the input (the toolkit escapes ":" in properties)
    expect(typo.stdout).toContain('::error title=CodeQR%3A input summary::Input "summary"');
    expect(failed(await run({ ...create, 'comment-on-pr': 'on' }))).toMatch(/^Input "comment-on-pr" must be true/);
    expect(
      failed(await run({ operation: 'bulk-create', items: '[{"url":"https://example.com/b"}]', 'fail-on-error': 'y' })),
    ).toMatch(/^Input "fail-on-error" must be true or false/);
    expect(failed(await run({ ...create, 'comment-on-pr': 'true', 'github-token': '' }, { event: pr }))).toMatch(
      /^Input "github-token" is empty, and comment-on-pr needs it/,
    );
    expect(await codeCount()).toBe(before);
  });

  it('poll-scans with dispatch but no token (or a bad dispatch-repository) fails before polling', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'codeqr-poll-'));
    const poll = { operation: 'poll-scans', 'dispatch-event-type': 'codeqr.scan' };
    expect(failed(await run({ ...poll, 'github-token': '' }, { cwd }))).toMatch(/^Input "github-token" is empty/);
    expect(
      failed(await run({ ...poll, 'github-token': 'ghs_x', 'dispatch-repository': 'not-a-repo' }, { cwd })),
    ).toMatch(/^Input "dispatch-repository" must be owner\/repo/);
    expect(existsSync(join(cwd, '.codeqr/scan-cursor.json'))).toBe(false);
    // a state file that cannot be written fails before polling (not after dispatching, which would repeat them)
    writeFileSync(join(cwd, 'blocker'), 'a file, not a folder');
    expect(
      failed(await run({ ...poll, 'github-token': 'ghs_x', 'state-file': 'blocker/cursor.json' }, { cwd })),
    ).toMatch(/^Input "state-file" names .*blocker\/cursor\.json, which cannot be written \(E[A-Z]+\)\.$/);
    expect(e.github.dispatches).toHaveLength(0);
  });
});

describe('failures read as one sentence', () => {
  it("a wrong key: CodeQR's refusal once, its status once, the Action's advice naming api-key", async () => {
    const message = failed(await run({ operation: 'list', 'api-key': 'codeqr_wrong_key_123' }));
    expect(message).toMatch(/^CodeQR rejected the API key \(HTTP 401, unauthorized\)\. Check that api-key holds/);
    expect(message.match(/401/g)).toHaveLength(1);
    expect(message).not.toMatch(/^CodeQR: CodeQR|credentials/);
  });

  it('an unreachable CodeQR names api-base-url once', async () => {
    const message = failed(await run({ operation: 'list', 'api-base-url': 'http://127.0.0.1:1' }));
    expect(message).toMatch(/^Could not reach CodeQR \(ECONNREFUSED\)/);
    expect(message).toContain('Check api-base-url');
    expect(message).not.toMatch(/CodeQR: |base URL|could not be reached/);
  });

  it('a PR comment refused by GitHub says which permission the token needs', async () => {
    const message = failed(
      await run(
        { operation: 'list', limit: '1', 'comment-on-pr': 'true', 'github-token': 'ghs_readonly' },
        { event: pr, githubApiUrl: refusingUrl },
      ),
    );
    expect(message).toMatch(
      /^GitHub refused the PR comment on #9 of acme\/widgets \(HTTP 403: Resource not accessible/,
    );
    expect(message).toContain('permissions: pull-requests: write');
  });

  it('outside a pull request, comment-on-pr is a notice, not a failure', async () => {
    const r = ok(await run({ operation: 'list', limit: '1', 'comment-on-pr': 'true' }));
    expect(r.stdout).toMatch(/^::notice::comment-on-pr is set, but this run is not for a pull request/m);
  });
});

describe('catalogue files as spreadsheets export them', () => {
  it('trailing `,,,` and empty rows are no rows: fail-on-error passes, counts are right', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'codeqr-sheet-'));
    writeFileSync(
      join(cwd, 'sheet.csv'),
      '\uFEFFsku,url,title\r\nS1,https://shop.example.com/s1,"Mug, blue"\r\nS2,https://shop.example.com/s2,Cap\r\n,,\r\n,,\r\n\r\n',
    );
    const r = ok(
      await run({ operation: 'upsert', file: 'sheet.csv', 'results-file': 'r.json', 'fail-on-error': 'true' }, { cwd }),
    );
    expect([r.outputs['created-count'], r.outputs['failed-count'], r.outputs.count]).toEqual(['2', '0', '2']);
  });

  it('each failed row (the first ten) is a warning annotation on its line of the file', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'codeqr-annotate-'));
    const lines = [
      'sku,url',
      'R1,https://shop.example.com/r1',
      'R2,not a url',
      ...Array.from({ length: 12 }, () => ',x'),
    ];
    writeFileSync(join(cwd, 'bad.csv'), `${lines.join('\n')}\n`);
    const r = await run({ operation: 'upsert', file: 'bad.csv', 'fail-on-error': 'false' }, { cwd });
    expect(r.code).toBe(0);
    const annotations = r.stdout.split('\n').filter((l) => /^::warning [^:]*file=/.test(l));
    expect(annotations).toHaveLength(10);
    const props = (l: string | undefined) =>
      (l ?? '').slice('::warning '.length, l?.indexOf('::', 2)).split(',').sort();
    expect(props(annotations[0])).toEqual(['file=bad.csv', 'line=3', 'title=CodeQR%3A row 2 failed']);
    expect(annotations[0]).toMatch(/::Row 2 \(url\): must be/);
    expect(props(annotations[1])).toEqual(['file=bad.csv', 'line=4', 'title=CodeQR%3A row 3 failed']);
    expect(annotations[1]).toMatch(/::Row 3 \(sku\): has no External ID/);
    expect(r.stdout).toMatch(/^::warning::13 of 14 rows failed/m);
  });
});

describe('bulk and catalogue failures', () => {
  it('bulk items with fail-on-error: the summary still lists what was done, the error names the first failed item', async () => {
    ok(await run({ operation: 'create', url: 'https://example.com/dup', 'external-id': 'bulk-dup' }));
    const items = JSON.stringify([
      { url: 'https://example.com/dup2', externalId: 'bulk-dup' },
      { url: 'https://example.com/new', externalId: 'bulk-new' },
    ]);
    const soft = await run({ operation: 'bulk-create', items, 'fail-on-error': 'false' });
    expect(soft.code).toBe(0);
    expect(soft.stdout).toMatch(/^::warning::1 of 2 items failed \(first: item 1: /m);
    const strict = await run({
      operation: 'bulk-create',
      items: JSON.stringify([{ url: 'https://example.com/dup3', externalId: 'bulk-dup' }]),
      'fail-on-error': 'true',
    });
    expect(failed(strict)).toMatch(/^1 of 1 items failed \(first: item 1: .+\); see the result output\.$/);
    expect(strict.summary).toContain('1 of 1 items failed');
  });

  it('external-id in catalogue mode fails naming it (each row has its own)', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'codeqr-extid-'));
    writeFileSync(join(cwd, 'c.csv'), 'sku,url\nX1,https://example.com/x1\n');
    expect(failed(await run({ operation: 'upsert', file: 'c.csv', 'external-id': 'one-for-all' }, { cwd }))).toMatch(
      /^Input "external-id" does not apply to catalogue mode .* external-id-column/,
    );
  });
});

describe('scan summaries', () => {
  it("shows the new scans without the scanner's IP address", async () => {
    const qr = ok(await run({ operation: 'create', url: 'https://example.com/ip', 'external-id': 'ip-check' }));
    const cwd = qr.cwd;
    const poll = { operation: 'poll-scans', 'qr-code-id': qr.outputs.id as string };
    ok(await run(poll, { cwd }));
    await e.scan(qr.outputs.id as string, 2);
    let scans: { ip?: string }[] = [];
    let summary = '';
    for (let i = 0; i < 20 && scans.length === 0; i++) {
      const r = ok(await run(poll, { cwd }));
      scans = JSON.parse(r.outputs['new-scans'] as string);
      summary = r.summary;
      if (scans.length === 0) await new Promise((done) => setTimeout(done, 250));
    }
    expect(scans.length).toBe(2);
    expect(scans[0]?.ip).toBeDefined(); // the output keeps it for the workflow
    expect(summary).toContain('"timestamp"');
    expect(summary).not.toContain('"ip"');
    const listed = ok(await run({ operation: 'list-scans', 'qr-code-id': qr.outputs.id as string, limit: '1' }));
    expect(JSON.parse(listed.outputs.result as string)[0].ip).toBeDefined();
    expect(listed.summary).toContain('"timestamp"');
    expect(listed.summary).not.toContain('"ip"');
  });
});

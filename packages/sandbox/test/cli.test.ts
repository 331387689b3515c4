import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCli, parseKey } from '../src/cli.ts';
import { api, SANDBOX_BIN, spawnSandbox, stop } from './helpers.ts';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'codeqr-sandbox-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// each test spawns sandboxes (about 0.5 s each on an idle machine); a loaded 2-core CI box needs more than 5 s
describe('codeqr-sandbox CLI', { timeout: 30_000 }, () => {
  it('prints the ready line, serves the API and exits cleanly on SIGTERM and SIGINT', async () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const { child, url } = await spawnSandbox(['--port', '0', '--link-port', '0', '--key', 'k1:free', '--quiet']);
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const res = await api(url, 'k1')('GET', '/qrcodes');
      expect(res.status).toBe(200);
      expect(res.headers.get('x-ratelimit-limit')).toBe('60');
      expect(await stop(child, signal)).toBe(0);
    }
  });

  it('--help documents every flag; a bad flag fails with exit code 2 and a hint', async () => {
    const help = await run(process.execPath, ['--conditions=source', SANDBOX_BIN, '--help']);
    for (const flag of [
      '--port',
      '--link-port',
      '--key',
      '--window-ms',
      '--seed',
      '--data',
      '--quiet',
      '--plan',
      '--dub-headers',
      '--dub-bulk',
      '--dub-with-tags',
      '--no-quotas',
    ]) {
      expect(help.stdout).toContain(flag);
    }
    const bad = await run(process.execPath, ['--conditions=source', SANDBOX_BIN, '--key', 'k:gold']).catch((e) => e);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown plan "gold".*--help/s);
  });

  it('parses keys with plans and read-only flags', () => {
    expect(parseKey('k', 'pro')).toEqual({ key: 'k', plan: 'pro', readOnly: false });
    expect(parseKey('k:free:readonly', 'pro')).toEqual({ key: 'k', plan: 'free', readOnly: true });
    expect(() => parseKey(':free', 'pro')).toThrow(/empty/);
    const config = parseCli(['--key', 'a', '--key', 'b:scale', '--plan', 'starter', '--window-ms', '1000']);
    expect(config.options.keys.map((k) => k.plan)).toEqual(['starter', 'scale']);
    expect(config.options.windowMs).toBe(1000);
    expect(() => parseCli(['--window-ms', '0'])).toThrow(/--window-ms must be an integer >= 1/);
  });

  it('--dub-headers, --dub-bulk, --dub-with-tags, --standard-payloads and --no-quotas set the behaviour options', () => {
    expect(parseCli([]).options).toMatchObject({
      rateLimitHeaders: 'docs',
      bulkAnswers: 'docs',
      withTags: 'docs',
      payloads: 'codeqr',
      quotas: true,
    });
    const all = ['--dub-headers', '--dub-bulk', '--dub-with-tags', '--standard-payloads', '--no-quotas'];
    expect(parseCli(all).options).toMatchObject({
      rateLimitHeaders: 'dub',
      bulkAnswers: 'dub',
      withTags: 'dub',
      payloads: 'standard',
      quotas: false,
    });
  });

  it('--data keeps QR codes, tags and scans across a restart', async () => {
    const file = join(dir, 'state.json');
    const args = ['--port', '0', '--link-port', '0', '--key', 'persist:business', '--data', file, '--quiet'];
    const first = await spawnSandbox(args);
    const call = api(first.url, 'persist');
    const created = await call('POST', '/qrcodes', { url: 'https://example.com/a', externalId: 'keep-me' });
    expect(created.status).toBe(200);
    await call('POST', '/tags', { name: 'kept' });
    await call('POST', '/__sandbox/scans', { externalId: 'keep-me', count: 3 });
    expect(await stop(first.child)).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8')).projects[0].qrCodes).toHaveLength(1);

    const second = await spawnSandbox(args);
    const again = api(second.url, 'persist');
    const info = await again('GET', '/qrcodes/info?externalId=ext_keep-me');
    expect(info.body).toMatchObject({ id: created.body.id, scans: 3 });
    expect((await again('GET', '/tags')).body.map((t: { name: string }) => t.name)).toEqual(['kept']);
    expect(await stop(second.child)).toBe(0);
  });

  it('--seed makes ids and random keys reproducible', async () => {
    const keys: string[][] = [];
    for (let i = 0; i < 2; i++) {
      const { child, url } = await spawnSandbox([
        '--port',
        '0',
        '--link-port',
        '0',
        '--key',
        's',
        '--seed',
        '7',
        '--quiet',
      ]);
      const call = api(url, 's');
      const a = await call('POST', '/qrcodes', { url: 'https://example.com/1' });
      const b = await call('POST', '/qrcodes', { url: 'https://example.com/2' });
      keys.push([a.body.id, a.body.key, b.body.id, b.body.key]);
      await stop(child);
    }
    expect(keys[0]).toEqual(keys[1]);
    expect(new Set(keys[0]).size).toBe(4);
  });
});

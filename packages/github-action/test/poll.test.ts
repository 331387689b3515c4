/**
 * The poll mode, run from src/ in this process against the sandbox and the fake GitHub. `poll-scans` never moves its
 * cursor past what it did not deliver:
 * - 600 scans with long referers do not fit the 512 KB `new-scans` output in one run: each run delivers what fits,
 *   the cursor stops right after it, and the next run goes on (before: 300 in the output, 0 the next run);
 * - a 502 on `repository_dispatch` is retried with backoff; one that keeps failing is reported with which dispatch,
 *   how many scans, the status and where the cursor stopped (before: "Server Error", and the next run repeated the
 *   dispatches already accepted).
 */
import { readFileSync } from 'node:fs';
import { type Sandbox, startSandbox } from '@codeqr-integrations/sandbox';
import { sandboxControl } from '@codeqr-integrations/test/support/sandbox-control';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MAX_ITEMS_OUTPUT, outputBytes } from '../src/poll/steps.ts';
import { type FakeGitHub, startFakeGitHub } from './support/fake-github.ts';
import { type PollTarget, runPollInProcess, tempStateFile } from './support/poll-in-process.ts';

const KEY = 'codeqr_action_poll_fast';
/** The sandbox's clock, an hour back: every scan is older than core's settle window. */
let clock = Date.now() - 3_600_000;
let sandbox: Sandbox;
let github: FakeGitHub;

beforeAll(async () => {
  sandbox = await startSandbox({ keys: [{ key: KEY, plan: 'business' }], seed: 14, now: () => clock });
  github = await startFakeGitHub();
});
afterAll(async () => {
  await github?.close();
  await sandbox?.close();
});
beforeEach(async () => {
  expect((await sandboxControl(sandbox.url, KEY, '/reset')).ok).toBe(true);
  github.dispatchFault = undefined;
  github.dispatches.length = 0;
});

async function createQrCode(): Promise<string> {
  clock += 10;
  const res = await fetch(`${sandbox.url}/qrcodes`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'url', url: 'https://example.com/poster' }),
  });
  expect(res.ok).toBe(true);
  return ((await res.json()) as { id: string }).id;
}

async function scan(qrCodeId: string, count: number, referer?: string): Promise<string[]> {
  clock += 1000;
  const res = await sandboxControl(sandbox.url, KEY, '/scans', {
    qrCodeId,
    count,
    intervalMs: 1,
    timestamp: clock,
    ...(referer ? { referer } : {}),
  });
  expect(res.ok).toBe(true);
  return ((await res.json()) as { recorded: { id: string }[] }).recorded.map((s) => s.id);
}

const target = (): PollTarget => ({
  apiKey: KEY,
  apiUrl: sandbox.url,
  githubUrl: github.url,
  stateFile: tempStateFile(),
});

/** How often each id occurs in `lists`. */
function tally(lists: string[][]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const id of lists.flat()) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}

describe('poll-scans delivers every scan once, whatever the output cap', () => {
  it('600 scans with long referers: each run delivers what fits in new-scans, the next run the rest', async () => {
    const qr = await createQrCode();
    const t = target();
    const primed = await runPollInProcess(t);
    expect(primed.error).toBeUndefined();
    const referer = `https://news.example.com/a/${'long-campaign-path-'.repeat(80)}`; // ~1.5 KB per scan
    const recorded = await scan(qr, 600, referer);
    const runs: string[][] = [];
    for (let i = 0; i < 10; i++) {
      const run = await runPollInProcess(t);
      expect(run.error).toBeUndefined();
      expect(outputBytes(run.outputs['new-scans'] ?? '')).toBeLessThanOrEqual(MAX_ITEMS_OUTPUT);
      expect(run.outputs['new-scan-count']).toBe(String(run.scans.length));
      runs.push(run.scans.map((s) => s.id));
      if (run.scans.length === 0) break;
    }
    console.log(`[figure] 600 scans with ~1.5 KB referers: new-scans per run ${runs.map((r) => r.length).join(' + ')}`);
    // the first run holds what fits (fewer than 600), and the runs after it the rest, each scan once
    expect(runs[0]?.length).toBeGreaterThan(0);
    expect(runs[0]?.length).toBeLessThan(600);
    const counts = tally(runs);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(new Set(counts.keys())).toEqual(new Set(recorded));
  });
});

describe('poll-scans with repository_dispatch', () => {
  const dispatch = { 'dispatch-event-type': 'codeqr.scan', 'dispatch-batch-size': '100' };
  const dispatchedIds = () =>
    github.dispatches.map((d) => (d.client_payload.scans as { id: string }[]).map((s) => s.id));

  it('a 502 from GitHub is retried with backoff and the batch goes through once', async () => {
    const qr = await createQrCode();
    const t = target();
    await runPollInProcess(t, dispatch);
    const recorded = await scan(qr, 30);
    github.failDispatches(502, 2);
    const sleeps: number[] = [];
    const run = await runPollInProcess(t, dispatch, sleeps);
    expect(run.error).toBeUndefined();
    expect(sleeps).toEqual([1000, 2000]);
    expect(run.outputs['dispatch-count']).toBe('1');
    expect(dispatchedIds()).toEqual([recorded]);
  });

  it('a dispatch that keeps failing (502) is reported with context; the cursor stops after the ones accepted', async () => {
    const qr = await createQrCode();
    const t = target();
    await runPollInProcess(t, dispatch);
    const recorded = await scan(qr, 250);
    let requests = 0;
    // the second dispatch fails every attempt (4), the rest go through
    github.dispatchFault = () => {
      requests++;
      return requests >= 2 && requests <= 5 ? 502 : undefined;
    };
    const failed = await runPollInProcess(t, dispatch);
    expect(failed.outputs['dispatch-count']).toBe('1');
    const first = github.dispatches[0]?.client_payload.scans as { id: string }[];
    expect(failed.scans.map((s) => s.id)).toEqual(first.map((s) => s.id));
    const held =
      /^repository_dispatch 2 of 3 \(codeqr\.scan, (\d+) scan\(s\), batchId events:[^)]+\) to acme\/widgets failed: GitHub answered HTTP 502 Server Error after 4 attempts \(retried with backoff\)\. The cursor was saved after the (\d+) item\(s\) already dispatched, not past these (\d+) \(nor the (\d+) polled after them\): the next run polls them again\.$/.exec(
        failed.error ?? '',
      );
    expect(held, failed.error).not.toBeNull();
    const [, carried, saved, notPast, after] = (held ?? []).map(Number);
    expect(saved).toBe(first.length);
    expect(notPast).toBe(carried);
    expect(first.length + Number(carried) + Number(after)).toBe(250);
    expect(JSON.parse(readFileSync(t.stateFile, 'utf8')).cursor).toBeDefined();

    const next = await runPollInProcess(t, dispatch);
    expect(next.error).toBeUndefined();
    expect(next.scans.map((s) => s.id)).toEqual(recorded.slice(first.length));
    const counts = tally(dispatchedIds());
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(new Set(counts.keys())).toEqual(new Set(recorded));
  });
});

describe('poll-new-qr-code (any core trigger as poll-<trigger>)', () => {
  const inputs = { operation: 'poll-new-qr-code', 'dispatch-event-type': 'codeqr.qr', 'dispatch-batch-size': '10' };

  it('primes, then delivers each QR code created since once: in new-items and in one dispatch per batch', async () => {
    const t = target();
    await createQrCode(); // before priming: never delivered
    const primed = await runPollInProcess(t, inputs);
    expect(primed.error).toBeUndefined();
    expect(primed.outputs['new-items']).toBe('[]');
    expect(primed.outputs['new-item-count']).toBe('0');
    expect(primed.outputs).not.toHaveProperty('new-scans');
    expect(JSON.parse(readFileSync(t.stateFile, 'utf8'))).toMatchObject({ version: 1, trigger: 'newQrCode' });

    const created: string[] = [];
    for (let i = 0; i < 25; i++) created.push(await createQrCode());
    const run = await runPollInProcess(t, inputs);
    expect(run.error).toBeUndefined();
    expect(run.items.map((q) => q.id)).toEqual(created);
    expect(run.outputs['new-item-count']).toBe('25');
    expect(run.outputs['dispatch-count']).toBe('3');
    // one dispatch per poll step, each within dispatch-batch-size (core's pages decide where the steps fall)
    for (const d of github.dispatches) expect((d.client_payload.items as unknown[]).length).toBeLessThanOrEqual(10);
    expect(github.dispatches.flatMap((d) => (d.client_payload.items as { id: string }[]).map((q) => q.id))).toEqual(
      created,
    );
    expect(github.dispatches.map((d) => [d.event_type, d.client_payload.trigger])).toEqual([
      ['codeqr.qr', 'newQrCode'],
      ['codeqr.qr', 'newQrCode'],
      ['codeqr.qr', 'newQrCode'],
    ]);

    const again = await runPollInProcess(t, inputs);
    expect(again.error).toBeUndefined();
    expect(again.items).toEqual([]);
    expect(github.dispatches).toHaveLength(3);
  });

  it('a poll-scans state file is not read as a QR-code cursor: the run says so and starts over', async () => {
    const t = target();
    expect((await runPollInProcess(t)).error).toBeUndefined(); // poll-scans primes its cursor
    await createQrCode();
    const run = await runPollInProcess(t, inputs);
    expect(run.error).toBeUndefined();
    expect(run.log).toContain('state-file holds a events cursor; this step polls newQrCode, so this run starts over.');
    expect(run.items).toEqual([]);
    expect(JSON.parse(readFileSync(t.stateFile, 'utf8'))).toMatchObject({ trigger: 'newQrCode' });
  });
});

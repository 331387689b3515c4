/**
 * Model-based test of the Action's `poll-scans`: the poll mode run again and again from src/, in this
 * process, with its real state file kept between runs (as actions/cache keeps it; every run is a fresh client that
 * only has that file), against the sandbox and the fake GitHub, over a random history: bursts in one millisecond
 * (past a page and past the ids a cursor keeps), scans spread over time, late scans (stamped up to 1.5 s before they
 * show up, inside core's 2 s settle window), future-stamped scans, new QR codes, scans with long referers (so the
 * 512 KB `new-scans` cap cuts runs short), random `dispatch-batch-size`, and GitHub answering 502 to random
 * dispatches (retried; a dispatch whose every attempt fails fails the run).
 *
 * The clock: `Date` is faked (only `Date`, timers run), so core's "now" and the sandbox's clock are one clock, moved
 * by hand. Invariant, after the history and a drain: every scan recorded after the priming run is delivered exactly
 * once across runs in `new-scans`, and exactly once in an accepted `repository_dispatch`; what a run put in
 * `new-scans` is exactly what it dispatched (a failed run included).
 * Seeds: `propertySeeds` (PROPERTY_RUNS fresh ones, each printed; PROPERTY_SEED=n replays one).
 */
import { type Sandbox, startSandbox } from '@codeqr-integrations/sandbox';
import { sandboxControl } from '@codeqr-integrations/test/support/sandbox-control';
import { prng, propertySeeds } from '@codeqr-integrations/test/support/seeds';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MAX_ITEMS_OUTPUT, outputBytes } from '../src/poll/steps.ts';
import { type FakeGitHub, startFakeGitHub } from '../test/support/fake-github.ts';
import { runPollInProcess, tempStateFile } from '../test/support/poll-in-process.ts';

const KEY = 'codeqr_action_poll_model';
const T0 = Date.UTC(2026, 10, 2, 9, 0, 0);
let sandbox: Sandbox;
let github: FakeGitHub;

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'], now: T0 });
  sandbox = await startSandbox({ keys: [{ key: KEY, plan: 'business' }], seed: 21, now: () => Date.now() });
  github = await startFakeGitHub();
});
afterAll(async () => {
  await github?.close();
  await sandbox?.close();
  vi.useRealTimers();
});

const advance = (ms: number) => vi.setSystemTime(Date.now() + ms);

async function call(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${sandbox.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(res.ok, await res.clone().text()).toBe(true);
  return (await res.json()) as Record<string, unknown>;
}

async function recordScans(body: Record<string, unknown>): Promise<string[]> {
  const res = await sandboxControl(sandbox.url, KEY, '/scans', body);
  expect(res.ok, await res.clone().text()).toBe(true);
  return ((await res.json()) as { recorded: { id: string }[] }).recorded.map((s) => s.id);
}

const LONG_REFERER = `https://news.example.com/a/${'a-long-campaign-path-'.repeat(120)}`; // ~2.5 KB per scan

interface ModelOptions {
  /** Also delete QR codes (their scans stay in `/events`, as CodeQR keeps them, and must still come once). */
  deletions?: boolean;
}

async function runModel(
  seed: number,
  options: ModelOptions = {},
): Promise<{ scans: number; runs: number; failedRuns: number }> {
  const random = prng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  expect((await sandboxControl(sandbox.url, KEY, '/reset')).ok).toBe(true);
  github.dispatches.length = 0;
  const failRate = [0, 0.3, 0.6][int(0, 2)] as number;
  /** Per run: GitHub answers 502 to a share of the dispatch requests, or (an outage) to all after the first few. */
  const faults = (outage: boolean) => {
    let accepted = int(0, 3);
    github.dispatchFault = () => {
      if (outage) return accepted-- > 0 ? undefined : 502;
      return random() < failRate ? 502 : undefined;
    };
  };
  faults(false);
  const stateFile = tempStateFile();
  const inputs = () => ({
    'dispatch-event-type': 'codeqr.scan',
    'dispatch-batch-size': String([1, 7, 50, 100, 250][int(0, 4)]),
  });

  const codes: string[] = [];
  for (let i = 0; i < 2; i++)
    codes.push(String((await call('POST', '/qrcodes', { type: 'url', url: `https://example.com/${i}` })).id));
  await recordScans({ qrCodeId: codes[0], count: 5, timestamp: Date.now() - 10_000, intervalMs: 7 }); // before priming
  advance(3_000);
  const primed = await runPollInProcess(
    { apiKey: KEY, apiUrl: sandbox.url, githubUrl: github.url, stateFile },
    inputs(),
    [],
    advance,
  );
  expect(primed.error).toBeUndefined();
  expect(primed.scans).toEqual([]);

  const expected = new Set<string>();
  const outputs = new Map<string, number>();
  let runs = 0;
  let failedRuns = 0;
  const poll = async (outage = random() < 0.25) => {
    faults(outage);
    const before = github.dispatches.length;
    const run = await runPollInProcess(
      { apiKey: KEY, apiUrl: sandbox.url, githubUrl: github.url, stateFile },
      inputs(),
      [],
      advance,
    );
    runs++;
    if (run.error) failedRuns++;
    // a run fails only on a dispatch GitHub kept refusing
    expect(run.error ?? 'no error', run.error).toMatch(
      /^no error$|^repository_dispatch \d+ of \d+ .* failed: GitHub answered HTTP 502/,
    );
    const fired = github.dispatches
      .slice(before)
      .flatMap((d) => (d.client_payload.scans as { id: string }[]).map((s) => s.id));
    // a run's new-scans is exactly what it dispatched, in order
    expect(run.scans.map((s) => s.id)).toEqual(fired);
    expect(outputBytes(run.outputs['new-scans'] ?? '[]')).toBeLessThanOrEqual(MAX_ITEMS_OUTPUT);
    for (const scan of run.scans) outputs.set(scan.id, (outputs.get(scan.id) ?? 0) + 1);
    return run;
  };

  const steps = int(15, 30);
  for (let step = 0; step < steps; step++) {
    advance(int(1, 2_500));
    const qrCodeId = codes[int(0, codes.length - 1)];
    const op = random();
    let ids: string[] = [];
    if (op < 0.2)
      ids = await recordScans({ qrCodeId, count: int(1, 260), timestamp: Date.now() }); // one millisecond
    else if (op < 0.35)
      ids = await recordScans({ qrCodeId, count: int(1, 120), intervalMs: int(1, 30), timestamp: Date.now() });
    else if (op < 0.45)
      ids = await recordScans({ qrCodeId, count: int(1, 20), timestamp: Date.now() - int(1, 1_500) }); // late
    else if (op < 0.5)
      ids = await recordScans({ qrCodeId, count: int(1, 10), timestamp: Date.now() + int(1, 5_000) }); // future
    else if (op < 0.6)
      ids = await recordScans({
        qrCodeId,
        count: int(50, 250),
        intervalMs: int(0, 3),
        timestamp: Date.now(),
        referer: LONG_REFERER,
      });
    else if (op < 0.67)
      codes.push(String((await call('POST', '/qrcodes', { type: 'url', url: `https://example.com/n${step}` })).id));
    else if (op < 0.72 && options.deletions && codes.length > 1) {
      const [gone] = codes.splice(int(0, codes.length - 1), 1);
      await call('DELETE', `/qrcodes/${gone}`);
    } else await poll();
    for (const id of ids) expected.add(id);
  }
  // drain: past every future stamp and the settle window, until a run delivers nothing and fails nothing
  advance(10_000);
  for (let i = 0; i < 60; i++) {
    advance(int(1, 1_000));
    const run = await poll(i < 3 && random() < 0.5);
    if (!run.error && run.scans.length === 0) break;
  }

  const missing = [...expected].filter((id) => !outputs.has(id));
  const repeated = [...outputs].filter(([, n]) => n > 1).map(([id]) => id);
  const unexpected = [...outputs.keys()].filter((id) => !expected.has(id));
  expect({ missing: missing.length, repeated: repeated.length, unexpected: unexpected.length }).toEqual({
    missing: 0,
    repeated: 0,
    unexpected: 0,
  });
  const dispatched = github.dispatches.flatMap((d) => (d.client_payload.scans as { id: string }[]).map((s) => s.id));
  expect(dispatched.length).toBe(new Set(dispatched).size);
  expect(new Set(dispatched)).toEqual(expected);
  return { scans: expected.size, runs, failedRuns };
}

describe('poll-scans under the model (state file between runs, output cap, 502s on dispatch)', () => {
  for (const seed of propertySeeds('github-action poll-scans model', [14, 1402])) {
    it(`seed ${seed}: every scan delivered exactly once across runs`, async () => {
      const stats = await runModel(seed);
      console.log(`[model] seed ${seed}: ${stats.scans} scans over ${stats.runs} runs (${stats.failedRuns} failed)`);
    });
  }
});

describe('poll-scans under the model, with QR codes deleted', () => {
  for (const seed of propertySeeds('github-action poll-scans model with deletions', [15])) {
    it(`seed ${seed}: every scan delivered exactly once across runs`, async () => {
      const stats = await runModel(seed, { deletions: true });
      console.log(`[model] seed ${seed}: ${stats.scans} scans over ${stats.runs} runs (${stats.failedRuns} failed)`);
    });
  }
});

/**
 * Model-based test of the n8n CodeQR Trigger: the node's real `poll()` with a fake n8n context whose
 * workflow static data lives on "disk" as JSON. Before each poll the static data is read back from disk and after a
 * poll that returns it is written back (n8n commits what the node wrote with the execution; a poll that throws
 * commits nothing). Polls go to a random one of two node instances ("queue mode": two workers taking turns over the
 * persisted static data), and now and then both are replaced by new instances (a restart). Against the sandbox, over
 * a random history: bursts of scans in one millisecond (past a page of 100), scans spread over time, late scans
 * (stamped up to 1.5 s before they show up, inside core's 2 s settle window), future-stamped scans, new QR codes and,
 * in the second suite, deleted QR codes.
 *
 * The clock: `Date` is faked (only `Date`; timers run), so core's "now" and the sandbox's clock are one clock, moved
 * by hand. Invariant after the history and a drain: New Scan emits every scan recorded after the priming poll
 * exactly once (a deleted code's scans included: CodeQR keeps them in `/events`); New QR Code emits every code
 * created after its priming poll and never deleted exactly once, a deleted one at most once, and none from before.
 * Seeds: `propertySeeds` (PROPERTY_RUNS fresh ones, each printed; PROPERTY_SEED=n replays one).
 */
import { type Sandbox, startSandbox } from '@codeqr-integrations/sandbox';
import { sandboxControl } from '@codeqr-integrations/test/support/sandbox-control';
import { prng, propertySeeds } from '@codeqr-integrations/test/support/seeds';
import type { IDataObject, IPollFunctions } from 'n8n-workflow';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CodeQrTrigger } from '../nodes/CodeQrTrigger/CodeQrTrigger.node.ts';
import { fakeContext } from '../test/fake-n8n.ts';

const KEY = 'codeqr_n8n_trigger_model';
const T0 = Date.UTC(2026, 10, 3, 9, 0, 0);
let sandbox: Sandbox;

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'], now: T0 });
  // a rate-limit window of 1 s of the hand-moved clock: polls never wait for a window that a frozen clock never ends
  sandbox = await startSandbox({
    keys: [{ key: KEY, plan: 'business' }],
    seed: 31,
    now: () => Date.now(),
    windowMs: 1_000,
  });
});
afterAll(async () => {
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

/** One n8n workflow with a CodeQR Trigger on `event`: its static data on disk, two workers, restarts. */
class Workflow {
  disk = '{}';
  workers = [new CodeQrTrigger(), new CodeQrTrigger()];
  emitted = new Map<string, number>();
  polls = 0;
  failures = 0;
  readonly event: string;
  constructor(event: string) {
    this.event = event;
  }

  restart(): void {
    this.workers = [new CodeQrTrigger(), new CodeQrTrigger()];
  }

  async poll(worker: number): Promise<number> {
    const staticData = JSON.parse(this.disk) as IDataObject;
    const fake = fakeContext({
      params: [{ event: this.event }],
      credentials: { apiKey: KEY, baseUrl: sandbox.url },
      staticData,
    });
    this.polls++;
    const node = this.workers[worker] as CodeQrTrigger;
    const out = await node.poll.call(fake.nodeCtx as unknown as IPollFunctions);
    this.disk = JSON.stringify(staticData); // committed with the execution
    const items = out?.[0] ?? [];
    for (const item of items) {
      const id = String(item.json.id);
      this.emitted.set(id, (this.emitted.get(id) ?? 0) + 1);
    }
    return items.length;
  }
}

async function runModel(seed: number, options: { deletions?: boolean } = {}) {
  const random = prng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  expect((await sandboxControl(sandbox.url, KEY, '/reset')).ok).toBe(true);
  const newQr = async (tag: string) =>
    String((await call('POST', '/qrcodes', { type: 'url', url: `https://example.com/${tag}` })).id);

  // what exists before the triggers are activated is the baseline, never emitted
  const live: string[] = [await newQr('a'), await newQr('b')];
  await recordScans({ qrCodeId: live[0], count: 4, timestamp: Date.now() - 20_000, intervalMs: 9 });
  advance(3_000);
  const scans = new Workflow('newScan');
  const codes = new Workflow('newQrCode');
  expect(await scans.poll(0)).toBe(0);
  expect(await codes.poll(1)).toBe(0);

  const recordedScans = new Set<string>();
  const created = new Set<string>();
  const deleted = new Set<string>();
  const steps = int(20, 40);
  for (let step = 0; step < steps; step++) {
    advance(int(1, 2_500));
    const qrCodeId = live[int(0, live.length - 1)];
    const op = random();
    let ids: string[] = [];
    if (op < 0.15)
      ids = await recordScans({ qrCodeId, count: int(1, 260), timestamp: Date.now() }); // one ms
    else if (op < 0.27)
      ids = await recordScans({ qrCodeId, count: int(1, 150), intervalMs: int(1, 20), timestamp: Date.now() });
    else if (op < 0.35)
      ids = await recordScans({ qrCodeId, count: int(1, 20), timestamp: Date.now() - int(1, 1_500) }); // late
    else if (op < 0.4)
      ids = await recordScans({ qrCodeId, count: int(1, 10), timestamp: Date.now() + int(1, 5_000) }); // future
    else if (op < 0.5) {
      // a few codes, sometimes in one millisecond
      for (let i = int(1, 4); i > 0; i--) {
        const id = await newQr(`s${step}-${i}`);
        live.push(id);
        created.add(id);
      }
    } else if (op < 0.55) {
      // a batch of codes in one millisecond (the clock stands still), past a page of 100 at times
      const n = int(20, 150);
      for (let from = 0; from < n; from += 100) {
        const body = Array.from({ length: Math.min(100, n - from) }, (_, i) => ({
          type: 'url',
          url: `https://example.com/b${step}-${from + i}`,
        }));
        const answers = (await (
          await fetch(`${sandbox.url}/qrcodes/bulk`, {
            method: 'POST',
            headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
            body: JSON.stringify(body),
          })
        ).json()) as { id?: string }[];
        for (const answer of answers) {
          expect(answer.id).toBeDefined();
          live.push(String(answer.id));
          created.add(String(answer.id));
        }
      }
    } else if (op < 0.63 && options.deletions && live.length > 1) {
      // one code, or most of them at once (the code at a cursor's millisecond among them, often)
      const many = random() < 0.4;
      const count = many ? int(1, live.length - 1) : 1;
      const gone: string[] = [];
      for (let i = 0; i < count; i++) gone.push(...live.splice(int(0, live.length - 1), 1));
      for (let from = 0; from < gone.length; from += 100) {
        await call('DELETE', `/qrcodes/bulk?qrcodeIds=${gone.slice(from, from + 100).join(',')}`);
      }
      for (const id of gone) deleted.add(id);
    } else if (op < 0.67) {
      scans.restart();
      codes.restart();
    } else {
      await scans.poll(int(0, 1));
      if (random() < 0.7) await codes.poll(int(0, 1));
    }
    for (const id of ids) recordedScans.add(id);
  }
  // drain: past every future stamp and the settle window, until neither trigger emits anything
  advance(10_000);
  for (let i = 0; i < 40; i++) {
    advance(int(1, 3_000));
    const n = (await scans.poll(int(0, 1))) + (await codes.poll(int(0, 1)));
    if (n === 0 && i > 0) break;
  }

  const check = (emitted: Map<string, number>, must: Set<string>, may: Set<string>) => ({
    missing: [...must].filter((id) => !emitted.has(id)).length,
    repeated: [...emitted.values()].filter((n) => n > 1).length,
    unexpected: [...emitted.keys()].filter((id) => !must.has(id) && !may.has(id)).length,
  });
  const none = { missing: 0, repeated: 0, unexpected: 0 };
  expect(check(scans.emitted, recordedScans, new Set()), 'New Scan').toEqual(none);
  const keptCodes = new Set([...created].filter((id) => !deleted.has(id)));
  expect(check(codes.emitted, keptCodes, deleted), 'New QR Code').toEqual(none);
  return { scans: recordedScans.size, codes: created.size, deleted: deleted.size, polls: scans.polls + codes.polls };
}

describe('n8n CodeQR Trigger under the model (static data on disk, two workers, restarts)', () => {
  for (const seed of propertySeeds('n8n trigger model', [157, 2411])) {
    it(`seed ${seed}: every scan and every new code emitted exactly once`, async () => {
      const stats = await runModel(seed);
      console.log(`[model] seed ${seed}: ${JSON.stringify(stats)}`);
    });
  }
});

describe('n8n CodeQR Trigger under the model, with QR codes deleted', () => {
  for (const seed of propertySeeds('n8n trigger model with deletions', [158, 1063768553])) {
    it(`seed ${seed}: every scan and every kept new code emitted exactly once`, async () => {
      const stats = await runModel(seed, { deletions: true });
      console.log(`[model] seed ${seed}: ${JSON.stringify(stats)}`);
    });
  }
});

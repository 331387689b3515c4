/**
 * Benchmark (printed, never asserted): 1,000 input items "Create QR Code" through the CodeQR node's execute path
 * (the built dist, a fake n8n context, real HTTP) against the sandbox with 20 ms injected latency on every request, batched (bulk
 * create, ≤ 100 per call) vs one call per item, side by side in one run, after a 50-item warm-up of each. Ends with
 * one `BENCH {json}` line.
 *   npm run bench -w @codeqr-integrations/n8n-nodes-codeqr        (ITEMS=1000 LATENCY_MS=20 by default)
 */
import { createRequire } from 'node:module';
import { startSandbox } from '@codeqr-integrations/sandbox';
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { build } from '../scripts/package-checks.ts';
import { fakeContext } from '../test/fake-n8n.ts';

// the shipped code: the CommonJS dist as n8n loads it (n8n-workflow's ESM build does not load in plain Node)
build();
const { CodeQr } = createRequire(import.meta.url)('../dist/nodes/CodeQr/CodeQr.node.js') as {
  CodeQr: new () => { execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> };
};

const ITEMS = Number(process.env.ITEMS ?? 1000);
const LATENCY_MS = Number(process.env.LATENCY_MS ?? 20);
const KEY = 'codeqr_n8n_bench';

const sb = await startSandbox({ keys: [{ key: KEY, plan: 'scale' }] });
const control = (path: string, body: unknown) =>
  fetch(`${sb.url}/__sandbox${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

// one node instance, as n8n loads a node type once and runs it for every execution (its description is built here)
const node = new CodeQr();

async function run(label: string, batching: boolean, items = ITEMS) {
  await control('/reset', {});
  await control('/faults', { route: '*', mode: 'delay', delayMs: LATENCY_MS, count: 100_000 });
  const params = Array.from({ length: items }, (_, i) => ({
    resource: 'qrCode',
    operation: 'create',
    url: `https://example.com/bench/${label}/${i}`,
    externalId: `bench-${label}-${i}`,
    options: { batching },
  }));
  const fake = fakeContext({ params, credentials: { apiKey: KEY, baseUrl: sb.url } });
  const started = performance.now();
  const [out] = await node.execute.call(fake.executeCtx as unknown as IExecuteFunctions);
  const ms = performance.now() - started;
  const ok = (out ?? []).filter((item) => typeof item.json.id === 'string').length;
  return { label, calls: fake.calls.length, ms, ok };
}

// warm-up of both paths (n8n is a long-running process: its first execution's JIT and schema builds are not what a
// workflow of 1,000 items waits for), then the measured runs
await run('warm-batched', true, 50);
await run('warm-per-item', false, 50);
const batched = await run('batched', true);
const single = await run('per-item', false);
await sb.close();

const row = (r: typeof batched) =>
  `${r.label.padEnd(10)} ${String(r.calls).padStart(6)} calls ${(r.ms / 1000).toFixed(2).padStart(8)} s ${String(r.ok).padStart(6)} created`;
console.log(`CodeQR node, ${ITEMS} items "Create", sandbox with ${LATENCY_MS} ms latency per request`);
console.log(row(batched));
console.log(row(single));
const speedup = single.ms / batched.ms;
console.log(
  `batched: ${speedup.toFixed(1)}x faster, ${(single.calls / Math.max(1, batched.calls)).toFixed(0)}x fewer calls (target >= 60x faster, <= 10 calls)`,
);
// one machine-readable line per figure, for a root runner's table
const benchLine = (figure: Record<string, unknown>) => console.log(`BENCH ${JSON.stringify(figure)}`);
benchLine({
  figure: `n8n ${ITEMS} items Create, batched vs per item (${LATENCY_MS} ms latency)`,
  result: Number(speedup.toFixed(1)),
  unit: '×',
  target: '≥ 60×',
  anchor: 'the same node, one call per item',
  detail: `batched ${batched.calls} calls ${(batched.ms / 1000).toFixed(2)} s, per item ${single.calls} calls ${(single.ms / 1000).toFixed(2)} s; ${batched.ok}/${single.ok} created; both paths warmed up on 50 items first`,
});

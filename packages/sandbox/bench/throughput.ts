/**
 * Sandbox benchmark: start-up time (spawn → ready line) and requests/s under autocannon, the sandbox in its own
 * process. Prints one table; rerun with `npm run bench -w @codeqr-integrations/sandbox`.
 */
import autocannon from 'autocannon';
import { spawnSandbox, stop } from '../test/helpers.ts';

const KEY = 'codeqr_sandbox_bench';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);

const startups: number[] = [];
for (let i = 0; i < 5; i++) {
  const { child, ms } = await spawnSandbox(['--port', '0', '--link-port', '0', '--key', KEY, '--quiet']);
  startups.push(ms);
  await stop(child);
}
startups.sort((a, b) => a - b);

// scale plan with a 100 ms window: 100,000 requests/s allowed, so the limiter never caps the measurement
const { child, url } = await spawnSandbox([
  '--port',
  '0',
  '--link-port',
  '0',
  '--key',
  `${KEY}:scale`,
  '--window-ms',
  '100',
  '--quiet',
]);
const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
for (let i = 0; i < 50; i++) {
  await fetch(`${url}/qrcodes`, { method: 'POST', headers, body: JSON.stringify({ url: `https://example.com/${i}` }) });
}

async function load(title: string, opts: autocannon.Options) {
  const result = await autocannon({ connections: 16, duration: SECONDS, headers, ...opts });
  return {
    title,
    'req/s (avg)': Math.round(result.requests.average),
    'p50 ms': result.latency.p50,
    'p99 ms': result.latency.p99,
    'non-2xx': result.non2xx,
    errors: result.errors,
  };
}

const rows = [
  await load('GET /qrcodes?pageSize=10', { url: `${url}/qrcodes?pageSize=10` }),
  await load('GET /qrcodes/info (404 answer)', { url: `${url}/qrcodes/info?externalId=ext_missing` }),
  await load('POST /qrcodes', {
    url: `${url}/qrcodes`,
    method: 'POST',
    body: JSON.stringify({ url: 'https://example.com/bench' }),
  }),
];
await stop(child);

console.log(
  `sandbox start-up (spawn → ready line), 5 runs: median ${startups[2]!.toFixed(0)} ms, max ${startups[4]!.toFixed(0)} ms`,
);
console.table(rows);

/**
 * Core client benchmarks, side by side in one run against the sandbox in its own process (loopback):
 *  1. per-call overhead: client.qrcodes.get() vs raw fetch + JSON.parse of the same request, in paired rounds of
 *     alternating order, reported as the median paired ratio (target ≤ 1.25×);
 *  2. bulk create of 10,000 QR codes under a time-scaled Free-plan window vs the rate-limit lower bound
 *     (target ≤ 1.02×, zero 429s surfaced), with where the time goes window by window;
 *  3. bulk upsert of a 1,000-item catalogue: requests per run, counted by a counting transport (targets: new ≈ 10
 *     bulk calls plus reads; a rerun unchanged ≤ 15 requests and no write), against both withTags readings.
 * Ends with one `BENCH {json}` line per figure and a `BENCH_SERIES {json}` of the bulk run's requests over time.
 * Run: npm run bench -w @codeqr-integrations/core   (BENCH_CALLS, BENCH_WINDOW_MS to change the sizes;
 *      BENCH_ONLY=upsert for section 3 alone)
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createCodeQrClient, type RateLimitEvent, type Transport } from '@codeqr-integrations/core';
import { createFetchTransport } from '@codeqr-integrations/core/fetch';

const CALLS = Number(process.env.BENCH_CALLS ?? 4000);
const WINDOW_MS = Number(process.env.BENCH_WINDOW_MS ?? 6000);
const CODES = 10_000;
const FREE_LIMIT = 60;
const bin = fileURLToPath(new URL('../../sandbox/bin/codeqr-sandbox.js', import.meta.url));

function startSandbox(args: string[]): Promise<{ url: string; stop: () => void }> {
  const child = spawn(
    process.execPath,
    ['--conditions=source', bin, '--port', '0', '--link-port', '0', '--quiet', ...args],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk;
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve({ url: m[1]!, stop: () => child.kill('SIGTERM') });
    });
    child.once('exit', (code) => reject(new Error(`sandbox exited (${code})`)));
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// ---------------------------------------------------------------- 3. bulk upsert: requests per run
// (first, because it is quick; BENCH_ONLY=upsert stops after it)
async function upsertRequests(flags: string[]) {
  const box = await startSandbox(['--key', 'bench-upsert:business', '--window-ms', '1000', '--no-quotas', ...flags]);
  const seen: string[] = [];
  const http = createFetchTransport();
  const counting: Transport = (request) => {
    seen.push(`${request.method} ${new URL(request.url).pathname}`);
    return http(request);
  };
  const c = createCodeQrClient({ apiKey: 'bench-upsert', baseUrl: box.url, transport: counting });
  await c.tags.create({ name: 'Catalogue' });
  const catalogue = Array.from({ length: 1000 }, (_, i) => ({
    url: `https://example.com/catalogue/${i}`,
    externalId: `sku-${i}`,
    title: `Product ${i}`,
    tagNames: i % 3 === 0 ? ['Catalogue'] : [],
  }));
  const runs: Record<string, string | number>[] = [];
  const measure = async (name: string, items: typeof catalogue) => {
    seen.length = 0;
    const started = performance.now();
    const results = await c.qrcodes.upsertMany(items);
    const ms = performance.now() - started;
    const actions = results.map((r) => (r.ok ? r.action : `failed:${r.error.code}`));
    const tally = (a: string) => actions.filter((x) => x === a).length;
    const count = (p: RegExp) => seen.filter((x) => p.test(x)).length;
    runs.push({
      run: name,
      requests: seen.length,
      'bulk POSTs': count(/^POST \/qrcodes\/bulk$/),
      PUTs: count(/^PUT /),
      reads: count(/^GET /),
      'created/updated/unchanged/failed': `${tally('created')}/${tally('updated')}/${tally('unchanged')}/${actions.filter((a) => a.startsWith('failed')).length}`,
      ms: Math.round(ms),
    });
  };
  await measure('1,000 new items', catalogue);
  await measure('rerun, unchanged', catalogue);
  await measure(
    'rerun, 10 titles changed',
    catalogue.map((item, i) => (i % 100 === 0 ? { ...item, title: `${item.title} (new)` } : item)),
  );
  box.stop();
  return runs;
}
const upsertRuns: Record<string, string | number>[] = [
  ...(await upsertRequests([])).map((r) => ({ sandbox: 'docs', ...r })),
  ...(await upsertRequests(['--dub-bulk', '--dub-with-tags'])).map((r) => ({ sandbox: 'dub', ...r })),
];
const printUpsert = () => {
  console.log(
    '\nbulk upsert of a 1,000-item catalogue (targets: new ≈ 10 bulk POSTs plus reads; unchanged ≤ 15 requests, 0 writes)',
  );
  console.table(upsertRuns);
  const unchanged = upsertRuns.filter((r) => r.run === 'rerun, unchanged');
  const fresh = upsertRuns.filter((r) => r.run === '1,000 new items');
  const ok =
    unchanged.every((r) => Number(r.requests) <= 15 && r.PUTs === 0 && r['bulk POSTs'] === 0) &&
    fresh.every((r) => r['bulk POSTs'] === 10);
  console.log(`bulk upsert targets ${ok ? 'met' : 'MISSED'} under both sandbox styles`);
};
if (process.env.BENCH_ONLY === 'upsert') {
  printUpsert();
  process.exit(0);
}

// ---------------------------------------------------------------- 1. per-call overhead
const fast = await startSandbox(['--key', 'bench:scale', '--window-ms', '100']);
const client = createCodeQrClient({ apiKey: 'bench', baseUrl: fast.url });
const qr = await client.qrcodes.create({ url: 'https://example.com/bench', externalId: 'bench-1', title: 'Bench' });
const infoUrl = `${fast.url}/qrcodes/info?qrCodeId=${qr.id}`;
const rawFetch = async () => {
  const res = await fetch(infoUrl, { headers: { authorization: 'Bearer bench', accept: 'application/json' } });
  if (res.status !== 200) throw new Error(`status ${res.status}`);
  return JSON.parse(await res.text());
};
const viaClient = () => client.qrcodes.get({ id: qr.id });

async function timeSequential(fn: () => Promise<unknown>, n: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < n; i++) await fn();
  return ((performance.now() - start) * 1000) / n; // µs per call
}
for (const fn of [rawFetch, viaClient]) await timeSequential(fn, 300); // warm-up
const ROUNDS = 10;
const rounds: { fetch: number; client: number }[] = [];
for (let round = 0; round < ROUNDS; round++) {
  // paired rounds in alternating order, so drift on this noisy machine hits both sides alike
  const first = round % 2 === 0 ? rawFetch : viaClient;
  const second = first === rawFetch ? viaClient : rawFetch;
  const a = await timeSequential(first, CALLS / ROUNDS / 2);
  const b = await timeSequential(second, CALLS / ROUNDS / 2);
  rounds.push(first === rawFetch ? { fetch: a, client: b } : { fetch: b, client: a });
}
const fetchUs = median(rounds.map((r) => r.fetch));
const clientUs = median(rounds.map((r) => r.client));
const callRatio = median(rounds.map((r) => r.client / r.fetch)); // median of the paired ratios

// the bulk run's unthrottled per-request time, measured on the scale plan (no rate limit in the way)
const items = (prefix: string) =>
  Array.from({ length: CODES }, (_, i) => ({ url: `https://example.com/${prefix}/${i}` }));
// (the fastest of two runs, so the bound is a true lower bound rather than a slow sample)
let unthrottledMs = Number.POSITIVE_INFINITY;
for (const run of ['scale-a', 'scale-b']) {
  const unthrottledStart = performance.now();
  const unthrottled = await client.qrcodes.bulkCreate(items(run));
  unthrottledMs = Math.min(unthrottledMs, performance.now() - unthrottledStart);
  if (unthrottled.some((r) => !r.ok)) throw new Error('unthrottled bulk create failed');
}
fast.stop();

// ---------------------------------------------------------------- 2. bulk create under the Free plan
// --no-quotas: the Free plan's 10 QR codes a month would stop the run; only its rate limit is measured here
const free = await startSandbox(['--key', 'bench-free:free', '--window-ms', String(WINDOW_MS), '--no-quotas']);
const events: RateLimitEvent[] = [];
// every request's send and answer time (ms since the run started), for the per-phase timing and the chart
const requests: { sent: number; answered: number; status: number }[] = [];
const fetchTransport = createFetchTransport();
let started = 0;
const timing: Transport = async (request) => {
  const sent = performance.now() - started;
  const response = await fetchTransport(request);
  requests.push({ sent, answered: performance.now() - started, status: response.status });
  return response;
};
const freeClient = createCodeQrClient({
  apiKey: 'bench-free',
  baseUrl: free.url,
  transport: timing,
  onRateLimit: (e) => events.push(e),
});
// start at the beginning of a window (windows are aligned to multiples of WINDOW_MS), as the bound assumes
await new Promise((r) => setTimeout(r, WINDOW_MS - (Date.now() % WINDOW_MS) + 5));
started = performance.now();
const results = await freeClient.qrcodes.bulkCreate(items('free'));
const elapsedMs = performance.now() - started;
free.stop();

const calls = Math.ceil(CODES / 100);
const windows = Math.ceil(calls / FREE_LIMIT);
const perCallMs = unthrottledMs / calls;
// lower bound: every full window must pass, then the last window's calls at unthrottled speed
const boundMs = (windows - 1) * WINDOW_MS + (calls - (windows - 1) * FREE_LIMIT) * perCallMs;
const failed = results.filter((r) => !r.ok).length;
const surfaced429 = events.filter((e) => e.reason === '429').length;
const bulkRatio = elapsedMs / boundMs;

// where the bulk run's time goes, window by window (windows counted from the run's start, which is a window start)
requests.sort((a, b) => a.sent - b.sent);
const phases = Array.from({ length: windows }, (_, w) => {
  const inWindow = requests.filter((r) => Math.floor(r.sent / WINDOW_MS) === w);
  const base = w * WINDOW_MS;
  const firstSent = Math.min(...inWindow.map((r) => r.sent)) - base;
  const lastAnswered = Math.max(...inWindow.map((r) => r.answered)) - base;
  const allowed = Math.min(FREE_LIMIT, calls - w * FREE_LIMIT);
  return {
    window: w + 1,
    requests: inWindow.length,
    'first sent (ms into window)': Math.round(firstSent),
    // the probe: the window's first request goes alone, the rest wait for its answer's budget
    'second sent (ms into window)': Math.round((inWindow[1]?.sent ?? Number.NaN) - base),
    'last answered (ms into window)': Math.round(lastAnswered),
    'bound (ms into window)': Math.round(w === windows - 1 ? allowed * perCallMs : WINDOW_MS),
  };
});
const lastAnswer = Math.max(...requests.map((r) => r.answered));
const firstSend = Math.min(...requests.map((r) => r.sent));
const lastWindow = phases[phases.length - 1]!;
// the bound's last window: its calls back to back at the unthrottled speed, from the window's start
const lastWindowBoundMs = (calls - (windows - 1) * FREE_LIMIT) * perCallMs;
const phaseSummary = {
  'before the first request (validation, setup)': firstSend,
  'last window: start delay (pacer margin + probe)': lastWindow['first sent (ms into window)'],
  'last window: over its bound': lastWindow['last answered (ms into window)'] - lastWindowBoundMs,
  'after the last answer (results)': elapsedMs - lastAnswer,
  'total over the bound': elapsedMs - boundMs,
};

console.log(`\nCodeQR core client benchmarks (Node ${process.version}, loopback sandbox in its own process)\n`);
console.table([
  {
    benchmark: `GET /qrcodes/info, ${CALLS} sequential calls (median of ${ROUNDS} paired rounds)`,
    'raw fetch': `${fetchUs.toFixed(0)} µs/call`,
    client: `${clientUs.toFixed(0)} µs/call`,
    ratio: `${callRatio.toFixed(2)}× (target ≤ 1.25×)`,
  },
  {
    benchmark: `bulk create ${CODES} codes, Free plan (${FREE_LIMIT}/window, window ${WINDOW_MS} ms)`,
    'raw fetch': `bound ${(boundMs / 1000).toFixed(2)} s`,
    client: `${(elapsedMs / 1000).toFixed(2)} s`,
    ratio: `${bulkRatio.toFixed(3)}× (target ≤ 1.02×)`,
  },
]);
console.log(
  `bulk: ${results.length - failed}/${CODES} created, ${failed} failed, 429 answers seen by the client: ${surfaced429}, paced waits: ${events.filter((e) => e.reason === 'paced').length}; unthrottled run (scale plan): ${(unthrottledMs / 1000).toFixed(2)} s`,
);
console.log(
  `\nbulk run by window (${WINDOW_MS} ms windows of ${FREE_LIMIT} requests; ${perCallMs.toFixed(1)} ms per request unthrottled)`,
);
console.table(phases);
console.log('bulk run, where the time over the bound goes (ms):');
console.table(Object.fromEntries(Object.entries(phaseSummary).map(([k, v]) => [k, { ms: Math.round(v) }])));
printUpsert();

// one machine-readable line per figure (for a root runner's table), then the bulk run's requests for a chart
const benchLine = (figure: Record<string, unknown>) => console.log(`BENCH ${JSON.stringify(figure)}`);
benchLine({
  figure: 'client qrcodes.get per call vs raw fetch',
  result: Number(callRatio.toFixed(3)),
  unit: '×',
  target: '≤ 1.25×',
  anchor: 'raw fetch + JSON.parse',
  detail: `median of ${ROUNDS} paired rounds, ${CALLS} sequential calls: fetch ${fetchUs.toFixed(0)} µs, client ${clientUs.toFixed(0)} µs (loopback sandbox)`,
});
benchLine({
  figure: `bulk create ${CODES} codes on a Free window vs the rate-limit bound`,
  result: Number(bulkRatio.toFixed(4)),
  unit: '×',
  target: '≤ 1.02×',
  anchor: 'rate-limit lower bound (full windows, then the last calls at unthrottled speed)',
  detail: `${(elapsedMs / 1000).toFixed(2)} s vs bound ${(boundMs / 1000).toFixed(2)} s, ${WINDOW_MS} ms windows of ${FREE_LIMIT}; ${failed} failed, ${surfaced429} 429s; over the bound: ${Object.entries(
    phaseSummary,
  )
    .map(([k, v]) => `${k} ${Math.round(v)} ms`)
    .join(', ')}`,
});
const points: [number, number][] = requests.map((r, i) => [Math.round(r.sent), i + 1]);
// the bound as a schedule: each window's calls back to back at the unthrottled speed, from the window's start
const bound: [number, number][] = [[0, 0]];
for (let w = 0, done = 0; w < windows; w++) {
  const n = Math.min(FREE_LIMIT, calls - done);
  bound.push([w * WINDOW_MS, done], [Math.round(w * WINDOW_MS + n * perCallMs), done + n]);
  done += n;
}
console.log(`BENCH_SERIES ${JSON.stringify({ name: 'bulk-requests', points, bound })}`);
process.exit(0);

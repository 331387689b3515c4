/**
 * n8n's queue mode with this node (issue 18 §3): Redis, one main process and `--workers` `n8n worker` processes,
 * EXECUTIONS_MODE=queue, against the sandbox. Prints figures and one `BENCH {json}` line per figure; asserts nothing.
 *  1. `--codes` QR codes (default 10,000) created by a webhook-started workflow over `--codes / --per-call` webhook
 *     calls (default 100 × 100 items), all on one Free-plan key (60 requests per window, the window scaled to
 *     `--window-ms`): each code exactly once (by External ID, in the sandbox), failed executions (and those for a
 *     rate limit), and the key's window use (accepted requests ÷ what the limit allows; target ≥ 0.9×).
 *     `--batching on` sends 100 codes per bulk call (the node's default); `off` (default here) one call per code,
 *     which makes the rate limit, not n8n, the bottleneck.
 *  2. The polling trigger (New Scan, every minute) in queue mode: bursts of scans, each emitted once (`--no-polling`).
 * Run: npm run bench:queue -w @codeqr-integrations/n8n-nodes-codeqr -- --codes 2000 --window-ms 1000
 */
import { createServer } from 'node:http';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startSandbox } from '@codeqr-integrations/sandbox';
import { queueCluster } from '../e2e/queue-cluster.ts';
import { bench, executionStatuses, failureCauses, isDone, type Seen, windowUse } from '../e2e/queue-figures.ts';
import {
  BUSINESS_CREDENTIAL,
  CREATE_WORKFLOW_ID,
  createWorkflow,
  FREE_CREDENTIAL,
  POLLING_WORKFLOW_ID,
  pollingWorkflow,
  WEBHOOK_PATH,
} from '../e2e/queue-workflows.ts';

const { values: args } = parseArgs({
  options: {
    codes: { type: 'string', default: '10000' },
    'per-call': { type: 'string', default: '100' },
    workers: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '3' },
    'window-ms': { type: 'string', default: '2000' },
    batching: { type: 'string', default: 'off' },
    'no-polling': { type: 'boolean', default: false },
    'call-interval-ms': { type: 'string', default: '1000' },
    'timeout-s': { type: 'string', default: '1800' },
  },
});
const CODES = Number(args.codes);
const PER_CALL = Number(args['per-call']);
const CALLS = Math.ceil(CODES / PER_CALL);
const WINDOW_MS = Number(args['window-ms']);
const BATCHING = args.batching === 'on';
const FREE_LIMIT = 60;
const FREE = 'codeqr_queue_free_key';
const BUSINESS = 'codeqr_queue_business_key';
const RUN = Date.now().toString(36);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const seenFree: Seen[] = [];
let eventsPolls = 0;
const sb = await startSandbox({
  keys: [
    { key: FREE, plan: 'free' },
    { key: BUSINESS, plan: 'business' },
  ],
  windowMs: WINDOW_MS,
  quotas: false, // Free's 10 codes a month would stop the run; its rate limit is what is measured
  linkPort: 0,
  onExchange: (x) => {
    if (x.path.startsWith('/__sandbox')) return;
    // the sandbox keeps no Authorization header: the Free key is the one whose answers say "limit 60"
    if (x.responseHeaders['x-ratelimit-limit'] === String(FREE_LIMIT))
      seenFree.push({ at: Date.now(), status: x.status });
    else if (x.path === '/events') eventsPolls++;
  },
});
const sunk: { id?: string }[] = [];
const sink = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    sunk.push(JSON.parse(Buffer.concat(chunks).toString() || '{}'));
    res.end('{}');
  });
});
await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
const sinkUrl = `http://127.0.0.1:${(sink.address() as { port: number }).port}/sink`;

console.log(
  `n8n queue mode: ${args.workers} workers × concurrency ${args.concurrency}, ${CODES} codes as ${CALLS} webhook calls × ${PER_CALL}, ` +
    `batching ${BATCHING ? 'on' : 'off'}, Free key ${FREE_LIMIT} per ${WINDOW_MS} ms window`,
);
const cluster = await queueCluster({ workers: Number(args.workers), concurrency: Number(args.concurrency) });
const { home } = cluster;
const database = join(home.userFolder, '.n8n/database.sqlite');
try {
  home.importCredentials([
    { ...FREE_CREDENTIAL, type: 'codeQrApi', data: { apiKey: FREE, baseUrl: sb.url } },
    { ...BUSINESS_CREDENTIAL, type: 'codeQrApi', data: { apiKey: BUSINESS, baseUrl: sb.url } },
  ]);
  home.importWorkflow(createWorkflow(BATCHING));
  home.cli(['publish:workflow', `--id=${CREATE_WORKFLOW_ID}`]);
  const polling = !args['no-polling'];
  const created = await fetch(`${sb.url}/qrcodes`, {
    method: 'POST',
    headers: { authorization: `Bearer ${BUSINESS}`, 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'url', url: 'https://example.com/queue-polled' }),
  }).then((r) => r.json() as Promise<{ id: string }>);
  if (polling) {
    home.importWorkflow(pollingWorkflow(sinkUrl, created.id));
    home.cli(['publish:workflow', `--id=${POLLING_WORKFLOW_ID}`]);
  }
  await cluster.start();
  console.log(`main + ${cluster.workers.length} workers up; Redis on ${cluster.redis.port}`);

  // ---- 2. polling trigger: bursts of scans while the load runs, each must come out once
  const recorded: string[] = [];
  const pollingDone = (async () => {
    if (!polling) return;
    const waitPolls = async (n: number) => {
      const target = eventsPolls + n;
      while (eventsPolls < target) await sleep(500);
    };
    await waitPolls(1); // the first poll only records where things stand
    for (const [count, intervalMs] of [
      [40, 3],
      [250, 0], // one millisecond
      [60, 1],
    ] as const) {
      const out = await fetch(`${sb.url}/__sandbox/scans`, {
        method: 'POST',
        headers: { authorization: `Bearer ${BUSINESS}`, 'content-type': 'application/json' },
        body: JSON.stringify({ qrCodeId: created.id, count, intervalMs }),
      }).then((r) => r.json() as Promise<{ recorded: { id: string }[] }>);
      recorded.push(...out.recorded.map((s) => s.id));
      await waitPolls(1);
    }
    await waitPolls(1); // one quiet poll: nothing more may come
    await sleep(5000);
  })();

  // ---- 1. the load: CALLS webhook calls, answered at once by main, run by the workers
  await sleep(WINDOW_MS - (Date.now() % WINDOW_MS) + 5); // start at a window boundary
  const started = Date.now();
  const answers: number[] = [];
  // the calls arrive over time, one every --call-interval-ms (0: all at once), as a shop's orders would
  const interval = Number(args['call-interval-ms']);
  await Promise.all(
    Array.from({ length: CALLS }, async (_, call) => {
      {
        await sleep(call * interval);
        const items = Array.from({ length: Math.min(PER_CALL, CODES - call * PER_CALL) }, (_, j) => {
          const i = call * PER_CALL + j;
          return { url: `https://example.com/queue/${RUN}/${i}`, externalId: `q-${RUN}-${i}` };
        });
        const res = await fetch(`${home.url}/webhook/${WEBHOOK_PATH}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ items }),
        });
        answers.push(res.status);
        await res.arrayBuffer();
      }
    }),
  );
  const deadline = Date.now() + Number(args['timeout-s']) * 1000;
  let statuses: Record<string, number> = {};
  // done when every call's execution has ended, or when nothing moved for 60 s (an execution whose end n8n could not
  // write, SQLITE_BUSY, stays "running" for ever)
  let lastChange = Date.now();
  let lastMark = '';
  for (;;) {
    statuses = executionStatuses(database, CREATE_WORKFLOW_ID);
    const done = Object.entries(statuses).reduce((a, [s, n]) => a + (isDone(s) ? n : 0), 0);
    const mark = `${JSON.stringify(statuses)} ${seenFree.length}`;
    if (mark !== lastMark) [lastMark, lastChange] = [mark, Date.now()];
    if (done >= CALLS || Date.now() > deadline || Date.now() - lastChange > 60_000) break;
    await sleep(1000);
  }
  const elapsed = (Date.now() - started) / 1000;
  await pollingDone;

  // ---- figures
  const codes = sb.project(FREE).data.qrCodes.filter((q) => q.externalId?.startsWith(`q-${RUN}-`));
  const byExt = new Map<string, number>();
  for (const q of codes) byExt.set(q.externalId as string, (byExt.get(q.externalId as string) ?? 0) + 1);
  const duplicates = [...byExt.values()].filter((n) => n > 1).length;
  const missing = CODES - byExt.size;
  const failed = (statuses.error ?? 0) + (statuses.crashed ?? 0);
  const causes = failureCauses(database, CREATE_WORKFLOW_ID);
  const failedForRate = causes.rateLimit;
  for (const sample of causes.samples) console.log(`failed execution (other cause): ${sample}`);
  const use = windowUse(seenFree, WINDOW_MS, FREE_LIMIT);
  const on429 = seenFree.filter((s) => s.status === 429).length;
  const perWorker = cluster.workers.map((w) => (w.log().match(/Worker started execution/g) ?? []).length);
  const rejected = answers.filter((s) => s !== 200).length;
  console.log(
    `load: ${CALLS} webhook calls (${rejected} not answered 200), executions ${JSON.stringify(statuses)} ` +
      `(failed for a rate limit ${failedForRate}, SQLITE_BUSY ${causes.sqliteBusy}, other ${causes.other}) ` +
      `(per worker ${perWorker.join('/')}), ${elapsed.toFixed(1)} s; codes ${byExt.size}/${CODES} ` +
      `(duplicates ${duplicates}, missing ${missing}); API requests accepted ${use.accepted}, 429s absorbed ${on429}; ` +
      `window use ${use.ratio.toFixed(3)}× over ${use.windows} full windows (${use.spread}); load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
  );
  const setup = `${args.workers} workers×${args.concurrency}, ${CALLS}×${PER_CALL} items, batching ${BATCHING ? 'on' : 'off'}, Free ${FREE_LIMIT}/${WINDOW_MS} ms`;
  bench(
    'n8n queue: codes created exactly once',
    byExt.size - duplicates,
    'count',
    `${CODES}`,
    'QR codes sent (External IDs)',
    `${setup}; duplicates ${duplicates}, missing ${missing}`,
  );
  bench(
    'n8n queue: failed executions for rate limits',
    failedForRate,
    'count',
    '0',
    'executions started by the webhook calls',
    `${setup}; failed executions in all ${failed} (SQLITE_BUSY ${causes.sqliteBusy}, other ${causes.other}), 429s absorbed ${on429}`,
  );
  bench(
    'n8n queue: throughput vs the key limit',
    Number(use.ratio.toFixed(3)),
    '×',
    '≥ 0.9×',
    'the key limit: 60 accepted requests per window',
    `${setup}; ${use.accepted} accepted requests, ${use.windows} full windows, ${elapsed.toFixed(1)} s`,
  );
  if (polling) {
    const ids = sunk.map((s) => String(s.id));
    const once = recorded.filter((id) => ids.filter((x) => x === id).length === 1).length;
    const extra = ids.length - new Set(ids).size + ids.filter((id) => !recorded.includes(id)).length;
    console.log(
      `polling: ${recorded.length} scans recorded, ${ids.length} emitted over ${eventsPolls} GET /events, ${once} exactly once, ${extra} extra`,
    );
    bench(
      'n8n queue: polled scans emitted exactly once',
      once,
      'count',
      `${recorded.length}`,
      'scans recorded in the sandbox',
      `New Scan every minute, ${eventsPolls} GET /events; ${ids.length} emitted, ${extra} duplicates or unknown`,
    );
  }
} finally {
  await cluster.stop();
  sink.close();
  await sb.close();
}
process.exit(0);

/**
 * Concurrent Zap runs on one key (issue 18 §3): BENCH_RUNS separate processes (Zapier runs each Zap run in its own
 * Lambda), each one "Create QR Code" step through createAppTester (bench/step.ts), released at the same moment on one
 * Free-plan key (60 requests per window). For each window length in BENCH_WINDOWS (default 60,000 ms, CodeQR's, and
 * 2,000 ms) prints runs ok / throttled (Zapier's ThrottledError: Zapier runs the step again later) / failed, the runs
 * that failed for a 429 a ThrottledError could have retried later (target 0), and each External ID created at most
 * once (a throttled run creates nothing, so Zapier's retry cannot duplicate). Asserts nothing.
 * Run: npm run bench:concurrent -w codeqr-zapier   (BENCH_RUNS, default 100; BENCH_WINDOWS, comma-separated ms)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startSandbox } from '@codeqr-integrations/sandbox';

const RUNS = Number(process.env.BENCH_RUNS ?? 100);
const WINDOWS = (process.env.BENCH_WINDOWS ?? '60000,2000').split(',').map(Number);
const FREE_LIMIT = 60;
const KEY = 'codeqr_sandbox_zapier_free_key';
const step = fileURLToPath(new URL('./step.ts', import.meta.url));

interface Outcome {
  outcome: 'ok' | 'throttled' | 'failed';
  name?: string;
  message?: string;
  delay?: number;
  status?: number;
  code?: string;
  ms: number;
}

function lines(child: ChildProcess, onLine: (line: string) => void) {
  let buffer = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    for (let at = buffer.indexOf('\n'); at >= 0; at = buffer.indexOf('\n')) {
      onLine(buffer.slice(0, at));
      buffer = buffer.slice(at + 1);
    }
  });
}

async function round(windowMs: number) {
  let on429 = 0;
  const sb = await startSandbox({
    keys: [{ key: KEY, plan: 'free' }],
    windowMs,
    quotas: false, // Free's 10 codes a month would refuse most runs; the rate limit is what is measured
    linkPort: 0,
    onExchange: (x) => {
      if (x.status === 429) on429++;
    },
  });
  const run = `${Date.now().toString(36)}-${windowMs}`;
  const children = Array.from({ length: RUNS }, (_, i) => {
    const child = spawn(process.execPath, ['--conditions=source', step], {
      env: { ...process.env, CODEQR_API_BASE_URL: sb.url, BENCH_KEY: KEY, BENCH_EXTERNAL_ID: `zap-${run}-${i}` },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const ready = new Promise<void>((r) => lines(child, (l) => l === 'ready' && r()));
    const result = new Promise<Outcome>((r) =>
      lines(child, (l) => {
        if (l.startsWith('{')) r(JSON.parse(l) as Outcome);
      }),
    );
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    return { child, ready, result, exited };
  });
  await Promise.all(children.map((c) => c.ready));
  // release them together at the start of a window (the sandbox's windows are aligned to the epoch)
  await new Promise((r) => setTimeout(r, windowMs - (Date.now() % windowMs) + 5));
  for (const c of children) c.child.stdin?.end('go\n');
  const outcomes = await Promise.all(children.map((c) => c.result));
  await Promise.all(children.map((c) => c.exited));

  const count = (o: Outcome['outcome']) => outcomes.filter((x) => x.outcome === o).length;
  const failedFor429 = outcomes.filter(
    (x) => x.outcome === 'failed' && (x.status === 429 || /429|rate.?limit|too many/i.test(x.message ?? '')),
  ).length;
  const stored = sb.project(KEY).data.qrCodes.filter((q) => q.externalId?.startsWith(`zap-${run}-`));
  const ids = new Set(stored.map((q) => q.externalId));
  const duplicates = stored.length - ids.size;
  const delays = outcomes.filter((x) => x.outcome === 'throttled').map((x) => x.delay ?? 0);
  const slowest = Math.max(...outcomes.map((x) => x.ms));
  await sb.close();
  const setup = `${RUNS} runs in ${RUNS} processes, one Free key (${FREE_LIMIT}/${windowMs} ms)`;
  console.log(
    `${setup}: ok ${count('ok')} / throttled (retry later) ${count('throttled')} / failed ${count('failed')}` +
      ` (for a 429: ${failedFor429}); ${on429} 429 answers; codes ${stored.length} (duplicates ${duplicates});` +
      ` throttled delays ${delays.length ? `${Math.min(...delays)}-${Math.max(...delays)} s` : '-'}; slowest run ${(slowest / 1000).toFixed(1)} s`,
  );
  for (const x of outcomes.filter((o) => o.outcome === 'failed').slice(0, 3))
    console.log(`  failed: ${JSON.stringify(x)}`);
  console.log(
    `BENCH ${JSON.stringify({
      figure: `Zapier concurrent runs failed for a 429 (window ${windowMs} ms)`,
      result: failedFor429,
      unit: 'count',
      target: '0',
      anchor: 'runs released at once',
      detail: `${setup}: ok ${count('ok')}, throttled (retry later) ${count('throttled')}, failed ${count('failed')}; codes ${stored.length}, duplicates ${duplicates}`,
    })}`,
  );
}

console.log(`Zapier: ${RUNS} concurrent "Create QR Code" runs, each in its own process, on one Free-plan key`);
for (const windowMs of WINDOWS) await round(windowMs);
process.exit(0);

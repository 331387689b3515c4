/**
 * Cold start of the committed bundle, printed, never asserted: `node dist/index.js` from spawn until its first
 * request reaches a local server, side by side with `node -e 0` (spawn to exit) in the same run, interleaved so the
 * machine's noise hits both alike; plus the dist size.  Run: `npm run bench -w codeqr-github-action`.
 * `BENCH_BASELINE=/path/to/an/older/index.js` also times that bundle in the same interleaved runs (before / after).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist', 'index.js');
const runs = Number(process.env.BENCH_RUNS ?? 25);
const baseline = process.env.BENCH_BASELINE;
const node = process.execPath;

let onRequest: (() => void) | undefined;
const server = createServer((_req, res) => {
  onRequest?.();
  res.writeHead(404, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { code: 'not_found', message: 'not found' } }));
});
await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const env = {
  PATH: process.env.PATH ?? '',
  INPUT_OPERATION: 'get-qr-code',
  'INPUT_QR-CODE-ID': 'qr_bench',
  'INPUT_API-KEY': 'codeqr_bench_key',
  'INPUT_API-BASE-URL': url,
  INPUT_SUMMARY: 'false',
};

function timeAction(file = dist): Promise<number> {
  return new Promise((done, fail) => {
    const start = process.hrtime.bigint();
    const child = spawn(node, [file], { env, stdio: 'ignore' });
    onRequest = () => {
      onRequest = undefined;
      done(Number(process.hrtime.bigint() - start) / 1e6);
    };
    child.on('error', fail);
    child.on('exit', () => {
      if (onRequest) fail(new Error('the action exited without sending a request'));
    });
  });
}

function timeBare(): Promise<number> {
  return new Promise((done, fail) => {
    const start = process.hrtime.bigint();
    const child = spawn(node, ['-e', '0'], { env: { PATH: env.PATH }, stdio: 'ignore' });
    child.on('error', fail);
    child.on('exit', () => done(Number(process.hrtime.bigint() - start) / 1e6));
  });
}

// where the time goes: core's registry alone (every operation's zod schemas), bundled the way dist bundles it
const scratch = mkdtempSync(join(tmpdir(), 'codeqr-bench-'));
const { build } = await import('esbuild');
writeFileSync(
  join(scratch, 'core.ts'),
  "import { actions } from '@codeqr-integrations/core/base';\nif (!actions.length) process.exit(1);\n",
);
await build({
  entryPoints: [join(scratch, 'core.ts')],
  absWorkingDir: root,
  nodePaths: [join(root, 'node_modules'), join(root, '..', '..', 'node_modules')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  minify: true,
  conditions: ['source'],
  outfile: join(scratch, 'core.mjs'),
  logLevel: 'error',
});

function timeCore(): Promise<number> {
  return new Promise((done, fail) => {
    const start = process.hrtime.bigint();
    const child = spawn(node, [join(scratch, 'core.mjs')], { env: { PATH: env.PATH }, stdio: 'ignore' });
    child.on('error', fail);
    child.on('exit', () => done(Number(process.hrtime.bigint() - start) / 1e6));
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};

const action: number[] = [];
const bare: number[] = [];
const coreOnly: number[] = [];
const before: number[] = [];
for (let i = 0; i < 3; i++) {
  await timeBare();
  await timeAction();
  await timeCore();
  if (baseline) await timeAction(baseline);
}
for (let i = 0; i < runs; i++) {
  bare.push(await timeBare());
  action.push(await timeAction());
  coreOnly.push(await timeCore());
  if (baseline) before.push(await timeAction(baseline));
}
server.close();
server.closeAllConnections();
rmSync(scratch, { recursive: true, force: true });

const size = statSync(dist).size;
console.log(`node ${process.version}, ${runs} interleaved runs each (medians)`);
console.log(`node -e 0 (spawn to exit):                     ${median(bare).toFixed(1)} ms`);
console.log(`node dist/index.js (spawn to first request):   ${median(action).toFixed(1)} ms`);
console.log(
  `ratio:                                         ${(median(action) / median(bare)).toFixed(2)}x  (target <= 1.5x)`,
);
console.log(
  `of which node + core's registry import alone:  ${median(coreOnly).toFixed(1)} ms  (${(median(coreOnly) / median(bare)).toFixed(2)}x node -e 0)`,
);
console.log(`dist/index.js:                                 ${(size / 1024).toFixed(1)} KB  (target <= 500 KB)`);
if (baseline) {
  console.log(
    `baseline ${baseline}: ${median(before).toFixed(1)} ms  (${(median(before) / median(bare)).toFixed(2)}x node -e 0, ${(statSync(baseline).size / 1024).toFixed(1)} KB)`,
  );
}

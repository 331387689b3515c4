/**
 * One Zap run in its own process (Zapier runs each in its own Lambda): the app's "Create QR Code" step through
 * zapier-platform-core's createAppTester, as the app's tests run it. Prints `ready`, waits for a line on stdin, runs
 * the step once and prints one JSON line: `{ outcome: "ok" | "throttled" | "failed", ... }`. Used by concurrent.ts.
 * Env: CODEQR_API_BASE_URL (the sandbox), BENCH_KEY, BENCH_EXTERNAL_ID.
 */
import { createInterface } from 'node:readline';
import zapier from 'zapier-platform-core';
import app from '../src/index.ts';

const appTester = zapier.createAppTester(app);
const perform = app.creates.createQrCode?.operation.perform;
const externalId = process.env.BENCH_EXTERNAL_ID ?? 'bench';
console.log('ready');
await new Promise<void>((go) => createInterface({ input: process.stdin }).once('line', () => go()));
const started = Date.now();
try {
  await appTester(
    perform as never,
    {
      authData: { apiKey: process.env.BENCH_KEY },
      inputData: { url: `https://example.com/zap/${externalId}`, externalId },
      meta: { isLoadingSample: false, isFillingDynamicDropdown: false, isPopulatingDedupe: false },
    } as never,
  );
  console.log(JSON.stringify({ outcome: 'ok', ms: Date.now() - started }));
} catch (error) {
  const e = error as Error;
  let body: { message?: string; delay?: number; status?: number; code?: string } = {};
  try {
    body = JSON.parse(e.message);
  } catch {
    body = { message: e.message };
  }
  const outcome = e.name === 'ThrottledError' ? 'throttled' : 'failed';
  console.log(JSON.stringify({ outcome, name: e.name, ...body, ms: Date.now() - started }));
}
process.exit(0);

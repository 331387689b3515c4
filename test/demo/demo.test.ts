/**
 * `npm start` headless (`scripts/demo.ts --headless`), run as a child process the way a user runs it: every step
 * reports what it did (core's created/updated/unchanged, the Action's second run all unchanged, the Zapier create
 * and search, each simulated scan emitted exactly once, a PNG that decodes to the code's short link), the sandbox is
 * closed and the exit code says whether every step passed.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeQrPng } from '../support/qr-decode.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Node 24 from the repo's `node` devDependency, as `npm start` runs it. */
const node24 = join(root, 'node_modules', '.bin', 'node');
const outs: string[] = [];

interface StepLine {
  step: string;
  ok: boolean;
  ms: number;
  result?: Record<string, unknown>;
  error?: string;
}

function runDemo(args: string[], env: Record<string, string> = {}) {
  const out = mkdtempSync(join(tmpdir(), 'codeqr-demo-test-'));
  outs.push(out);
  return new Promise<{ code: number | null; steps: StepLine[]; stdout: string; stderr: string; out: string }>(
    (resolve, reject) => {
      const child = spawn(node24, ['--conditions=source', 'scripts/demo.ts', '--port', '0', '--out', out, ...args], {
        cwd: root,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => {
        stdout += d;
      });
      child.stderr.on('data', (d) => {
        stderr += d;
      });
      child.on('error', reject);
      child.on('close', (code) => {
        const lines = stdout.split('\n').filter((line) => line.trim() !== '');
        // headless stdout is JSON lines only: anything else (a library's log line) fails the parse
        resolve({ code, steps: lines.map((line) => JSON.parse(line) as StepLine), stdout, stderr, out });
      });
    },
  );
}

afterAll(() => {
  for (const out of outs) rmSync(out, { recursive: true, force: true });
});

describe('npm start --headless', () => {
  it('runs every step on the sandbox, reports each result as a JSON line, stops the sandbox and exits 0', async () => {
    const run = await runDemo(['--headless']);
    expect(run.stderr).toBe('');
    expect(run.code, run.stdout).toBe(0);
    expect(run.steps.map((s) => [s.step, s.ok])).toEqual([
      ['sandbox', true],
      ['core', true],
      ['action', true],
      ['zapier', true],
      ['scans', true],
      ['images', true],
      ['commands', true],
    ]);
    const result = (step: string) => run.steps.find((s) => s.step === step)?.result as Record<string, unknown>;

    const sandbox = result('sandbox');
    expect(sandbox).toMatchObject({ apiKey: 'codeqr_sandbox_demo', plan: 'business', portFallback: false });
    expect(sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    expect(result('core')).toMatchObject({ created: 3, updated: 2, unchanged: 1 });
    expect(
      (result('core').calls as { call: string; externalId: string; action: string }[]).map((c) => c.action),
    ).toEqual(['created', 'created', 'updated', 'unchanged', 'updated', 'created']);

    // the Action's committed dist, twice on the same 5-row catalogue: the second run writes nothing
    expect(result('action')).toMatchObject({
      rows: 5,
      runs: [
        { code: 0, created: 5, updated: 0, unchanged: 0, failed: 0 },
        { code: 0, created: 0, updated: 0, unchanged: 5, failed: 0 },
      ],
    });
    const results = readFileSync(join(result('action').workspace as string, 'codeqr-results.csv'), 'utf8');
    expect(results.trim().split('\n')).toHaveLength(6);

    const zapier = result('zapier') as { create: { id: string; externalId: string }; search: unknown };
    expect(zapier.create.id).toMatch(/\w{6,}/);
    expect(zapier.create.externalId).toBe('zap-demo');
    expect(zapier.search).toEqual({ found: 1, sameId: true });

    // poll 1 primes, poll 2 emits the 5 simulated scans (each once, the recorded ids), poll 3 nothing
    expect(result('scans')).toEqual({
      strategy: 'events',
      simulated: 5,
      polls: [
        { primed: true, emitted: 0 },
        { primed: false, emitted: 5 },
        { primed: false, emitted: 0 },
      ],
      scansEmitted: 5,
      emittedOnce: true,
    });

    const images = result('images') as { png: string; svg: string; content: string; dir: string };
    expect(images.dir).toBe(run.out);
    expect(images.content).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\w+$/);
    expect(decodeQrPng(readFileSync(images.png))).toBe(images.content);
    const svg = readFileSync(images.svg, 'utf8');
    expect(svg).toMatch(/^<svg[^>]*viewBox/);
    expect(svg).toContain('<path');

    const commands = result('commands') as Record<string, string>;
    expect(commands.n8n).toBe('npm run n8n');
    expect(commands.zapier).toContain(`npm run zapier -- invoke createQrCode --sandbox=${sandbox.url}`);
    expect(commands.action).toMatch(/^uses: \S+@v1$/);
    expect(commands.curl).toContain(`${sandbox.url}/qrcodes`);

    // the sandbox was closed before the exit
    await expect(fetch(`${sandbox.url}/qrcodes`)).rejects.toThrow();
  }, 30_000);

  it('CODEQR_DEMO_HEADLESS=1 works too; a failing step makes the exit code 1 and the other steps still run', async () => {
    // the Free plan: 10 QR codes a month (the Action's catalogue goes past it) and no /events (scan counts instead)
    const run = await runDemo(['--plan', 'free'], { CODEQR_DEMO_HEADLESS: '1' });
    expect(run.code, run.stdout).toBe(1);
    expect(run.steps.map((s) => [s.step, s.ok])).toEqual([
      ['sandbox', true],
      ['core', true],
      ['action', false],
      ['zapier', true],
      ['scans', true],
      ['images', true],
      ['commands', true],
    ]);
    const action = run.steps.find((s) => s.step === 'action');
    expect(action?.error).toMatch(/exited 1: 5 of 5 rows failed .*monthly limit of 10/);
    expect(action?.error).not.toContain('codeqr_sandbox_demo'); // the key is masked like any secret
    expect(run.steps.find((s) => s.step === 'scans')?.result).toMatchObject({
      strategy: 'counts',
      polls: [
        { primed: true, emitted: 0 },
        { primed: false, emitted: 2 },
        { primed: false, emitted: 0 },
      ],
      scansEmitted: 5,
      emittedOnce: true,
    });
  }, 30_000);
});

/**
 * The first-call cost of the other hosts, for `cold-start.ts` (printed, never asserted): in a fresh Node, the host's
 * own library already loaded (n8n-workflow, zapier-platform-core: the host's cost, not ours), the time from importing
 * the built host bundle (`packages/n8n-node/dist/nodes/CodeQr/CodeQr.node.js`, `packages/zapier-app/dist/index.js`)
 * until its "Get QR Code" hands its first request to the host's HTTP helper (`httpRequestWithAuthentication`,
 * `z.request`), which answers a 404 without any network. Each child prints `{"ms": …}`; a missing build is skipped.
 */
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Host {
  name: 'n8n' | 'zapier';
  /** The built bundle the host loads. */
  bundle: string;
  /** The child script (written into the bench's scratch folder). */
  script: string;
}

const answer404 = JSON.stringify({ error: { code: 'not_found', message: 'not found' } });

/** The child scripts, written into `scratch`; a host whose bundle is not built is left out (with its reason). */
export function hostScripts(repoRoot: string, scratch: string): { hosts: Host[]; missing: string[] } {
  const hosts: Host[] = [];
  const missing: string[] = [];
  const n8nBundle = join(repoRoot, 'packages', 'n8n-node', 'dist', 'nodes', 'CodeQr', 'CodeQr.node.js');
  const fake = join(repoRoot, 'packages', 'n8n-node', 'test', 'fake-n8n.ts');
  if (existsSync(n8nBundle) && existsSync(fake)) {
    const script = join(scratch, 'n8n-first-call.ts');
    writeFileSync(
      script,
      [
        "import { createRequire } from 'node:module';",
        `import { fakeContext } from ${JSON.stringify(fake)};`,
        `const require = createRequire(${JSON.stringify(n8nBundle)});`,
        "require('n8n-workflow');",
        'const start = process.hrtime.bigint();',
        `const { CodeQr } = require(${JSON.stringify(n8nBundle)});`,
        "const { executeCtx } = fakeContext({ params: [{ resource: 'qrCode', operation: 'get', id: { __rl: true, mode: 'id', value: 'cm_bench_000000000000' } }], credentials: { apiKey: 'codeqr_bench_key' } });",
        'executeCtx.helpers.httpRequestWithAuthentication = async () => {',
        '  console.log(JSON.stringify({ ms: Number(process.hrtime.bigint() - start) / 1e6 }));',
        `  return { statusCode: 404, headers: { 'content-type': 'application/json' }, body: ${JSON.stringify(answer404)} };`,
        '};',
        'await new CodeQr().execute.call(executeCtx).catch(() => undefined);',
      ].join('\n'),
    );
    hosts.push({ name: 'n8n', bundle: n8nBundle, script });
  } else missing.push(`n8n: ${n8nBundle} is not built (npm run build -w @codeqr-integrations/n8n-nodes-codeqr)`);

  const zapierBundle = join(repoRoot, 'packages', 'zapier-app', 'dist', 'index.js');
  if (existsSync(zapierBundle)) {
    const script = join(scratch, 'zapier-first-call.mjs');
    writeFileSync(
      script,
      [
        "import { createRequire } from 'node:module';",
        `const require = createRequire(${JSON.stringify(zapierBundle)});`,
        "require('zapier-platform-core');",
        'const start = process.hrtime.bigint();',
        `const { default: app } = await import(${JSON.stringify(zapierBundle)});`,
        'const z = {',
        '  request: async () => {',
        '    console.log(JSON.stringify({ ms: Number(process.hrtime.bigint() - start) / 1e6 }));',
        `    return { status: 404, headers: new Map([['content-type', 'application/json']]), content: ${JSON.stringify(answer404)} };`,
        '  },',
        '  console: { log() {}, error() {} },',
        '  errors: { Error, HaltedError: Error, ThrottledError: Error, RefreshAuthError: Error },',
        '};',
        "const bundle = { authData: { apiKey: 'codeqr_bench_key' }, inputData: { id: 'cm_bench_000000000000' }, meta: {} };",
        'await app.searches.getQrCode.operation.perform(z, bundle).catch(() => undefined);',
      ].join('\n'),
    );
    hosts.push({ name: 'zapier', bundle: zapierBundle, script });
  } else missing.push(`zapier: ${zapierBundle} is not built (npm run build -w codeqr-zapier)`);
  return { hosts, missing };
}

/** One fresh Node: the host bundle's import to its first request, in ms (NaN when it sent none). */
export function timeHost(host: Host, node: string, path: string): Promise<number> {
  return new Promise((done, fail) => {
    const child = spawn(node, ['--conditions=source', host.script], {
      env: { PATH: path },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    child.on('error', fail);
    child.on('exit', () => {
      const line = out.split('\n').find((l) => l.startsWith('{"ms"'));
      done(line ? (JSON.parse(line) as { ms: number }).ms : Number.NaN);
    });
  });
}

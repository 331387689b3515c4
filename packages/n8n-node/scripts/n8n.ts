/**
 * `npm run n8n` (from the repo root): real n8n on 127.0.0.1 with this package installed from its `npm pack`, the
 * sandbox beside it, a CodeQR credential already pointing at the sandbox, the examples imported and an owner
 * account set up. Prints the editor URL and the login; Ctrl+C stops both.
 * Env: N8N_PORT (default 5678), SANDBOX_PORT (default 8787), CODEQR_N8N_HOME (default: a cache folder).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Sandbox, startSandbox } from '@codeqr-integrations/sandbox';
import { freePort, type N8nServer, prepareN8n } from '../e2e/harness.ts';
import { PACKAGE_DIR } from './package-checks.ts';

export const DEMO_KEY = 'codeqr_sandbox_key';
export const DEMO_WEBHOOK_SECRET = 'whsec_codeqr_sandbox_demo';
export const LOGIN = {
  email: 'owner@codeqr.example',
  password: 'CodeQR-n8n-2026',
  firstName: 'CodeQR',
  lastName: 'Demo',
};

export interface Demo {
  url: string;
  sandbox: Sandbox;
  server: N8nServer;
  workflows: { id: string; name: string }[];
  stop(): Promise<void>;
}

/** `preferred` when it is free, else any free port (0 = any). */
async function portOr(preferred: number): Promise<number> {
  if (preferred === 0) return freePort();
  const { createServer } = await import('node:net');
  return new Promise((resolvePort) => {
    const probe = createServer();
    probe.once('error', () => resolvePort(freePort()));
    probe.listen(preferred, '127.0.0.1', () => probe.close(() => resolvePort(preferred)));
  });
}

export async function startDemo(
  options: { home?: string; n8nPort?: number; sandboxPort?: number } = {},
): Promise<Demo> {
  const sandboxPort = await portOr(options.sandboxPort ?? Number(process.env.SANDBOX_PORT ?? 8787));
  const sandbox = await startSandbox({ keys: [{ key: DEMO_KEY, plan: 'business' }], port: sandboxPort, linkPort: 0 });
  const cache = process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache');
  const userFolder = options.home ?? process.env.CODEQR_N8N_HOME ?? join(cache, 'codeqr-integrations', 'n8n-home');
  const home = await prepareN8n({
    userFolder,
    port: await portOr(options.n8nPort ?? Number(process.env.N8N_PORT ?? 5678)),
  });
  home.importCredentials([
    {
      id: 'cqrSandboxCred01',
      name: 'CodeQR sandbox',
      type: 'codeQrApi',
      data: { apiKey: DEMO_KEY, baseUrl: sandbox.url },
    },
    {
      id: 'cqrWebhookCred01',
      name: 'CodeQR webhook secret',
      type: 'codeQrWebhookApi',
      data: { secret: DEMO_WEBHOOK_SECRET },
    },
  ]);
  const examples = join(PACKAGE_DIR, 'examples');
  const workflows = readdirSync(examples)
    .filter((file) => file.endsWith('.json'))
    .map((file) => JSON.parse(readFileSync(join(examples, file), 'utf8')) as { id: string; name: string });
  for (const workflow of workflows) home.importWorkflow(workflow);
  const server = await home.start();
  // the owner account (first start only; later starts keep it)
  await fetch(`${home.url}/rest/owner/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(LOGIN),
  }).catch(() => undefined);
  return {
    url: home.url,
    sandbox,
    server,
    workflows: workflows.map(({ id, name }) => ({ id, name })),
    async stop() {
      await server.stop();
      await sandbox.close();
    },
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log('Starting the sandbox and n8n (the first run installs n8n 2.41.1 into a cache folder: ~4 min)...');
  const demo = await startDemo();
  console.log(`
CodeQR in real n8n is ready.
  n8n editor:    ${demo.url}
  log in with:   ${LOGIN.email} / ${LOGIN.password}
  sandbox API:   ${demo.sandbox.url} (API key ${DEMO_KEY}; the "CodeQR sandbox" credential points here)
  examples:      ${demo.workflows.map((w) => `${demo.url}/workflow/${w.id}`).join('\n                 ')}
  simulate scans: curl -X POST ${demo.sandbox.url}/__sandbox/scans -H 'authorization: Bearer ${DEMO_KEY}' \\
                    -H 'content-type: application/json' -d '{"qrCodeId":"<id>","count":3}'
Ctrl+C stops n8n and the sandbox.`);
  const stop = async () => {
    await demo.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/**
 * Real n8n for the end-to-end suites, `npm run n8n` and the browser check: the pinned n8n installed by
 * scripts/install-n8n.sh (cache folder outside the repo), a fresh user folder with this package installed from its
 * `npm pack` tarball the way n8n installs community packages, and the n8n CLI / server on 127.0.0.1.
 */
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { build, PACKAGE_DIR, packUnpacked } from '../scripts/package-checks.ts';

const REPO = resolve(PACKAGE_DIR, '../..');
const NODE_BIN = join(REPO, 'node_modules/.bin');
export const PACKAGE_NAME = '@codeqr-integrations/n8n-nodes-codeqr';
export const NODE_TYPES = {
  action: `${PACKAGE_NAME}.codeQr`,
  trigger: `${PACKAGE_NAME}.codeQrTrigger`,
  webhook: `${PACKAGE_NAME}.codeQrWebhookTrigger`,
};

/** Installs (or reuses) the pinned n8n; returns its folder. */
export function ensureN8n(): string {
  const out = execFileSync(join(PACKAGE_DIR, 'scripts/install-n8n.sh'), [], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, PATH: `${NODE_BIN}:${process.env.PATH ?? ''}` },
  });
  return out.trim().split('\n').at(-1) ?? '';
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

export interface N8nHome {
  n8nDir: string;
  userFolder: string;
  port: number;
  url: string;
  env: NodeJS.ProcessEnv;
  /** `n8n <args>`; returns stdout. */
  cli(args: string[]): string;
  importWorkflow(workflow: object): void;
  importCredentials(credentials: object[]): void;
  /** `n8n execute --id` and the run's JSON (stdout has log lines before it). Async: the sandbox may be in-process. */
  execute(workflowId: string): Promise<RunResult>;
  start(): Promise<N8nServer>;
}

export interface N8nServer {
  process: ChildProcess;
  log(): string;
  stop(): Promise<void>;
}

export interface RunResult {
  data: {
    resultData: {
      runData: Record<
        string,
        {
          data?: {
            main?: { json: Record<string, unknown>; binary?: Record<string, unknown>; pairedItem?: unknown }[][];
          };
          error?: unknown;
        }[]
      >;
      error?: { message?: string };
    };
  };
}

/** A fresh n8n user folder with the packed package installed where n8n installs community packages. */
export async function prepareN8n(options: { userFolder?: string; port?: number } = {}): Promise<N8nHome> {
  const n8nDir = ensureN8n();
  build();
  const packed = packUnpacked();
  const userFolder = options.userFolder ?? mkdtempSync(join(tmpdir(), 'codeqr-n8n-home-'));
  const target = join(userFolder, '.n8n/nodes/node_modules', PACKAGE_NAME);
  mkdirSync(target, { recursive: true });
  execFileSync('tar', ['xzf', packed.tarball, '-C', target, '--strip-components=1']);
  writeFileSync(
    join(userFolder, '.n8n/nodes/package.json'),
    JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { [PACKAGE_NAME]: '0.1.0' } }),
  );
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${NODE_BIN}:${process.env.PATH ?? ''}`,
    NODE_ENV: 'production',
    N8N_USER_FOLDER: userFolder,
    N8N_PORT: String(port),
    N8N_LISTEN_ADDRESS: '127.0.0.1',
    N8N_HOST: '127.0.0.1',
    WEBHOOK_URL: `${url}/`,
    N8N_EDITOR_BASE_URL: `${url}/`,
    N8N_RUNNERS_BROKER_PORT: String(await freePort()),
    N8N_ENCRYPTION_KEY: 'codeqr-n8n-e2e-encryption-key',
    N8N_DIAGNOSTICS_ENABLED: 'false',
    N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
    N8N_TEMPLATES_ENABLED: 'false',
    N8N_PERSONALIZATION_ENABLED: 'false',
    N8N_SECURE_COOKIE: 'false',
    N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
    N8N_LOG_LEVEL: 'info',
    EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
    DB_SQLITE_POOL_SIZE: '2',
  };
  const n8n = join(n8nDir, 'node_modules/.bin/n8n');
  const cli = (args: string[]) =>
    execFileSync(n8n, args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
  const scratch = mkdtempSync(join(tmpdir(), 'codeqr-n8n-import-'));
  let imported = 0;
  return {
    n8nDir,
    userFolder,
    port,
    url,
    env,
    cli,
    importWorkflow(workflow) {
      const file = join(scratch, `wf-${imported++}.json`);
      writeFileSync(file, JSON.stringify(workflow));
      cli(['import:workflow', `--input=${file}`]);
    },
    importCredentials(credentials) {
      const file = join(scratch, `cred-${imported++}.json`);
      writeFileSync(file, JSON.stringify(credentials));
      cli(['import:credentials', `--input=${file}`]);
    },
    async execute(workflowId) {
      let stdout: string;
      try {
        ({ stdout } = await promisify(execFile)(n8n, ['execute', `--id=${workflowId}`, '--rawOutput'], {
          env,
          encoding: 'utf8',
          maxBuffer: 256 * 1024 * 1024,
        }));
      } catch (error) {
        const { stdout: out = '', stderr = '' } = error as { stdout?: string; stderr?: string };
        throw new Error(`n8n execute --id=${workflowId} failed:\n${out}\n${stderr}`);
      }
      const start = stdout.indexOf('{');
      return JSON.parse(stdout.slice(start)) as RunResult;
    },
    async start() {
      const child = spawn(n8n, ['start'], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: false });
      let output = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      child.stderr?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      const deadline = Date.now() + 120_000;
      for (;;) {
        if (child.exitCode !== null) throw new Error(`n8n exited (${child.exitCode}):\n${output}`);
        try {
          const res = await fetch(`${url}/healthz/readiness`);
          if (res.ok && /Editor is now accessible/.test(output)) break;
        } catch {
          // not listening yet
        }
        if (Date.now() > deadline) {
          child.kill('SIGKILL');
          throw new Error(`n8n did not start within 120 s:\n${output}`);
        }
        await new Promise((r) => setTimeout(r, 500));
      }
      return {
        process: child,
        log: () => output,
        async stop() {
          if (child.exitCode !== null) return;
          const exited = new Promise<void>((r) => child.once('exit', () => r()));
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
          await exited;
          clearTimeout(timer);
        },
      };
    },
  };
}

/** The items a node of a run produced (main output 0). */
/** The items a node sent to one of its outputs (0: the main output; 1: the error output when it has one). */
export function nodeOutput(run: RunResult, nodeName: string, output = 0) {
  const runs = run.data.resultData.runData[nodeName];
  if (!runs) throw new Error(`node "${nodeName}" did not run: ${JSON.stringify(run.data.resultData.error ?? {})}`);
  const first = runs[0];
  if (first?.error) throw new Error(`node "${nodeName}" failed: ${JSON.stringify(first.error)}`);
  return first?.data?.main?.[output] ?? [];
}

/**
 * n8n in queue mode, the way n8n scales itself (docs.n8n.io/hosting/scaling/queue-mode): Redis (Debian's
 * `redis-server`, installed by scripts/install-redis.sh when missing), one main process (editor, webhooks, triggers)
 * and `n8n worker` processes that run the executions, all sharing one database, one encryption key and this package
 * installed in the same user folder. SQLite is shared here (n8n warns: "Scaling mode is not officially supported
 * with sqlite"); production uses PostgreSQL (DB_TYPE=postgresdb, see the README's "Queue mode").
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { PACKAGE_DIR } from '../scripts/package-checks.ts';
import { freePort, type N8nHome, type N8nServer, prepareN8n } from './harness.ts';

export interface Proc {
  name: string;
  child: ChildProcess;
  log(): string;
  stop(): Promise<void>;
}

function spawnLogged(name: string, cmd: string, args: string[], env: NodeJS.ProcessEnv): Proc {
  const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.length > 4_000_000) output = output.slice(-2_000_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return {
    name,
    child,
    log: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function waitFor(what: string, proc: Proc, ready: () => Promise<boolean> | boolean, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.child.exitCode !== null) throw new Error(`${what} exited (${proc.child.exitCode}):\n${proc.log()}`);
    if (await Promise.resolve(ready()).catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what} not ready within ${timeoutMs / 1000} s:\n${proc.log()}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** Debian's redis-server on a free loopback port, nothing persisted. */
export async function startRedis(): Promise<Proc & { port: number }> {
  const bin = execFileSync(join(PACKAGE_DIR, 'scripts/install-redis.sh'), [], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  })
    .trim()
    .split('\n')
    .at(-1) as string;
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const redis = spawnLogged('redis', bin, args, process.env);
  await waitFor('redis-server', redis, () => /Ready to accept connections/.test(redis.log()), 30_000);
  return { ...redis, port };
}

export interface QueueCluster {
  home: N8nHome;
  redis: Proc & { port: number };
  main?: N8nServer;
  workers: Proc[];
  /** Starts the main process, then `workers` workers (each `--concurrency`). Import and publish before. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function queueCluster(options: { workers: number; concurrency: number }): Promise<QueueCluster> {
  const redis = await startRedis();
  const home = await prepareN8n();
  Object.assign(home.env, {
    EXECUTIONS_MODE: 'queue',
    QUEUE_BULL_REDIS_HOST: '127.0.0.1',
    QUEUE_BULL_REDIS_PORT: String(redis.port),
    QUEUE_HEALTH_CHECK_ACTIVE: 'true',
    N8N_LOG_LEVEL: 'info',
    DB_SQLITE_POOL_SIZE: '4',
  });
  const n8n = join(home.n8nDir, 'node_modules/.bin/n8n');
  const cluster: QueueCluster = {
    home,
    redis,
    workers: [],
    async start() {
      cluster.main = await home.start();
      for (let i = 0; i < options.workers; i++) {
        const health = await freePort();
        const env = {
          ...home.env,
          QUEUE_HEALTH_CHECK_PORT: String(health),
          N8N_RUNNERS_BROKER_PORT: String(await freePort()),
        };
        const worker = spawnLogged(`worker-${i + 1}`, n8n, ['worker', `--concurrency=${options.concurrency}`], env);
        cluster.workers.push(worker);
        await waitFor(`n8n worker ${i + 1}`, worker, async () => {
          const res = await fetch(`http://127.0.0.1:${health}/healthz/readiness`);
          return res.ok;
        });
      }
    },
    async stop() {
      await Promise.all(cluster.workers.map((w) => w.stop()));
      await cluster.main?.stop();
      await redis.stop();
    },
  };
  return cluster;
}

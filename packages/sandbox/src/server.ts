import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { createApp, type Exchange } from './app.ts';
import {
  type BulkAnswerStyle,
  DEFAULT_BEHAVIOUR,
  type PayloadStyle,
  type RateLimitHeaderStyle,
  type SandboxBehaviour,
  type WithTagsStyle,
} from './behaviour.ts';
import { FaultInjector } from './faults.ts';
import { linkHostHandler } from './link-host.ts';
import type { Plan } from './plans.ts';
import { createRandom, ids } from './random.ts';
import { RateLimiter } from './rate-limit.ts';
import { type Project, Store } from './store/index.ts';
import { createSaver, readSnapshot } from './store/persist.ts';
import { WebhookDispatcher } from './webhooks.ts';

export interface SandboxKey {
  /** The bearer key, e.g. `codeqr_sandbox_business`. Each key is its own isolated project. */
  key: string;
  plan?: Plan;
  /** A read-only key answers 403 to every write. */
  readOnly?: boolean;
}

export interface SandboxOptions {
  keys: SandboxKey[];
  /** API port (0 = any free port). Default 0. */
  port?: number;
  /** Short-link host port (0 = any free port). Default 0. */
  linkPort?: number;
  /** Bind address. Default 127.0.0.1. */
  host?: string;
  /** Rate-limit window in ms (60000 on the real API). */
  windowMs?: number;
  /** Seed for ids and random keys; makes runs reproducible. */
  seed?: number;
  /** Persist state to this JSON file (loaded at start, written on change). */
  dataFile?: string;
  /** Webhook retry delays in ms (the real 12 s, 2.5 min, 30 min schedule, scaled down). */
  webhookRetryDelaysMs?: number[];
  /**
   * Rate-limit headers: `docs` (default; reset in epoch seconds, `Retry-After` seconds on 429) or `dub` (Dub's code:
   * reset and `Retry-After` both epoch milliseconds, on every answer). CLI `--dub-headers`.
   */
  rateLimitHeaders?: RateLimitHeaderStyle;
  /**
   * Bulk create answers: `docs` (default; input order, errors in place) or `dub` (`[...created, ...errors]`, items
   * whose externalId already exists skipped silently). CLI `--dub-bulk`.
   */
  bulkAnswers?: BulkAnswerStyle;
  /**
   * `withTags=true` on lists: `docs` (default; tags only when asked, per the spec) or `dub` (Dub's code: tags always,
   * and `withTags=true` lists only codes that have a tag). CLI `--dub-with-tags`.
   */
  withTags?: WithTagsStyle;
  /**
   * QR payloads: `codeqr` (default; as CodeQR builds them, known bugs included) or `standard` (the intended formats).
   * CLI `--standard-payloads`.
   */
  payloads?: PayloadStyle;
  /** Per-plan quotas and feature gates (default true). `false` (CLI `--no-quotas`): every plan may do everything. */
  quotas?: boolean;
  /** Clock (epoch ms), for tests. */
  now?: () => number;
  /** Test-level hook called with each API request and its answer. */
  onExchange?: (exchange: Exchange) => void;
  log?: (line: string) => void;
}

export interface Sandbox {
  /** Base URL of the API, e.g. `http://127.0.0.1:8787`. */
  url: string;
  /** Base URL of the short-link host; its host is every project's primary domain. */
  linkUrl: string;
  linkDomain: string;
  store: Store;
  webhooks: WebhookDispatcher;
  faults: FaultInjector;
  limiter: RateLimiter;
  /** The styles in force; mutable, so a test can switch a running sandbox between `docs` and `dub`. */
  behaviour: SandboxBehaviour;
  project(key: string): Project;
  close(): Promise<void>;
}

export const DEFAULT_WEBHOOK_RETRY_DELAYS_MS = [120, 1_480, 18_080];

/** A stable project slug per key, so `--data` finds the same project after a restart. */
function slugFor(key: string): string {
  return `project-${createHash('sha256').update(key).digest('hex').slice(0, 10)}`;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  if (options.keys.length === 0) throw new Error('startSandbox: pass at least one API key');
  const host = options.host ?? '127.0.0.1';
  const now = options.now ?? Date.now;
  const random = createRandom(options.seed);
  const log = options.log ?? (() => {});

  const linkServer = createServer();
  const linkPort = await listen(linkServer, options.linkPort ?? 0, host);
  const linkDomain = `${host}:${linkPort}`;

  const behaviour: SandboxBehaviour = {
    rateLimitHeaders: options.rateLimitHeaders ?? DEFAULT_BEHAVIOUR.rateLimitHeaders,
    bulkAnswers: options.bulkAnswers ?? DEFAULT_BEHAVIOUR.bulkAnswers,
    withTags: options.withTags ?? DEFAULT_BEHAVIOUR.withTags,
    payloads: options.payloads ?? DEFAULT_BEHAVIOUR.payloads,
    quotas: options.quotas ?? DEFAULT_BEHAVIOUR.quotas,
  };
  const saver = options.dataFile ? createSaver(options.dataFile, () => store.toJSON()) : undefined;
  const store = new Store({ random, now, linkDomain, behaviour, onChange: () => saver?.schedule() });

  const saved = options.dataFile ? readSnapshot(options.dataFile) : undefined;
  if (saved) log(`loaded ${saved.length} project(s) from ${options.dataFile}`);
  const projectsByKey = new Map<string, Project>();
  for (const { key, plan = 'business', readOnly = false } of options.keys) {
    const slug = slugFor(key);
    const data = saved?.find((p) => p.slug === slug);
    projectsByKey.set(key, store.addProject(slug, plan, readOnly, data));
  }

  const limiter = new RateLimiter(options.windowMs ?? 60_000, now);
  const faults = new FaultInjector();
  const webhooks = new WebhookDispatcher({
    retryDelaysMs: options.webhookRetryDelaysMs ?? DEFAULT_WEBHOOK_RETRY_DELAYS_MS,
    now,
    newEventId: () => ids.event(random),
    log,
  });

  const app = createApp({
    store,
    projectsByKey,
    limiter,
    faults,
    webhooks,
    random,
    behaviour,
    onExchange: options.onExchange,
  });
  const apiServer = createServer(getRequestListener(app.fetch));
  apiServer.keepAliveTimeout = 65_000;
  linkServer.on('request', linkHostHandler(store, webhooks));
  let port: number;
  try {
    port = await listen(apiServer, options.port ?? 0, host);
  } catch (error) {
    await close(linkServer);
    throw error;
  }

  return {
    url: `http://${host}:${port}`,
    linkUrl: `http://${linkDomain}`,
    linkDomain,
    store,
    webhooks,
    faults,
    limiter,
    behaviour,
    project(key) {
      const project = projectsByKey.get(key);
      if (!project) throw new Error('unknown sandbox key');
      return project;
    },
    async close() {
      webhooks.close();
      saver?.flush();
      await Promise.all([close(apiServer), close(linkServer)]);
    },
  };
}

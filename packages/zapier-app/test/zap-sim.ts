/**
 * A simulated Zapier around the app's real trigger `perform` (through `createAppTester`), against the sandbox on a
 * simulated clock: Zapier's id-dedupe table (the first poll, with `isPopulatingDedupe`, only fills it), and its flood
 * protection (more than 100 new items in one poll are held; the simulated user replays them, and only then do they
 * count as delivered). Zapier's rules: https://docs.zapier.com/platform/build/deduplication and
 * https://help.zapier.com/hc/en-us/articles/8496181445261 ("Flood protection for polling triggers").
 *
 * The app reads `Date.now()` and so does the sandbox: `Date` alone is faked (`vi.useFakeTimers({ toFake: ['Date'] })`),
 * timers and sockets stay real, and the clock moves only when the simulation moves it.
 */
import { type Exchange, type Sandbox, startSandbox } from '@codeqr-integrations/sandbox';
import { invalidClientRequests } from '@codeqr-integrations/test/support/client-requests';
import { expect, vi } from 'vitest';
import zapier from 'zapier-platform-core';
import app from '../src/index.ts';
import { overrides } from '../src/overrides.ts';
import { BASE_URL_ENV } from '../src/transport.ts';

export type Item = Record<string, unknown>;
type Perform = (z: unknown, bundle: unknown) => Promise<unknown>;

/** Zapier holds a poll's new items for the user to confirm when there are more than this many. */
export const FLOOD_LIMIT = 100;

const appTester = zapier.createAppTester(app);

/** The app's trigger for a core trigger key (Zapier may name it differently: `overrides.ts`). */
export function triggerFor(coreKey: string): { key: string; perform: Perform } {
  const key = (overrides[coreKey] as { key?: string } | undefined)?.key ?? coreKey;
  const trigger = (app.triggers as Record<string, { operation: { perform: Perform } } | undefined>)[key];
  if (!trigger) throw new Error(`no Zapier trigger for core trigger ${coreKey}`);
  return { key, perform: trigger.operation.perform };
}

export interface Sim {
  sb: Sandbox;
  now(): number;
  /** Moves the simulated clock (never backwards). */
  advance(ms: number): void;
  set(ms: number): void;
  close(): Promise<void>;
}

/** The sandbox on a simulated clock starting at `start`, with one Business project per key. */
export async function startSim(keys: string[], start = Date.UTC(2026, 5, 1, 12, 0, 0)): Promise<Sim> {
  vi.useFakeTimers({ toFake: ['Date'] });
  let clock = start;
  vi.setSystemTime(clock);
  // every request sent must be valid against CodeQR's official spec (checked on close); answers are not kept
  const requests: Exchange[] = [];
  const sb = await startSandbox({
    keys: keys.map((key) => ({ key, plan: 'business' })),
    seed: 21,
    now: () => clock,
    onExchange: (exchange) => {
      if (!exchange.path.startsWith('/__sandbox')) requests.push({ ...exchange, responseBody: undefined });
    },
  });
  process.env[BASE_URL_ENV] = sb.url;
  const set = (ms: number) => {
    clock = Math.max(clock, Math.round(ms));
    vi.setSystemTime(clock);
  };
  return {
    sb,
    now: () => clock,
    advance: (ms) => set(clock + ms),
    set,
    async close() {
      delete process.env[BASE_URL_ENV];
      vi.useRealTimers();
      await sb.close();
      const problems = await invalidClientRequests(requests);
      if (problems.length > 0) throw new Error(`requests not valid against CodeQR's spec:\n${problems.join('\n')}`);
    },
  };
}

/**
 * One run of a trigger, the way Zapier calls it on a live Zap (`limit: -1`: no limit asked).
 *
 * zapier-platform-core guards its Lambda process: after 250 runs, a run that finds the process's RSS above 450 MB
 * exits the process (`memory-checker.js`; Zapier retries on a fresh one). Here the process also holds the sandbox and
 * the test runner, and runs thousands of polls, so the guard is shown the live heap for that synchronous check.
 */
export function runTrigger(perform: Perform, key: string, inputData: Item, meta: Item = {}): Promise<Item[]> {
  const memoryUsage = process.memoryUsage;
  const live = () => {
    const usage = memoryUsage.call(process);
    return { ...usage, rss: usage.heapUsed + usage.external };
  };
  process.memoryUsage = Object.assign(live, { rss: () => live().rss });
  try {
    // the guard runs synchronously, first thing in the handler
    return appTester(
      perform as never,
      {
        authData: { apiKey: key },
        inputData,
        meta: {
          isLoadingSample: false,
          isFillingDynamicDropdown: false,
          isPopulatingDedupe: false,
          limit: -1,
          ...meta,
        },
      } as never,
    ) as Promise<Item[]>;
  } finally {
    process.memoryUsage = memoryUsage;
  }
}

export interface PollOutcome {
  /** New ids this poll (not in the dedupe table before). */
  fresh: Item[];
  /** Held by flood protection (then replayed by the simulated user). */
  held: boolean;
}

/** One Zap: a trigger, its input, Zapier's dedupe table and what reached the Zap's actions. */
export class SimulatedZap {
  readonly seen = new Set<string>();
  readonly delivered: Item[] = [];
  /** Each held batch's size (every one was replayed). */
  readonly heldBatches: number[] = [];
  polls = 0;
  private on = false;

  private readonly coreKey: string;
  private readonly apiKey: string;
  private readonly input: Item;
  /** Called with each delivered item as it is delivered (the test checks its numbers against CodeQR then). */
  private readonly onDeliver: (item: Item) => void;

  constructor(coreKey: string, apiKey: string, input: Item = {}, onDeliver: (item: Item) => void = () => {}) {
    this.coreKey = coreKey;
    this.apiKey = apiKey;
    this.input = input;
    this.onDeliver = onDeliver;
  }

  /** Turns the Zap on: Zapier's first poll fills the dedupe table and runs nothing. */
  async turnOn(): Promise<Item[]> {
    const { perform } = triggerFor(this.coreKey);
    const items = await runTrigger(perform, this.apiKey, this.input, { isPopulatingDedupe: true });
    this.record(items);
    this.on = true;
    return items;
  }

  async poll(): Promise<PollOutcome> {
    if (!this.on) throw new Error('turn the Zap on first');
    const { perform } = triggerFor(this.coreKey);
    const items = await runTrigger(perform, this.apiKey, this.input);
    this.polls++;
    const fresh = this.record(items);
    const held = fresh.length > FLOOD_LIMIT;
    // held: Zapier emails the user, who replays the batch (one run per second); the runs then happen, each once
    if (held) this.heldBatches.push(fresh.length);
    for (const item of fresh) {
      this.onDeliver(item);
      this.delivered.push(item);
    }
    return { fresh, held };
  }

  deliveredIds(): string[] {
    return this.delivered.map((item) => String(item.id));
  }

  /** The dedupe table: ids new to it, in the poll's order; a poll must not repeat an id (Zapier's own check). */
  private record(items: Item[]): Item[] {
    const ids = items.map((item) => String(item.id));
    expect(new Set(ids).size, `${this.coreKey}: ids within one poll are unique`).toBe(ids.length);
    const fresh = items.filter((item) => !this.seen.has(String(item.id)));
    for (const item of fresh) this.seen.add(String(item.id));
    return fresh;
  }
}

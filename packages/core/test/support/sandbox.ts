import { type CodeQrClient, type CreateCodeQrClientOptions, createCodeQrClient } from '@codeqr-integrations/core';
import type { Exchange, Sandbox, SandboxOptions } from '@codeqr-integrations/sandbox';
import { startSpecCheckedSandbox } from '@codeqr-integrations/test/support/client-requests';
import { sandboxControl } from '@codeqr-integrations/test/support/sandbox-control';
import { afterAll, beforeAll, beforeEach } from 'vitest';

/** What a core test file shares with its sandbox; `sb` is there once `beforeAll` has run. */
export interface TestSandbox {
  readonly sb: Sandbox;
  /** Every exchange since the last reset (clear it with `exchanges.length = 0` to count from a point). */
  readonly exchanges: Exchange[];
  /** Every wait the clients asked for since the last reset, in milliseconds. */
  readonly waits: number[];
  /** A client on this sandbox whose waits are recorded and skipped: its clock jumps forward instead of sleeping. */
  client(overrides?: Partial<CreateCodeQrClientOptions>): CodeQrClient;
  /** A call to the sandbox's `/__sandbox` control routes. */
  control(path: string, body?: unknown, method?: string): Promise<unknown>;
  /** Arm a fault (`POST /__sandbox/faults`) on one route pattern. */
  fault(route: string, mode: string, extra?: object): Promise<unknown>;
  /** How many exchanges went to exactly this method and path. */
  hits(method: string, path: string): number;
}

/**
 * Starts one spec-checked sandbox for the file (one key, its plan, a seed), closes it after the file (failing the run
 * if any request was not valid against the official spec), and resets its data, faults, exchanges and waits before
 * each test. Hooks a file adds after this call run after the reset.
 */
export function useSandbox(options: {
  key: string;
  seed: number;
  plan?: SandboxOptions['keys'][number]['plan'];
}): TestSandbox {
  const { key, seed, plan = 'business' } = options;
  let sb: Sandbox | undefined;
  const exchanges: Exchange[] = [];
  const waits: number[] = [];

  async function control(path: string, body?: unknown, method = 'POST'): Promise<unknown> {
    const res = await sandboxControl(env.sb.url, key, path, body, method);
    return res.json();
  }

  const env: TestSandbox = {
    get sb() {
      if (!sb) throw new Error('the sandbox is not started yet: use it inside a test or hook');
      return sb;
    },
    exchanges,
    waits,
    client(overrides = {}) {
      let skew = 0;
      return createCodeQrClient({
        apiKey: key,
        baseUrl: env.sb.url,
        now: () => Date.now() + skew,
        sleep: async (ms) => {
          waits.push(ms);
          skew += ms;
        },
        ...overrides,
      });
    },
    control,
    fault: (route, mode, extra = {}) => control('/faults', { route, mode, ...extra }),
    hits: (method, path) => exchanges.filter((x) => x.method === method && x.path === path).length,
  };

  beforeAll(async () => {
    sb = await startSpecCheckedSandbox({ keys: [{ key, plan }], seed, onExchange: (x) => exchanges.push(x) });
  });
  afterAll(() => sb?.close(), 30_000);
  beforeEach(async () => {
    await control('/reset');
    exchanges.length = 0;
    waits.length = 0;
  });
  return env;
}

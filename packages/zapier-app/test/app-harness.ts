/**
 * The app in Zapier's own test harness (`createAppTester`) against a sandbox every request of which must be valid
 * against CodeQR's spec: one step run the way Zapier runs it, with input as Zapier sends it (strings, '' for empty,
 * line items), and the error a zap builder sees. Each test file calls `useSandbox()` for a sandbox of its own.
 */
import type { Sandbox } from '@codeqr-integrations/sandbox';
import { startSpecCheckedSandbox } from '@codeqr-integrations/test/support/client-requests';
import { sandboxControl } from '@codeqr-integrations/test/support/sandbox-control';
import { afterAll, beforeAll, expect } from 'vitest';
import zapier from 'zapier-platform-core';
import app from '../src/index.ts';
import { BASE_URL_ENV } from '../src/transport.ts';
import { resolveForm } from '../src/type-fields.ts';

export { app };
export const keys = {
  business: 'zap_business',
  free: 'zap_free',
  readOnly: 'zap_readonly',
  dropdowns: 'zap_dropdowns',
};
const appTester = zapier.createAppTester(app);

export type Item = Record<string, unknown>;
type SpecSandbox = Sandbox & { requests: { method: string; path: string; body: unknown }[] };

export function must<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('missing from the app definition');
  return value;
}
export const c = (key: string) => must(app.creates[key]).operation.perform;
export const t = (key: string) => must(app.triggers[key]).operation.perform;
export const s = (key: string) => must(app.searches[key]).operation.perform;

/**
 * A spec-checked sandbox for this file's tests (the app's base URL points at it), with its control API: scans and
 * faults. Closing it fails the file if any request was not valid against the official spec.
 */
export function useSandbox() {
  let sb: SpecSandbox | undefined;
  beforeAll(async () => {
    sb = await startSpecCheckedSandbox({
      keys: [
        { key: keys.business, plan: 'business' },
        { key: keys.free, plan: 'free' },
        { key: keys.readOnly, plan: 'business', readOnly: true },
        { key: keys.dropdowns, plan: 'business' },
      ],
      seed: 9,
    });
    process.env[BASE_URL_ENV] = sb.url;
  });
  afterAll(async () => {
    delete process.env[BASE_URL_ENV];
    await sb?.close();
  }, 30_000);
  const started = () => must(sb);
  return {
    get sb() {
      return started();
    },
    async scan(key: string, body: object) {
      expect((await sandboxControl(started().url, key, '/scans', body)).status).toBe(200);
    },
    async fault(key: string, rule: object) {
      expect((await sandboxControl(started().url, key, '/faults', rule)).status).toBe(201);
    },
    async clearFaults() {
      expect((await sandboxControl(started().url, keys.business, '/faults', undefined, 'DELETE')).ok).toBe(true);
    },
  };
}

/** One step, the way Zapier calls it. */
export function run<T = Item>(perform: unknown, inputData: Item = {}, options: { key?: string; meta?: Item } = {}) {
  return appTester(
    perform as never,
    {
      authData: { apiKey: options.key ?? keys.business },
      inputData,
      meta: { isLoadingSample: false, isFillingDynamicDropdown: false, isPopulatingDedupe: false, ...options.meta },
    } as never,
  ) as Promise<T>;
}

/**
 * What Zapier sends for a value mapped from an earlier step (say a sheet cell "A,B") into one field: a list field
 * (`list: true`) gets it as one item (`['A,B']`), any other field as the text itself.
 */
export function mapped(createKey: string, fieldKey: string, text: string): unknown {
  const field = resolveForm(must(app.creates[createKey]).operation.inputFields).find((f) => f.key === fieldKey);
  return must(field).list ? [text] : text;
}

/** Zapier's polling dedupe: an item surfaces the first time its `id` is seen, never again. */
export function zapierDedupe() {
  const seen = new Set<string>();
  return {
    /** The first poll of a new zap only records what exists (isPopulatingDedupe). */
    prime(items: Item[]) {
      for (const item of items) seen.add(String(item.id));
    },
    fresh(items: Item[]): Item[] {
      const ids = items.map((i) => String(i.id));
      expect(new Set(ids).size, 'ids within one poll are unique').toBe(ids.length);
      const out = items.filter((i) => !seen.has(String(i.id)));
      for (const item of out) seen.add(String(item.id));
      return out;
    },
  };
}

/** Zapier errors carry JSON in their message: `{ message, code, status }` or `{ message, delay }`. */
export async function failure(promise: Promise<unknown>) {
  const error = (await promise.then(
    () => {
      throw new Error('expected the step to fail');
    },
    (e: unknown) => e,
  )) as Error;
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(error.message);
  } catch {
    body = { message: error.message };
  }
  return { name: error.name, ...body } as {
    name: string;
    message: string;
    code?: string;
    status?: number;
    delay?: number;
  };
}

/**
 * The set-up the node test files share: one spec-checked sandbox per file (closing it fails the file if any request a
 * node sent breaks CodeQR's official spec), fresh data and no faults before each test, and the CodeQR node run
 * against it through the fake n8n context.
 */
import type { Sandbox, SandboxOptions } from '@codeqr-integrations/sandbox';
import { startSpecCheckedSandbox } from '@codeqr-integrations/test/support/client-requests';
import { sandboxControl } from '@codeqr-integrations/test/support/sandbox-control';
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { CodeQr } from '../nodes/CodeQr/CodeQr.node.ts';
import { type FakeOptions, fakeContext } from './fake-n8n.ts';

export interface FileSandbox {
  readonly url: string;
  readonly linkDomain: string;
  /** The CodeQR API credential for `apiKey` (default: the file's first key). */
  credentials(apiKey?: string): Record<string, unknown>;
  /** One `/__sandbox` control call as the first key's project; fails the test unless it answers 2xx. */
  control(method: string, path: string, body?: unknown): Promise<unknown>;
  /** One CodeQR API call (a JSON body) with the first key; fails the test unless it answers 2xx. */
  api(method: string, path: string, body?: unknown): Promise<Record<string, unknown>>;
}

/** Starts a sandbox with these keys for the calling test file (registers its hooks). */
export function sandboxPerFile(options: Pick<SandboxOptions, 'keys' | 'seed'>): FileSandbox {
  const key: string = options.keys[0]?.key ?? '';
  if (!key) throw new Error('sandboxPerFile needs at least one key');
  let started: Sandbox | undefined;
  const sandbox = (): Sandbox => {
    if (!started) throw new Error('the sandbox starts in beforeAll: use it inside a test');
    return started;
  };
  async function control(method: string, path: string, body?: unknown): Promise<unknown> {
    const res = await sandboxControl(sandbox().url, key, path, body, method);
    expect(res.ok, await res.clone().text()).toBe(true);
    return res.json();
  }
  async function api(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
    const res = await fetch(`${sandbox().url}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    expect(res.ok, await res.clone().text()).toBe(true);
    return res.json() as Promise<Record<string, unknown>>;
  }
  beforeAll(async () => {
    started = await startSpecCheckedSandbox(options);
  });
  afterAll(async () => {
    await started?.close();
  }, 30_000);
  beforeEach(async () => {
    await control('DELETE', '/faults');
    await control('POST', '/reset');
  });
  return {
    get url() {
      return sandbox().url;
    },
    get linkDomain() {
      return sandbox().linkDomain;
    },
    credentials: (apiKey = key) => ({ apiKey, baseUrl: sandbox().url }),
    control,
    api,
  };
}

/** Everything of the fake context but the parameters; the credential defaults to the sandbox's first key. */
export type RunOptions = Omit<FakeOptions, 'params'>;

export const create = (fields: Record<string, unknown>) => ({ resource: 'qrCode', operation: 'create', ...fields });

/** The CodeQR node run against `sandbox`: its output items, or the error it threw, with the HTTP calls it made. */
export function codeQrNode(sandbox: FileSandbox) {
  const node = new CodeQr();
  const context = (params: Record<string, unknown>[], options: RunOptions = {}) =>
    fakeContext({ ...options, params, credentials: options.credentials ?? sandbox.credentials() });
  return {
    node,
    context,
    async run(params: Record<string, unknown>[], options?: RunOptions) {
      const fake = context(params, options);
      const output = await node.execute.call(fake.executeCtx as unknown as IExecuteFunctions);
      return { items: output[0] as INodeExecutionData[], calls: fake.calls };
    },
    async failure(params: Record<string, unknown>[], options?: RunOptions) {
      const fake = context(params, options);
      const error = await node.execute.call(fake.executeCtx as unknown as IExecuteFunctions).catch((e: unknown) => e);
      return { error, calls: fake.calls };
    },
  };
}

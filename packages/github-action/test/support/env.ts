/** Sandbox + fake GitHub for the dist end-to-end suites. */
import type { FaultRuleInput, Sandbox, SandboxOptions } from '@codeqr-integrations/sandbox';
import { startSpecCheckedSandbox } from '@codeqr-integrations/test/support/client-requests';
import { type RunOptions, type RunResult, runAction } from '../../scripts/run-dist.ts';
import { type FakeGitHub, startFakeGitHub } from './fake-github.ts';

export const API_KEY = 'codeqr_sandbox_action_secret_9f3k2';

export interface E2E {
  sandbox: Sandbox;
  github: FakeGitHub;
  /** Runs dist with the API key and base URL set, plus `inputs`. */
  run(inputs: Record<string, string>, options?: Omit<RunOptions, 'inputs'>): Promise<RunResult>;
  /** Adds a sandbox fault rule (status / reset / delay / truncate / drop for the next matching requests). */
  fault(rule: FaultRuleInput): Promise<void>;
  /** Records `count` scans of a QR code in the sandbox. */
  scan(qrCodeId: string, count: number): Promise<void>;
  close(): Promise<void>;
}

export async function startE2E(
  plan: 'business' | 'pro' | 'starter' = 'business',
  options: Omit<SandboxOptions, 'keys'> = {},
): Promise<E2E> {
  const sandbox = await startSpecCheckedSandbox({ keys: [{ key: API_KEY, plan }], seed: 7, ...options });
  const github = await startFakeGitHub();
  return {
    sandbox,
    github,
    run: (inputs, options = {}) =>
      runAction({
        githubApiUrl: github.url,
        ...options,
        inputs: { 'api-key': API_KEY, 'api-base-url': sandbox.url, ...inputs },
      }),
    async fault(rule) {
      const res = await fetch(`${sandbox.url}/__sandbox/faults`, {
        method: 'POST',
        headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify(rule),
      });
      if (!res.ok) throw new Error(`sandbox faults: ${res.status} ${await res.text()}`);
    },
    async scan(qrCodeId, count) {
      const res = await fetch(`${sandbox.url}/__sandbox/scans`, {
        method: 'POST',
        headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ qrCodeId, count }),
      });
      if (!res.ok) throw new Error(`sandbox scans: ${res.status} ${await res.text()}`);
    },
    async close() {
      await github.close();
      await sandbox.close();
    },
  };
}

/** The API key must never reach the log, the outputs or the summary (masking happens on the runner, not here). */
export function expectNoSecret(result: RunResult): void {
  const everything = [
    result.stdout.replace(`::add-mask::${API_KEY}`, ''),
    result.stderr,
    result.summary,
    JSON.stringify(result.outputs),
  ];
  for (const text of everything) if (text.includes(API_KEY)) throw new Error(`API key leaked: ${text.slice(0, 300)}`);
}

/**
 * `@github/local-action` (GitHub's local runner for actions) imports the entrypoint and calls its exported `run()`
 * with no argument, inputs in `INPUT_*` variables as `@actions/core` reads them. `src/main.ts`'s `run()` works so.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from '@codeqr-integrations/sandbox';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseOutputFile } from '../scripts/run-dist.ts';
import { run } from '../src/main.ts';

afterEach(() => {
  vi.unstubAllEnvs();
  process.exitCode = undefined;
});

describe('run() for @github/local-action', () => {
  it('reads the key and every input from the environment when called with no argument', async () => {
    const key = 'codeqr_local_action_key';
    const sandbox = await startSandbox({ keys: [{ key, plan: 'business' }], seed: 7 });
    const dir = mkdtempSync(join(tmpdir(), 'codeqr-local-action-'));
    const outputFile = join(dir, 'output');
    writeFileSync(outputFile, '');
    writeFileSync(join(dir, 'summary'), '');
    const logged: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      logged.push(String(chunk));
      return true;
    });
    try {
      for (const [name, value] of Object.entries({
        INPUT_OPERATION: 'create-qr-code',
        'INPUT_API-KEY': key,
        'INPUT_API-BASE-URL': sandbox.url,
        INPUT_URL: 'https://example.com/local-action',
        INPUT_TITLE: 'From local-action',
        GITHUB_OUTPUT: outputFile,
        GITHUB_STEP_SUMMARY: join(dir, 'summary'),
        GITHUB_WORKSPACE: dir,
      }))
        vi.stubEnv(name, value);
      await run();
    } finally {
      write.mockRestore();
      await sandbox.close();
    }
    expect(process.exitCode ?? 0).toBe(0);
    const outputs = parseOutputFile(readFileSync(outputFile, 'utf8'));
    expect(outputs['short-link']).toMatch(/^http:\/\//);
    expect(logged.join('')).toContain(`::add-mask::${key}`);
  }, 30_000);
});

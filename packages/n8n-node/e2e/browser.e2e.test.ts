/**
 * A real browser on the editor `npm run n8n` starts: Chromium from Debian's packages (scripts/install-chromium.sh),
 * driven headless by playwright-core. It logs in, opens the "rows → QR codes" example and the CodeQR node's panel,
 * which must show the node's fields (not n8n's "unknown node type"). The screenshot stays in e2e/artifacts/.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Demo, LOGIN, startDemo } from '../scripts/n8n.ts';
import { PACKAGE_DIR } from '../scripts/package-checks.ts';

const ARTIFACTS = join(PACKAGE_DIR, 'e2e/artifacts');
let demo: Demo;
let browser: BrowserContext;

beforeAll(async () => {
  execFileSync(join(PACKAGE_DIR, 'scripts/install-chromium.sh'), [], { stdio: 'inherit' });
  demo = await startDemo({ home: mkdtempSync(join(tmpdir(), 'codeqr-n8n-browser-')), n8nPort: 0, sandboxPort: 0 });
  // a fresh profile (playwright passes it as --user-data-dir)
  browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'codeqr-chromium-')), {
    executablePath: process.env.CODEQR_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1440, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
});

describe('the n8n editor', () => {
  it('shows the CodeQR node with its fields in the example workflow', async () => {
    const page = await browser.newPage();
    mkdirSync(ARTIFACTS, { recursive: true });
    try {
      await page.goto(`${demo.url}/signin`);
      await page
        .locator('input[type="email"], input[name="emailOrLdapLoginId"], input[name="email"]')
        .first()
        .fill(LOGIN.email);
      await page.locator('input[type="password"]').first().fill(LOGIN.password);
      await page.locator('button[type="submit"], [data-test-id="form-submit-button"]').first().click();
      await page.waitForURL((url) => !url.pathname.includes('signin'), { timeout: 60_000 });

      await page.goto(`${demo.url}/workflow/cqrExampleRows01`);
      const node = page.locator('[data-test-id="canvas-node"]').filter({ hasText: 'Create or Update QR Code' });
      await node.first().waitFor({ timeout: 60_000 });
      await expect(
        page.getByText(/Install this node|node type is unknown|not currently installed/i).count(),
      ).resolves.toBe(0);
      await node.first().dblclick();
      const panel = page.locator('[data-test-id="ndv"], .ndv-wrapper, [data-test-id="node-parameters"]').first();
      await panel.waitFor({ timeout: 30_000 });
      for (const label of ['Resource', 'Operation', 'Destination URL', 'External ID']) {
        await page.getByText(label, { exact: true }).first().waitFor({ timeout: 30_000 });
      }
      await page.screenshot({ path: join(ARTIFACTS, 'n8n-codeqr-node.png'), fullPage: true });
      // a dynamic dropdown filled through real n8n: the sandbox's domain comes from loadOptions (getDomains)
      await page
        .getByPlaceholder('Add Field')
        .or(page.getByText('Add Field', { exact: true }))
        .first()
        .click();
      await page
        .locator('.el-select-dropdown__item, [role="option"]')
        .filter({ hasText: /^Domain$/ })
        .first()
        .click();
      await page.getByPlaceholder('cqr.link').first().click();
      await page.getByText(demo.sandbox.linkDomain, { exact: true }).first().waitFor({ timeout: 30_000 });
      await page.screenshot({ path: join(ARTIFACTS, 'n8n-codeqr-domains.png'), fullPage: true });
    } catch (error) {
      await page.screenshot({ path: join(ARTIFACTS, 'n8n-codeqr-node-failure.png'), fullPage: true }).catch(() => {});
      throw error;
    }
  });
});

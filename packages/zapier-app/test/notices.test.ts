/** The app Zapier gets (dist/, zipped by `zapier-platform build`) carries the notices of everything it bundles. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { NOTICES_FILE, packagesOfMetafile, readNotices } from '../../../scripts/licences.ts';
import { appDir } from '../scripts/stage.ts';

beforeAll(() => {
  execFileSync(join(appDir, '../../node_modules/.bin/tsup'), [], { cwd: appDir, stdio: 'pipe' });
}, 60_000);

describe('dist/THIRD_PARTY_NOTICES.txt', () => {
  it('lists every bundled package with its licence text', () => {
    const bundled = packagesOfMetafile(join(appDir, '.build/metafile-esm.json'), appDir).map(
      (p) => `${p.name}@${p.version}`,
    );
    expect(bundled).toEqual(
      expect.arrayContaining([expect.stringMatching(/^zod@/), expect.stringMatching(/^qrcode@/)]),
    );
    const { listed, withText } = readNotices(readFileSync(join(appDir, 'dist', NOTICES_FILE), 'utf8'));
    expect(listed).toEqual(bundled);
    expect(withText).toEqual(bundled);
  });
});

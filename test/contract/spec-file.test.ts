import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, SPEC_PATH } from './spec.ts';

describe('the vendored OpenAPI document', () => {
  it('is the file its provenance README names (sha256), with the operations the contract tests rely on', () => {
    const readme = readFileSync(path.join(REPO_ROOT, 'spec/codeqr-api/README.md'), 'utf8');
    const recorded = readme.match(/^([0-9a-f]{64}) {2}openapi\.json$/m)?.[1];
    const bytes = readFileSync(SPEC_PATH);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(recorded);
    const document = JSON.parse(bytes.toString('utf8'));
    expect(document.openapi).toBe('3.0.3');
    const operations = Object.values(document.paths as Record<string, object>).flatMap((item) => Object.keys(item));
    expect(operations.filter((verb) => ['get', 'post', 'put', 'patch', 'delete'].includes(verb))).toHaveLength(34);
  });
});

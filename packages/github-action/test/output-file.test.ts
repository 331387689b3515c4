/** The GITHUB_OUTPUT parser of the dist runner (scripts/run-dist.ts) (heredoc blocks, multiline values). */
import { describe, expect, it } from 'vitest';
import { parseOutputFile } from '../scripts/run-dist.ts';

describe('GITHUB_OUTPUT parser', () => {
  it('reads heredoc blocks with multiline values', () => {
    expect(parseOutputFile('a<<ghadelimiter_1\nline 1\nline 2\nghadelimiter_1\nb<<d\n\nd\nc=1\n')).toEqual({
      a: 'line 1\nline 2',
      b: '',
      c: '1',
    });
    expect(() => parseOutputFile('a<<d\nno end\n')).toThrow(/unterminated/);
  });
});

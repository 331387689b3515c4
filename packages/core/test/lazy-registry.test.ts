// Importing the registry builds no operation's schemas (zod's schema construction was most of a host's cold start,
// see packages/github-action/bench): each operation's `input` is built on first read, then the same schema.
import { describe, expect, it } from 'vitest';
import * as z from 'zod/v4';
import { defineOperation, operations } from '../src/operations/index.ts';

describe('the lazy registry', () => {
  it.each(operations.map((op) => [op.key, op] as const))('%s builds its input on first read, once', (_key, op) => {
    const descriptor = Object.getOwnPropertyDescriptor(op, 'input');
    expect(descriptor?.get).toBeTypeOf('function');
    expect(descriptor?.enumerable).toBe(true);
    const input = op.input;
    expect(input).toBeInstanceOf(z.ZodObject);
    expect(op.input).toBe(input);
    expect({ ...op }.input).toBe(input);
    expect(Object.isFrozen(op)).toBe(true);
  });

  it('runs a getter of a definition only when read, and parses with what it built', async () => {
    let builds = 0;
    const op = defineOperation({
      key: 'echo',
      answers: 'data',
      resource: 'test',
      verb: 'echo',
      title: 'Echo',
      description: 'Answers its input.',
      get input() {
        builds += 1;
        return z.object({ name: z.string().meta({ label: 'Name' }) });
      },
      output: z.object({ name: z.string() }),
      sample: { name: 'a' },
      run: async (_client, input) => input,
    });
    expect(builds).toBe(0);
    expect(Object.keys(op)).toEqual([
      'key',
      'answers',
      'resource',
      'verb',
      'title',
      'description',
      'input',
      'output',
      'sample',
      'run',
      'kind',
      'parseInput',
      'parseItems',
      'execute',
    ]);
    expect(builds).toBe(0);
    expect(op.parseInput({ name: 'x' })).toEqual({ name: 'x' });
    await expect(op.execute({} as never, { name: 'y' })).resolves.toEqual({ name: 'y' });
    expect(() => op.parseInput({ nam: 'x' })).toThrow(/Name/);
    expect(builds).toBe(1);
  });
});

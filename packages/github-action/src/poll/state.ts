/**
 * A poll's state file: the cursor, kept between runs by actions/cache, tagged with what it is the cursor of (a
 * strategy of poll-scans, or a trigger), written atomically and only after what it moves past was delivered.
 */
import { accessSync, constants, existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import * as core from '@actions/core';
import { InputError } from '../errors.ts';
import { writeInputFile } from '../inputs.ts';
import type { PollStrategy } from '../overrides.ts';
import { type PollPlan, tagOf } from './plan.ts';

const STATE_VERSION = 1;

interface StateFile {
  version: number;
  /** poll-scans' cursors say their strategy (as before any other trigger could be polled) … */
  strategy?: PollStrategy;
  /** … every other poll's its trigger. */
  trigger?: string;
  cursor: unknown;
  updatedAt: string;
}

function readState(path: string, plan: PollPlan): StateFile | undefined {
  if (!existsSync(path)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new InputError(
      'state-file',
      `Input "state-file" (${path}) is not valid JSON (${(error as Error).message}); delete it to start over from now.`,
    );
  }
  const state = parsed as Partial<StateFile>;
  if (!state || typeof state !== 'object' || state.version !== STATE_VERSION || !('cursor' in state)) {
    throw new InputError(
      'state-file',
      `Input "state-file" (${path}) is not a CodeQR ${plan.words.one} cursor; point it at its own file, or delete it ` +
        'to start over.',
    );
  }
  return state as StateFile;
}

/** The folder must take the cursor: it is written after the dispatches, and a failure then would re-fire them. */
function checkWritable(path: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    accessSync(dirname(path), constants.W_OK);
    if (existsSync(path)) accessSync(path, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new InputError('state-file', `Input "state-file" names ${path}, which cannot be written (${code}).`);
  }
}

export interface PollState {
  /** The stored cursor, when the file holds one of this plan (undefined: the first poll primes). */
  cursor: unknown;
  save(cursor: unknown): void;
}

/** Opens the state file at `path`: its cursor when it is this plan's (else a notice and a fresh start). */
export function openState(path: string, plan: PollPlan): PollState {
  const state = readState(path, plan);
  checkWritable(path);
  const tag = tagOf(plan);
  const held = state?.strategy ?? state?.trigger;
  const same = state !== undefined && held === tag && 'strategy' in plan.tag === (state.strategy !== undefined);
  if (state && !same) {
    const polled = 'strategy' in plan.tag ? `strategy is ${tag}` : `this step polls ${tag}`;
    core.notice(`state-file holds a ${held} cursor; ${polled}, so this run starts over.`);
  }
  return {
    cursor: same ? state.cursor : undefined,
    save: (cursor) =>
      writeState(path, { version: STATE_VERSION, ...plan.tag, cursor, updatedAt: new Date().toISOString() }),
  };
}

function writeState(path: string, state: StateFile): void {
  const tmp = `${path}.tmp`;
  writeInputFile('state-file', tmp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(tmp, path);
}

/**
 * Reading the step's inputs. Registry fields go to core as the strings the runner gave (core's parseInput is the
 * one boundary); only the Action's own inputs (booleans, shard, file paths) are read here, each failing with a
 * message that names the input.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { getInput } from '@actions/core';
import { InputError } from './errors.ts';

/** The input's text ('' when not set: the runner cannot tell unset from empty). */
export const input = (name: string): string => getInput(name);

const TRUE = ['true', 'True', 'TRUE'];
const FALSE = ['false', 'False', 'FALSE'];

/** A YAML 1.2 boolean input (as `core.getBooleanInput`), with its default when empty. */
export function booleanInput(name: string, fallback: boolean): boolean {
  const value = input(name);
  if (value === '') return fallback;
  if (TRUE.includes(value)) return true;
  if (FALSE.includes(value)) return false;
  throw new InputError(name, `Input "${name}" must be true or false; got "${value}".`);
}

/** A whole-number input within bounds, with its default when empty. */
export function integerInput(name: string, fallback: number, min: number, max: number): number {
  const value = input(name);
  if (value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new InputError(name, `Input "${name}" must be a whole number from ${min} to ${max}; got "${value}".`);
  }
  return n;
}

/** One of fixed choices, with its default when empty. */
export function choiceInput<const T extends string>(name: string, choices: readonly T[], fallback: T): T {
  const value = input(name).toLowerCase();
  if (value === '') return fallback;
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw new InputError(name, `Input "${name}" must be one of ${choices.join(', ')}; got "${input(name)}".`);
}

/** A comma- or newline-separated list. */
export const listInput = (name: string): string[] =>
  input(name)
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * YAML's one non-string scalar kept here: an explicit `~` / `null` (which clears a field on update). Everything else
 * stays text for core's schema to coerce, so `externalId: 007` stays "007" (YAML 1.2 would read 7) and an empty
 * `title:` is "" (not set), not null.
 */
const EXPLICIT_NULL = {
  identify: (value: unknown) => value == null,
  default: true,
  tag: 'tag:yaml.org,2002:null',
  test: /^(?:~|[Nn]ull|NULL)$/,
  resolve: () => null,
};

/** JSON or YAML text (JSON is YAML; tried first because it is faster), failing with the input's name. */
export async function parseStructured(name: string, text: string): Promise<unknown> {
  try {
    return JSON.parse(text);
  } catch {
    // not JSON: YAML below
  }
  const { parse } = await import('yaml');
  try {
    return parse(text, { schema: 'failsafe', customTags: [EXPLICIT_NULL] });
  } catch (error) {
    // the yaml library's first line ends with ":" before a code frame: keep the sentence, end it with a full stop
    const reason = (error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error)).replace(
      /[:.]?\s*$/,
      '',
    );
    throw new InputError(name, `Input "${name}" is neither valid JSON nor valid YAML: ${reason}.`);
  }
}

/** Writes a file the user named by an input, creating its folder; a failure names the input. */
export function writeInputFile(inputName: string, path: string, data: string | Uint8Array): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, data);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new InputError(inputName, `Input "${inputName}" names ${path}, which cannot be written (${code}).`);
  }
}

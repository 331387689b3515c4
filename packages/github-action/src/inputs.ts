/**
 * The Action's own inputs (not registry fields): what they are, in the order action.yml lists them, and how they are
 * read. Registry fields go to core as the strings the runner gave (core's parseInput is the one boundary, see
 * `collect.ts`); only the Action's own inputs (booleans, shard, file paths) are read here, each failing with a
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
  const yaml = await import('yaml');
  // dist/ loads yaml's CommonJS build as a chunk of its own, whose namespace holds it as `default` only
  const { parse } = (yaml as unknown as { default?: typeof yaml }).default ?? yaml;
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

export interface HostInput {
  description: string;
  required?: boolean;
  default?: string;
}

/** Inputs of the Action itself (not registry fields), in the order action.yml lists them. */
export const HOST_INPUTS: Readonly<Record<string, HostInput>> = {
  'api-key': {
    description: 'Your CodeQR API key (store it as a secret, e.g. secrets.CODEQR_API_KEY). Masked in the log at once.',
    required: true,
  },
  'api-base-url': {
    description: 'CodeQR API base URL (https only; plain http only for a local sandbox on 127.0.0.1).',
    default: 'https://api.codeqr.io',
  },
  fields: {
    description:
      'Any other fields of the operation, as a JSON or YAML object (keys as in the CodeQR API, e.g. expiresAt, or as ' +
      'input names, e.g. expires-at). Inputs set on their own take precedence.',
  },
  file: {
    description:
      'Catalogue mode (upsert-qr-code, upsert-qr-codes or bulk-create-qr-codes): a CSV file with a header row, a JSON array or NDJSON ' +
      'of QR codes, one per row; columns are field names (url, title, tags, wifi.ssid, ...).',
  },
  'file-format': {
    description: 'Format of file: auto (from the extension: .csv, .json, .ndjson/.jsonl), csv, json or ndjson.',
    default: 'auto',
  },
  'external-id-column': {
    description:
      'Catalogue mode: the column that gives each row its stable External ID, so a rerun updates instead of adding. ' +
      'Default: the externalId column when there is one, else the first column.',
  },
  'ignore-columns': {
    description: 'Catalogue mode: columns to ignore (comma- or newline-separated); any other unknown column fails.',
  },
  shard: {
    description:
      'Catalogue mode: i/n (e.g. 2/4, with i from 1 to n) processes only the rows whose External ID falls in shard i of ' +
      'n, so n matrix jobs split one catalogue deterministically.',
  },
  'results-file': {
    description:
      'Catalogue mode: where to write one result per row (row number, status, id, short link, error); .csv or .json. ' +
      'Default: codeqr-results.json in RUNNER_TEMP.',
  },
  'fail-on-error': {
    description:
      'Bulk and catalogue mode: fail the step when any item or row failed (default true: a job that leaves rows failed is red; false only warns).',
    default: 'true',
  },
  path: {
    description: 'get-qr-code-image: file to write the PNG or SVG to. Default: the image file name in the workspace.',
  },
  summary: {
    description: 'Write a job summary of the QR codes this step touched (true or false).',
    default: 'true',
  },
  'comment-on-pr': {
    description:
      'On a pull_request event, keep one sticky PR comment listing the QR codes of this step, updated in place on ' +
      'every run (true or false). Needs github-token with pull-requests: write.',
    default: 'false',
  },
  'comment-key': {
    description: 'Tells sticky comments apart when several steps comment on the same PR.',
    default: 'codeqr',
  },
  'github-token': {
    description: 'Token for the PR comment and repository_dispatch.',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a JS template
    default: '${{ github.token }}',
  },
  'github-api-url': {
    description: 'GitHub REST API URL. Default: GITHUB_API_URL of the runner (GitHub Enterprise Server works).',
  },
  strategy: {
    description:
      'poll-scans: events (one item per scan, Business plan and up) or counts (one item per QR code whose scan count ' +
      'grew, every plan).',
    default: 'events',
  },
  'state-file': {
    description:
      'poll-scans and poll-<trigger>: the cursor file, read and written on every run; keep it between runs with ' +
      'actions/cache, one file per poll. The first run (no file) only records where things stand.',
    default: '.codeqr/scan-cursor.json',
  },
  'dispatch-event-type': {
    description:
      'poll-scans and poll-<trigger>: fire a repository_dispatch event of this type (at most 100 characters) per ' +
      'batch of new items. ' +
      'Needs github-token with contents: write.',
  },
  'dispatch-repository': {
    description: 'poll-scans and poll-<trigger>: owner/repo to dispatch to. Default: this repository.',
  },
  'dispatch-batch-size': {
    description:
      'poll-scans and poll-<trigger>: most items per repository_dispatch event (1-1000); batches also stay under 60 KB.',
    default: '100',
  },
};

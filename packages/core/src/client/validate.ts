import type * as z from 'zod/v4';
import { CodeQrError, type FieldIssue } from '../errors.ts';

function closest(name: string, candidates: string[]): string | undefined {
  const lower = name.toLowerCase();
  let best: { key: string; score: number } | undefined;
  for (const key of candidates) {
    const k = key.toLowerCase();
    // a small edit distance is enough for typo hints
    const dp = Array.from({ length: lower.length + 1 }, (_, i) => [i, ...Array<number>(k.length).fill(0)]);
    for (let j = 1; j <= k.length; j++) dp[0]![j] = j;
    for (let i = 1; i <= lower.length; i++) {
      for (let j = 1; j <= k.length; j++) {
        dp[i]![j] = Math.min(
          dp[i - 1]![j]! + 1,
          dp[i]![j - 1]! + 1,
          dp[i - 1]![j - 1]! + (lower[i - 1] === k[j - 1] ? 0 : 1),
        );
      }
    }
    const score = dp[lower.length]![k.length]!;
    if (score <= 2 && (!best || score < best.score)) best = { key, score };
  }
  return best?.key;
}

/** Keys of `input` (a plain object) that are not in `knownKeys`, each with a "did you mean" hint. */
export function unknownKeyIssues(
  input: unknown,
  knownKeys: readonly string[],
  what: string,
  pathPrefix = '',
): FieldIssue[] {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return [];
  const prefix = pathPrefix ? `${pathPrefix}.` : '';
  const issues: FieldIssue[] = [];
  for (const key of Object.keys(input)) {
    if (knownKeys.includes(key) || (input as Record<string, unknown>)[key] === undefined) continue;
    const hint = closest(key, [...knownKeys]);
    issues.push({
      field: `${prefix}${key}`,
      message: `is not a ${what} field${hint ? `; did you mean "${hint}"?` : ''}`,
    });
  }
  return issues;
}

/** Schema violations of `input` as field issues (empty when valid), and the parsed value when valid. */
export function schemaIssues<S extends z.ZodType>(
  schema: S,
  input: unknown,
  pathPrefix = '',
): { issues: FieldIssue[]; data?: z.output<S> } {
  const parsed = schema.safeParse(input);
  if (parsed.success) return { issues: [], data: parsed.data };
  const prefix = pathPrefix ? `${pathPrefix}.` : '';
  return {
    issues: parsed.error.issues.map((issue) => ({
      field: `${prefix}${issue.path.map(String).join('.')}`,
      message: issue.message,
    })),
  };
}

/** The one `validation_error` for a list of field issues: "Invalid <what>: field: problem; …". */
export function validationError(what: string, issues: FieldIssue[]): CodeQrError {
  const list = issues.map((i) => (i.field ? `${i.field}: ${i.message}` : i.message)).join('; ');
  return new CodeQrError({ code: 'validation_error', message: `Invalid ${what}: ${list}.`, issues });
}

/**
 * Validates caller input before anything reaches the network: unknown fields (with a "did you mean" hint) and
 * schema violations become one `validation_error` naming every bad field.
 */
export function validateInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what: string,
  knownKeys?: readonly string[],
  pathPrefix = '',
): z.output<S> {
  const unknown = knownKeys ? unknownKeyIssues(input, knownKeys, what, pathPrefix) : [];
  const { issues, data } = schemaIssues(schema, input, pathPrefix);
  if (unknown.length > 0 || issues.length > 0) throw validationError(what, [...unknown, ...issues]);
  return data as z.output<S>;
}

/**
 * Drops `undefined` values, inside nested plain objects too, so bodies carry only what the caller set (hosts often
 * produce `{ password: undefined }` for an empty sub-field, which a string map would otherwise reject).
 */
export function compact<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) if (v !== undefined) out[key] = compact(v);
  return out as T;
}

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Exchange } from '@codeqr-integrations/sandbox';
import { type Document, OpenAPIBackend, type Operation } from 'openapi-backend';

/** Repository root (two levels up from test/contract). */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** CodeQR's official OpenAPI document, vendored with its provenance (`spec/codeqr-api/README.md`). */
export const SPEC_PATH = path.resolve(REPO_ROOT, 'spec/codeqr-api/openapi.json');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Lossless OpenAPI 3.0 → Ajv (JSON Schema draft-07) translation of the spec, done before openapi-backend sees it.
 * Nothing is relaxed; each rewrite has exactly the 3.0.3 meaning:
 * - `minimum: n, exclusiveMinimum: true` (draft-4 boolean form, valid in 3.0) → `exclusiveMinimum: n` (draft-07 form).
 *   openapi-schema-validator's 3.0 meta-schema and Ajv both only know the numeric form; left as is, the document
 *   fails validation and, with `strict: false`, openapi-backend silently skips dereferencing, so no operation matches.
 * - duplicate `enum` items (`groupBy` lists `clicks` twice) are removed: a set with a repeat is the same set.
 * - `nullable` without `type` is dropped: 3.0.3 says it only adds null "if type is explicitly defined within the same
 *   Schema Object", so it has no effect there (Ajv would refuse to compile it).
 * - `discriminator.mapping` is checked against each `oneOf` branch's `propertyName` enum/const and then removed: Ajv's
 *   `discriminator` (which we enable) does not support `mapping`, and once verified it adds nothing.
 */
export function normaliseSpec(document: JsonObject): JsonObject {
  const doc = structuredClone(document);
  const schemas = (doc.components as JsonObject | undefined)?.schemas as JsonObject | undefined;
  const resolve = (ref: string): JsonObject | undefined => {
    const prefix = '#/components/schemas/';
    return ref.startsWith(prefix) ? (schemas?.[ref.slice(prefix.length)] as JsonObject | undefined) : undefined;
  };
  const walk = (node: Json, where: string): void => {
    if (Array.isArray(node)) {
      for (const [i, item] of node.entries()) walk(item, `${where}/${i}`);
      return;
    }
    if (!isObject(node)) return;
    for (const [bound, exclusive] of [
      ['minimum', 'exclusiveMinimum'],
      ['maximum', 'exclusiveMaximum'],
    ] as const) {
      if (typeof node[exclusive] === 'boolean') {
        if (node[exclusive] === true) {
          if (typeof node[bound] !== 'number') throw new Error(`${where}: ${exclusive}: true without ${bound}`);
          node[exclusive] = node[bound];
          delete node[bound];
        } else {
          delete node[exclusive];
        }
      }
    }
    if (Array.isArray(node.enum)) {
      const seen = new Set<string>();
      node.enum = node.enum.filter((value) => {
        const k = JSON.stringify(value);
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
      });
    }
    if ('nullable' in node && node.type === undefined) delete node.nullable;
    const discriminator = node.discriminator;
    if (isObject(discriminator) && isObject(discriminator.mapping)) {
      const property = discriminator.propertyName as string;
      const branches = (node.oneOf ?? []) as Json[];
      for (const [tag, ref] of Object.entries(discriminator.mapping)) {
        const target = typeof ref === 'string' ? resolve(ref) : undefined;
        if (!target || !branches.some((b) => isObject(b) && b.$ref === ref)) {
          throw new Error(`${where}: discriminator mapping ${tag} → ${String(ref)} is not one of the oneOf branches`);
        }
        const prop = (target.properties as JsonObject | undefined)?.[property];
        const allowed = isObject(prop)
          ? (prop.enum ?? (prop.const !== undefined ? [prop.const] : undefined))
          : undefined;
        const required = Array.isArray(target.required) && target.required.includes(property);
        if (!Array.isArray(allowed) || !allowed.includes(tag) || !required) {
          throw new Error(`${where}: discriminator mapping ${tag} → ${String(ref)} does not match its "${property}"`);
        }
      }
      delete discriminator.mapping;
    }
    for (const [key, value] of Object.entries(node)) walk(value, `${where}/${key}`);
  };
  walk(doc, '#');
  return doc;
}

// Ajv ships no string formats (openapi-backend only adds int32/int64/float/double/byte/binary…), so the spec's
// `date-time`, `email` and `uri` would be ignored with a warning; these make them checked.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const URI = /^[a-z][a-z0-9+.-]*:[^\s]*$/i;

export interface SpecValidator {
  api: OpenAPIBackend;
  /** The operation the spec defines for this request, if any. */
  operation(method: string, path: string): Operation | undefined;
  /** Validates a response body; returns the problems (empty = valid). */
  checkResponse(method: string, path: string, status: number, body: unknown): string[];
  /** Throws with the ajv errors listed if the response does not match the spec. */
  validateResponse(method: string, path: string, status: number, body: unknown): void;
  /** Validates a captured request against the spec; returns the problems (empty = valid). */
  checkRequest(exchange: Pick<Exchange, 'method' | 'path' | 'query' | 'headers' | 'body'>): string[];
  /** Throws with the ajv errors listed if the request does not match the spec. */
  validateRequest(exchange: Pick<Exchange, 'method' | 'path' | 'query' | 'headers' | 'body'>): void;
}

const formatErrors = (
  errors: Array<{ instancePath?: string; message?: string; params?: unknown }> | null | undefined,
) =>
  (errors ?? []).map((e) =>
    `${e.instancePath || '(root)'} ${e.message ?? ''} ${JSON.stringify(e.params ?? {})}`.trim(),
  );

/**
 * The spec's paths under the resources the sandbox serves. Only these operations get validators: compiling Ajv
 * validators for all 34 operations (links, projects, conversion tracking…) costs seconds per test file and none of
 * them is ever exercised. Every path under these prefixes is kept, so "not in the spec" checks stay exact.
 */
export const SANDBOX_RESOURCES = ['/qrcodes', '/analytics', '/events', '/tags', '/folders', '/domains'];

export function sandboxPaths(document: JsonObject): JsonObject {
  const paths = document.paths as JsonObject;
  const kept = Object.entries(paths).filter(([p]) => SANDBOX_RESOURCES.some((r) => p === r || p.startsWith(`${r}/`)));
  return { ...document, paths: Object.fromEntries(kept) };
}

/** Builds the validator over the official spec (openapi-backend + Ajv with discriminator and formats). */
export async function loadSpec(): Promise<SpecValidator> {
  const raw = JSON.parse(readFileSync(SPEC_PATH, 'utf8')) as JsonObject;
  const definition = sandboxPaths(normaliseSpec(raw)) as unknown as Document;
  const api = new OpenAPIBackend({
    definition,
    strict: false,
    quick: false,
    validate: true,
    ajvOpts: { discriminator: true, allErrors: true },
    customizeAjv: (ajv) => {
      ajv.addFormat('date-time', {
        type: 'string',
        validate: (s: string) => DATE_TIME.test(s) && !Number.isNaN(Date.parse(s)),
      });
      ajv.addFormat('email', EMAIL);
      ajv.addFormat('uri', URI);
      return ajv;
    },
  });
  await api.init();
  // strict: false only warns when the document is invalid (and then leaves it un-dereferenced, so nothing would
  // match); fail loudly instead.
  api.validateDefinition();
  if (!api.definition || api.getOperations().length < 15) throw new Error('the CodeQR spec did not load');

  const operation = (method: string, p: string) =>
    api.matchOperation({ method: method.toLowerCase(), path: p, headers: {}, query: {} });

  const checkResponse = (method: string, p: string, status: number, body: unknown): string[] => {
    const op = operation(method, p);
    if (!op) return [`${method} ${p}: no such operation in the spec`];
    const responses = (op.responses ?? {}) as Record<string, unknown>;
    const declared = responses[String(status)] ?? responses[`${Math.floor(status / 100)}XX`] ?? responses.default;
    // openapi-backend passes silently when the status has no schema; an undocumented status is a contract failure.
    if (!declared) return [`${method} ${p}: status ${status} is not documented (${Object.keys(responses).join(', ')})`];
    const result = api.validateResponse(body, op, status);
    return result.valid ? [] : formatErrors(result.errors).map((e) => `${method} ${p} ${status}: ${e}`);
  };

  const checkRequest = (x: Pick<Exchange, 'method' | 'path' | 'query' | 'headers' | 'body'>): string[] => {
    const op = operation(x.method, x.path);
    if (!op) return [`${x.method} ${x.path}: no such operation in the spec`];
    const query: Record<string, string | string[]> = {};
    for (const [name, values] of Object.entries(x.query)) query[name] = values.length === 1 ? values[0]! : values;
    const result = api.validateRequest(
      { method: x.method.toLowerCase(), path: x.path, query, headers: x.headers, body: x.body as object },
      op,
    );
    return result.valid ? [] : formatErrors(result.errors).map((e) => `${x.method} ${x.path} request: ${e}`);
  };

  return {
    api,
    operation,
    checkResponse,
    validateResponse(method, p, status, body) {
      const problems = checkResponse(method, p, status, body);
      if (problems.length > 0) throw new Error(`response does not match the spec:\n${problems.join('\n')}`);
    },
    checkRequest,
    validateRequest(x) {
      const problems = checkRequest(x);
      if (problems.length > 0) throw new Error(`request does not match the spec:\n${problems.join('\n')}`);
    },
  };
}

import type { z } from 'zod/v4';

/**
 * CodeQR's error codes and the HTTP status each is sent with. spec: components.responses.<status> (each response's
 * `error.code` enum names its one code); docs: errors list (`bad_request` 400 … `internal_server_error` 500, and
 * `exceeded_limit` 403 for quotas, which the spec's 403 enum lacks).
 */
export const API_ERROR_STATUS = {
  bad_request: 400, // spec: components.responses.400
  unauthorized: 401, // spec: components.responses.401
  forbidden: 403, // spec: components.responses.403
  exceeded_limit: 403, // docs: errors, "also exceeded_limit (403, quotas)"
  not_found: 404, // spec: components.responses.404
  conflict: 409, // spec: components.responses.409
  invite_expired: 410, // spec: components.responses.410
  unprocessable_entity: 422, // spec: components.responses.422
  rate_limit_exceeded: 429, // spec: components.responses.429
  internal_server_error: 500, // spec: components.responses.500
} as const;
export type ApiErrorCode = keyof typeof API_ERROR_STATUS;

const ERRORS_PAGE = 'https://docs.codeqr.io/api-reference/errors';

/**
 * The `doc_url` of each code, as the spec's examples give it: the code with its FIRST underscore turned into a hyphen
 * (`rate-limit_exceeded`, `internal-server_error`), which is what a JavaScript `code.replace('_', '-')` yields.
 */
const DOC_URLS: Record<ApiErrorCode, string> = {
  bad_request: `${ERRORS_PAGE}#bad-request`, // spec: components.responses.400…error.properties.doc_url.example
  unauthorized: `${ERRORS_PAGE}#unauthorized`, // spec: components.responses.401…doc_url.example
  forbidden: `${ERRORS_PAGE}#forbidden`, // spec: components.responses.403…doc_url.example
  exceeded_limit: `${ERRORS_PAGE}#exceeded-limit`, // not in the spec: the same rule as the spec's examples
  not_found: `${ERRORS_PAGE}#not-found`, // spec: components.responses.404…doc_url.example
  conflict: `${ERRORS_PAGE}#conflict`, // spec: components.responses.409…doc_url.example
  invite_expired: `${ERRORS_PAGE}#invite-expired`, // spec: components.responses.410…doc_url.example
  unprocessable_entity: `${ERRORS_PAGE}#unprocessable-entity`, // spec: components.responses.422…doc_url.example
  rate_limit_exceeded: `${ERRORS_PAGE}#rate-limit_exceeded`, // spec: components.responses.429…doc_url.example
  internal_server_error: `${ERRORS_PAGE}#internal-server_error`, // spec: components.responses.500…doc_url.example
};

/** CodeQR's error body: `{"error": {"code", "message", "doc_url"}}` (spec: components.responses.*). */
export function errorBody(code: ApiErrorCode, message: string) {
  return { error: { code, message, doc_url: DOC_URLS[code] } };
}

/** An error the sandbox answers in CodeQR's shape. */
export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly status: number;
  readonly headers: Record<string, string>;

  constructor(code: ApiErrorCode, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.code = code;
    this.status = API_ERROR_STATUS[code];
    this.headers = headers;
  }

  body() {
    return errorBody(this.code, this.message);
  }
}

/** Formats zod issues the way CodeQR's 422s read: the validator's text, naming each field. */
export function describeIssues(error: z.ZodError, prefix = ''): string {
  return error.issues
    .map((issue) => {
      const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

export function unprocessable(error: z.ZodError, prefix = ''): ApiError {
  return new ApiError('unprocessable_entity', describeIssues(error, prefix));
}

/**
 * One error type for everything the CodeQR client can fail with. Core is bundled into each host, so callers check
 * errors with `isCodeQrError()` (a brand), never `instanceof`.
 */
export const CODEQR_ERROR_CODES = [
  // CodeQR's own codes
  'bad_request',
  'unauthorized',
  'forbidden',
  'exceeded_limit',
  'not_found',
  'conflict',
  'invite_expired',
  'unprocessable_entity',
  'rate_limit_exceeded',
  'internal_server_error',
  'service_unavailable',
  // the client's
  'network_error',
  'timeout',
  'invalid_response',
  'validation_error',
  /** The client itself is set up wrong (an API key with a line break, no transport, a bad option): fix the setup. */
  'invalid_configuration',
  /** A write whose answer was lost and whose effect could not be checked: rerun it with the same externalId. */
  'outcome_unknown',
] as const;
export type CodeQrErrorCode = (typeof CODEQR_ERROR_CODES)[number];

const BRAND = Symbol.for('codeqr.error');

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `items.3.url`; empty for the whole input. */
  field: string;
  /** The whole sentence, naming the field by its label and path: `Destination URL (url) must be an absolute URL…`. */
  message: string;
  /** The field's label as forms show it (`Destination URL`; nested: `Design › Logo`), when the field has one. */
  label?: string;
  /** What is wrong, without the field's name (`must be an absolute URL, e.g. https://example.com/page`). */
  rule?: string;
}

export interface CodeQrErrorOptions {
  code: CodeQrErrorCode;
  message: string;
  /** HTTP status, when the error came from a response. */
  status?: number;
  requestId?: string;
  docUrl?: string;
  /** Seconds to wait before retrying, when CodeQR said so. */
  retryAfter?: number;
  /** Field-level problems for `validation_error` / `unprocessable_entity`. */
  issues?: FieldIssue[];
  /** Attempts made before giving up (1 when no retry happened). */
  attempts?: number;
  /** For network errors: false when the request certainly never reached CodeQR (connection refused, DNS). */
  requestSent?: boolean;
  /**
   * The sentence of `message` that says what to do ("Check the key in your credentials."), when it has one: a host
   * with advice of its own (naming its own inputs or credentials) replaces exactly this part, never guessing.
   */
  advice?: string;
  cause?: unknown;
}

export class CodeQrError extends Error {
  override readonly name = 'CodeQrError';
  readonly code: CodeQrErrorCode;
  readonly status: number | undefined;
  readonly requestId: string | undefined;
  readonly docUrl: string | undefined;
  readonly retryAfter: number | undefined;
  readonly issues: FieldIssue[];
  readonly attempts: number;
  readonly requestSent: boolean | undefined;
  readonly advice: string | undefined;

  constructor(options: CodeQrErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    Object.defineProperty(this, BRAND, { value: true });
    this.code = options.code;
    this.status = options.status;
    this.requestId = options.requestId;
    this.docUrl = options.docUrl;
    this.retryAfter = options.retryAfter;
    this.issues = options.issues ?? [];
    this.attempts = options.attempts ?? 1;
    this.requestSent = options.requestSent;
    this.advice = options.advice;
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      status: this.status,
      message: this.message,
      requestId: this.requestId,
      docUrl: this.docUrl,
      retryAfter: this.retryAfter,
      issues: this.issues.length > 0 ? this.issues : undefined,
      attempts: this.attempts,
    };
  }
}

/** True for any CodeQrError, including one created by another bundled copy of core. */
export function isCodeQrError(value: unknown): value is CodeQrError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

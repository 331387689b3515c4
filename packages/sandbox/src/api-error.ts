import { API_ERROR_STATUS, type ApiErrorCode, docUrlFor } from '@codeqr-integrations/core/schemas';
import type { z } from 'zod/v4';

/** An error the sandbox answers in CodeQR's shape: `{"error": {"code", "message", "doc_url"}}`. */
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
    return { error: { code: this.code, message: this.message, doc_url: docUrlFor(this.code) } };
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

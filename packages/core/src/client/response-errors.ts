import { CodeQrError, type CodeQrErrorCode, type FieldIssue } from '../errors.ts';
import { API_ERROR_STATUS } from '../schemas/errors.ts';
import { planAdvice } from './plan-errors.ts';
import { retryAt } from './rate-limit-headers.ts';

/** CodeQR's answers that are not 2xx, as CodeQrErrors a workflow user can act on. */

const STATUS_CODES: Record<number, CodeQrErrorCode> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  410: 'invite_expired',
  422: 'unprocessable_entity',
  429: 'rate_limit_exceeded',
  503: 'service_unavailable',
};

/** Splits CodeQR's 422 text ("url: must be …; key: …") into field issues. */
function issuesFrom(message: string): FieldIssue[] {
  return message
    .split(/;\s+/)
    .map((part) => /^([A-Za-z_][\w.[\]]*):\s+(.+)$/.exec(part))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ field: m[1]!, message: m[2]! }));
}

/** Turns a non-2xx answer into a CodeQrError whose message a workflow user can act on. */
export function errorFromResponse(
  status: number,
  body: string,
  headers: Record<string, string>,
  now: number = Date.now(),
  path = '',
): CodeQrError {
  let serverCode: string | undefined;
  let serverMessage: string | undefined;
  let docUrl: string | undefined;
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown; message?: unknown; doc_url?: unknown } };
    if (parsed?.error && typeof parsed.error === 'object') {
      serverCode = typeof parsed.error.code === 'string' ? parsed.error.code : undefined;
      serverMessage = typeof parsed.error.message === 'string' ? parsed.error.message : undefined;
      docUrl = typeof parsed.error.doc_url === 'string' ? parsed.error.doc_url : undefined;
    }
  } catch {
    // not JSON (e.g. a proxy's HTML page): described by status below
  }
  let code: CodeQrErrorCode =
    serverCode && serverCode in API_ERROR_STATUS
      ? (serverCode as CodeQrErrorCode)
      : (STATUS_CODES[status] ?? (status >= 500 ? 'internal_server_error' : 'bad_request'));
  const detail = serverMessage ? `: ${serverMessage.replace(/\.?$/, '.')}` : '.';
  const advices: Partial<Record<CodeQrErrorCode, string>> = {
    unauthorized: 'Check the key in your credentials.',
    exceeded_limit: 'Upgrade your plan or free up some of it.',
  };
  const messages: Partial<Record<CodeQrErrorCode, string>> = {
    unauthorized: `CodeQR rejected the API key (401). ${advices.unauthorized}`,
    forbidden: `CodeQR refused this request (403)${detail}`,
    exceeded_limit: `Your CodeQR plan's limit is reached (403)${detail} ${advices.exceeded_limit}`,
    not_found: `CodeQR could not find it (404)${detail}`,
    conflict: `It already exists in CodeQR (409)${detail}`,
    unprocessable_entity: `CodeQR rejected the input (422)${detail}`,
    bad_request: `CodeQR could not read the request (${status})${detail}`,
    rate_limit_exceeded: `CodeQR's rate limit was reached (429)${detail}`,
  };
  let message = messages[code] ?? `CodeQR had a server error (${status})${detail} Try again later.`;
  let advice = messages[code] ? advices[code] : 'Try again later.';
  if (status === 403 && (code === 'forbidden' || code === 'exceeded_limit')) {
    const plan = planAdvice(serverCode, serverMessage, path);
    if (plan) ({ code, message, advice } = plan);
  }
  const at = status === 429 || status === 503 ? retryAt(headers, now, status === 429) : undefined;
  return new CodeQrError({
    code,
    status,
    message,
    requestId: headers['x-request-id'],
    docUrl,
    // at least 1 s: a retry time already past (clock skew, `Retry-After: 0`) must not become a host's 0-second throttle
    retryAfter: at === undefined ? undefined : Math.max(1, Math.ceil((at - now) / 1000)),
    issues: code === 'unprocessable_entity' && serverMessage ? issuesFrom(serverMessage) : [],
    ...(advice ? { advice } : {}),
  });
}

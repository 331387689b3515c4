/**
 * CodeQR errors as n8n errors, in one place: a bad field → NodeOperationError naming it (by its label) with the item
 * index; anything CodeQR or the network answered → NodeApiError with CodeQR's message, the HTTP status and a hint.
 */
import { type CodeQrError, isCodeQrError } from '@codeqr-integrations/core/base';
import { type IDataObject, type INode, type JsonObject, NodeApiError, NodeOperationError } from 'n8n-workflow';

/** What to do next, per CodeQR error code: the second sentence of every API error. */
const HINTS: Partial<Record<CodeQrError['code'], string>> = {
  unauthorized: 'Check the API key in the CodeQR API credential (CodeQR dashboard → Settings → API Keys).',
  forbidden: 'Your CodeQR plan or API key does not allow this; upgrade the plan or use a key with write access.',
  exceeded_limit: "Your CodeQR plan's limit is reached; upgrade the plan or delete what you no longer need.",
  not_found: 'Check the ID, External ID or short link; the QR code may have been deleted.',
  conflict: 'Use another key or External ID, or use "Create or Update" to change the existing QR code.',
  unprocessable_entity: 'Fix the field named above and run the node again.',
  bad_request: 'Fix the field named above and run the node again.',
  rate_limit_exceeded: "CodeQR's rate limit was reached; run fewer items at once or try again later.",
  internal_server_error: 'CodeQR had a problem; run the node again in a moment.',
  service_unavailable: 'CodeQR is unavailable right now; run the node again in a moment.',
  network_error: 'Check the Base URL in the CodeQR API credential and the network of this n8n instance.',
  timeout: 'CodeQR did not answer in time; run the node again (creates with an External ID are safe to repeat).',
  invalid_response: 'CodeQR answered something unexpected; check the Base URL in the CodeQR API credential.',
};

function issuesText(error: CodeQrError): string | undefined {
  if (error.issues.length === 0) return undefined;
  return error.issues.map((issue) => (issue.field ? `${issue.field}: ${issue.message}` : issue.message)).join('\n');
}

/** The CodeQR API credential's fields, by the names core's client options give them. */
const CREDENTIAL_FIELDS: Record<string, string> = { apiKey: 'API Key', baseUrl: 'Base URL' };

/** A client set up wrong: a credential field the user can fix (named by its label), else a setup problem. */
function configurationError(node: INode, error: CodeQrError, at: { itemIndex?: number }): NodeOperationError {
  const fields = [...new Set(error.issues.map((issue) => issue.field))].filter((field) => field in CREDENTIAL_FIELDS);
  if (fields.length === 0) {
    return new NodeOperationError(node, error.message, {
      ...at,
      description: 'The CodeQR node is set up wrong (not your data); update the package or report it.',
    });
  }
  const labels = fields.map((field) => CREDENTIAL_FIELDS[field]);
  // core's structured issues (field and rule), each named by the credential's label
  const message = error.issues
    .filter((issue) => issue.field in CREDENTIAL_FIELDS)
    .map((issue) => `${CREDENTIAL_FIELDS[issue.field]} ${issue.rule ?? issue.message}`)
    .join('; ');
  return new NodeOperationError(node, `CodeQR API credential: ${message}.`, {
    ...at,
    description: `Open the CodeQR API credential this node uses and fix its ${labels.join(' and ')}, then run the node again.`,
  });
}

/** What a bulk item whose outcome is unknown means for a rerun: safe with its External ID, else check first. */
function outcomeUnknownHint(externalId: string | undefined): string {
  return externalId
    ? `Running the workflow again is safe: the External ID "${externalId}" makes CodeQR update or skip it, never create it twice.`
    : 'This item has no External ID, so check in CodeQR whether it exists before running it again.';
}

/**
 * What a read (a trigger's poll) needs, for the hint of a 403: a read is refused for the plan, never for the key's
 * write access. `plans`: the plans that include it (core's names, e.g. `business`); `alternative`: what works on
 * every plan.
 */
export interface ReadAccess {
  what: string;
  plans?: readonly string[];
  alternative?: string;
}

const planName = (plan: string) => plan.charAt(0).toUpperCase() + plan.slice(1);

/** The hint of a 403 on a read: the plan it needs (the lowest of `plans`) and what works on every plan. */
function readForbiddenHint(read: ReadAccess): string {
  const lowest = read.plans?.[0];
  const needs = lowest
    ? `${read.what} needs CodeQR's ${planName(lowest)} plan or higher (it only reads, so the key's write access does not matter)`
    : `${read.what} only reads, so the key's write access does not matter: your CodeQR plan does not include it`;
  const instead = read.alternative ? `, or use ${read.alternative}, which works on every plan` : '';
  return `${needs}. Upgrade the plan in CodeQR's billing settings${instead}.`;
}

/**
 * The n8n error for anything an operation threw, attached to `itemIndex` (`externalId`: of a bulk item; `read`: the
 * failing step only reads, see `ReadAccess`).
 */
export function toNodeError(
  node: INode,
  error: unknown,
  itemIndex?: number,
  externalId?: string,
  read?: ReadAccess,
): NodeApiError | NodeOperationError {
  if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
  const at = itemIndex === undefined ? {} : { itemIndex };
  if (!isCodeQrError(error)) {
    return new NodeOperationError(node, error instanceof Error ? error : String(error), at);
  }
  if (error.code === 'validation_error') {
    const description = issuesText(error);
    return new NodeOperationError(node, error.message, { ...at, ...(description ? { description } : {}) });
  }
  if (error.code === 'invalid_configuration') return configurationError(node, error, at);
  let hint = error.code === 'outcome_unknown' ? outcomeUnknownHint(externalId) : (HINTS[error.code] ?? '');
  if (error.code === 'forbidden' && read) hint = readForbiddenHint(read);
  if (error.code === 'rate_limit_exceeded' && error.retryAfter !== undefined) {
    hint = `CodeQR's rate limit was reached; try again in ${error.retryAfter} s or run fewer items at once.`;
  }
  const details = issuesText(error);
  const description = [details, hint].filter(Boolean).join('\n');
  return new NodeApiError(node, error.toJSON() as JsonObject, {
    ...at,
    message: error.message,
    ...(description ? { description } : {}),
    ...(error.status ? { httpCode: String(error.status) } : {}),
  });
}

/** The JSON an item carries under "Continue (using error output)" / "Continue On Fail". */
export function errorJson(error: NodeApiError | NodeOperationError, cause?: unknown, externalId?: string): IDataObject {
  const out: IDataObject = { error: error.message };
  if (error.description) out.description = error.description;
  if (externalId) out.externalId = externalId;
  if (isCodeQrError(cause)) {
    out.code = cause.code;
    if (cause.status) out.status = cause.status;
    if (cause.issues.length > 0) out.issues = cause.issues.map((issue) => ({ ...issue }));
  } else if (error instanceof NodeApiError && error.httpCode) {
    out.status = Number(error.httpCode);
  }
  return out;
}

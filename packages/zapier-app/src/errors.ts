/**
 * CodeQR's errors as Zapier errors a zap builder can act on: a rejected key asks to reconnect, a rate limit that
 * will not clear inside the step becomes Zapier's own retry-later, a bad field is named by the label on the form,
 * and anything else is CodeQR's own message and code.
 */
import { type CodeQrError, type FieldIssue, isCodeQrError } from '@codeqr-integrations/core/base';
import type { ZObject } from 'zapier-platform-core';

/** Turns a field's dotted path into the label the user sees (undefined when it is not a form field). */
export type LabelOf = (path: string) => string | undefined;

export const RECONNECT_MESSAGE =
  'CodeQR rejected the API key (401): it was revoked or mistyped. Reconnect your CodeQR account with a valid API ' +
  'key (CodeQR → Settings → API Keys).';

/** Seconds Zapier waits before retrying when CodeQR gave no delay. */
const DEFAULT_THROTTLE_SECONDS = 60;

/**
 * One issue in the words of the form. Core's own checks name the field by its label already (`issue.label`); an
 * issue CodeQR answered for a field gets the form's label in front: `Short Link Key: is already in use`.
 */
export function describeIssue(issue: FieldIssue, labelOf: LabelOf): string {
  if (issue.label || !issue.field) return issue.message;
  return `${labelOf(issue.field) ?? issue.field}: ${issue.message}`;
}

export function issuesMessage(issues: readonly FieldIssue[], labelOf: LabelOf): string {
  return issues.map((issue) => describeIssue(issue, labelOf)).join('; ');
}

const sentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);

/** The Zapier error for anything a step throws; non-CodeQR errors (Zapier's own) pass through unchanged. */
export function toZapierError(z: ZObject, error: unknown, labelOf: LabelOf = () => undefined): unknown {
  if (!isCodeQrError(error)) return error;
  const e: CodeQrError = error;
  switch (e.code) {
    case 'unauthorized':
      return new z.errors.ExpiredAuthError(RECONNECT_MESSAGE);
    case 'rate_limit_exceeded':
      return new z.errors.ThrottledError(e.message, e.retryAfter ?? DEFAULT_THROTTLE_SECONDS);
    case 'validation_error':
    case 'unprocessable_entity':
      if (e.issues.length > 0) {
        const prefix = e.code === 'validation_error' ? 'Check these fields' : 'CodeQR rejected these fields (422)';
        return new z.errors.Error(sentence(`${prefix}: ${issuesMessage(e.issues, labelOf)}`), e.code, e.status);
      }
      return new z.errors.Error(e.message, e.code, e.status);
    default:
      return new z.errors.Error(e.message, e.code, e.status);
  }
}

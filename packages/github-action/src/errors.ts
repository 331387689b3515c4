/**
 * Every failure becomes one sentence for `::error::`: a bad input names the input (as written in the workflow) and
 * what it accepts; a CodeQR error says what CodeQR answered and what to do.
 */
import { type CodeQrError, type FieldIssue, isCodeQrError } from '@codeqr-integrations/core/base';

/** A problem with one input of the step. */
export class InputError extends Error {
  override readonly name = 'InputError';
  readonly input: string;
  constructor(input: string, message: string) {
    super(message);
    this.input = input;
  }
}

/** Describes how a field key maps back to the input the user wrote, and what that input accepts. */
export interface InputLookup {
  /** Input name for a top-level field key (`fgColor` → `fg-color`). */
  inputFor(fieldKey: string): string | undefined;
  /** What the input for a field accepts, for the message. */
  acceptsFor(fieldKey: string): string | undefined;
  /** The step only reads (a get, a list, a scan poll): a 403 is about the plan, never the key's write access. */
  reads?: boolean;
}

/** The hint for a 403 on a read: the plan, since a read needs no write access. */
const READ_FORBIDDEN_HINT =
  "The plan does not include this read (the key's write access does not matter): CodeQR's scan events need the " +
  'Business plan or higher, so upgrade the plan, or poll with strategy: counts, which works on every plan.';

/** The Action's advice per CodeQR error code, naming the input to fix (core's own advice speaks to every host). */
const HINTS: Partial<Record<string, string>> = {
  unauthorized: 'Check that api-key holds a valid CodeQR API key (Settings > API Keys in CodeQR).',
  forbidden: 'The key or plan does not allow this; use a key with write access, or a plan that includes it.',
  exceeded_limit: 'Your CodeQR plan limit is reached; upgrade the plan or delete unused QR codes.',
  rate_limit_exceeded:
    'CodeQR kept answering "too many requests"; run fewer jobs at once with this key, or retry later.',
  network_error: "Check api-base-url and the runner's network, then rerun.",
  timeout: 'Rerun the job.',
};

/**
 * One sentence for a CodeQR error: core's message (once), its HTTP status (once), the Action's hint in place of
 * core's host-neutral advice (`error.advice`, the exact part of the message it replaces); a plan's own fix (which
 * plan, what to free up) is kept.
 */
function codeQrSentence(error: CodeQrError, reads = false): string {
  const planFix = error.advice !== undefined && (error.code === 'exceeded_limit' || error.code === 'forbidden');
  let hint = reads && error.code === 'forbidden' ? READ_FORBIDDEN_HINT : HINTS[error.code];
  if (planFix && !reads) hint = undefined;
  let text = error.message.trim();
  if (hint && error.advice) text = text.replace(error.advice, '').trim();
  // "... (ECONNREFUSED). (gave up after 4 attempts)" reads as one sentence
  text = text
    .replace(/\.\s+\(/g, ' (')
    .replace(/\s+/g, ' ')
    .replace(/\.$/, '');
  const own = /\bCodeQR\b/.test(text);
  const paren = `(${error.status})`;
  if (error.status && text.includes(paren)) text = text.replace(paren, `(HTTP ${error.status}, ${error.code})`);
  else if (error.status) text += ` (HTTP ${error.status}, ${error.code})`;
  else if (!own) text += ` (${error.code})`;
  return `${own ? '' : 'CodeQR: '}${text}.${hint ? ` ${hint}` : ''}`;
}

/**
 * One issue as the step's inputs name it: core's structured issue (the field's label and its rule) with the input's
 * name in front, `Input "size" (Size (px)) must be a whole number from 16 to 4096`; an issue CodeQR answered for a
 * field keeps CodeQR's words and gets what the input accepts.
 */
function issueSentence(issue: FieldIssue, lookup: InputLookup | undefined): string {
  const top = issue.field.split('.')[0] ?? '';
  const input = top ? lookup?.inputFor(top) : undefined;
  if (!input) return issue.message;
  const rest = issue.field.slice(top.length + 1);
  if (issue.rule) return `Input "${input}" (${issue.label ?? (rest || top)}) ${issue.rule.replace(/\.$/, '')}`;
  const accepts = lookup?.acceptsFor(top);
  const where = rest ? `Input "${input}" (${rest})` : `Input "${input}"`;
  return `${where} ${issue.message.replace(/\.$/, '')}${accepts ? `; it accepts ${accepts}` : ''}`;
}

/** The one-line message for a failure of the step. */
export function failureMessage(error: unknown, lookup?: InputLookup): string {
  if (error instanceof InputError) return error.message;
  if (isCodeQrError(error)) {
    const named = error.issues.some((issue) => lookup?.inputFor(issue.field.split('.')[0] ?? ''));
    if (error.issues.length > 0 && (error.code === 'validation_error' || named)) {
      return `${error.issues.map((issue) => issueSentence(issue, lookup)).join('. ')}.`;
    }
    return codeQrSentence(error, lookup?.reads);
  }
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * Line items (Bulk Create, Create or Update QR Codes): one output line per input line with its QR code or why that
 * line failed, and the step failing (or throttled, for Zapier to rerun) only when no line succeeded.
 */
import type { FieldIssue, FieldSpec, Operation } from '@codeqr-integrations/core/base';
import type { ZObject } from 'zapier-platform-core';
import { inputOf, labelsOf, step } from '../step.ts';
import type { Perform, ZapierOperation, ZapierOutputField } from '../types.ts';

/** One line-item result as core's bulk operations answer it (`bulkCreate`, `upsertMany`). */
interface ItemResult {
  index: number;
  ok: boolean;
  action?: string;
  qrCode?: Record<string, unknown>;
  error?: {
    code: string;
    message: string;
    field?: string;
    externalId?: string;
    retryAfter?: number;
    issues?: FieldIssue[];
  };
}

const LINE_FIELDS: ZapierOutputField[] = [
  { key: 'total', label: 'Lines', type: 'integer' },
  { key: 'succeeded', label: 'Succeeded', type: 'integer' },
  { key: 'failed', label: 'Failed', type: 'integer' },
  { key: 'results[]line', label: 'Results: Line', type: 'integer' },
  { key: 'results[]status', label: 'Results: Status', type: 'string' },
  { key: 'results[]id', label: 'Results: QR Code ID', type: 'string' },
  { key: 'results[]shortLink', label: 'Results: Short Link', type: 'string' },
  { key: 'results[]url', label: 'Results: Destination URL', type: 'string' },
  { key: 'results[]externalId', label: 'Results: External ID', type: 'string' },
  { key: 'results[]title', label: 'Results: Title', type: 'string' },
  { key: 'results[]errorCode', label: 'Results: Error Code', type: 'string' },
  { key: 'results[]errorMessage', label: 'Results: Error Message', type: 'string' },
  { key: 'results[]errorField', label: 'Results: Error Field', type: 'string' },
];

/** One output line per input line: its QR code, or why that line failed (with the External ID to retry with). */
function lineRow(result: ItemResult, externalId: unknown): Record<string, unknown> {
  const qr = result.qrCode ?? {};
  const issue = result.error?.issues?.[0];
  return {
    line: result.index + 1,
    status: result.ok ? (result.action ?? 'created') : 'failed',
    id: qr.id ?? null,
    shortLink: qr.shortLink ?? null,
    url: qr.url ?? null,
    externalId: qr.externalId ?? result.error?.externalId ?? (typeof externalId === 'string' ? externalId : null),
    title: qr.title ?? null,
    errorCode: result.error?.code ?? null,
    errorMessage: result.error?.message ?? null,
    // core names the item's field by its label (the line number has its own column)
    errorField: issue?.label ?? issue?.field ?? result.error?.field ?? null,
  };
}

function lineSummary(rows: Record<string, unknown>[]) {
  const failed = rows.filter((row) => row.status === 'failed').length;
  return { total: rows.length, succeeded: rows.length - failed, failed, results: rows };
}

/**
 * A line-items create (Bulk Create): core checks each line on its own (a bad line fails alone, named by its field's
 * label), sends the good ones in bulk, and answers every line in input order; this only lays the lines out.
 */
function linePerform(op: Operation, field: FieldSpec): Perform {
  const labelOf = labelsOf(op);
  return (z, bundle) =>
    step(z, labelOf, async (client) => {
      const input = inputOf(bundle);
      const lines = Array.isArray(input[field.key]) ? (input[field.key] as Record<string, unknown>[]) : [];
      const results = (await op.execute(client, input)) as ItemResult[];
      return settle(
        z,
        results.map((result) => lineRow(result, lines[result.index]?.externalId)),
        results,
      );
    });
}

/** Line failures that leave nothing behind in CodeQR: a rerun of the whole step cannot duplicate anything. */
const NOTHING_WRITTEN = new Set(['rate_limit_exceeded', 'validation_error']);
/** Seconds Zapier waits before it retries a throttled step when CodeQR's delay did not come with the lines. */
const LINE_THROTTLE_SECONDS = 60;

/**
 * The step's answer: every line with its outcome. A step where no line succeeded fails, naming each line; when
 * CodeQR's rate limit turned lines away and nothing was written, as Zapier's throttled error, so Zapier runs the
 * step again later (as it does for a single create).
 */
function settle(z: ZObject, rows: Record<string, unknown>[], results: ItemResult[] = []) {
  const summary = lineSummary(rows);
  if (rows.length > 0 && summary.succeeded === 0) {
    const codes = rows.map((row) => String(row.errorCode));
    if (codes.includes('rate_limit_exceeded') && codes.every((code) => NOTHING_WRITTEN.has(code))) {
      const delays = results.map((r) => r.error?.retryAfter).filter((d): d is number => typeof d === 'number');
      const throttled = rows.filter((row) => row.errorCode === 'rate_limit_exceeded');
      throw new z.errors.ThrottledError(
        `CodeQR's rate limit turned away ${throttled.length} of ${rows.length} lines and nothing was created; ` +
          `Zapier runs this step again later. ${throttled[0]?.errorMessage ?? ''}`.trim(),
        delays.length > 0 ? Math.max(...delays) : LINE_THROTTLE_SECONDS,
      );
    }
    const detail = rows.map((row) => `line ${row.line}: ${row.errorMessage}`).join('; ');
    throw new z.errors.Error(`No line succeeded: ${detail}`, 'all_lines_failed', 422);
  }
  return summary;
}

/** The operation of a line-items create: its perform, one output line per input line, and a sample laid out so. */
export function lineItemsOperation(op: Operation, field: FieldSpec): Omit<ZapierOperation['operation'], 'inputFields'> {
  const sample = lineSummary((op.sample as ItemResult[]).map((result) => lineRow(result, undefined)));
  return { perform: linePerform(op, field), outputFields: LINE_FIELDS, sample };
}

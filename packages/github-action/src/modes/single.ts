/**
 * One registry operation with the step's inputs. Outputs follow what the operation answers, as core declares it
 * (`op.answers`): never guessed from the value's shape.
 */
import { join, resolve } from 'node:path';
import * as core from '@actions/core';
import type { Answer } from '@codeqr-integrations/core/base';
import { collectInput } from '../collect.ts';
import type { Context } from '../context.ts';
import { booleanInput, input, writeInputFile } from '../inputs.ts';
import { setOutput, setResultOutput } from '../outputs.ts';
import { PartialFailure, type QrLike, type Report, type ReportRow, rowOf } from '../report.ts';

type ItemStatus = 'created' | 'updated' | 'unchanged';

interface ItemAnswer {
  index: number;
  ok: boolean;
  action?: ItemStatus;
  qrCode?: QrLike;
  error?: ReportRow['error'];
}

interface FileAnswer {
  fileName: string;
  encoding: 'base64' | 'utf8';
  data: string;
  qrCodeId?: string;
}

const statusOf = (verb: string): ReportRow['status'] =>
  verb === 'create' ? 'created' : verb === 'update' ? 'updated' : verb === 'delete' ? 'deleted' : 'found';

/** The outputs of one QR code, and its row of the summary. */
function qrOutputs(qr: QrLike, ctx: Context, status: ReportRow['status']): ReportRow {
  const row = rowOf(qr, status, ctx.apiBaseUrl);
  setOutput('id', qr.id);
  setOutput('short-link', qr.shortLink);
  setOutput('external-id', qr.externalId ?? '');
  setOutput('image-url', row.imageUrl ?? '');
  return row;
}

/** An image: written to `path` (default: its file name in the workspace); the result output holds no data. */
function fileOutputs(image: FileAnswer, report: Report): void {
  const target = resolve(input('path') || join(process.env.GITHUB_WORKSPACE || '.', image.fileName));
  writeInputFile('path', target, Buffer.from(image.data, image.encoding === 'base64' ? 'base64' : 'utf8'));
  setOutput('path', target);
  if (image.qrCodeId) setOutput('id', image.qrCodeId);
  const { data: _data, ...meta } = image;
  setResultOutput({ ...meta, path: target });
  report.notes.push(`Wrote \`${target}\` (${image.fileName}).`);
}

/** One result per input item: counted by status; a failed item fails the step unless fail-on-error is false. */
function itemOutputs(items: ItemAnswer[], ctx: Context, report: Report): void {
  setOutput('count', String(items.length));
  const tally = { created: 0, updated: 0, unchanged: 0, failed: 0 };
  for (const item of items) {
    if (item.ok && item.qrCode) {
      const status = item.action ?? 'created';
      tally[status]++;
      report.rows.push({ ...rowOf(item.qrCode, status, ctx.apiBaseUrl), row: item.index + 1 });
    } else {
      tally.failed++;
      report.rows.push({ row: item.index + 1, status: 'failed', ...(item.error ? { error: item.error } : {}) });
    }
  }
  setOutput('created-count', String(tally.created));
  setOutput('updated-count', String(tally.updated));
  setOutput('unchanged-count', String(tally.unchanged));
  setOutput('failed-count', String(tally.failed));
  setResultOutput(items);
  if (tally.failed === 0) return;
  const first = report.rows.find((r) => r.status === 'failed');
  const why = first?.error ? ` (first: item ${first.row}: ${first.error.message.replace(/\.$/, '')})` : '';
  const text = `${tally.failed} of ${items.length} items failed${why}; see the result output.`;
  // as in catalogue mode: the summary (and comment) still show what was done before the step fails
  if (booleanInput('fail-on-error', true)) {
    report.notes.push(`**${text}**`);
    throw new PartialFailure(text, report);
  }
  core.warning(text);
}

/** A list: QR codes as rows of the summary, anything else (scans, tags) as the first 50 records. */
function listOutputs(list: unknown[], ctx: Context, report: Report): void {
  setOutput('count', String(list.length));
  if (ctx.command.op.resource === 'qrCode') {
    for (const qr of list) report.rows.push(rowOf(qr as QrLike, 'found', ctx.apiBaseUrl));
  } else {
    report.data = list.slice(0, 50);
    if (list.length > 50) report.notes.push(`Showing 50 of ${list.length} items; all are in the result output.`);
  }
  setResultOutput(list);
}

/** Outputs and report by what the operation answers. */
function answerOutputs(answers: Answer, verb: string, result: unknown, ctx: Context, report: Report): void {
  if (answers === 'qrCode') {
    report.rows.push(qrOutputs(result as QrLike, ctx, statusOf(verb)));
    setResultOutput(result);
  } else if (answers === 'upsert') {
    const { action, qrCode } = result as { action: ReportRow['status']; qrCode: QrLike };
    report.rows.push(qrOutputs(qrCode, ctx, action));
    setOutput('action', action);
    setResultOutput(result);
  } else if (answers === 'file') {
    fileOutputs(result as FileAnswer, report);
  } else if (answers === 'items' && Array.isArray(result)) {
    itemOutputs(result as ItemAnswer[], ctx, report);
  } else if (answers === 'list' && Array.isArray(result)) {
    listOutputs(result, ctx, report);
  } else {
    if (result && typeof result === 'object' && 'deletedCount' in result) {
      setOutput('count', String((result as { deletedCount: number }).deletedCount));
    }
    report.data = result;
    setResultOutput(result);
  }
}

/** One registry operation with the step's inputs; outputs by the shape of the answer. */
export async function runSingle(ctx: Context): Promise<Report> {
  const { command, client } = ctx;
  const raw = await collectInput(command);
  const op = command.op;
  if (op.kind !== 'action') throw new Error(`${command.name} is not an action`);
  const result = (await op.execute(client, raw)) as unknown;
  const report: Report = { operation: command.name, rows: [], notes: [] };
  answerOutputs(op.answers, op.verb, result, ctx, report);
  return report;
}

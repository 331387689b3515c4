/**
 * Catalogue mode (`file`): every row of a CSV / JSON / NDJSON file through core's bulk operation, one result per
 * row, each row with a stable External ID (from a named column), so that a rerun of the same file creates nothing
 * new. Optional sharding splits one file across matrix jobs by External ID.
 */
import { join, resolve } from 'node:path';
import * as core from '@actions/core';
import type { FieldIssue } from '@codeqr-integrations/core/base';
import {
  bulkOperationFor,
  catalogueCommand,
  externalIdColumnOf,
  mapColumns,
  parseShard,
} from '../catalogue/columns.ts';
import { formatOf, readCatalogue, type SourceRow } from '../catalogue/file.ts';
import { buildItems, type CatalogueItem } from '../catalogue/items.ts';
import { type RowResult, renderResults, rowError } from '../catalogue/results.ts';
import { collectInput } from '../collect.ts';
import type { Context } from '../context.ts';
import { InputError } from '../errors.ts';
import { booleanInput, choiceInput, input, listInput, writeInputFile } from '../inputs.ts';
import { setOutput, setResultOutput } from '../outputs.ts';
import { CATALOGUE_OPERATIONS } from '../overrides.ts';
import { PartialFailure, type Report, type ReportRow, rowOf } from '../report.ts';

/** GitHub shows at most 10 warning annotations per step: the first failed rows get one each, on their line. */
const MAX_ROW_ANNOTATIONS = 10;

/** What core's bulk operation answers per item. */
interface BulkAnswer {
  index: number;
  ok: boolean;
  action?: 'created' | 'updated' | 'unchanged';
  qrCode?: { id: string; shortLink: string; url?: string | null; title?: string | null };
  error?: { code: string; message: string; field?: string; issues?: FieldIssue[] };
}

/** The bulk operation behind the step's command; a command that takes no file fails naming `file`. */
function bulkKeyOf(ctx: Context): string {
  const bulkKey = CATALOGUE_OPERATIONS[ctx.command.name];
  if (bulkKey) return bulkKey;
  throw new InputError(
    'file',
    `Input "file" (catalogue mode) works with ${Object.keys(CATALOGUE_OPERATIONS).join(' or ')}, not ${ctx.command.name}.`,
  );
}

function resultsPath(): string {
  const given = input('results-file');
  if (given) return resolve(given);
  return join(process.env.RUNNER_TEMP || process.cwd(), 'codeqr-results.json');
}

/** The step's inputs as defaults under every row, and the bulk operation's own options (`matchBy`) apart. */
async function defaultsAndOptions(
  command: Context['command'],
  optionKeys: string[],
): Promise<{ defaults: Record<string, unknown>; options: Record<string, unknown> }> {
  const defaults = await collectInput(command);
  if (defaults.externalId !== undefined) {
    // every row has its own External ID: one for the whole file would be overwritten row by row
    throw new InputError(
      'external-id',
      'Input "external-id" does not apply to catalogue mode (file), where every row has its own External ID; ' +
        'name the column that holds it in external-id-column instead.',
    );
  }
  const options: Record<string, unknown> = {};
  for (const key of optionKeys) {
    if (key in defaults) options[key] = defaults[key];
    delete defaults[key];
  }
  return { defaults, options };
}

/** Core's answer per item, as the result of the row it came from. */
function resultOf(item: CatalogueItem, answer: BulkAnswer, columnOf: (field: string) => string): RowResult {
  if (answer.ok && answer.qrCode) {
    return {
      row: item.row,
      externalId: item.externalId,
      status: answer.action ?? 'created',
      id: answer.qrCode.id,
      shortLink: answer.qrCode.shortLink,
      url: answer.qrCode.url ?? null,
      title: answer.qrCode.title ?? null,
    };
  }
  return { row: item.row, externalId: item.externalId, status: 'failed', error: rowError(answer.error, columnOf) };
}

/** A row's result as a row of the summary, with its hosted image when it has one. */
function reportRowOf(r: RowResult, apiBaseUrl: string): ReportRow {
  const row: ReportRow = {
    row: r.row,
    status: r.status,
    externalId: r.externalId,
    ...(r.id ? { id: r.id } : {}),
    ...(r.shortLink ? { shortLink: r.shortLink } : {}),
    ...(r.title !== undefined ? { title: r.title } : {}),
    ...(r.url !== undefined ? { url: r.url } : {}),
    ...(r.error ? { error: r.error } : {}),
  };
  if (r.id && r.shortLink) {
    const qr = { id: r.id, shortLink: r.shortLink, domain: '', key: '', url: r.url ?? null };
    const image = rowOf(qr, r.status, apiBaseUrl);
    if (image.imageUrl) row.imageUrl = image.imageUrl;
  }
  return row;
}

/** Every row of `file` through the bulk operation, one result per row. */
export async function runCatalogue(ctx: Context): Promise<Report> {
  const { command, client } = ctx;
  const bulk = bulkOperationFor(command, bulkKeyOf(ctx));
  const path = resolve(input('file'));
  const format = formatOf(path, choiceInput('file-format', ['auto', 'csv', 'json', 'ndjson'] as const, 'auto'));
  const shard = parseShard(input('shard'));
  const failOnError = booleanInput('fail-on-error', true);
  const file = await readCatalogue(path, format);
  const catalogue = catalogueCommand(command, bulk);
  const idColumn = externalIdColumnOf(file.columns, input('external-id-column'));
  const rowFields = catalogue.command.fields.filter((f) => !catalogue.optionKeys.includes(f.spec.key));
  const map = mapColumns(file.columns, rowFields, idColumn, listInput('ignore-columns'));
  const { defaults, options } = await defaultsAndOptions(catalogue.command, catalogue.optionKeys);
  const { items, failures, skipped } = buildItems(file, map, defaults, shard);
  const columnOf = (field: string) => [...map.fields].find(([, p]) => p[0] === field)?.[0] ?? field;

  const results: RowResult[] = failures.map((f) => ({ ...f, status: 'failed' }));
  // core checks every row on its own and answers a bad one as that row's result; nothing else is held back
  const shardText = shard ? ` (shard ${shard.index + 1}/${shard.count}: ${skipped} rows belong to other shards)` : '';
  core.info(`${file.rows.length} rows in ${path}${shardText}; sending ${items.length}.`);
  if (items.length > 0) {
    const raw = { items: items.map((v) => v.fields), ...options };
    const answers = (await bulk.execute(client, raw)) as BulkAnswer[];
    for (const answer of answers) {
      const item = items[answer.index];
      if (item) results.push(resultOf(item, answer, columnOf));
    }
  }
  results.sort((a, b) => a.row - b.row);

  const target = resultsPath();
  writeInputFile('results-file', target, renderResults(target, results));
  const count = (status: RowResult['status']) => results.filter((r) => r.status === status).length;
  const failed = count('failed');
  setOutput('created-count', String(count('created')));
  setOutput('updated-count', String(count('updated')));
  setOutput('unchanged-count', String(count('unchanged')));
  setOutput('failed-count', String(failed));
  setOutput('results-file', target);
  setOutput('count', String(results.length));
  setResultOutput(results);

  const report: Report = {
    operation: command.name,
    rows: results.map((r) => reportRowOf(r, ctx.apiBaseUrl)),
    notes: [`${results.length} rows from \`${input('file')}\`${shardText}. Per-row results: \`${target}\`.`],
  };
  if (failed > 0) {
    annotateRows(input('file'), file.rows, results);
    const first = results.find((r) => r.status === 'failed');
    const text =
      `${failed} of ${results.length} rows failed (first: row ${first?.row}` +
      `${first?.error?.field ? ` (${first.error.field})` : ''}: ${first?.error?.message}); ` +
      `see ${target}.`;
    if (failOnError) {
      report.notes.push(`**${text}**`);
      throw new PartialFailure(text, report);
    }
    core.warning(text);
  }
  return report;
}

/** A warning annotation per failed row (the first ten), on the catalogue's line, so a PR shows it on the file. */
function annotateRows(file: string, rows: SourceRow[], results: RowResult[]): void {
  const lineOf = new Map(rows.map((r) => [r.row, r.line]));
  for (const r of results.filter((x) => x.status === 'failed').slice(0, MAX_ROW_ANNOTATIONS)) {
    const line = lineOf.get(r.row);
    const field = r.error?.field ? ` (${r.error.field})` : '';
    core.warning(`Row ${r.row}${field}: ${r.error?.message ?? 'failed'}`, {
      title: `CodeQR: row ${r.row} failed`,
      file,
      ...(line !== undefined ? { startLine: line } : {}),
    });
  }
}

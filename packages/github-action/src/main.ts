/**
 * The Action: reads the step's inputs, runs one registry operation (or catalogue mode, or poll-scans) through core,
 * and reports through outputs, the job summary and an optional sticky PR comment. Every failure is one `::error::`.
 */
import { join, resolve } from 'node:path';
import * as core from '@actions/core';
import {
  type CodeQrClient,
  createCodeQrClient,
  DEFAULT_BASE_URL,
  type FieldIssue,
} from '@codeqr-integrations/core/base';
import {
  buildItems,
  bulkOperationFor,
  catalogueCommand,
  externalIdColumnOf,
  formatOf,
  mapColumns,
  parseShard,
  type RowResult,
  readCatalogue,
  renderResults,
  rowError,
} from './catalogue.ts';
import { collectInput } from './collect.ts';
import { failureMessage, InputError, type InputLookup } from './errors.ts';
import { octokitFor, pullRequestNumber, splitRepository, upsertStickyComment } from './github.ts';
import { accepts, type Command, findCommand, operationChoices } from './inputs.ts';
import { COMMENT_LIMITS, renderReport, SUMMARY_LIMITS } from './markdown.ts';
import { CATALOGUE_OPERATIONS, POLL_SCANS } from './overrides.ts';
import { pollScans } from './poll.ts';
import { booleanInput, choiceInput, input, listInput, writeInputFile } from './read.ts';
import { type QrLike, type Report, type ReportRow, rowOf } from './report.ts';
import { createNodeTransport, proxyEnvOf } from './transport.ts';

const USER_AGENT = 'codeqr-github-action/0.1.0';
/** GitHub keeps at most 1 MB of outputs per job: large answers are cut (the full data is in files). */
const MAX_RESULT_OUTPUT = 256 * 1024;

export interface Context {
  command: Command;
  client: CodeQrClient;
  apiBaseUrl: string;
  lookup: InputLookup;
}

function lookupFor(command: Command | undefined): InputLookup {
  return {
    inputFor: (key) =>
      key === 'baseUrl' ? 'api-base-url' : (command?.fields.find((f) => f.spec.key === key)?.name ?? undefined),
    acceptsFor: (key) => {
      const field = command?.fields.find((f) => f.spec.key === key);
      return field ? accepts(field.spec) : undefined;
    },
    reads: command?.op.kind === 'trigger' || ['get', 'list', 'getImage'].includes(command?.op.verb ?? ''),
  };
}

function setOutput(name: string, value: unknown): void {
  core.setOutput(name, typeof value === 'string' ? value : JSON.stringify(value));
}

function setResultOutput(value: unknown): void {
  let json = JSON.stringify(value);
  if (json.length > MAX_RESULT_OUTPUT && Array.isArray(value)) {
    let n = value.length;
    while (n > 0 && json.length > MAX_RESULT_OUTPUT) {
      n = Math.floor(n / 2);
      json = JSON.stringify(value.slice(0, n));
    }
    core.warning(`The result output holds the first ${n} of ${value.length} items (outputs are limited in size).`);
  }
  core.setOutput('result', json);
}

function qrOutputs(qr: QrLike, ctx: Context): ReportRow {
  const row = rowOf(qr, 'found', ctx.apiBaseUrl);
  setOutput('id', qr.id);
  setOutput('short-link', qr.shortLink);
  setOutput('external-id', qr.externalId ?? '');
  setOutput('image-url', row.imageUrl ?? '');
  return row;
}

/** One registry operation with the step's inputs; outputs by the shape of the answer. */
async function runSingle(ctx: Context): Promise<Report> {
  const { command, client } = ctx;
  const raw = await collectInput(command);
  const op = command.op;
  if (op.kind !== 'action') throw new Error(`${command.name} is not an action`);
  const result = (await op.execute(client, raw)) as unknown;
  const report: Report = { operation: command.name, rows: [], notes: [] };
  const verb = op.verb;
  const statusOf = (): ReportRow['status'] =>
    verb === 'create' ? 'created' : verb === 'update' ? 'updated' : verb === 'delete' ? 'deleted' : 'found';

  // what the operation answers, as core declares it: never guessed from the value's shape
  if (op.answers === 'qrCode') {
    const row = qrOutputs(result as never, ctx);
    row.status = statusOf();
    report.rows.push(row);
    setResultOutput(result);
    return report;
  }
  if (op.answers === 'upsert') {
    const { action, qrCode } = result as { action: ReportRow['status']; qrCode: never };
    const row = qrOutputs(qrCode, ctx);
    row.status = action;
    report.rows.push(row);
    setOutput('action', action);
    setResultOutput(result);
    return report;
  }
  if (op.answers === 'file') {
    const image = result as unknown as {
      fileName: string;
      encoding: 'base64' | 'utf8';
      data: string;
      qrCodeId?: string;
    };
    const target = resolve(input('path') || join(process.env.GITHUB_WORKSPACE || '.', image.fileName));
    writeInputFile('path', target, Buffer.from(image.data, image.encoding === 'base64' ? 'base64' : 'utf8'));
    setOutput('path', target);
    if (image.qrCodeId) setOutput('id', image.qrCodeId);
    const { data: _data, ...meta } = image;
    setResultOutput({ ...meta, path: target });
    report.notes.push(`Wrote \`${target}\` (${image.fileName}).`);
    return report;
  }
  if (op.answers === 'items' && Array.isArray(result)) {
    setOutput('count', String(result.length));
    const tally = { created: 0, updated: 0, unchanged: 0, failed: 0 };
    type Item = { index: number; ok: boolean; action?: 'created' | 'updated' | 'unchanged'; qrCode?: QrLike };
    for (const item of result as (Item & { error?: ReportRow['error'] })[]) {
      if (item.ok && item.qrCode) {
        const status = item.action ?? 'created';
        tally[status]++;
        report.rows.push({ ...rowOf(item.qrCode, status, ctx.apiBaseUrl), row: item.index + 1 });
      } else {
        tally.failed++;
        report.rows.push({ row: item.index + 1, status: 'failed', ...(item.error ? { error: item.error } : {}) });
      }
    }
    for (const [status, n] of Object.entries(tally)) setOutput(`${status}-count`, String(n));
    setResultOutput(result);
    if (tally.failed > 0) {
      const first = report.rows.find((r) => r.status === 'failed');
      const why = first?.error ? ` (first: item ${first.row}: ${first.error.message.replace(/\.$/, '')})` : '';
      const text = `${tally.failed} of ${result.length} items failed${why}; see the result output.`;
      // as in catalogue mode: the summary (and comment) still show what was done before the step fails
      if (booleanInput('fail-on-error', true)) {
        report.notes.push(`**${text}**`);
        await finish(report);
        throw new Error(text);
      }
      core.warning(text);
    }
    return report;
  }
  if (op.answers === 'list' && Array.isArray(result)) {
    setOutput('count', String(result.length));
    if (op.resource === 'qrCode') {
      for (const qr of result) report.rows.push(rowOf(qr as QrLike, 'found', ctx.apiBaseUrl));
    } else {
      report.data = result.slice(0, 50);
      if (result.length > 50) report.notes.push(`Showing 50 of ${result.length} items; all are in the result output.`);
    }
    setResultOutput(result);
    return report;
  }
  if (result && typeof result === 'object' && 'deletedCount' in result) {
    setOutput('count', String((result as { deletedCount: number }).deletedCount));
  }
  report.data = result;
  setResultOutput(result);
  return report;
}

function resultsPath(): string {
  const given = input('results-file');
  if (given) return resolve(given);
  return join(process.env.RUNNER_TEMP || process.cwd(), 'codeqr-results.json');
}

/** Catalogue mode: every row of `file` through the bulk operation, one result per row. */
async function runCatalogue(ctx: Context, bulkKey: string): Promise<Report> {
  const { command, client } = ctx;
  const path = resolve(input('file'));
  const format = formatOf(path, choiceInput('file-format', ['auto', 'csv', 'json', 'ndjson'] as const, 'auto'));
  const shard = parseShard(input('shard'));
  const failOnError = booleanInput('fail-on-error', true);
  const file = await readCatalogue(path, format);
  const bulk = bulkOperationFor(command, bulkKey);
  const catalogue = catalogueCommand(command, bulk);
  const idColumn = externalIdColumnOf(file.columns, input('external-id-column'));
  const rowFields = catalogue.command.fields.filter((f) => !catalogue.optionKeys.includes(f.spec.key));
  const map = mapColumns(file.columns, rowFields, idColumn, listInput('ignore-columns'));
  const defaults = await collectInput(catalogue.command);
  if (defaults.externalId !== undefined) {
    // every row has its own External ID: one for the whole file would be overwritten row by row
    throw new InputError(
      'external-id',
      'Input "external-id" does not apply to catalogue mode (file), where every row has its own External ID; ' +
        'name the column that holds it in external-id-column instead.',
    );
  }
  const options: Record<string, unknown> = {};
  for (const key of catalogue.optionKeys) {
    if (key in defaults) options[key] = defaults[key];
    delete defaults[key];
  }
  const { items, failures, skipped } = buildItems(file, map, defaults, shard);
  const columnOf = (field: string) => [...map.fields].find(([, p]) => p[0] === field)?.[0] ?? field;

  const results: RowResult[] = failures.map((f) => ({ ...f, status: 'failed' }));
  // core checks every row on its own and answers a bad one as that row's result; nothing else is held back
  const valid = items;
  const shardText = shard ? ` (shard ${shard.index + 1}/${shard.count}: ${skipped} rows belong to other shards)` : '';
  core.info(`${file.rows.length} rows in ${path}${shardText}; sending ${valid.length}.`);
  if (valid.length > 0) {
    const raw = { items: valid.map((v) => v.fields), ...options };
    const answers = (await bulk.execute(client, raw)) as {
      index: number;
      ok: boolean;
      action?: 'created' | 'updated' | 'unchanged';
      qrCode?: { id: string; shortLink: string; url?: string | null; title?: string | null };
      error?: { code: string; message: string; field?: string; issues?: FieldIssue[] };
    }[];
    for (const answer of answers) {
      const item = valid[answer.index];
      if (!item) continue;
      if (answer.ok && answer.qrCode) {
        results.push({
          row: item.row,
          externalId: item.externalId,
          status: answer.action ?? 'created',
          id: answer.qrCode.id,
          shortLink: answer.qrCode.shortLink,
          url: answer.qrCode.url ?? null,
          title: answer.qrCode.title ?? null,
        });
      } else {
        results.push({
          row: item.row,
          externalId: item.externalId,
          status: 'failed',
          error: rowError(answer.error, columnOf),
        });
      }
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
    rows: results.map((r) => {
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
        const image = rowOf(
          { id: r.id, shortLink: r.shortLink, domain: '', key: '', url: r.url ?? null },
          r.status,
          ctx.apiBaseUrl,
        );
        if (image.imageUrl) row.imageUrl = image.imageUrl;
      }
      return row;
    }),
    notes: [`${results.length} rows from \`${input('file')}\`${shardText}. Per-row results: \`${target}\`.`],
  };
  if (failed > 0) annotateRows(input('file'), file.rows, results);
  if (failed > 0) {
    const first = results.find((r) => r.status === 'failed');
    const text =
      `${failed} of ${results.length} rows failed (first: row ${first?.row}` +
      `${first?.error?.field ? ` (${first.error.field})` : ''}: ${first?.error?.message}); ` +
      `see ${target}.`;
    if (failOnError) {
      report.notes.push(`**${text}**`);
      await finish(report);
      throw new Error(text);
    }
    core.warning(text);
  }
  return report;
}

/** GitHub shows at most 10 warning annotations per step: the first failed rows get one each, on their line. */
const MAX_ROW_ANNOTATIONS = 10;

/** A warning annotation per failed row (the first ten), on the catalogue's line, so a PR shows it on the file. */
function annotateRows(file: string, rows: { row: number; line?: number }[], results: RowResult[]): void {
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

/** Summary and PR comment: after the work, never hiding its result. */
async function finish(report: Report): Promise<void> {
  if (booleanInput('summary', true) && process.env.GITHUB_STEP_SUMMARY) {
    await core.summary.addRaw(renderReport(report, SUMMARY_LIMITS), true).write();
  }
  if (booleanInput('comment-on-pr', false)) {
    const number = pullRequestNumber(process.env.GITHUB_EVENT_PATH);
    if (number === undefined) {
      core.notice('comment-on-pr is set, but this run is not for a pull request: no comment written.');
      return;
    }
    const context = {
      token: input('github-token'),
      apiUrl: input('github-api-url') || process.env.GITHUB_API_URL || 'https://api.github.com',
      repository: process.env.GITHUB_REPOSITORY,
      eventPath: process.env.GITHUB_EVENT_PATH,
    };
    const octokit = await octokitFor(context);
    const { owner, repo } = splitRepository(context.repository, 'GITHUB_REPOSITORY');
    const key = input('comment-key') || 'codeqr';
    const body = renderReport(report, COMMENT_LIMITS);
    const { id, created } = await upsertStickyComment(octokit, { owner, repo, issueNumber: number }, key, body);
    setOutput('comment-id', String(id));
    core.info(`${created ? 'Created' : 'Updated'} the CodeQR comment on #${number}.`);
  }
}

/** The annotation's title: which input is wrong, or which step of which operation failed. */
function failureTitle(error: unknown, command: Command | undefined): string {
  if (error instanceof InputError) return `CodeQR: input ${error.input}`;
  return command ? `CodeQR: ${command.name} failed` : 'CodeQR: the step failed';
}

/**
 * The Action's own inputs that are read after the work (summary, comment, fail-on-error): checked first, so that a
 * typo fails the step before anything is created, not after.
 */
function checkStepInputs(): void {
  booleanInput('summary', true);
  booleanInput('fail-on-error', true);
  if (booleanInput('comment-on-pr', false) && pullRequestNumber(process.env.GITHUB_EVENT_PATH) !== undefined) {
    if (!input('github-token')) {
      throw new InputError(
        'github-token',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a JS template
        'Input "github-token" is empty, and comment-on-pr needs it; pass a token, e.g. github-token: ${{ github.token }}.',
      );
    }
    splitRepository(process.env.GITHUB_REPOSITORY, 'GITHUB_REPOSITORY');
  }
}

/** The `api-key` input, masked in the log before anything else can print it. */
function maskedKeyInput(): string {
  const key = core.getInput('api-key');
  if (key) core.setSecret(key);
  return key;
}

/**
 * Runs the step. `apiKey` defaults to the `api-key` input, read as `@actions/core` reads it (and masked), so
 * `npx @github/local-action run . src/main.ts .env` calls it with no argument; `dist/index.js` masks the key before
 * this module loads and passes it in.
 */
export async function run(apiKey: string = maskedKeyInput()): Promise<void> {
  let command: Command | undefined;
  const http = createNodeTransport({ proxyEnv: proxyEnvOf(process.env) });
  try {
    const operation = input('operation');
    if (!operation) {
      throw new InputError('operation', `Input "operation" is required; it accepts one of ${operationChoices()}.`);
    }
    command = findCommand(operation);
    if (!command) {
      throw new InputError(
        'operation',
        `Input "operation" is "${operation}", which is not an operation; it accepts one of ${operationChoices()} ` +
          '(or a short alias such as create, upsert, image).',
      );
    }
    if (!apiKey) {
      throw new InputError(
        'api-key',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a JS template
        'Input "api-key" is empty; set it to a secret, e.g. api-key: ${{ secrets.CODEQR_API_KEY }} ' +
          '(pull requests from forks get no secrets).',
      );
    }
    checkStepInputs();
    const client = createCodeQrClient({
      transport: http.transport,
      sleep: (ms) => new Promise((done) => setTimeout(done, ms)),
      apiKey,
      baseUrl: input('api-base-url') || DEFAULT_BASE_URL,
      userAgent: USER_AGENT,
      onRateLimit: (event) =>
        core.info(
          `Waiting ${(event.waitMs / 1000).toFixed(1)} s for CodeQR's rate limit` +
            `${event.limit ? ` (${event.limit} requests per window)` : ''}${event.reason === '429' ? ' after a 429' : ''}.`,
        ),
    });
    const ctx: Context = { command, client, apiBaseUrl: client.baseUrl, lookup: lookupFor(command) };
    const bulkKey = CATALOGUE_OPERATIONS[command.name];
    let report: Report;
    if (command.name === POLL_SCANS) report = await pollScans(ctx);
    else if (input('file')) {
      if (!bulkKey) {
        throw new InputError(
          'file',
          `Input "file" (catalogue mode) works with ${Object.keys(CATALOGUE_OPERATIONS).join(' or ')}, not ${command.name}.`,
        );
      }
      report = await runCatalogue(ctx, bulkKey);
    } else report = await runSingle(ctx);
    await finish(report);
  } catch (error) {
    // as core.setFailed, plus a title for the annotation (the run's summary lists annotations by title)
    core.error(failureMessage(error, lookupFor(command)), { title: failureTitle(error, command) });
    process.exitCode = core.ExitCode.Failure;
  } finally {
    http.close();
  }
}

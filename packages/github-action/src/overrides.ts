/**
 * The Action's only host-specific tweaks: how some registry fields are named as inputs, the short aliases of the
 * operations, and the inputs the Action adds itself (catalogue mode, summary, PR comment, scan polling). Everything
 * else is derived from core's registry (`describeFields`), so a new core operation costs this file nothing.
 */

/** Input names for registry field keys whose kebab form would read badly in a workflow (`tag-names`, `qrcode-id`). */
export const INPUT_NAME_OVERRIDES: Readonly<Record<string, string>> = {
  id: 'qr-code-id',
  qrCodeId: 'qr-code-id',
  qrcodeId: 'qr-code-id',
  tagNames: 'tags',
  ids: 'qr-code-ids',
};

/** Short names accepted for `operation` (each full kebab key is accepted too). */
export const OPERATION_ALIASES: Readonly<Record<string, string>> = {
  create: 'create-qr-code',
  update: 'update-qr-code',
  upsert: 'upsert-qr-code',
  get: 'get-qr-code',
  find: 'get-qr-code',
  list: 'list-qr-codes',
  delete: 'delete-qr-code',
  'bulk-create': 'bulk-create-qr-codes',
  'bulk-upsert': 'upsert-qr-codes',
  'bulk-delete': 'bulk-delete-qr-codes',
  image: 'get-qr-code-image',
  analytics: 'get-scan-analytics',
  scans: 'list-scans',
  poll: 'poll-scans',
};

/** Catalogue mode (`file`): the registry's bulk operation behind each command that takes a file. */
export const CATALOGUE_OPERATIONS: Readonly<Record<string, string>> = {
  'upsert-qr-code': 'upsertQrCodes',
  'upsert-qr-codes': 'upsertQrCodes',
  'bulk-create-qr-codes': 'bulkCreateQrCodes',
};

/** The scan trigger the Action exposes as `poll-scans`, per `strategy`. */
export const POLL_SCANS = 'poll-scans';
export const POLL_STRATEGIES = { events: 'newScan', counts: 'scanCountChanged' } as const;
export type PollStrategy = keyof typeof POLL_STRATEGIES;

export interface HostInput {
  description: string;
  required?: boolean;
  default?: string;
}

/** Inputs of the Action itself (not registry fields), in the order action.yml lists them. */
export const HOST_INPUTS: Readonly<Record<string, HostInput>> = {
  'api-key': {
    description: 'Your CodeQR API key (store it as a secret, e.g. secrets.CODEQR_API_KEY). Masked in the log at once.',
    required: true,
  },
  'api-base-url': {
    description: 'CodeQR API base URL (https only; plain http only for a local sandbox on 127.0.0.1).',
    default: 'https://api.codeqr.io',
  },
  fields: {
    description:
      'Any other fields of the operation, as a JSON or YAML object (keys as in the CodeQR API, e.g. expiresAt, or as ' +
      'input names, e.g. expires-at). Inputs set on their own take precedence.',
  },
  file: {
    description:
      'Catalogue mode (upsert-qr-code, upsert-qr-codes or bulk-create-qr-codes): a CSV file with a header row, a JSON array or NDJSON ' +
      'of QR codes, one per row; columns are field names (url, title, tags, wifi.ssid, ...).',
  },
  'file-format': {
    description: 'Format of file: auto (from the extension: .csv, .json, .ndjson/.jsonl), csv, json or ndjson.',
    default: 'auto',
  },
  'external-id-column': {
    description:
      'Catalogue mode: the column that gives each row its stable External ID, so a rerun updates instead of adding. ' +
      'Default: the externalId column when there is one, else the first column.',
  },
  'ignore-columns': {
    description: 'Catalogue mode: columns to ignore (comma- or newline-separated); any other unknown column fails.',
  },
  shard: {
    description:
      'Catalogue mode: i/n (e.g. 2/4, with i from 1 to n) processes only the rows whose External ID falls in shard i of ' +
      'n, so n matrix jobs split one catalogue deterministically.',
  },
  'results-file': {
    description:
      'Catalogue mode: where to write one result per row (row number, status, id, short link, error); .csv or .json. ' +
      'Default: codeqr-results.json in RUNNER_TEMP.',
  },
  'fail-on-error': {
    description:
      'Bulk and catalogue mode: fail the step when any item or row failed (default true: a job that leaves rows failed is red; false only warns).',
    default: 'true',
  },
  path: {
    description: 'get-qr-code-image: file to write the PNG or SVG to. Default: the image file name in the workspace.',
  },
  summary: {
    description: 'Write a job summary of the QR codes this step touched (true or false).',
    default: 'true',
  },
  'comment-on-pr': {
    description:
      'On a pull_request event, keep one sticky PR comment listing the QR codes of this step, updated in place on ' +
      'every run (true or false). Needs github-token with pull-requests: write.',
    default: 'false',
  },
  'comment-key': {
    description: 'Tells sticky comments apart when several steps comment on the same PR.',
    default: 'codeqr',
  },
  'github-token': {
    description: 'Token for the PR comment and repository_dispatch.',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a JS template
    default: '${{ github.token }}',
  },
  'github-api-url': {
    description: 'GitHub REST API URL. Default: GITHUB_API_URL of the runner (GitHub Enterprise Server works).',
  },
  strategy: {
    description:
      'poll-scans: events (one item per scan, Business plan and up) or counts (one item per QR code whose scan count ' +
      'grew, every plan).',
    default: 'events',
  },
  'state-file': {
    description:
      'poll-scans: the cursor file, read and written on every run; keep it between runs with actions/cache. The first ' +
      'run (no file) only records where scans stand.',
    default: '.codeqr/scan-cursor.json',
  },
  'dispatch-event-type': {
    description:
      'poll-scans: fire a repository_dispatch event of this type (at most 100 characters) per batch of new scans. ' +
      'Needs github-token with contents: write.',
  },
  'dispatch-repository': {
    description: 'poll-scans: owner/repo to dispatch to. Default: this repository.',
  },
  'dispatch-batch-size': {
    description: 'poll-scans: most scans per repository_dispatch event (1-1000); batches also stay under 60 KB.',
    default: '100',
  },
};

export interface HostOutput {
  description: string;
}

export const OUTPUTS: Readonly<Record<string, HostOutput>> = {
  id: { description: 'ID of the QR code (single-code operations).' },
  'short-link': { description: 'Short link of the QR code.' },
  'image-url': { description: 'Hosted image URL of the QR code (usable in Markdown; GitHub strips data: URIs).' },
  'external-id': { description: 'External ID of the QR code.' },
  action: { description: 'upsert-qr-code: created, updated or unchanged.' },
  result: { description: 'JSON of the whole answer (catalogue mode: the per-row results, capped at 256 KB).' },
  count: { description: 'How many items a list returned, a bulk call or a catalogue processed.' },
  path: { description: 'get-qr-code-image: the file written.' },
  'created-count': { description: 'Bulk and catalogue mode: QR codes created.' },
  'updated-count': { description: 'Bulk upsert and catalogue mode: QR codes updated.' },
  'unchanged-count': { description: 'Bulk upsert and catalogue mode: QR codes already up to date.' },
  'failed-count': { description: 'Bulk and catalogue mode: items that failed (see results-file).' },
  'results-file': { description: 'Catalogue mode: the per-row results file.' },
  'new-scans': { description: 'poll-scans: JSON array of the new scans (or count changes), capped at 512 KB.' },
  'new-scan-count': { description: 'poll-scans: how many new items this poll found.' },
  'dispatch-count': { description: 'poll-scans: repository_dispatch events fired.' },
  'comment-id': { description: 'ID of the sticky PR comment, when one was written.' },
};

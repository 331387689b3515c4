/**
 * The Action's outputs: what they are (action.yml's `outputs`, generated from `OUTPUTS`) and the one way to set them,
 * `setOutput`, whose name must be one of them. `test/action-yml.test.ts` reads the literal name of every call in src/ and
 * compares them with action.yml's outputs both ways.
 */
import * as core from '@actions/core';

export interface HostOutput {
  description: string;
}

/** Every output the Action sets, in the order action.yml lists them; `setOutput` takes only these names. */
export const OUTPUTS = {
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
  'new-items': {
    description: 'poll-<trigger>: JSON array of the new items (QR codes, scans or count changes), capped at 512 KB.',
  },
  'new-item-count': { description: 'poll-<trigger>: how many new items this poll found.' },
  'dispatch-count': { description: 'poll-scans and poll-<trigger>: repository_dispatch events fired.' },
  'comment-id': { description: 'ID of the sticky PR comment, when one was written.' },
} as const satisfies Record<string, HostOutput>;

export type OutputName = keyof typeof OUTPUTS;

/** GitHub keeps at most 1 MB of outputs per job: large answers are cut (the full data is in files). */
const MAX_RESULT_OUTPUT = 256 * 1024;

/** Sets an output: text as it is, anything else as JSON. */
export function setOutput(name: OutputName, value: unknown): void {
  core.setOutput(name, typeof value === 'string' ? value : JSON.stringify(value));
}

/** The `result` output: the whole answer as JSON, a long list cut to its first items so that it fits. */
export function setResultOutput(value: unknown): void {
  let json = JSON.stringify(value);
  if (json.length > MAX_RESULT_OUTPUT && Array.isArray(value)) {
    let n = value.length;
    while (n > 0 && json.length > MAX_RESULT_OUTPUT) {
      n = Math.floor(n / 2);
      json = JSON.stringify(value.slice(0, n));
    }
    core.warning(`The result output holds the first ${n} of ${value.length} items (outputs are limited in size).`);
  }
  setOutput('result', json);
}

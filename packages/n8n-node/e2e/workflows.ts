/** Workflows the end-to-end suites import into real n8n (built here so ports and ids can be filled in). */
import { NODE_TYPES } from './harness.ts';

export const CREDENTIAL = { id: 'cqrSandboxCred01', name: 'CodeQR sandbox' };
export const WEBHOOK_CREDENTIAL = { id: 'cqrWebhookCred01', name: 'CodeQR webhook secret' };

const credentials = { codeQrApi: CREDENTIAL };
let position = 0;
const at = (): [number, number] => {
  position += 220;
  return [position, 300];
};

function chain(names: string[]) {
  const connections: Record<string, unknown> = {};
  for (let i = 0; i < names.length - 1; i++) {
    connections[names[i] as string] = { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] };
  }
  return connections;
}

function workflow(id: string, name: string, nodes: Record<string, unknown>[], settings: Record<string, unknown> = {}) {
  return {
    id,
    name,
    active: false,
    nodes,
    connections: chain(nodes.map((n) => n.name as string)),
    settings: { executionOrder: 'v1', ...settings },
    pinData: {},
  };
}

const manual = { id: 'manual', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} };

const codeqr = (name: string, parameters: Record<string, unknown>) => ({
  id: name.toLowerCase().replace(/\W+/g, '-'),
  name,
  type: NODE_TYPES.action,
  typeVersion: 1,
  position: at(),
  credentials,
  parameters,
});

/** Expires At as n8n's date picker stores it (no offset), read in the workflow's time zone (Europe/Paris). */
export const PICKED_EXPIRY = { picked: '2030-06-30T12:00:00', utc: '2030-06-30T10:00:00.000Z' };

/** create → update → upsert → get image → analytics, on one QR code. */
export function actionsWorkflow(run: string) {
  return workflow(
    'cqrE2eActions01',
    'CodeQR e2e: actions',
    [
      { ...manual, position: at() },
      codeqr('Create', {
        resource: 'qrCode',
        operation: 'create',
        url: `={{ 'https://example.com/e2e/${run}' }}`,
        externalId: `e2e-${run}`,
        title: 'E2E',
        key: `e2e-${run}`,
        additionalFields: { expiresAt: PICKED_EXPIRY.picked },
      }),
      codeqr('Update', {
        resource: 'qrCode',
        operation: 'update',
        id: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
        title: '={{ $json.title + " (updated)" }}',
      }),
      codeqr('Upsert', {
        resource: 'qrCode',
        operation: 'upsert',
        url: `https://example.com/e2e/${run}`,
        externalId: `e2e-${run}`,
        title: 'E2E (upserted)',
      }),
      codeqr('Image', {
        resource: 'qrCode',
        operation: 'getImage',
        id: { __rl: true, mode: 'id', value: '={{ $json.qrCode.id }}' },
        format: 'png',
        binaryPropertyName: 'qr',
      }),
      codeqr('Analytics', { resource: 'scan', operation: 'getAnalytics', groupBy: 'count', interval: '24h' }),
    ],
    { timezone: 'Europe/Paris' },
  );
}

/** `count` items through the batched Create. */
export function batchWorkflow(count: number, run: string) {
  return workflow('cqrE2eBatch00001', 'CodeQR e2e: batched create', [
    { ...manual, position: at() },
    {
      id: 'rows',
      name: 'Rows',
      type: 'n8n-nodes-base.code',
      typeVersion: 2,
      position: at(),
      parameters: { jsCode: `return Array.from({ length: ${count} }, (_, i) => ({ json: { i } }));` },
    },
    codeqr('Create', {
      resource: 'qrCode',
      operation: 'create',
      url: `={{ 'https://example.com/batch/${run}/' + $json.i }}`,
      externalId: `={{ 'batch-${run}-' + $json.i }}`,
    }),
  ]);
}

/**
 * `count` items through the batched Create with "On Error: Continue (using error output)", the items at `bad`
 * invalid: n8n must route exactly those to the error output.
 */
export function errorOutputWorkflow(count: number, bad: number[], run: string) {
  const flow = workflow('cqrE2eErrOut0001', 'CodeQR e2e: error output', [
    { ...manual, position: at() },
    {
      id: 'rows',
      name: 'Rows',
      type: 'n8n-nodes-base.code',
      typeVersion: 2,
      position: at(),
      parameters: {
        jsCode: `const bad = ${JSON.stringify(bad)}; return Array.from({ length: ${count} }, (_, i) => ({ json: { i, url: bad.includes(i) ? 'not a url' : 'https://example.com/err/${run}/' + i } }));`,
      },
    },
    {
      ...codeqr('Create', {
        resource: 'qrCode',
        operation: 'create',
        url: '={{ $json.url }}',
        externalId: `={{ 'err-${run}-' + $json.i }}`,
      }),
      onError: 'continueErrorOutput',
    },
  ]);
  return flow;
}

const sink = (url: string) => ({
  id: 'sink',
  name: 'Sink',
  type: 'n8n-nodes-base.httpRequest',
  typeVersion: 4.2,
  position: at(),
  parameters: {
    method: 'POST',
    url,
    sendBody: true,
    specifyBody: 'json',
    jsonBody: '={{ JSON.stringify($json) }}',
    options: {},
  },
});

/** New Scan (polling, every minute) → POST each scan to `sinkUrl`. */
export function pollingWorkflow(sinkUrl: string) {
  return workflow('cqrE2ePolling001', 'CodeQR e2e: new scan (polling)', [
    {
      id: 'trigger',
      name: 'CodeQR Trigger',
      type: NODE_TYPES.trigger,
      typeVersion: 1,
      position: at(),
      credentials,
      parameters: { event: 'newScan', pollTimes: { item: [{ mode: 'everyMinute' }] } },
    },
    sink(sinkUrl),
  ]);
}

export const WEBHOOK_ID = 'c0de0a11-0000-4000-8000-00000000e2e1';

/** CodeQR Webhook Trigger (scans) → POST each item to `sinkUrl`. */
export function webhookWorkflow(sinkUrl: string) {
  return workflow('cqrE2eWebhook001', 'CodeQR e2e: webhook', [
    {
      id: 'hook',
      name: 'CodeQR Webhook Trigger',
      type: NODE_TYPES.webhook,
      typeVersion: 1,
      position: at(),
      webhookId: WEBHOOK_ID,
      credentials: { codeQrWebhookApi: WEBHOOK_CREDENTIAL },
      parameters: { events: ['qrcode.scanned'] },
    },
    sink(sinkUrl),
  ]);
}

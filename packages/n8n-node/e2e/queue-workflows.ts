/** The workflows the queue-mode run imports into n8n (ids fixed so they can be published before the start). */
import { NODE_TYPES } from './harness.ts';

export const FREE_CREDENTIAL = { id: 'cqrQueueFreeCred', name: 'CodeQR sandbox (Free key)' };
export const BUSINESS_CREDENTIAL = { id: 'cqrQueueBizCred1', name: 'CodeQR sandbox (Business key)' };
export const CREATE_WORKFLOW_ID = 'cqrQueueCreate01';
export const POLLING_WORKFLOW_ID = 'cqrQueuePolling1';
export const WEBHOOK_PATH = 'codeqr-queue-create';

function chain(nodes: { name: string }[]) {
  const connections: Record<string, unknown> = {};
  for (let i = 0; i < nodes.length - 1; i++) {
    connections[nodes[i]?.name as string] = { main: [[{ node: nodes[i + 1]?.name, type: 'main', index: 0 }]] };
  }
  return connections;
}

const flow = (id: string, name: string, nodes: ({ name: string } & Record<string, unknown>)[]) => ({
  id,
  name,
  active: false,
  nodes: nodes.map((node, i) => ({ position: [220 * (i + 1), 300], ...node })),
  connections: chain(nodes),
  settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all', saveDataErrorExecution: 'all' },
  pinData: {},
});

/**
 * POST /webhook/<path> `{ items: [{ url, externalId }] }` (answered at once; a worker runs it) → Split Out →
 * CodeQR Create, one output item per QR code, batched in bulk calls or one call per item.
 */
export function createWorkflow(batching: boolean) {
  return flow(CREATE_WORKFLOW_ID, 'CodeQR queue: webhook → create', [
    {
      id: 'hook',
      name: 'Webhook',
      type: 'n8n-nodes-base.webhook',
      typeVersion: 2,
      webhookId: 'c0de0a11-0000-4000-8000-0000000a11e1',
      parameters: { httpMethod: 'POST', path: WEBHOOK_PATH, responseMode: 'onReceived', options: {} },
    },
    {
      id: 'split',
      name: 'Split Out',
      type: 'n8n-nodes-base.splitOut',
      typeVersion: 1,
      parameters: { fieldToSplitOut: 'body.items', options: {} },
    },
    {
      id: 'create',
      name: 'Create',
      type: NODE_TYPES.action,
      typeVersion: 1,
      credentials: { codeQrApi: FREE_CREDENTIAL },
      parameters: {
        resource: 'qrCode',
        operation: 'create',
        url: '={{ $json.url }}',
        externalId: '={{ $json.externalId }}',
        options: { batching },
      },
    },
  ]);
}

/**
 * CodeQR Trigger (New Scan of `qrCodeId`, every minute) → POST each scan to `sinkUrl`. The QR Code filter is set:
 * a worker refuses an execution whose node has parameter issues, and the filter must not be one (see the report).
 */
export function pollingWorkflow(sinkUrl: string, qrCodeId: string) {
  return flow(POLLING_WORKFLOW_ID, 'CodeQR queue: new scan (polling)', [
    {
      id: 'trigger',
      name: 'CodeQR Trigger',
      type: NODE_TYPES.trigger,
      typeVersion: 1,
      credentials: { codeQrApi: BUSINESS_CREDENTIAL },
      parameters: {
        event: 'newScan',
        qrCodeId: { __rl: true, mode: 'id', value: qrCodeId },
        pollTimes: { item: [{ mode: 'everyMinute' }] },
      },
    },
    {
      id: 'sink',
      name: 'Sink',
      type: 'n8n-nodes-base.httpRequest',
      typeVersion: 4.2,
      parameters: {
        method: 'POST',
        url: sinkUrl,
        sendBody: true,
        specifyBody: 'json',
        jsonBody: '={{ JSON.stringify($json) }}',
        options: {},
      },
    },
  ]);
}

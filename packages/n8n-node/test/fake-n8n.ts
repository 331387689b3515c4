/**
 * A fake n8n context: just enough of IExecuteFunctions / IPollFunctions / IWebhookFunctions / ILoadOptionsFunctions
 * to run the nodes as n8n does, with HTTP going for real to a sandbox through `httpRequestWithAuthentication`
 * (the credential's Bearer header added the way n8n's `authenticate` does).
 */
import type { IDataObject, INode, INodeExecutionData } from 'n8n-workflow';

export interface FakeOptions {
  /** Node parameters per input item (execute) or for the node (poll, webhook). */
  params: Record<string, unknown>[];
  credentials?: Record<string, unknown>;
  continueOnFail?: boolean;
  mode?: 'manual' | 'trigger';
  staticData?: IDataObject;
  /** The workflow's time zone (`this.getTimezone()`); n8n's default is America/New_York. */
  timezone?: string;
  /** Webhook request. */
  request?: { rawBody?: Uint8Array; headers?: Record<string, string> };
}

export interface HttpCall {
  method: string;
  url: string;
  credentialType: string;
}

export const fakeNode: INode = {
  id: 'node-1',
  name: 'CodeQR',
  type: '@codeqr-integrations/n8n-nodes-codeqr.codeQr',
  typeVersion: 1,
  position: [0, 0],
  parameters: {},
};

function lookup(params: Record<string, unknown> | undefined, path: string): unknown {
  let current: unknown = params;
  for (const part of path.split('.')) {
    if (!current || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

export function fakeContext(options: FakeOptions) {
  const calls: HttpCall[] = [];
  const staticData: IDataObject = options.staticData ?? {};
  const response = { statusCode: 200, body: undefined as unknown };
  const credentials = options.credentials ?? {};
  const helpers = {
    async httpRequestWithAuthentication(
      credentialType: string,
      request: { method: string; url: string; headers?: Record<string, string>; body?: string; timeout?: number },
    ) {
      calls.push({ method: request.method, url: request.url, credentialType });
      const res = await fetch(request.url, {
        method: request.method,
        headers: { ...(request.headers ?? {}), authorization: `Bearer ${String(credentials.apiKey ?? '')}` },
        ...(request.body === undefined ? {} : { body: request.body }),
      });
      const headers: Record<string, string> = {};
      res.headers.forEach((value, name) => {
        headers[name] = value;
      });
      return { statusCode: res.status, headers, body: await res.text() };
    },
    async prepareBinaryData(data: Buffer, fileName?: string, mimeType?: string) {
      return { data: data.toString('base64'), fileName, mimeType, fileSize: String(data.length) };
    },
    returnJsonArray(json: IDataObject | IDataObject[]): INodeExecutionData[] {
      return (Array.isArray(json) ? json : [json]).map((item) => ({ json: item }));
    },
  };
  const param = (name: string, index: number, fallback: unknown) => {
    const value = lookup(options.params[index] ?? options.params[0], name);
    return value === undefined ? fallback : value;
  };
  const ctx = {
    helpers,
    getNode: () => fakeNode,
    getInputData: (): INodeExecutionData[] => options.params.map((_, i) => ({ json: { row: i } })),
    getCredentials: async () => credentials,
    continueOnFail: () => options.continueOnFail === true,
    getMode: () => options.mode ?? 'trigger',
    getTimezone: () => options.timezone ?? 'America/New_York',
    getWorkflowStaticData: () => staticData,
    getWorkflow: () => ({ id: 'wf-1', name: 'Test', active: true }),
    getNodeWebhookUrl: () => 'http://127.0.0.1:5678/webhook/abc/webhook',
    getRequestObject: () => ({ rawBody: options.request?.rawBody, body: {} }),
    getResponseObject: () => ({
      status(code: number) {
        response.statusCode = code;
        return this;
      },
      json(body: unknown) {
        response.body = body;
        return this;
      },
    }),
    getHeaderData: () => options.request?.headers ?? {},
  };
  // execute: getNodeParameter(name, itemIndex, fallback); poll/webhook/hooks: getNodeParameter(name, fallback)
  const executeCtx = {
    ...ctx,
    getNodeParameter: (name: string, i: number, fallback?: unknown) => param(name, i, fallback),
  };
  const nodeCtx = { ...ctx, getNodeParameter: (name: string, fallback?: unknown) => param(name, 0, fallback) };
  return { executeCtx, nodeCtx, calls, staticData, response };
}

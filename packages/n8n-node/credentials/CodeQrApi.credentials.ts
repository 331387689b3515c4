import type {
  IAuthenticateGeneric,
  ICredentialTestRequest,
  ICredentialType,
  Icon,
  INodeProperties,
} from 'n8n-workflow';

export class CodeQrApi implements ICredentialType {
  name = 'codeQrApi';

  displayName = 'CodeQR API';

  icon: Icon = { light: 'file:../icons/codeqr.svg', dark: 'file:../icons/codeqr.dark.svg' };

  documentationUrl = 'https://docs.codeqr.io/api-reference/introduction';

  properties: INodeProperties[] = [
    {
      displayName: 'API Key',
      name: 'apiKey',
      type: 'string',
      typeOptions: { password: true },
      required: true,
      default: '',
      placeholder: 'codeqr_...',
      description: 'Create one in the CodeQR dashboard under Settings → API Keys',
    },
    {
      displayName: 'Base URL',
      name: 'baseUrl',
      type: 'string',
      required: true,
      default: 'https://api.codeqr.io',
      description:
        'Leave https://api.codeqr.io for CodeQR. To try things out, run the local sandbox (npm run sandbox) and use http://127.0.0.1:8787.',
    },
  ];

  authenticate: IAuthenticateGeneric = {
    type: 'generic',
    properties: {
      headers: {
        // trimmed: a key pasted with a trailing line break would otherwise be an invalid header
        Authorization: '=Bearer {{$credentials.apiKey.trim()}}',
      },
    },
  };

  test: ICredentialTestRequest = {
    request: {
      baseURL: '={{$credentials.baseUrl}}',
      url: '/domains',
      method: 'GET',
      qs: { pageSize: 1 },
    },
    rules: [
      {
        type: 'responseCode',
        properties: {
          value: 401,
          message: 'CodeQR refused the API key: copy a valid key from the CodeQR dashboard (Settings → API Keys).',
        },
      },
      {
        type: 'responseCode',
        properties: {
          value: 403,
          message: 'This API key may not read the workspace: use a key with read access.',
        },
      },
      {
        type: 'responseCode',
        properties: {
          value: 404,
          message: 'Nothing answers at this Base URL: use https://api.codeqr.io (or the sandbox URL).',
        },
      },
    ],
  };
}

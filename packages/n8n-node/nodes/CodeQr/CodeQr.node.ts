import { actions } from '@codeqr-integrations/core/base';
import {
  type IExecuteFunctions,
  type INodeExecutionData,
  type INodeType,
  type INodeTypeDescription,
  NodeConnectionTypes,
} from 'n8n-workflow';
import { nodeMethods } from '../adapter/methods.ts';
import { executeCodeQr } from './execute.ts';
import { nodeProperties, nodeSubtitle } from './operations.ts';

export class CodeQr implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'CodeQR',
    name: 'codeQr',
    icon: { light: 'file:../../icons/codeqr.svg', dark: 'file:../../icons/codeqr.dark.svg' },
    group: ['transform'],
    version: 1,
    subtitle: nodeSubtitle(),
    description: 'Create, update and upsert QR codes and short links, render QR images and read scan analytics',
    defaults: { name: 'CodeQR' },
    usableAsTool: true,
    inputs: [NodeConnectionTypes.Main],
    outputs: [NodeConnectionTypes.Main],
    credentials: [{ name: 'codeQrApi', required: true }],
    properties: nodeProperties(),
  };

  methods = nodeMethods(actions);

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    return executeCodeQr(this);
  }
}

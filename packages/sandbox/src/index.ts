export type { Exchange } from './app.ts';
export type {
  BulkAnswerStyle,
  PayloadStyle,
  RateLimitHeaderStyle,
  SandboxBehaviour,
  WithTagsStyle,
} from './behaviour.ts';
export { FAULT_MODES, type FaultRuleInput } from './faults.ts';
export {
  DEFAULT_WEBHOOK_RETRY_DELAYS_MS,
  type Sandbox,
  type SandboxKey,
  type SandboxOptions,
  startSandbox,
} from './server.ts';
export type { QrRecord, ScanRecord } from './store/index.ts';

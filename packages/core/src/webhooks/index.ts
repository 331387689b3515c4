export * from './dedupe.ts';
export * from './parse.ts';
export { signWebhook, verifyWebhook } from './signature.ts';

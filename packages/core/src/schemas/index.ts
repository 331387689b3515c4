export * from './analytics.ts';
export * from './colors.ts';
export * from './common.ts';
export * from './errors.ts';
export * from './events.ts';
export * from './qr-code.ts';
export * from './webhooks.ts';

export * from './errors.ts';
export * from './image/index.ts';
export * from './polling/index.ts';
export * from './schemas/index.ts';
export * from './webhooks/index.ts';

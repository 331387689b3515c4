export * from './coerce.ts';
export * from './describe.ts';
export * from './meta.ts';

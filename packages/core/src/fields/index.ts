export * from './coerce.ts';
export * from './describe.ts';
export * from './meta.ts';
export * from './type-content.ts';

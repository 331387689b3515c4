export * from './domains.ts';

export * from './qrcodes.ts';

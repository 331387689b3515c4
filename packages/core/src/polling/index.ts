export * from './counts.ts';
export * from './cursor.ts';
export * from './scan-event.ts';

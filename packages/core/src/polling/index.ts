export * from './counts.ts';
export * from './cursor.ts';
export * from './listing.ts';
export * from './poll.ts';
export * from './recent.ts';
export * from './scan-event.ts';

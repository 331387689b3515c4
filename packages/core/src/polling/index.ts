export * from './counts.ts';
export * from './cursor.ts';
export * from './listing.ts';
export * from './listing-types.ts';
export * from './poll-qr-codes.ts';
export * from './poll-scans.ts';
export * from './recent.ts';
export * from './scan-event.ts';

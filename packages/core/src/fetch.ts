export { createFetchTransport, type FetchTransportOptions, timerSleep } from './client/fetch-transport.ts';

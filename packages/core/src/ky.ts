export { createKyTransport, type KyTransportOptions, timerSleep } from './client/ky-transport.ts';

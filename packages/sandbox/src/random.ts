import { randomBytes } from 'node:crypto';

const ALPHANUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const KEY_CHARS = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** Random ids and keys; deterministic when seeded (`--seed`), so tests and demos are reproducible. */
export interface Random {
  next(): number;
  string(length: number, alphabet?: string): string;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Cryptographic randomness drawn from a refilled pool (one syscall per 1,024 numbers, not one per character). */
function pooledCrypto(): () => number {
  let pool = randomBytes(4096);
  let offset = 0;
  return () => {
    if (offset >= pool.length) {
      pool = randomBytes(4096);
      offset = 0;
    }
    const value = pool.readUInt32BE(offset);
    offset += 4;
    return value / 4294967296;
  };
}

export function createRandom(seed?: number): Random {
  const next = seed === undefined ? pooledCrypto() : mulberry32(seed);
  return {
    next,
    string(length, alphabet = ALPHANUM) {
      let out = '';
      for (let i = 0; i < length; i++) out += alphabet[Math.floor(next() * alphabet.length)];
      return out;
    },
  };
}

export const ids = {
  /** cuid-like, e.g. `cm9zsbu1f00019imtllva1p35`. */
  qrCode: (r: Random) => `cm${r.string(23)}`,
  tag: (r: Random) => `tag_${r.string(20)}`,
  folder: (r: Random) => `fold_${r.string(20)}`,
  domain: (r: Random) => `dom_${r.string(20)}`,
  project: (r: Random) => `proj_${r.string(20)}`,
  user: (r: Random) => `user_${r.string(20)}`,
  click: (r: Random) => r.string(16, KEY_CHARS),
  event: (r: Random) => `evt_${r.string(20, KEY_CHARS)}`,
  webhook: (r: Random) => `wh_${r.string(16)}`,
  fault: (r: Random) => `fault_${r.string(10)}`,
  request: (r: Random) => `req_${r.string(16)}`,
  key: (r: Random) => r.string(7, KEY_CHARS),
};

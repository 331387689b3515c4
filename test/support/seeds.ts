/**
 * Seeds for property and model-based tests. Every property runs its pinned regression seeds (failures found before,
 * each a fixed case) plus `PROPERTY_RUNS` fresh random seeds (default 1 in `npm test`, more in `npm run
 * test:resilience`). Every seed is printed before it runs, so a failure in CI names the seed to pin:
 *   PROPERTY_SEED=1234 npx vitest run <file>      replays one seed alone
 */

/** How many fresh random seeds a property runs besides its pinned ones (`PROPERTY_RUNS`, default `fallback`). */
export function freshRuns(fallback = 1): number {
  const raw = Number(globalThis.process?.env.PROPERTY_RUNS);
  return Number.isInteger(raw) && raw >= 0 ? raw : fallback;
}

/**
 * The seeds a property runs: `PROPERTY_SEED` alone when set, else the pinned ones then `freshRuns()` random ones.
 * Each is printed (`[seed] <name>: <seed>`) as it is handed out.
 */
export function propertySeeds(name: string, pinned: readonly number[] = [], fresh = freshRuns()): number[] {
  const only = globalThis.process?.env.PROPERTY_SEED;
  const seeds =
    only !== undefined && only !== ''
      ? [Number(only) >>> 0]
      : [...pinned, ...Array.from({ length: fresh }, () => Math.floor(Math.random() * 2 ** 31))];
  for (const seed of seeds) console.log(`[seed] ${name}: ${seed}${pinned.includes(seed) ? ' (pinned)' : ''}`);
  return seeds;
}

/** A small deterministic PRNG (xorshift32) returning floats in [0, 1), so one seed replays one run. */
export function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

/**
 * Counter-based random numbers for common random numbers (CRN).
 *
 * Every draw is a pure function of (seed, stream, resident, month, slot): there is no
 * sequential generator state. So a resident's illness draws are the same in a baseline
 * and a reform run with one seed, whatever other residents did, and a run gives the same
 * numbers on any number of workers. Streams are named (see STREAMS) so adding a new kind
 * of draw never shifts the existing ones.
 *
 * The mixer is the murmur3 32-bit finaliser applied after each key word — fast (a few
 * Math.imul), no allocation, and its avalanche makes neighbouring keys independent.
 */

/** murmur3 fmix32: a bijective avalanche on 32-bit integers. */
export function fmix32(h: number): number {
  return fmix32Bits(h) >>> 0;
}

/** fmix32's 32 bits as a signed int32 (for loops that keep hashes in integer registers: hashFromPrefixBits). */
function fmix32Bits(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Hash a key of up to four 32-bit words (stream key already folded in). */
export function hashKey(streamKey: number, a: number, b: number, c: number): number {
  let h = fmix32(streamKey ^ Math.imul(a + 0x9e3779b9, 0xcc9e2d51));
  h = fmix32(h ^ Math.imul(b + 0x7f4a7c15, 0x1b873593));
  h = fmix32(h ^ Math.imul(c + 0x632be5ab, 0xe6546b64));
  return h;
}

/**
 * The first two rounds of hashKey, shared by every draw of one (resident, month): a
 * resident's choice draws differ only in the last word (the slot), so hashing the prefix
 * once per episode gives the same numbers as uniform() at a third of the cost.
 */
export function hashPrefix(streamKey: number, a: number, b: number): number {
  const h = fmix32(streamKey ^ Math.imul(a + 0x9e3779b9, 0xcc9e2d51));
  return fmix32(h ^ Math.imul(b + 0x7f4a7c15, 0x1b873593));
}

/**
 * The first round of hashKey, which depends on (stream, a) only: a resident's draws in
 * every month share it, so the engine computes it once per resident and run.
 */
export function hashFirst(streamKey: number, a: number): number {
  return fmix32(streamKey ^ Math.imul(a + 0x9e3779b9, 0xcc9e2d51));
}

/** hashPrefix(streamKey, a, b) given hashFirst(streamKey, a). */
export function hashPrefixFrom(first: number, b: number): number {
  return fmix32(first ^ Math.imul(b + 0x7f4a7c15, 0x1b873593));
}

const TWO_POW_32 = 4294967296;

/** hashKey(streamKey, a, b, c) given hashPrefix(streamKey, a, b). */
export function hashFromPrefix(prefix: number, c: number): number {
  return fmix32(prefix ^ Math.imul(c + 0x632be5ab, 0xe6546b64));
}

/**
 * hashFromPrefix's 32 bits as a signed int32 (`hashFromPrefix(p, c) === hashFromPrefixBits(p, c) >>> 0`):
 * an unsigned result above 2³¹ is a double to V8, and the choice loop, which hashes every
 * option, would convert it back and forth; int32 bits stay in integer registers.
 */
export function hashFromPrefixBits(prefix: number, c: number): number {
  return fmix32Bits(prefix ^ Math.imul(c + 0x632be5ab, 0xe6546b64));
}

/** uniform(streamKey, a, b, c) given hashPrefix(streamKey, a, b). */
export function uniformFromPrefix(prefix: number, c: number): number {
  return (hashFromPrefix(prefix, c) + 0.5) / TWO_POW_32;
}

/** Uniform in the open interval (0, 1): never exactly 0 or 1, so logs are safe. */
export function uniform(streamKey: number, a: number, b: number, c: number): number {
  return (hashKey(streamKey, a, b, c) + 0.5) / TWO_POW_32;
}

/** Hash a stream name (FNV-1a) so streams are identified by name, not position. */
export function streamNameHash(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The key for one named stream under one seed. */
export function streamKey(seed: number, name: string): number {
  return fmix32((seed >>> 0) ^ fmix32(streamNameHash(name)) ^ Math.imul(Math.floor(seed / TWO_POW_32), 0x27d4eb2f));
}

/** Every named stream the model draws from. Adding one never changes the others. */
export const STREAMS = {
  /** synthetic population attributes, keyed by resident index */
  population: "population",
  /** family-doctor contracting propensity: one fixed uniform per resident */
  contract: "contract",
  /**
   * illness, keyed (resident, month, slot): slot 0 = acute outpatient episode count,
   * 1 = admissions, 2 = chronic follow-ups, 100 + episode slot = that episode's severity
   */
  illness: "illness",
  /** facility choice noise, keyed (resident, month, episode slot × option) */
  choice: "choice",
  /** downward-referral decisions, keyed (resident, month, episode slot) */
  downwardReferral: "referral.downward",
  /**
   * care-seeking (sim/care-seeking.ts), keyed (resident, month, slot): episode slot = whether
   * the episode is taken to a facility at all (part 1 of the two-part model); 64 + episode
   * slot = a supplier-induced return visit after it
   */
  careSeeking: "careSeeking",
  /**
   * the primary doctor's decision at a required first contact (基层首诊, sim/gatekeeping.ts),
   * keyed (resident, month, 2 × episode slot): + 0 = refer up or keep, + 1 = a refused
   * patient goes anyway. Drawn only under `insurance.firstContact.rule: required`, so runs
   * without the rule never touch it.
   */
  gatekeeping: "referral.gatekeeping",
  /** whether a township inpatient needs tests at the lead county hospital, keyed (resident, month, episode slot) */
  upstreamTests: "referral.upstreamTests",
  /** doctors: starting attributes keyed (doctor, 0, attribute); yearly moves keyed (doctor, year, decision) */
  staff: "staff",
  /**
   * inpatient cases, keyed (resident, month, episode slot): the case key whose draws
   * (sim/payment/case-mix.ts) give the condition group, whether the disease is on a
   * tier's per-disease list, and the providers' responses (cost shifting, upcoding)
   */
  caseMix: "case",
  /**
   * whether a visit treated at a service intensity ≠ 1 is followed by a repeat visit
   * (sim/provider-response.ts), keyed (resident, month, episode slot); drawn only where
   * the probability is > 0, so runs without a provider response never touch it
   */
  repeatVisit: "provider.repeatVisit",
  /**
   * population change (sim/population/), drawn only under `population: changing`: each
   * resident's exact age within their band, keyed (resident, 0, 0); a month's death or
   * departure, keyed (resident, month, 0 death | 1 departure); a woman's birth, keyed
   * (woman, month, 0); chronic onset on entering an age band, keyed (resident, year,
   * condition); the month's in-migrants, keyed (month, in-migrant, attribute)
   */
  populationAge: "population.age",
  populationExit: "population.exit",
  populationBirth: "population.birth",
  populationOnset: "population.onset",
  populationInMigration: "population.inMigration",
} as const;

/** Gumbel(0,1) variate from a uniform in (0,1): −ln(−ln u). Used for Gumbel-max logit sampling. */
export function gumbel(u: number): number {
  return -Math.log(-Math.log(u));
}

/**
 * Gumbel(0,1) variate from a 32-bit hash, as gumbel((h + 0.5) / 2^32) but ~5× faster:
 * the quantile function is tabulated at 4,096 points and interpolated linearly, except in
 * the lowest 64 buckets (u < 0.016) and the top 256 (u > 0.94), where its curvature is
 * large and the exact formula is used (8% of draws). The interpolation error is below
 * 1e-5 everywhere (tested),
 * far under the sampling noise of any indicator; choice shares keep their logit form.
 */
const GUMBEL_BITS = 12;
const GUMBEL_N = 1 << GUMBEL_BITS;
const GUMBEL_EXACT_BOTTOM = 64;
const GUMBEL_EXACT_TOP = GUMBEL_N - 256;
const GUMBEL_TABLE = (() => {
  const t = new Float64Array(GUMBEL_N + 1);
  for (let j = 1; j <= GUMBEL_N; j++) t[j] = j === GUMBEL_N ? Infinity : gumbel(j / GUMBEL_N);
  return t;
})();
export function gumbelFromHash(h: number): number {
  const j = h >>> (32 - GUMBEL_BITS);
  if (j < GUMBEL_EXACT_BOTTOM || j >= GUMBEL_EXACT_TOP) return gumbel((h + 0.5) / TWO_POW_32);
  const frac = ((h & ((1 << (32 - GUMBEL_BITS)) - 1)) + 0.5) / (1 << (32 - GUMBEL_BITS));
  const a = GUMBEL_TABLE[j];
  return a + (GUMBEL_TABLE[j + 1] - a) * frac;
}

/**
 * Bounds of gumbelFromHash(h) by the top 8 bits of h: for every h,
 * GUMBEL_LOWER[h >>> 24] ≤ gumbelFromHash(h) ≤ GUMBEL_UPPER[h >>> 24] (tested over every
 * bucket's ends and interior). A Gumbel-max choice uses them to skip the exact variate of
 * an option that cannot win (sim/engine/kernel.ts choose): u + upper below the best
 * u + lower of any option. The bounds are the quantile at each 1/256 bucket's ends (the
 * interpolation table's own points), widened by 1e-9 for rounding; 2 KB each, so they stay
 * in the L1 cache where the 32 KB table does not.
 */
export const GUMBEL_BOUND_BITS = 8;
const GUMBEL_BOUND_N = 1 << GUMBEL_BOUND_BITS;
const GUMBEL_BOUND_MARGIN = 1e-9;
const GUMBEL_STEP = GUMBEL_N / GUMBEL_BOUND_N;
export const GUMBEL_LOWER = Float64Array.from({ length: GUMBEL_BOUND_N }, (_, b) =>
  (b === 0 ? gumbel(0.5 / TWO_POW_32) : GUMBEL_TABLE[b * GUMBEL_STEP]) - GUMBEL_BOUND_MARGIN,
);
export const GUMBEL_UPPER = Float64Array.from({ length: GUMBEL_BOUND_N }, (_, b) =>
  (b === GUMBEL_BOUND_N - 1 ? gumbel((TWO_POW_32 - 0.5) / TWO_POW_32) : GUMBEL_TABLE[(b + 1) * GUMBEL_STEP]) + GUMBEL_BOUND_MARGIN,
);

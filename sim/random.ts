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
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hash a key of up to four 32-bit words (stream key already folded in). */
export function hashKey(streamKey: number, a: number, b: number, c: number): number {
  let h = fmix32(streamKey ^ Math.imul(a + 0x9e3779b9, 0xcc9e2d51));
  h = fmix32(h ^ Math.imul(b + 0x7f4a7c15, 0x1b873593));
  h = fmix32(h ^ Math.imul(c + 0x632be5ab, 0xe6546b64));
  return h;
}

const TWO_POW_32 = 4294967296;

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
  /** acute outpatient episode counts, keyed (resident, month) */
  outpatientIncidence: "incidence.outpatient",
  /** inpatient episode counts, keyed (resident, month) */
  inpatientIncidence: "incidence.inpatient",
  /** chronic follow-up visits, keyed (resident, month) */
  chronicFollowUp: "incidence.chronic",
  /** episode severity, keyed (resident, month, episode slot) */
  severity: "severity",
  /** facility choice noise, keyed (resident, month, episode slot × option) */
  choice: "choice",
  /** downward-referral decisions, keyed (resident, month, episode slot) */
  downwardReferral: "referral.downward",
} as const;

/** Gumbel(0,1) variate from a uniform in (0,1): −ln(−ln u). Used for Gumbel-max logit sampling. */
export function gumbel(u: number): number {
  return -Math.log(-Math.log(u));
}

/** Index of a Poisson(lambda) count by inverse CDF with one uniform (lambda small). */
export function poissonFromUniform(lambda: number, u: number): number {
  let p = Math.exp(-lambda);
  let cdf = p;
  let k = 0;
  while (u > cdf && k < 50) {
    k++;
    p *= lambda / k;
    cdf += p;
  }
  return k;
}

/**
 * Illness episodes (发病/就医需要): each month each resident draws a Poisson number of acute
 * outpatient episodes and of inpatient episodes, with rates by age band and chronic
 * status (data/parameters.yaml `incidence`), plus chronic follow-up visits for residents
 * with a chronic condition. Episode need is exogenous to policy — a reform changes where
 * people are treated, not whether they fall ill — which is what makes common random
 * numbers line up across scenarios.
 */
import { AGE_BANDS, N_AGE_BANDS, SEVERITIES } from "./tier";
import type { Parameters } from "./parameters";

/** Rate groups: age band × chronic (0/1). */
export const N_RATE_GROUPS = N_AGE_BANDS * 2;
export const rateGroup = (ageBand: number, chronic: boolean) => ageBand * 2 + (chronic ? 1 : 0);

const MAX_K = 12;

/** Poisson CDF table for one rate: cdf[k] = P(N ≤ k), k < MAX_K. */
export function poissonCdf(lambda: number): Float64Array {
  const cdf = new Float64Array(MAX_K);
  let p = Math.exp(-lambda);
  let acc = p;
  cdf[0] = acc;
  for (let k = 1; k < MAX_K; k++) {
    p *= lambda / k;
    acc += p;
    cdf[k] = acc;
  }
  cdf[MAX_K - 1] = 1; // truncate the far tail (P(N ≥ 12) is negligible at monthly rates)
  return cdf;
}

/** Count drawn from a CDF table with one uniform. */
export function drawCount(cdf: Float64Array, offset: number, u: number): number {
  let k = 0;
  while (u > cdf[offset + k]) k++;
  return k;
}

export interface IncidenceTables {
  /** per rate group, MAX_K entries each */
  outpatientCdf: Float64Array;
  inpatientCdf: Float64Array;
  /** chronic follow-up visits per month (Poisson), by long-prescription months 1 and 2 */
  chronicCdf: Float64Array;
  outpatientSeverityCdf: Float64Array;
  inpatientSeverityCdf: Float64Array;
  maxK: number;
}

export function incidenceTables(p: Parameters["incidence"]): IncidenceTables {
  const outpatientCdf = new Float64Array(N_RATE_GROUPS * MAX_K);
  const inpatientCdf = new Float64Array(N_RATE_GROUPS * MAX_K);
  for (let a = 0; a < N_AGE_BANDS; a++) {
    for (const chronic of [false, true]) {
      const g = rateGroup(a, chronic);
      outpatientCdf.set(poissonCdf(p.outpatientPerYear[AGE_BANDS[a]] / 12), g * MAX_K);
      inpatientCdf.set(poissonCdf((p.inpatientPerYear[AGE_BANDS[a]] * (chronic ? p.chronicInpatientMultiplier : 1)) / 12), g * MAX_K);
    }
  }
  const chronicCdf = new Float64Array(2 * MAX_K);
  chronicCdf.set(poissonCdf(p.chronicFollowUpPerYear / 12), 0);
  chronicCdf.set(poissonCdf(p.chronicFollowUpPerYear / 24), MAX_K);
  return {
    outpatientCdf,
    inpatientCdf,
    chronicCdf,
    outpatientSeverityCdf: severityCdf(p.outpatientSeverity),
    inpatientSeverityCdf: severityCdf(p.inpatientSeverity),
    maxK: MAX_K,
  };
}

function severityCdf(shares: Record<(typeof SEVERITIES)[number], number>): Float64Array {
  const cdf = new Float64Array(SEVERITIES.length);
  let acc = 0;
  SEVERITIES.forEach((s, i) => (cdf[i] = acc += shares[s]));
  cdf[SEVERITIES.length - 1] = 1;
  return cdf;
}

/** Severity index from a uniform, skipping severities with zero share. */
export function drawSeverity(cdf: Float64Array, u: number): number {
  let s = 0;
  while (s < cdf.length - 1 && u > cdf[s]) s++;
  return s;
}

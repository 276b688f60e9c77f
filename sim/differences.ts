/**
 * Per-resident differences between two runs with one seed (common random numbers).
 *
 * Because every draw is keyed by (seed, stream, resident, month, slot), two scenarios run
 * with the same seed give each resident the same illnesses and the same choice noise, so
 * any difference in where a resident was treated is caused by the policy difference.
 * Both runs need `traceResidents: true`.
 */
import type { SimulationResult } from "./simulate";
import { N_TIERS, TIERS, type Tier } from "./tier";

export interface ResidentDifference {
  resident: number;
  /** encounters (visits + admissions) per tier in run b minus run a */
  encounters: Record<Tier, number>;
  /** out-of-pocket over the run, b − a (yuan) */
  oop: number;
  /** mean tier of the resident's encounters moved up (+1) or down (−1), or not (0) */
  direction: -1 | 0 | 1;
}

export interface DifferenceSummary {
  residents: number;
  /** residents with any difference (tier of care or OOP) */
  changed: number;
  /** residents treated at a different mix of tiers */
  moved: number;
  movedDown: number;
  movedUp: number;
  differences: ResidentDifference[];
}

/** Residents whose encounters by tier or OOP differ between runs a and b. */
export function residentDifferences(a: SimulationResult, b: SimulationResult): DifferenceSummary {
  if (!a.trace || !b.trace) throw new Error("residentDifferences needs both runs made with traceResidents: true");
  if (a.residents !== b.residents || a.seed !== b.seed || a.scale !== b.scale) {
    throw new Error("residentDifferences compares runs of the same county, seed and scale");
  }
  const ea = a.trace.encounters;
  const eb = b.trace.encounters;
  const differences: ResidentDifference[] = [];
  let movedDown = 0;
  let movedUp = 0;
  let moved = 0;
  for (let i = 0; i < a.residents; i++) {
    let sameTiers = true;
    let tierSumA = 0;
    let tierSumB = 0;
    let nA = 0;
    let nB = 0;
    for (let t = 0; t < N_TIERS; t++) {
      const x = ea[i * N_TIERS + t];
      const y = eb[i * N_TIERS + t];
      if (x !== y) sameTiers = false;
      tierSumA += t * x;
      tierSumB += t * y;
      nA += x;
      nB += y;
    }
    if (sameTiers && a.trace.oop[i] === b.trace.oop[i]) continue;
    if (!sameTiers) moved++;
    const meanA = nA > 0 ? tierSumA / nA : 0;
    const meanB = nB > 0 ? tierSumB / nB : 0;
    const direction = meanB > meanA + 1e-12 ? 1 : meanB < meanA - 1e-12 ? -1 : 0;
    if (direction > 0) movedUp++;
    if (direction < 0) movedDown++;
    const encounters = {} as Record<Tier, number>;
    TIERS.forEach((tier, t) => (encounters[tier] = eb[i * N_TIERS + t] - ea[i * N_TIERS + t]));
    differences.push({ resident: i, encounters, oop: b.trace.oop[i] - a.trace.oop[i], direction });
  }
  return { residents: a.residents, changed: differences.length, moved, movedDown, movedUp, differences };
}

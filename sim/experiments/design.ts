/**
 * Experimental designs over named parameter ranges: full-factorial grids and Latin
 * hypercubes. Designs are points of the unit cube [0,1]^k (mapped to parameter values
 * with fromUnit), so the same code serves sweeps, Sobol sampling and calibration.
 *
 * Randomness comes from the project's counter-based hash (sim/random.ts) under a named
 * stream: point i, dimension j of a design with seed s is a pure function of (s, stream,
 * i, j), so a design is reproducible anywhere and a shard can compute only its own rows.
 */
import { streamKey, uniform } from "../random";
import { fromUnit, type ParameterRange } from "./parameter-ranges";

/** Named random streams of the experiment designs (never reused by the simulator). */
export const DESIGN_STREAMS = {
  latinHypercube: "experiments.lhs",
  saltelli: "experiments.saltelli",
  bootstrap: "experiments.bootstrap",
} as const;

/** Number of points of a full grid (product of the ranges' steps). */
export function gridSize(ranges: readonly ParameterRange[]): number {
  return ranges.reduce((n, r) => n * (r.steps ?? 0), 1);
}

/**
 * Full-factorial grid: every combination of each range's `steps` evenly spaced values
 * from low to high inclusive. The first parameter varies slowest (row-major order).
 */
export function gridDesign(ranges: readonly ParameterRange[]): number[][] {
  for (const r of ranges) {
    if (r.steps === undefined || r.steps < 2) throw new Error(`${r.path}: a grid needs steps ≥ 2 (write ${r.path}=${r.low}:${r.high}:5)`);
  }
  const out: number[][] = [];
  const total = gridSize(ranges);
  for (let n = 0; n < total; n++) {
    const x: number[] = new Array(ranges.length);
    let rest = n;
    for (let j = ranges.length - 1; j >= 0; j--) {
      const r = ranges[j];
      const s = r.steps!;
      const i = rest % s;
      rest = Math.floor(rest / s);
      x[j] = i === s - 1 ? r.high : r.low + ((r.high - r.low) * i) / (s - 1);
    }
    out.push(x);
  }
  return out;
}

/**
 * A Latin hypercube of n points in [0,1]^k: each dimension is cut into n equal strata and
 * every stratum holds exactly one point, at a random position inside it; the strata are
 * paired across dimensions by independent random permutations (Fisher–Yates driven by
 * the hash stream). McKay, Beckman & Conover (1979).
 */
export function latinHypercubeUnit(n: number, k: number, seed: number, stream: string = DESIGN_STREAMS.latinHypercube): number[][] {
  if (!(Number.isInteger(n) && n >= 1)) throw new Error(`a Latin hypercube needs a whole number of samples ≥ 1, got ${n}`);
  const key = streamKey(seed, stream);
  const points = Array.from({ length: n }, () => new Array<number>(k));
  for (let j = 0; j < k; j++) {
    const perm = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const r = Math.floor(uniform(key, j, i, 0) * (i + 1));
      [perm[i], perm[r]] = [perm[r], perm[i]];
    }
    for (let i = 0; i < n; i++) points[i][j] = (perm[i] + uniform(key, j, i, 1)) / n;
  }
  return points;
}

/** A Latin hypercube over parameter ranges, in parameter values. */
export function latinHypercubeDesign(ranges: readonly ParameterRange[], n: number, seed: number): number[][] {
  return latinHypercubeUnit(n, ranges.length, seed).map((u) => fromUnit(ranges, u));
}

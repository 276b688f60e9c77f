/**
 * Variance-based (Sobol) sensitivity indices with Saltelli sampling.
 *
 * For a model output Y = f(X1…Xk) with independent inputs, the first-order index
 * S_i = V[E(Y|X_i)] / V(Y) is the share of the output variance explained by X_i alone,
 * and the total index ST_i = E[V(Y|X_~i)] / V(Y) the share that involves X_i at all
 * (alone or in interactions). ST_i − S_i measures X_i's interactions; ST_i ≈ 0 means
 * X_i can be fixed anywhere in its range.
 *
 * Sampling (Saltelli 2002/2010): two independent n × k matrices A and B, and for each i
 * the matrix AB_i = A with column i taken from B — n(k + 2) model runs in all. A and B
 * are the two halves of one Latin hypercube in 2k dimensions (more even than plain random
 * draws at the same cost), drawn from a named hash stream so the design is reproducible.
 *
 * Estimators (Saltelli et al. 2010, Comput. Phys. Commun. 181:259, table 2):
 *   S_i  = mean( f(B) · (f(AB_i) − f(A)) ) / V          (Saltelli 2010)
 *   ST_i = mean( (f(A) − f(AB_i))² ) / (2V)              (Jansen 1999)
 * with V the variance of all f(A) and f(B) outputs. Outputs are centred on their mean
 * first, which leaves both estimators' expectations unchanged and reduces their spread.
 * Confidence intervals: percentile bootstrap over the n sample rows (Archer et al. 1997).
 */
import * as ss from "simple-statistics";
import { streamKey, uniform } from "../random";
import { DESIGN_STREAMS, latinHypercubeUnit } from "./design";
import { quantileSorted } from "./stats";

/** The unit-cube points of a Saltelli design, in evaluation order, and how to read them back. */
export interface SaltelliDesign {
  n: number;
  k: number;
  /** n(k + 2) points: for each row j, A_j, B_j, then AB_j^1 … AB_j^k */
  points: number[][];
}

export function saltelliDesign(n: number, k: number, seed: number): SaltelliDesign {
  if (!(Number.isInteger(n) && n >= 2)) throw new Error(`Sobol analysis needs a base sample of at least 2 rows, got ${n}`);
  if (!(Number.isInteger(k) && k >= 1)) throw new Error(`Sobol analysis needs at least one parameter, got ${k}`);
  const base = latinHypercubeUnit(n, 2 * k, seed, DESIGN_STREAMS.saltelli);
  const points: number[][] = [];
  for (const row of base) {
    const a = row.slice(0, k);
    const b = row.slice(k);
    points.push(a, b);
    for (let i = 0; i < k; i++) {
      const ab = a.slice();
      ab[i] = b[i];
      points.push(ab);
    }
  }
  return { n, k, points };
}

/** Outputs of a Saltelli design split into f(A), f(B) and f(AB_i). */
export interface SaltelliOutputs {
  yA: Float64Array;
  yB: Float64Array;
  /** yAB[i][j] = f(AB_i row j) */
  yAB: Float64Array[];
}

/** Read outputs given in the design's evaluation order back into A, B, AB_i. */
export function splitSaltelliOutputs(design: Pick<SaltelliDesign, "n" | "k">, y: readonly number[]): SaltelliOutputs {
  const { n, k } = design;
  if (y.length !== n * (k + 2)) throw new Error(`expected ${n * (k + 2)} outputs for a Saltelli design of ${n} rows and ${k} parameters, got ${y.length}`);
  const yA = new Float64Array(n);
  const yB = new Float64Array(n);
  const yAB = Array.from({ length: k }, () => new Float64Array(n));
  for (let j = 0; j < n; j++) {
    const o = j * (k + 2);
    yA[j] = y[o];
    yB[j] = y[o + 1];
    for (let i = 0; i < k; i++) yAB[i][j] = y[o + 2 + i];
  }
  return { yA, yB, yAB };
}

export interface SobolIndex {
  first: number;
  total: number;
  /** bootstrap percentile interval, when bootstrap resamples were asked for */
  firstInterval?: [number, number];
  totalInterval?: [number, number];
}

export interface SobolResult {
  n: number;
  /** output variance (of f(A) and f(B) together) */
  variance: number;
  mean: number;
  indices: SobolIndex[];
  /** confidence level of the intervals (e.g. 0.95), when computed */
  confidence?: number;
  bootstrap?: number;
}

/** S_i and ST_i for every parameter from the rows listed in `rows` (all rows when omitted). */
function estimate(o: SaltelliOutputs, rows?: Int32Array): { first: number[]; total: number[]; variance: number; mean: number } {
  const n = rows ? rows.length : o.yA.length;
  const row = (j: number) => (rows ? rows[j] : j);
  let sum = 0;
  for (let j = 0; j < n; j++) sum += o.yA[row(j)] + o.yB[row(j)];
  const mean = sum / (2 * n);
  let ss = 0;
  for (let j = 0; j < n; j++) {
    const a = o.yA[row(j)] - mean;
    const b = o.yB[row(j)] - mean;
    ss += a * a + b * b;
  }
  const variance = ss / (2 * n);
  const first: number[] = [];
  const total: number[] = [];
  for (const yab of o.yAB) {
    let s1 = 0;
    let st = 0;
    for (let j = 0; j < n; j++) {
      const r = row(j);
      const a = o.yA[r] - mean;
      const b = o.yB[r] - mean;
      const ab = yab[r] - mean;
      s1 += b * (ab - a);
      st += (a - ab) * (a - ab);
    }
    first.push(variance > 0 ? s1 / n / variance : NaN);
    total.push(variance > 0 ? st / n / (2 * variance) : NaN);
  }
  return { first, total, variance, mean };
}

/**
 * Sobol indices from Saltelli outputs; with `bootstrap` > 0, percentile intervals from
 * that many resamples of the rows (drawn from a named hash stream under `seed`).
 * A constant output has no variance to apportion: its indices are NaN (null in JSON).
 */
export function sobolIndices(o: SaltelliOutputs, opts: { bootstrap?: number; confidence?: number; seed?: number } = {}): SobolResult {
  const n = o.yA.length;
  const point = estimate(o);
  const indices: SobolIndex[] = point.first.map((first, i) => ({ first, total: point.total[i] }));
  const R = opts.bootstrap ?? 0;
  if (R <= 0 || !(point.variance > 0)) return { n, variance: point.variance, mean: point.mean, indices };
  const confidence = opts.confidence ?? 0.95;
  const key = streamKey(opts.seed ?? 1, DESIGN_STREAMS.bootstrap);
  const k = o.yAB.length;
  const firsts = Array.from({ length: k }, () => new Float64Array(R));
  const totals = Array.from({ length: k }, () => new Float64Array(R));
  const rowIds = Array.from({ length: n }, (_, j) => j);
  for (let b = 0; b < R; b++) {
    // resample the n rows with replacement, the j-th draw from the counter-based stream (b, j)
    let j = 0;
    const rows = Int32Array.from(ss.sampleWithReplacement(rowIds, n, () => uniform(key, b, j++, 0)));
    const e = estimate(o, rows);
    for (let i = 0; i < k; i++) {
      firsts[i][b] = e.first[i];
      totals[i][b] = e.total[i];
    }
  }
  const lo = (1 - confidence) / 2;
  indices.forEach((ix, i) => {
    const f = firsts[i].filter(Number.isFinite).sort();
    const t = totals[i].filter(Number.isFinite).sort();
    ix.firstInterval = [quantileSorted(f, lo), quantileSorted(f, 1 - lo)];
    ix.totalInterval = [quantileSorted(t, lo), quantileSorted(t, 1 - lo)];
  });
  return { n, variance: point.variance, mean: point.mean, indices, confidence, bootstrap: R };
}

/**
 * The Ishigami function, a standard test of sensitivity methods (Ishigami & Homma 1990):
 * f(x) = sin x1 + a sin² x2 + b x3⁴ sin x1 with x_i uniform on [−π, π].
 */
export function ishigami(x: readonly number[], a = 7, b = 0.1): number {
  return Math.sin(x[0]) + a * Math.sin(x[1]) ** 2 + b * x[2] ** 4 * Math.sin(x[0]);
}

/** Analytic Sobol indices of the Ishigami function (Sobol' & Levitan 1999). */
export function ishigamiIndices(a = 7, b = 0.1): { first: number[]; total: number[]; variance: number } {
  const pi4 = Math.PI ** 4;
  const v1 = 0.5 * (1 + (b * pi4) / 5) ** 2;
  const v2 = (a * a) / 8;
  const v13 = (b * b * Math.PI ** 8 * 8) / 225;
  const variance = v1 + v2 + v13;
  return { first: [v1 / variance, v2 / variance, 0], total: [(v1 + v13) / variance, v2 / variance, v13 / variance], variance };
}

/**
 * Summaries of ensembles: quantiles (the median and a 10–90% band), and the law of total
 * variance split of an indicator's spread into a parameter part and a seed part.
 *
 * The arithmetic is simple-statistics': quantileSorted (linear interpolation between
 * order statistics, R type 7 — numpy's default, and bit for bit the formula this module
 * computed by hand before, so every band and regression reference is unchanged), mean
 * and sum (compensated summation), sampleVariance and sampleStandardDeviation (n − 1).
 */
import * as ss from "simple-statistics";

/** Quantile p of sorted values, linear interpolation between order statistics (R type 7, numpy's default); NaN when there are none. */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  return ss.quantileSorted(sorted as number[], p);
}

export interface Band {
  /** values that were not null */
  n: number;
  median: number | null;
  p10: number | null;
  p90: number | null;
  mean: number | null;
  /** sample standard deviation (n − 1); null for fewer than two values */
  sd: number | null;
}

/** Median, 10th and 90th percentiles, mean and sd of the non-null values. */
export function band(values: readonly (number | null)[]): Band {
  const v = values.filter((x): x is number => x !== null && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return { n: 0, median: null, p10: null, p90: null, mean: null, sd: null };
  const sd = v.length > 1 ? ss.sampleStandardDeviation(v) : null;
  return { n: v.length, median: quantileSorted(v, 0.5), p10: quantileSorted(v, 0.1), p90: quantileSorted(v, 0.9), mean: ss.mean(v), sd };
}

export interface VarianceSplit {
  /** total variance of the indicator over all draws × seeds */
  total: number;
  /** seed (first-order, stochastic) part: E_θ[Var(y | θ)] — mean within-draw variance */
  seeds: number;
  /**
   * parameter (second-order) part: Var_θ(E[y | θ]), estimated as the variance of the
   * draw means less the seed noise they still carry (within / seeds per draw), floored at 0
   */
  parameters: number;
  /** parameters / (parameters + seeds), or null when both are 0 */
  parameterShare: number | null;
  draws: number;
  seedsPerDraw: number;
}

/**
 * Law of total variance, Var(y) = E[Var(y|θ)] + Var(E[y|θ]), for a nested design: each
 * row holds one parameter draw's results over its seeds (equal counts). This is the
 * one-way random-effects ANOVA estimator: between-draw mean square less within-draw mean
 * square, over the seeds per draw.
 */
export function splitVariance(groups: readonly (readonly number[])[]): VarianceSplit | null {
  const D = groups.length;
  const S = D ? groups[0].length : 0;
  if (D < 2 || S < 2 || groups.some((g) => g.length !== S)) return null;
  // within-draw mean square: the mean of the draws' sample variances (equal seeds per draw)
  const within = ss.mean(groups.map((g) => ss.sampleVariance(g as number[])));
  // variance of the draw means, less the seed noise each mean still carries
  const betweenMeans = ss.sampleVariance(groups.map((g) => ss.mean(g as number[])));
  const parameters = Math.max(0, betweenMeans - within / S);
  const total = ss.sampleVariance(groups.flat());
  const sum = parameters + within;
  return { total, seeds: within, parameters, parameterShare: sum > 0 ? parameters / sum : null, draws: D, seedsPerDraw: S };
}

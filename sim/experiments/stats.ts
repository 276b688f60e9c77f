/**
 * Summaries of ensembles: quantiles (the median and a 10–90% band), and the law of total
 * variance split of an indicator's spread into a parameter part and a seed part.
 *
 * The arithmetic is simple-statistics': quantileSorted (linear interpolation between
 * order statistics, R type 7 — numpy's default, and bit for bit the formula this module
 * computed by hand before, so every band and regression reference is unchanged), mean
 * and sum (compensated summation), sampleStandardDeviation (n − 1) for the bands; the
 * variance split uses plug-in (÷ n) variances so that its parts add up.
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
  /** total variance of the indicator over all draws × seeds (plug-in: divided by draws × seeds) */
  total: number;
  /** seed (first-order, stochastic) part: E_θ[Var(y | θ)], the mean of the draws' plug-in variances (÷ seeds per draw) */
  seeds: number;
  /** parameter (second-order) part: Var_θ(E[y | θ]), the plug-in variance of the draw means (÷ draws) */
  parameters: number;
  /** parameters / total (= parameters / (parameters + seeds)), or null when the total is 0 */
  parameterShare: number | null;
  draws: number;
  seedsPerDraw: number;
}

/**
 * Law of total variance, Var(y) = E[Var(y|θ)] + Var(E[y|θ]), for a nested design: each
 * row holds one parameter draw's results over its seeds (equal counts).
 *
 * Plug-in (divide-by-n) estimators throughout, so that parameters + seeds = total
 * exactly, by construction: total = Σ(y − ȳ)²/(D·S), seeds = mean over draws of
 * Σ(y − ȳ_d)²/S, parameters = Σ(ȳ_d − ȳ)²/D. (The unbiased ANOVA estimator — between
 * mean square less within/S — was used before; with 2 seeds a draw it could exceed the
 * total or go negative, and its parts did not add up.) The price is bias when seeds per
 * draw S or draws D are few: E[seeds] = (S − 1)/S · E[Var(y|θ)], and
 * E[parameters] = (D − 1)/D · (Var(E[y|θ]) + E[Var(y|θ)]/S), since each draw mean still
 * carries its seeds' noise — so with few seeds a draw the parameters' share is overstated
 * (with 2 seeds, seed noise worth half a seed's variance is counted as parameters).
 */
export function splitVariance(groups: readonly (readonly number[])[]): VarianceSplit | null {
  const D = groups.length;
  const S = D ? groups[0].length : 0;
  if (D < 2 || S < 2 || groups.some((g) => g.length !== S)) return null;
  const means = groups.map((g) => ss.mean(g as number[]));
  const grand = ss.mean(means);
  // plug-in variances (÷ n); with equal seeds per draw the two parts sum to the total
  const seeds = ss.mean(groups.map((g, d) => ss.mean(g.map((y) => (y - means[d]) ** 2))));
  const parameters = ss.mean(means.map((m) => (m - grand) ** 2));
  const total = seeds + parameters;
  return { total, seeds, parameters, parameterShare: total > 0 ? parameters / total : null, draws: D, seedsPerDraw: S };
}

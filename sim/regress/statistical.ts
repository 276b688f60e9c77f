/**
 * The statistical check: is a new ensemble consistent with the reference's within seed
 * noise? For a model change that only reshuffles random streams (a new draw inserted,
 * a loop reordered) every exact value moves, yet behaviour has not changed; this check
 * tells the two apart.
 *
 * Method (README "Regression checks"):
 *  - For each scenario × indicator × year, the reference's N values (one per seed) and the
 *    new run's M values are compared with **Welch's two-sample t-test** (unequal
 *    variances). Indicators are means over tens of thousands of episodes, so across seeds
 *    they are close to normal, which is what the test needs; it is also exact about its
 *    degrees of freedom for small N.
 *  - Degenerate cases are decided without a test: both samples constant and equal →
 *    consistent (p = 1, and left out of the family: such indicators are constant by
 *    construction); constant and different → changed (p = 0); an indicator that had a
 *    value in every run and now has none, or the other way round, → changed (p = 0); one
 *    that has a value in only some runs on either side → Fisher's exact test on how many;
 *    no value in either → not tested.
 *  - **Holm's step-down procedure** over every test of the check controls the
 *    family-wise error rate: the chance that a check of an unchanged model flags
 *    anything at all is at most α (default 0.01), whatever the correlation between
 *    indicators. Measured false-alarm rate and the smallest reliably detected change:
 *    README "Regression checks".
 */
import tcdf from "@stdlib/stats-base-dists-t-cdf";
import tquantile from "@stdlib/stats-base-dists-t-quantile";
import type { PeriodTable } from "./reference";

export interface SampleStats {
  n: number;
  mean: number;
  sd: number;
}

export interface TestResult {
  scenario: string;
  indicator: string;
  period: string;
  reference: SampleStats | null;
  fresh: SampleStats | null;
  /** new mean − reference mean */
  difference: number | null;
  /** the difference in units of the reference's standard deviation (null when it is 0) */
  standardised: number | null;
  t: number | null;
  df: number | null;
  /** two-sided p-value (unadjusted) */
  p: number;
  /** Holm-adjusted p-value across the whole check */
  adjusted: number;
  flagged: boolean;
  /** why a case was decided without the t-test */
  note?: string;
}

export function sampleStats(xs: readonly number[]): SampleStats {
  const n = xs.length;
  let mean = 0;
  for (const x of xs) mean += x;
  mean /= n;
  let ss = 0;
  for (const x of xs) ss += (x - mean) * (x - mean);
  return { n, mean, sd: n > 1 ? Math.sqrt(ss / (n - 1)) : 0 };
}

/** Welch's t-test of two samples (each n ≥ 2): t, degrees of freedom and the two-sided p-value. */
export function welch(a: SampleStats, b: SampleStats): { t: number; df: number; p: number } {
  const va = (a.sd * a.sd) / a.n;
  const vb = (b.sd * b.sd) / b.n;
  const se = Math.sqrt(va + vb);
  const t = (b.mean - a.mean) / se;
  const df = ((va + vb) * (va + vb)) / ((va * va) / (a.n - 1) + (vb * vb) / (b.n - 1));
  // 2·F(−|t|) rather than 2·(1 − F(|t|)): no cancellation for tiny p
  return { t, df, p: Math.min(1, 2 * tcdf(-Math.abs(t), df)) };
}

/**
 * Fisher's exact test of a 2×2 table [[a, b], [c, d]], two-sided: the probability, with
 * the margins fixed, of a table at most as likely as this one (hypergeometric).
 */
export function fisherExact(a: number, b: number, c: number, d: number): number {
  const row1 = a + b;
  const col1 = a + c;
  const n = a + b + c + d;
  const lf = (k: number) => {
    let s = 0;
    for (let i = 2; i <= k; i++) s += Math.log(i);
    return s;
  };
  const logP = (x: number) => lf(row1) + lf(n - row1) + lf(col1) + lf(n - col1) - lf(n) - lf(x) - lf(row1 - x) - lf(col1 - x) - lf(n - row1 - col1 + x);
  const observed = logP(a);
  let p = 0;
  for (let x = Math.max(0, row1 + col1 - n); x <= Math.min(row1, col1); x++) {
    const lp = logP(x);
    if (lp <= observed + 1e-9) p += Math.exp(lp);
  }
  return Math.min(1, p);
}

/** Holm's step-down adjusted p-values (same order as the input). */
export function holm(ps: readonly number[]): number[] {
  const k = ps.length;
  const order = ps.map((p, i) => [p, i] as const).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const out = new Array<number>(k);
  let running = 0;
  order.forEach(([p, i], rank) => {
    running = Math.max(running, Math.min(1, (k - rank) * p));
    out[i] = running;
  });
  return out;
}

const CONSTANT_EQUAL = "constant and equal";

/** How many tests of a check count in Holm's family (constant-and-equal ones cannot be flagged). */
export function familySize(results: readonly TestResult[]): number {
  return results.filter((t) => t.note !== CONSTANT_EQUAL).length;
}

type Untested = Omit<TestResult, "adjusted" | "flagged">;

/** One indicator-year: reference values vs new values (nulls = no value). */
export function compareSamples(scenario: string, indicator: string, period: string, ref: readonly (number | null)[], fresh: readonly (number | null)[]): Untested | null {
  const a = ref.filter((v): v is number => v !== null && Number.isFinite(v));
  const b = fresh.filter((v): v is number => v !== null && Number.isFinite(v));
  if (a.length === 0 && b.length === 0) return null;
  const sa = a.length ? sampleStats(a) : null;
  const sb = b.length ? sampleStats(b) : null;
  const base = { scenario, indicator, period, reference: sa, fresh: sb, difference: sa && sb ? sb.mean - sa.mean : null, standardised: null as number | null, t: null as number | null, df: null as number | null };
  if (sa && sb && sa.sd > 0) base.standardised = (sb.mean - sa.mean) / sa.sd;
  if (a.length !== ref.length || b.length !== fresh.length) {
    // Some runs have no value. One side always and the other never: what is defined has
    // changed. Otherwise whether a run has a value can itself be seed noise (a growth
    // rate whose base is sometimes 0): Fisher's exact test on the counts joins the family.
    const note = `has a value in ${a.length} of ${ref.length} reference runs and ${b.length} of ${fresh.length} new runs`;
    if ((a.length === 0 && b.length === fresh.length) || (b.length === 0 && a.length === ref.length)) return { ...base, p: 0, note };
    if (a.length / ref.length !== b.length / fresh.length) return { ...base, p: fisherExact(a.length, ref.length - a.length, b.length, fresh.length - b.length), note };
  }
  if (!sa || !sb) return null;
  if (sa.n < 2 || sb.n < 2) return { ...base, p: sa.mean === sb.mean ? 1 : 0, note: "one run on a side: compared as equal or not" };
  if (sa.sd === 0 && sb.sd === 0) return { ...base, p: sa.mean === sb.mean ? 1 : 0, note: sa.mean === sb.mean ? CONSTANT_EQUAL : "constant on both sides, and different" };
  const w = welch(sa, sb);
  return { ...base, t: w.t, df: w.df, p: w.p };
}

export interface StatisticalInput {
  scenario: string;
  /** the reference's yearly tables, one per seed */
  reference: PeriodTable[];
  /** the new yearly tables, one per seed */
  fresh: PeriodTable[];
}

/** Every indicator-year of every scenario, tested and Holm-adjusted together at level alpha. */
export function statisticalCheck(inputs: readonly StatisticalInput[], alpha: number): TestResult[] {
  const tests: Untested[] = [];
  for (const { scenario, reference, fresh } of inputs) {
    const periods = reference[0]?.map((p) => p.period) ?? [];
    const freshPeriods = new Map((fresh[0] ?? []).map((p, i) => [p.period, i]));
    periods.forEach((period, pi) => {
      const fi = freshPeriods.get(period);
      const ids = new Set([...Object.keys(reference[0][pi].values), ...(fi !== undefined ? Object.keys(fresh[0][fi].values) : [])]);
      for (const id of ids) {
        const r = reference.map((t) => t[pi].values[id] ?? null);
        const f = fi === undefined ? fresh.map(() => null) : fresh.map((t) => t[fi].values[id] ?? null);
        const res = compareSamples(scenario, id, period, r, f);
        if (res) tests.push(res);
      }
    });
  }
  // Indicator-years that are the same constant in every run can never be flagged; leaving
  // them out of Holm's family keeps the check's power for the rest.
  const family = tests.filter((t) => t.note !== CONSTANT_EQUAL);
  const adjusted = new Map(holm(family.map((t) => t.p)).map((a, i) => [family[i], a]));
  return tests.map((t) => {
    const a = adjusted.get(t) ?? 1;
    return { ...t, adjusted: a, flagged: a <= alpha };
  });
}

/**
 * The smallest difference in means this test flags with 80% probability at level alpha
 * among k tests (Holm's first step, α/k), for samples of n and m with the reference's
 * spread — in the indicator's own unit. A guide to what the check can see (the usual
 * power formula with Student quantiles on n + m − 2 degrees of freedom).
 */
export function detectableDifference(sd: number, n: number, m: number, alpha: number, k: number): number {
  const df = n + m - 2;
  return (tquantile(1 - alpha / k / 2, df) + tquantile(0.8, df)) * sd * Math.sqrt(1 / n + 1 / m);
}

/**
 * 待遇不降低 — benefits must not fall (003_e150340525663deb.txt §三: 「在确保基金不穿底和
 * 群众待遇不降低的前提下」). Defined once, here; README "Benefits and financial protection".
 *
 * For each benefit group (insurance scheme × registered-poor status, sim/tier.ts
 * BENEFIT_GROUPS) and each simulated year, two benefits are compared:
 *   ratio          effective reimbursement ratio: reimbursement ÷ total cost of the
 *                  group's care (indicator effectiveReimbursementRatio<Group>);
 *   oopPerEpisode  out-of-pocket per episode of need (indicator oopPerEpisode<Group>);
 * against two references:
 *   baseline       the baseline scenario in the same year (same county and seed: common
 *                  random numbers, so the difference is the policy's);
 *   previousYear   the scenario's own previous year, OOP per episode deflated by the
 *                  year's growth of unit costs (costs.annualPriceGrowth), so a benefit that
 *                  merely keeps pace with prices is not "lower".
 * A benefit is lower when it worsened (ratio fell, OOP per episode rose) by more than its
 * tolerance AND by more than `standardErrors` standard errors of the difference — so seed
 * noise in a small group (the registered poor are a few percent of residents) is not a
 * verdict. The standard errors come from the counters' sums of squares over encounters
 * (compound-Poisson variance of a sum; delta method for the ratio) and treat the two sides
 * as independent, which is conservative for the baseline comparison (common random numbers
 * make the two runs positively correlated). Tolerances and z: data/parameters.yaml
 * `benefitsCheck` (assumptions). The verdict is `notLower` when no comparison is lower.
 */
import { BENEFIT_GROUP_INFO, groupBenefits, type Totals } from "./indicators";
import { BENEFIT_GROUPS, type BenefitGroup } from "./tier";

export interface BenefitsCheckParameters {
  /** a fall of the effective reimbursement ratio smaller than this (fraction, 0.005 = half a point) is not "lower" */
  ratioTolerance: number;
  /** a relative rise of OOP per episode smaller than this (0.02 = 2%) is not "lower" */
  oopPerEpisodeTolerance: number;
  /** a worsening must also exceed this many standard errors of the difference */
  standardErrors: number;
}

export type BenefitMetric = "ratio" | "oopPerEpisode";

export interface BenefitComparison {
  group: BenefitGroup;
  metric: BenefitMetric;
  /** the period judged, e.g. "2020" */
  period: string;
  against: "baseline" | "previousYear";
  /** the baseline scenario's name, or the previous period */
  reference: string;
  now: number;
  /** the reference value; for oopPerEpisode against the previous year, at this year's prices */
  ref: number;
  /** worsening: ratio ref − now (fraction points); oopPerEpisode now ÷ ref − 1 */
  worsening: number;
  /** the worsening it must exceed to count: max(tolerance, standardErrors × SE of the difference) */
  allowance: number;
  lower: boolean;
}

export interface BenefitsVerdict {
  notLower: boolean;
  /** the baseline it is set against (its own name when it is the baseline: then only previous years) */
  baseline: string;
  comparisons: BenefitComparison[];
  /** the comparisons that are lower */
  falls: BenefitComparison[];
  rule: string;
}

export const BENEFITS_RULE =
  "for each scheme × poverty group and year: the effective reimbursement ratio must not fall, and out-of-pocket per episode must not rise, against the baseline scenario in the same year and against the scenario's previous year (OOP at constant unit costs) — by more than the tolerance and more than z standard errors";

/** Variance of a benefit group's effective reimbursement ratio and of its OOP per episode in a period (null without care). */
export function groupBenefitVariance(t: Totals, g: BenefitGroup): { ratio: number | null; oopPerEpisode: number | null } {
  const k = BENEFIT_GROUP_INFO[g].suffix;
  const cost = t[`groupCost${k}`];
  const reimbursed = t[`groupReimbursed${k}`];
  const episodes = t[`groupEpisodes${k}`];
  let ratio: number | null = null;
  if (cost > 0) {
    const r = reimbursed / cost;
    // delta method: Var(Y/X) ≈ Σ (y − R x)² / X², with Σ (y − R x)² = Σy² − 2R Σxy + R² Σx²
    const ss = t[`groupReimbursedSq${k}`] - 2 * r * t[`groupReimbursedCost${k}`] + r * r * t[`groupCostSq${k}`];
    ratio = Math.max(0, ss) / (cost * cost);
  }
  // compound Poisson: Var(Σ oop) ≈ Σ oop², over the period's encounters
  const oopPerEpisode = episodes > 0 ? t[`groupOopSq${k}`] / (episodes * episodes) : null;
  return { ratio, oopPerEpisode };
}

function compare(
  metric: BenefitMetric,
  g: BenefitGroup,
  now: Totals,
  ref: Totals,
  deflator: number,
  p: BenefitsCheckParameters,
): { now: number; ref: number; worsening: number; allowance: number } | null {
  const a = groupBenefits(now, g)[metric];
  const b = groupBenefits(ref, g)[metric];
  const va = groupBenefitVariance(now, g)[metric];
  const vb = groupBenefitVariance(ref, g)[metric];
  if (a === null || b === null || va === null || vb === null) return null;
  if (metric === "ratio") {
    const se = Math.sqrt(va + vb);
    return { now: a, ref: b, worsening: b - a, allowance: Math.max(p.ratioTolerance, p.standardErrors * se) };
  }
  const bRef = b * deflator;
  if (!(bRef > 0) || !(a > 0)) return null;
  // relative change: SE of now/ref − 1 ≈ √(cv_now² + cv_ref²)
  const se = Math.sqrt(va / (a * a) + vb / (b * b));
  return { now: a, ref: bRef, worsening: a / bRef - 1, allowance: Math.max(p.oopPerEpisodeTolerance, p.standardErrors * se) };
}

/**
 * The verdict for a scenario's years against its baseline's years (same start; `base` is
 * `run` itself for the baseline, which is then judged against its previous years only).
 */
export function benefitsVerdict(
  run: { name: string; periods: readonly string[]; yearTotals: readonly Totals[]; annualPriceGrowth: number },
  base: { name: string; yearTotals: readonly Totals[] },
  p: BenefitsCheckParameters,
): BenefitsVerdict {
  const own = base.yearTotals === run.yearTotals;
  const comparisons: BenefitComparison[] = [];
  run.yearTotals.forEach((t, y) => {
    for (const g of BENEFIT_GROUPS) {
      for (const metric of ["ratio", "oopPerEpisode"] as const) {
        const judged = (against: BenefitComparison["against"], reference: string, c: ReturnType<typeof compare>) => {
          if (c) comparisons.push({ group: g, metric, period: run.periods[y], against, reference, ...c, lower: c.worsening > c.allowance });
        };
        if (!own && y < base.yearTotals.length) judged("baseline", base.name, compare(metric, g, t, base.yearTotals[y], 1, p));
        if (y > 0) judged("previousYear", run.periods[y - 1], compare(metric, g, t, run.yearTotals[y - 1], 1 + run.annualPriceGrowth, p));
      }
    }
  });
  const falls = comparisons.filter((c) => c.lower);
  return { notLower: falls.length === 0, baseline: base.name, comparisons, falls, rule: BENEFITS_RULE };
}

/** One comparison in a short phrase: "registered poor, OOP/episode +6.3% vs baseline-2018 (2020)". */
export function fallText(c: BenefitComparison, lang: "en" | "zh" = "en"): string {
  const label = BENEFIT_GROUP_INFO[c.group].label[lang];
  const change = c.metric === "ratio" ? `${(-c.worsening * 100).toFixed(1)} ${lang === "zh" ? "个百分点" : "pts"}` : `+${(c.worsening * 100).toFixed(1)}%`;
  const what = c.metric === "ratio" ? (lang === "zh" ? "实际报销比" : "reimbursement ratio") : lang === "zh" ? "每病例自付" : "OOP per episode";
  const constant = c.metric === "oopPerEpisode";
  const ref =
    c.against === "baseline"
      ? lang === "zh" ? `较基线 ${c.reference}` : `vs ${c.reference}`
      : lang === "zh" ? `较上年（${c.reference}${constant ? "，按不变价" : ""}）` : `vs ${c.reference}${constant ? " at constant prices" : ""}`;
  return lang === "zh" ? `${label}：${what} ${change}，${ref}（${c.period}）` : `${label}: ${what} ${change} ${ref} (${c.period})`;
}

/**
 * The own-price elasticity of demand the model gives, measured as a health economist
 * would on a trial: every patient price of one kind of care raised by `rise` (10%), the
 * same county and seed run with and without it (common random numbers: the same illness,
 * choice noise and care-seeking draws), and
 *
 *   elasticity = (encounters with the rise ÷ encounters without − 1) ÷ rise
 *
 * per seed, for visits (outpatient) or admissions (inpatient), in each simulated year's
 * total. "Every patient price raised" is done so that OOP rises by exactly `rise`: unit
 * costs of that care at every tier, and the money amounts of its benefit rules —
 * deductibles (起付线) and annual caps of both schemes, in the starting policy and in
 * every timeline change — are multiplied by 1 + rise (settleClaim is homogeneous of
 * degree one in them). The registered poor's annual OOP ceiling, shared by outpatient
 * and inpatient care, is left as it is (0 = none in the shipped scenarios).
 *
 * The published figure this is set against is the rural own-price elasticity of a first
 * outpatient visit, −0.519 (95% CI −0.703 to −0.336), and of a first admission, −0.372
 * (−0.517 to −0.226) (Zhou et al., Health Policy 2011;103:255).
 */
import * as ss from "simple-statistics";
import type { Scenario, TimelineEntry } from "../scenario/load";
import { isPlainObject, setPath } from "../scenario/schema";
import { simulate } from "../simulate";
import type { Counters } from "../indicators";
import { TIERS } from "../tier";

export type Care = "outpatient" | "inpatient";

/** The scenario with every patient price of `care` multiplied by `factor` (see above). */
export function withPriceFactor(s: Scenario, care: Care, factor: number): Scenario {
  const money = new RegExp(`^insurance\\.(resident|employee)\\.${care}\\.(deductible\\.[A-Za-z]+|annualCap)$`);
  const scale = (path: string, v: unknown): unknown => {
    if (typeof v === "number") return money.test(path) ? v * factor : v;
    if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, scale(path ? `${path}.${k}` : k, x)]));
    return v;
  };
  const costKey = care === "outpatient" ? "outpatientPerVisit" : "inpatientPerAdmission";
  let parameters = s.parameters;
  for (const t of TIERS) parameters = setPath(parameters, `costs.${costKey}.${t}`, s.parameters.costs[costKey][t] * factor);
  const timeline: TimelineEntry[] = s.timeline.map((e) => ({ ...e, set: Object.fromEntries(Object.entries(e.set).map(([p, v]) => [p, scale(p, v)])) }));
  return { ...s, parameters, basePolicy: scale("", s.basePolicy) as Scenario["basePolicy"], timeline };
}

const sum = (a: Float64Array, from: number, to: number) => {
  let x = 0;
  for (let m = from; m < to; m++) x += a[m];
  return x;
};
/** visits or admissions in months [from, to) */
export function encounters(c: Counters, care: Care, from: number, to: number): number {
  return care === "outpatient"
    ? sum(c.visitsVillage, from, to) + sum(c.visitsTownship, from, to) + sum(c.visitsCounty, from, to) + sum(c.visitsOutOfCounty, from, to)
    : sum(c.admissionsVillage, from, to) + sum(c.admissionsTownship, from, to) + sum(c.admissionsCounty, from, to) + sum(c.admissionsOutOfCounty, from, to);
}

export interface ElasticityOptions {
  care: Care;
  seeds: readonly number[];
  scale: number;
  years: number;
  /** the price rise, default 0.10 */
  rise?: number;
}

export interface ElasticityResult {
  care: Care;
  rise: number;
  /** per seed: encounters without and with the rise over the whole run, and the elasticity */
  perSeed: { seed: number; base: number; raised: number; elasticity: number }[];
  mean: number;
  /** sample standard deviation over seeds (0 for one seed) */
  sd: number;
  /** 95% confidence interval of the mean over seeds (Student t) */
  ci95: [number, number];
}

/** two-sided 97.5% quantiles of Student's t, df 1…30 */
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

/** Mean, sd and 95% CI (Student t over seeds) of per-seed values. */
export function seedSummary(xs: readonly number[]): { mean: number; sd: number; ci95: [number, number] } {
  const n = xs.length;
  const mean = n ? ss.mean(xs as number[]) : NaN;
  const sd = n > 1 ? ss.sampleStandardDeviation(xs as number[]) : 0;
  const half = n > 1 ? (T975[Math.min(n - 2, T975.length - 1)] ?? 1.96) * (sd / Math.sqrt(n)) : 0;
  return { mean, sd, ci95: [mean - half, mean + half] };
}

/** Paired common-random-number runs with and without the price rise (in this thread). */
export function priceElasticity(s: Scenario, o: ElasticityOptions): ElasticityResult {
  const rise = o.rise ?? 0.1;
  const raisedScenario = withPriceFactor(s, o.care, 1 + rise);
  const months = o.years * 12;
  const perSeed = o.seeds.map((seed) => {
    const base = encounters(simulate(s, { seed, scale: o.scale, years: o.years }).counters, o.care, 0, months);
    const raised = encounters(simulate(raisedScenario, { seed, scale: o.scale, years: o.years }).counters, o.care, 0, months);
    return { seed, base, raised, elasticity: (raised / base - 1) / rise };
  });
  return { care: o.care, rise, perSeed, ...seedSummary(perSeed.map((p) => p.elasticity)) };
}

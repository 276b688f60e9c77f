/**
 * Ensembles: N seeds per scenario (optionally × D parameter draws), summarised per
 * indicator and period as the median with a 10–90% band; paired reform − baseline
 * differences on common random numbers; and, with parameter draws, how much of each
 * indicator's variance comes from the parameters and how much from the seeds.
 *
 * Seeds: without draws, seed s (0-based) of every scenario is `firstSeed + s`. With D
 * draws, draw d uses seeds `firstSeed + d·N + s` (seeds nested in draws, the design the
 * variance split assumes). Reform and baseline share the seeds and the parameter draws,
 * so each reform run has a baseline twin whose only difference is the policy.
 */
import { INDICATORS } from "../indicators";
import type { Job, JobResult } from "./jobs";
import type { OverrideValue } from "../scenario/overrides";
import { band, splitVariance, type Band, type VarianceSplit } from "./stats";
import { drawOverrides, type UncertainParameter } from "./uncertainty";

export interface EnsembleSpec {
  /** scenario files; the baseline (if any) is added when not among them */
  scenarios: string[];
  baseline?: string;
  /** seeds per scenario (per parameter draw) */
  seeds: number;
  firstSeed?: number;
  /** parameter draws (0 or absent: parameters at their values) */
  draws?: number;
  /** seed of the parameter-draw stream (default: firstSeed) */
  drawSeed?: number;
  /** uncertain parameters of each scenario file (from scenarioUncertainty) */
  uncertainty?: Record<string, UncertainParameter[]>;
  years?: number;
  scale?: number;
  /** leaves held in every run (the override language), applied over the parameter draws */
  overrides?: Record<string, OverrideValue>;
}

/** The jobs of an ensemble: scenario by scenario, draw by draw, seed by seed. Tags: draw, member. */
export function ensembleJobs(spec: EnsembleSpec): Job[] {
  const files = [...spec.scenarios];
  if (spec.baseline !== undefined && !files.includes(spec.baseline)) files.unshift(spec.baseline);
  const first = spec.firstSeed ?? 1;
  const draws = spec.draws ?? 0;
  const jobs: Job[] = [];
  for (const file of files) {
    for (let d = 0; d < Math.max(1, draws); d++) {
      const drawn = draws > 0 ? drawOverrides(spec.uncertainty?.[file] ?? [], spec.drawSeed ?? first, d) : undefined;
      const overrides = spec.overrides && Object.keys(spec.overrides).length ? { ...drawn, ...spec.overrides } : drawn;
      for (let s = 0; s < spec.seeds; s++) {
        const job: Job = { scenarioFile: file, seed: first + d * spec.seeds + s, tags: { draw: draws > 0 ? d : -1, member: s } };
        if (spec.years !== undefined) job.years = spec.years;
        if (spec.scale !== undefined) job.scale = spec.scale;
        if (overrides && Object.keys(overrides).length) job.overrides = overrides;
        jobs.push(job);
      }
    }
  }
  return jobs;
}

export type Granularity = "year" | "month";

export interface SummaryRow extends Band {
  scenario: string;
  granularity: Granularity;
  period: string;
  indicator: string;
}

/**
 * One run's indicator values, compact: what ensembles summarise (job, key, scenario and
 * the values in one Float64Array, NaN for no value) without the manifest and the
 * per-value objects of a JobResult — ≈10 KB a run instead of ≈200 KB, so a long
 * ensemble's memory stays nearly flat. Period labels and indicator ids are shared
 * between runs.
 */
export interface RunValues {
  job: Job;
  key: string;
  scenario: { name: string; file: string; hash: string };
  /** period labels: years, then months */
  years: readonly string[];
  months: readonly string[];
  /** indicator ids, the columns of `values` */
  ids: readonly string[];
  /** the ids found in the yearly periods, in the order found (the indicators a summary lists) */
  yearIds: readonly string[];
  /** value of period p (years first, then months) and indicator k at p × ids.length + k; NaN = no value */
  values: Float64Array;
}

const shared = new Map<string, readonly string[]>();
/** One array per distinct list of labels, shared by every run that has it. */
function intern(list: string[]): readonly string[] {
  const k = list.join("\u0000");
  let v = shared.get(k);
  if (!v) shared.set(k, (v = Object.freeze(list)));
  return v;
}
const columns = new WeakMap<readonly string[], Map<string, number>>();
function column(ids: readonly string[], id: string): number | undefined {
  let m = columns.get(ids);
  if (!m) columns.set(ids, (m = new Map(ids.map((x, i) => [x, i]))));
  return m.get(id);
}

/** A run's values in compact form (a RunValues is returned as it is). */
export function runValues(r: JobResult | RunValues): RunValues {
  if ("values" in r) return r;
  const ids: string[] = [];
  const seen = new Set<string>();
  const add = (ps: readonly { values: Record<string, unknown> }[]) => {
    for (const p of ps) for (const id of Object.keys(p.values)) if (!seen.has(id)) (seen.add(id), ids.push(id));
  };
  add(r.yearly);
  const yearIds = [...ids];
  add(r.monthly);
  const values = new Float64Array((r.yearly.length + r.monthly.length) * ids.length).fill(NaN);
  [...r.yearly, ...r.monthly].forEach((p, i) => {
    ids.forEach((id, k) => {
      const v = p.values[id]?.value;
      if (v !== null && v !== undefined) values[i * ids.length + k] = v;
    });
  });
  return {
    job: r.job,
    key: r.key,
    scenario: r.scenario,
    years: intern(r.yearly.map((p) => p.period)),
    months: intern(r.monthly.map((p) => p.period)),
    ids: intern(ids),
    yearIds: intern(yearIds),
    values,
  };
}

const periodsOf = (r: RunValues, g: Granularity) => (g === "year" ? r.years : r.months);

/** Indicator `id` in period `p` (index into the granularity's periods) of a run; null for no value. */
function valueAt(r: RunValues, g: Granularity, p: number, id: string): number | null {
  const k = column(r.ids, id);
  if (k === undefined) return null;
  const v = r.values[(g === "year" ? p : r.years.length + p) * r.ids.length + k];
  return Number.isNaN(v) ? null : v;
}

/** Every indicator id present in the results, INDICATORS order first. */
function indicatorIds(results: readonly RunValues[]): string[] {
  const ids = INDICATORS.map((d) => d.id);
  for (const r of results) for (const id of r.yearIds) if (!ids.includes(id)) ids.push(id);
  return ids;
}

/** Values of one indicator in one period across runs, keyed by period label. */
function valuesByPeriod(results: readonly RunValues[], g: Granularity, id: string): Map<string, (number | null)[]> {
  const out = new Map<string, (number | null)[]>();
  for (const r of results) {
    periodsOf(r, g).forEach((period, p) => {
      let list = out.get(period);
      if (!list) out.set(period, (list = []));
      list.push(valueAt(r, g, p, id));
    });
  }
  return out;
}

/** Median and 10–90% band of every indicator in every period, for one scenario's runs. */
export function summarize(scenario: string, runs: readonly (JobResult | RunValues)[], granularities: Granularity[] = ["year", "month"]): SummaryRow[] {
  const results = runs.map(runValues);
  const rows: SummaryRow[] = [];
  for (const g of granularities) {
    for (const id of indicatorIds(results)) {
      for (const [period, values] of valuesByPeriod(results, g, id)) rows.push({ scenario, granularity: g, period, indicator: id, ...band(values) });
    }
  }
  return rows.sort(byPeriodThenIndicator);
}

const order = new Map(INDICATORS.map((d, i) => [d.id, i]));
function byPeriodThenIndicator(a: SummaryRow, b: SummaryRow): number {
  if (a.granularity !== b.granularity) return a.granularity === "year" ? -1 : 1;
  if (a.period !== b.period) return a.period < b.period ? -1 : 1;
  return (order.get(a.indicator) ?? 1e9) - (order.get(b.indicator) ?? 1e9) || (a.indicator < b.indicator ? -1 : a.indicator > b.indicator ? 1 : 0);
}

/** Identity of an ensemble member: the same (draw, seed) in reform and baseline. */
export const memberId = (r: { job: Job }) => `${r.job.tags?.draw ?? -1}/${r.job.seed}`;

/**
 * Paired differences reform − baseline: for each member (draw, seed) present in both,
 * the difference of the indicator; summarised as median and 10–90% band. Members or
 * periods present in only one are left out.
 */
export function pairedDifferences(scenario: string, reformRuns: readonly (JobResult | RunValues)[], baselineRuns: readonly (JobResult | RunValues)[], granularities: Granularity[] = ["year", "month"]): SummaryRow[] {
  const reform = reformRuns.map(runValues);
  const base = new Map(baselineRuns.map((r) => [memberId(r), runValues(r)]));
  const rows: SummaryRow[] = [];
  for (const g of granularities) {
    for (const id of indicatorIds(reform)) {
      const diffs = new Map<string, (number | null)[]>();
      for (const r of reform) {
        const b = base.get(memberId(r));
        if (!b) continue;
        const bp = new Map(periodsOf(b, g).map((period, p) => [period, valueAt(b, g, p, id)]));
        periodsOf(r, g).forEach((period, p) => {
          if (!bp.has(period)) return;
          const a = valueAt(r, g, p, id);
          const c = bp.get(period) ?? null;
          let list = diffs.get(period);
          if (!list) diffs.set(period, (list = []));
          list.push(a !== null && c !== null ? a - c : null);
        });
      }
      for (const [period, values] of diffs) rows.push({ scenario, granularity: g, period, indicator: id, ...band(values) });
    }
  }
  return rows.sort(byPeriodThenIndicator);
}

export interface VarianceRow extends VarianceSplit {
  scenario: string;
  period: string;
  indicator: string;
}

/**
 * Yearly split of each indicator's variance into parameter draws and seeds (law of
 * total variance). Needs ≥ 2 draws with the same number (≥ 2) of seeds; an indicator
 * with a null value in any run (e.g. growth in the first year) is left out.
 */
export function varianceByIndicator(scenario: string, runs: readonly (JobResult | RunValues)[]): VarianceRow[] {
  const results = runs.map(runValues);
  const byDraw = new Map<number, RunValues[]>();
  for (const r of results) {
    const d = Number(r.job.tags?.draw ?? -1);
    if (!byDraw.has(d)) byDraw.set(d, []);
    byDraw.get(d)!.push(r);
  }
  const draws = [...byDraw.keys()].sort((a, b) => a - b).map((d) => byDraw.get(d)!);
  if (draws.length < 2) return [];
  const rows: VarianceRow[] = [];
  const periods = draws[0][0].years;
  for (const id of indicatorIds(results)) {
    periods.forEach((period, y) => {
      const groups = draws.map((g) => g.map((r) => (r.years[y] === period ? valueAt(r, "year", y, id) : null)));
      if (groups.some((g) => g.some((v) => v === null || !Number.isFinite(v)))) return;
      const split = splitVariance(groups as number[][]);
      if (split) rows.push({ scenario, period, indicator: id, ...split });
    });
  }
  return rows;
}

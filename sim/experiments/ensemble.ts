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

const periodsOf = (r: JobResult, g: Granularity) => (g === "year" ? r.yearly : r.monthly);

/** Every indicator id present in the results, INDICATORS order first. */
function indicatorIds(results: readonly JobResult[]): string[] {
  const ids = INDICATORS.map((d) => d.id);
  for (const r of results) for (const p of r.yearly) for (const id of Object.keys(p.values)) if (!ids.includes(id)) ids.push(id);
  return ids;
}

/** Values of one indicator in one period across runs, keyed by period label. */
function valuesByPeriod(results: readonly JobResult[], g: Granularity, id: string): Map<string, (number | null)[]> {
  const out = new Map<string, (number | null)[]>();
  for (const r of results) {
    for (const p of periodsOf(r, g)) {
      let list = out.get(p.period);
      if (!list) out.set(p.period, (list = []));
      list.push(p.values[id]?.value ?? null);
    }
  }
  return out;
}

/** Median and 10–90% band of every indicator in every period, for one scenario's runs. */
export function summarize(scenario: string, results: readonly JobResult[], granularities: Granularity[] = ["year", "month"]): SummaryRow[] {
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
export const memberId = (r: JobResult) => `${r.job.tags?.draw ?? -1}/${r.job.seed}`;

/**
 * Paired differences reform − baseline: for each member (draw, seed) present in both,
 * the difference of the indicator; summarised as median and 10–90% band. Members or
 * periods present in only one are left out.
 */
export function pairedDifferences(scenario: string, reform: readonly JobResult[], baseline: readonly JobResult[], granularities: Granularity[] = ["year", "month"]): SummaryRow[] {
  const base = new Map(baseline.map((r) => [memberId(r), r]));
  const rows: SummaryRow[] = [];
  for (const g of granularities) {
    for (const id of indicatorIds(reform)) {
      const diffs = new Map<string, (number | null)[]>();
      for (const r of reform) {
        const b = base.get(memberId(r));
        if (!b) continue;
        const bp = new Map(periodsOf(b, g).map((p) => [p.period, p.values[id]?.value ?? null]));
        for (const p of periodsOf(r, g)) {
          if (!bp.has(p.period)) continue;
          const a = p.values[id]?.value ?? null;
          const c = bp.get(p.period) ?? null;
          let list = diffs.get(p.period);
          if (!list) diffs.set(p.period, (list = []));
          list.push(a !== null && c !== null ? a - c : null);
        }
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
export function varianceByIndicator(scenario: string, results: readonly JobResult[]): VarianceRow[] {
  const byDraw = new Map<number, JobResult[]>();
  for (const r of results) {
    const d = Number(r.job.tags?.draw ?? -1);
    if (!byDraw.has(d)) byDraw.set(d, []);
    byDraw.get(d)!.push(r);
  }
  const draws = [...byDraw.keys()].sort((a, b) => a - b).map((d) => byDraw.get(d)!);
  if (draws.length < 2) return [];
  const rows: VarianceRow[] = [];
  const periods = draws[0][0].yearly.map((p) => p.period);
  for (const id of indicatorIds(results)) {
    periods.forEach((period, y) => {
      const groups = draws.map((g) => g.map((r) => r.yearly[y]?.period === period ? r.yearly[y].values[id]?.value ?? null : null));
      if (groups.some((g) => g.some((v) => v === null || !Number.isFinite(v)))) return;
      const split = splitVariance(groups as number[][]);
      if (split) rows.push({ scenario, period, indicator: id, ...split });
    });
  }
  return rows;
}

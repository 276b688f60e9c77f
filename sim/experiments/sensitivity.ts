/**
 * Sensitivity analysis of the model: which parameters move an indicator in a given year.
 *
 *   tornado — one at a time from the scenario's values, 2k + 1 points (tornado.ts)
 *   sobol   — variance-based first-order and total indices over the ranges taken as
 *             independent uniform distributions, n(k + 2) points (sobol.ts)
 *
 * Each point runs on the same seeds (common random numbers) and the indicator is the
 * mean over them, so the analysis is of the seed-averaged indicator; seed noise left in
 * that mean shows up as a small spurious share of variance, which more seeds or a larger
 * --scale reduce. Every indicator is analysed from the same runs (they cost nothing
 * extra); the one asked for is reported first.
 */
import { INDICATORS } from "../indicators";
import { cachedScenario } from "./execute";
import type { JobResult } from "./jobs";
import { fromUnit, parameterValue, type ParameterRange } from "./parameter-ranges";
import { byPoint, executeJobs, pointJobs, seedMean, type ExecuteOptions, type PointSettings } from "./points";
import { saltelliDesign, sobolIndices, splitSaltelliOutputs, type SobolResult } from "./sobol";
import { tornadoBars, tornadoDesign, type TornadoBar } from "./tornado";

export interface SensitivitySpec extends PointSettings {
  ranges: ParameterRange[];
  /** yearly period analysed (e.g. "2020") */
  period: string;
}

export interface SensitivityPlan {
  points: number[][];
  /** tornado: the base point (the scenario's values) */
  base?: number[];
  /** sobol: base sample rows */
  n?: number;
}

export function tornadoPlan(spec: SensitivitySpec): SensitivityPlan {
  const s = cachedScenario(spec.scenarioFile);
  const base = spec.ranges.map((r) => parameterValue(s, r.path));
  return { points: tornadoDesign(spec.ranges, base), base };
}

export function sobolPlan(spec: SensitivitySpec, n: number, designSeed: number): SensitivityPlan {
  const d = saltelliDesign(n, spec.ranges.length, designSeed);
  return { points: d.points.map((u) => fromUnit(spec.ranges, u)), n };
}

export const sensitivityJobs = (spec: SensitivitySpec, plan: SensitivityPlan, method: "tornado" | "sobol") =>
  pointJobs(spec.ranges, plan.points, spec, { design: method });

/** Seed-mean of every indicator at every point: [indicator id] → outputs in point order. */
export function pointOutputs(spec: SensitivitySpec, results: readonly JobResult[]): Record<string, number[]> {
  const groups = byPoint(results, spec.seeds.length);
  // an optional module's indicators only when every run has them (sim/indicators.ts OPTIONAL_MODULES)
  const present = INDICATORS.filter((d) => results.every((r) => r.yearly.some((y) => d.id in y.values)));
  return Object.fromEntries(present.map((d) => [d.id, groups.map((rs) => seedMean(rs, d.id, spec.period))]));
}

/** Tornado bars per indicator (indicators undefined at some point — NaN — are left out). */
export function tornadoByIndicator(spec: SensitivitySpec, plan: SensitivityPlan, results: readonly JobResult[]): Record<string, TornadoBar[]> {
  const out: Record<string, TornadoBar[]> = {};
  for (const [id, ys] of Object.entries(pointOutputs(spec, results))) {
    if (ys.some(Number.isNaN)) continue;
    out[id] = tornadoBars(spec.ranges, plan.base!, ys);
  }
  return out;
}

/** Sobol indices per indicator (left out where undefined at some point). */
export function sobolByIndicator(
  spec: SensitivitySpec,
  plan: SensitivityPlan,
  results: readonly JobResult[],
  opts: { bootstrap?: number; confidence?: number; seed?: number } = {},
): Record<string, SobolResult> {
  const out: Record<string, SobolResult> = {};
  for (const [id, ys] of Object.entries(pointOutputs(spec, results))) {
    if (ys.some(Number.isNaN)) continue;
    out[id] = sobolIndices(splitSaltelliOutputs({ n: plan.n!, k: spec.ranges.length }, ys), opts);
  }
  return out;
}

export interface SensitivityOutcome<T> {
  plan: SensitivityPlan;
  /** every run in job order (point-major); null when only one shard ran */
  results: JobResult[] | null;
  /** by indicator id; null when only one shard ran */
  byIndicator: Record<string, T> | null;
  ran: number;
  skipped: number;
  jobs: number;
}

/** A tornado in one call: bars by indicator, from the scenario's values to each end of the ranges. */
export async function runTornado(spec: SensitivitySpec, options: ExecuteOptions = {}): Promise<SensitivityOutcome<TornadoBar[]>> {
  const plan = tornadoPlan(spec);
  const out = await executeJobs(sensitivityJobs(spec, plan, "tornado"), options);
  return { plan, results: out.results, byIndicator: out.results ? tornadoByIndicator(spec, plan, out.results) : null, ran: out.ran, skipped: out.skipped, jobs: out.jobs };
}

/** Sobol indices in one call: `samples` base rows (n(k + 2) points), bootstrap intervals. */
export async function runSobol(
  spec: SensitivitySpec,
  sobol: { samples: number; designSeed?: number; bootstrap?: number },
  options: ExecuteOptions = {},
): Promise<SensitivityOutcome<SobolResult>> {
  const seed = sobol.designSeed ?? 1;
  const plan = sobolPlan(spec, sobol.samples, seed);
  const out = await executeJobs(sensitivityJobs(spec, plan, "sobol"), options);
  const byIndicator = out.results ? sobolByIndicator(spec, plan, out.results, { bootstrap: sobol.bootstrap ?? 200, seed }) : null;
  return { plan, results: out.results, byIndicator, ran: out.ran, skipped: out.skipped, jobs: out.jobs };
}

/**
 * From design points to runner jobs and back: each point (a value per named parameter)
 * runs once per seed — the same seeds at every point, so points differ only through
 * their parameters (common random numbers) — and an indicator is read per point as its
 * mean over those seeds, for one simulated year.
 */
import { INDICATORS, OPTIONAL_MODULES, newCounters, yearlyIndicators } from "../indicators";
import { InputError } from "../scenario/errors";
import { cachedScenario } from "./execute";
import { shardJobs, type Job, type JobResult } from "./jobs";
import { runJobs } from "./runner";
import { ResultsStore, runWithStore } from "./store";
import { overridesOf, type ParameterRange } from "./parameter-ranges";
import type { OverrideValue } from "../scenario/overrides";

export interface PointSettings {
  scenarioFile: string;
  /** common seeds: every point runs on each of them */
  seeds: readonly number[];
  years?: number;
  scale?: number;
  /** leaves held fixed at every point, e.g. {"policy.payment.regime": "capitation"} (the override language) */
  overrides?: Record<string, OverrideValue>;
}

/** Jobs for `points`, point-major: job p·S + s is point p on seed s. */
export function pointJobs(ranges: readonly ParameterRange[], points: readonly (readonly number[])[], s: PointSettings, tags: Record<string, string | number> = {}): Job[] {
  return points.flatMap((x, p) =>
    s.seeds.map((seed) => ({
      scenarioFile: s.scenarioFile,
      seed,
      ...(s.years !== undefined ? { years: s.years } : {}),
      ...(s.scale !== undefined ? { scale: s.scale } : {}),
      overrides: { ...(s.overrides ?? {}), ...overridesOf(ranges, x) },
      tags: { ...tags, point: p },
    })),
  );
}

/** Why `id` is not an indicator (listing those that are), or null. */
export function indicatorProblem(id: string): string | null {
  return INDICATORS.some((d) => d.id === id) ? null : `unknown indicator ${JSON.stringify(id)}; indicators: ${INDICATORS.map((d) => d.id).join(", ")}`;
}

/** The yearly period labels a run of this scenario produces (e.g. ["2018", "2019"]). */
export function periodsOf(scenarioFile: string, years?: number): string[] {
  const s = cachedScenario(scenarioFile);
  const months = (years ?? s.years) * 12;
  return yearlyIndicators(newCounters(months), s.start, months).map((p) => p.period);
}

/** Check a requested year against a scenario's periods; returns the period label to read. */
export function resolvePeriod(scenarioFile: string, years: number | undefined, year: string | undefined): string {
  const periods = periodsOf(scenarioFile, years);
  if (year === undefined) return periods[periods.length - 1];
  if (!periods.includes(year)) throw new Error(`year ${year} is not simulated; this run covers ${periods.join(", ")} (change --year or --years)`);
  return year;
}

/** One job's value of an indicator in one period (null when undefined there, e.g. growth in year one). */
export function indicatorOf(r: JobResult, indicator: string, period: string): number | null {
  const y = r.yearly.find((p) => p.period === period);
  if (!y) throw new Error(`${r.scenario.file}: no simulated period ${period} (have ${r.yearly.map((p) => p.period).join(", ")})`);
  const v = y.values[indicator];
  if (!v) {
    const d = INDICATORS.find((x) => x.id === indicator);
    if (d?.module) throw new InputError([`${r.scenario.file}: indicator ${indicator} is not in this run: it belongs to ${OPTIONAL_MODULES[d.module].doc.split(":")[0]}, which the scenario does not use`]);
    throw new Error(indicatorProblem(indicator) ?? `indicator ${indicator} missing`);
  }
  return v.value;
}

/** Mean over a point's seeds; NaN when the indicator is undefined for any of them. */
export function seedMean(results: readonly JobResult[], indicator: string, period: string): number {
  let sum = 0;
  for (const r of results) {
    const v = indicatorOf(r, indicator, period);
    if (v === null) return NaN;
    sum += v;
  }
  return sum / results.length;
}

/** Results in job order regrouped by point: [point][seed]. */
export function byPoint<T>(results: readonly T[], seeds: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < results.length; i += seeds) out.push(results.slice(i, i + seeds));
  return out;
}

export interface ExecuteOptions {
  workers?: number;
  /** results store directory: finished runs are skipped, new ones written as they finish */
  store?: string;
  /** run only shard i of N (into the store); no results are returned for a partial list */
  shard?: { index: number; count: number };
  onProgress?: (done: number, total: number) => void;
}

export interface ExecuteOutcome {
  /** every job's result in job order; null when only one shard of the jobs ran */
  results: JobResult[] | null;
  ran: number;
  skipped: number;
  /** jobs this invocation was responsible for (its shard, or all) */
  jobs: number;
}

/**
 * Run design jobs through the runner — via the results store when one is named (a killed
 * sweep resumes where it stopped) and only this shard's jobs when sharded.
 */
export async function executeJobs(jobs: readonly Job[], o: ExecuteOptions): Promise<ExecuteOutcome> {
  const mine = o.shard ? shardJobs(jobs, o.shard) : [...jobs];
  const partial = mine.length !== jobs.length;
  const runOptions = { workers: o.workers, onProgress: o.onProgress };
  if (o.store !== undefined) {
    const out = await runWithStore(mine, new ResultsStore(o.store), runOptions);
    return { results: partial ? null : out.results, ran: out.ran, skipped: out.skipped, jobs: mine.length };
  }
  const results = await runJobs(mine, runOptions);
  return { results: partial ? null : results, ran: results.length, skipped: 0, jobs: mine.length };
}

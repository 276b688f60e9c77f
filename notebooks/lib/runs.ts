/**
 * One-line runs for notebooks: `run("baseline-2018", {scale: 0.1})` loads a shipped
 * scenario (or a path, or a loaded Scenario), simulates it and computes its indicators;
 * `compare([...])` runs several scenarios with one seed, horizon and scale and judges the
 * final year against the targets and each scenario against its baseline. Both are a
 * study run in this thread (sim/study, runStudySync) — exactly what `yigongti run` and
 * `yigongti compare` compute; `study(...)` gives the whole Study (several seeds, worker
 * threads) for ensembles.
 */
import { isAbsolute, resolve } from "node:path";
import { INDICATORS, type IndicatorDefinition, type IndicatorValue } from "../../sim/indicators";
import { loadScenario, type Scenario } from "../../sim/scenario/load";
import { runStudy, runStudySync, seedRuns, type Executor, type Study, type StudyRun } from "../../sim/study/study";
import { PROJECT_ROOT, scenarioFile } from "./paths";

export interface RunOptions {
  /** random seed (default 1, as the CLI) */
  seed?: number;
  /** population, staff and beds multiplied by this, in (0, 1] (default 1: the full county) */
  scale?: number;
  /** simulated years from the scenario's start (default: through 2020, the targets' year, as `yigongti compare`) */
  years?: number;
}

export interface CompareOptions extends RunOptions {
  /** the scenario each run is compared with where it shares the county (as `yigongti compare --baseline`);
   *  default: the first scenario on the same county */
  baseline?: string;
}

/**
 * One simulated scenario, as the study holds it (sim/study/study.ts StudyRun): scenario,
 * settings, yearly, monthly and rolling indicators, each year's counter totals, the full
 * SimulationResult, and `entry`: its final year against the targets and its siphon
 * verdict, exactly as `yigongti compare` reports them.
 */
export type Run = StudyRun & { result: NonNullable<StudyRun["result"]>; rolling: NonNullable<StudyRun["rolling"]> };

/** A scenario given by shipped name, by path (relative to the repository root) or already loaded. */
export type ScenarioRef = string | Scenario;

export function resolveScenario(ref: ScenarioRef): Scenario {
  if (typeof ref !== "string") return ref;
  const file = ref.includes("/") || ref.endsWith(".yaml") ? (isAbsolute(ref) ? ref : resolve(PROJECT_ROOT, ref)) : scenarioFile(ref);
  return loadScenario(file);
}

function runs(refs: readonly ScenarioRef[], options: CompareOptions, traceResidents: boolean): Run[] {
  const { seed = 1, scale = 1, years, baseline } = options;
  return seedRuns(runStudySync({ scenarios: refs.map(resolveScenario), seeds: [seed], scale, years, baseline, traceResidents })) as Run[];
}

/** Simulate one scenario (as `yigongti run`, horizon as `yigongti compare`); its siphon verdict is against its own first year. */
export function run(ref: ScenarioRef, options: RunOptions = {}): Run {
  return runs([ref], options, false)[0];
}

/**
 * Run several scenarios with one seed, horizon rule and scale, each set against its
 * baseline (same county) with per-resident traces for the residents-moved counts — as
 * `yigongti compare` does.
 */
export function compare(refs: readonly ScenarioRef[], options: CompareOptions = {}): Run[] {
  return runs(refs, options, true);
}

export interface StudyOptions extends Omit<CompareOptions, "seed"> {
  /** seeds (default [1]); `seedRange(1, 20)` gives 1…20 */
  seeds?: readonly number[];
  /** keep per-resident traces (residents moved, default false) */
  traceResidents?: boolean;
  /** "workers" (default: worker threads, the engine build), "in-thread", or "store" (with `store`: a results store directory) */
  executor?: Executor;
  workers?: number;
  store?: string;
}

/**
 * A whole study — several seeds, each scenario against its baseline, on worker threads,
 * in this thread or through the results store — for bands, probabilities of meeting a
 * target and paired effects (`indicatorBand`, `targetProbability`, `pairedDifference`).
 */
export function study(refs: readonly ScenarioRef[], options: StudyOptions = {}): Promise<Study> {
  const { seeds, scale = 1, years, baseline, traceResidents, executor, workers, store } = options;
  return runStudy({ scenarios: refs.map(resolveScenario), seeds, scale, years, baseline, traceResidents }, { executor, workers, store });
}

/** The definition of an indicator id; throws on an unknown id (with the list of known ones). */
export function indicator(id: string): IndicatorDefinition {
  const d = INDICATORS.find((x) => x.id === id);
  if (!d) throw new Error(`unknown indicator "${id}"; known: ${INDICATORS.map((x) => x.id).join(", ")}`);
  return d;
}

/** An indicator's value and verdict in one period of a run (default: the final year). */
export function valueOf(r: StudyRun, id: string, period: string = r.finalYear): IndicatorValue {
  indicator(id);
  const p = r.yearly.find((y) => y.period === period) ?? r.monthly.find((m) => m.period === period);
  if (!p) throw new Error(`${r.name}: no period "${period}" (years ${r.yearly.map((y) => y.period).join(", ")})`);
  const v = p.values[id];
  if (!v) throw new Error(`${r.name}: indicator "${id}" is not in this run — it belongs to a module the scenario does not use (case-based payment)`);
  return v;
}

/** Yearly rows `{scenario, year, <indicator ids…>}` for a DataFrame: raw values, null where undefined (or not in the run). */
export function yearlyRows(runs: readonly StudyRun[], ids: readonly string[]): Record<string, string | number | null>[] {
  ids.forEach(indicator);
  return runs.flatMap((r) => r.yearly.map((y) => ({ scenario: r.name, year: y.period, ...Object.fromEntries(ids.map((id) => [id, y.values[id]?.value ?? null])) })));
}

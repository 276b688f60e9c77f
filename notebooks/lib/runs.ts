/**
 * One-line runs for notebooks: `run("baseline-2018", {scale: 0.1})` loads a shipped
 * scenario (or a path, or a loaded Scenario), simulates it and computes its indicators —
 * the same functions `yigongti run` uses. `compare([...])` runs several scenarios with one
 * seed, horizon and scale and judges the final year against the targets exactly as
 * `yigongti compare` does (sim/cli/compare.ts).
 */
import { isAbsolute, resolve } from "node:path";
import { baselineIndex, compareEntry, TARGET_YEAR, type CompareEntry } from "../../sim/cli/compare";
import { ProgressBar } from "../../sim/cli/progress";
import { runScenario, type ScenarioRun } from "../../sim/cli/results";
import { INDICATORS, type IndicatorDefinition, type IndicatorValue } from "../../sim/indicators";
import { loadScenario, type Scenario } from "../../sim/scenario/load";
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
 * One simulated scenario, as the CLI holds it (scenario, settings, yearly and monthly
 * indicators, each year's counter totals, the full SimulationResult) plus its final year
 * against the targets and its siphon verdict, exactly as `yigongti compare` reports them.
 */
export interface Run extends ScenarioRun {
  name: string;
  title: { zh: string; en: string };
  /** the last simulated year, e.g. "2020" */
  finalYear: string;
  /** the final year against the targets and the baseline (`yigongti compare`'s row) */
  entry: CompareEntry;
}

/** A scenario given by shipped name, by path (relative to the repository root) or already loaded. */
export type ScenarioRef = string | Scenario;

export function resolveScenario(ref: ScenarioRef): Scenario {
  if (typeof ref !== "string") return ref;
  const file = ref.includes("/") || ref.endsWith(".yaml") ? (isAbsolute(ref) ? ref : resolve(PROJECT_ROOT, ref)) : scenarioFile(ref);
  return loadScenario(file);
}

function simulateRun(s: Scenario, options: RunOptions, traceResidents: boolean): ScenarioRun {
  const settings = {
    seed: options.seed ?? 1,
    scale: options.scale ?? 1,
    years: options.years ?? Math.max(1, TARGET_YEAR - s.start.year + 1),
  };
  return runScenario(s, settings, new ProgressBar(false), 1, 1, traceResidents);
}

const withEntry = (r: ScenarioRun, base: ScenarioRun = r): Run => ({
  ...r,
  name: r.scenario.name,
  title: r.scenario.title,
  finalYear: r.yearly[r.yearly.length - 1].period,
  entry: compareEntry(r, base),
});

/** Simulate one scenario (the CLI's `runScenario`); its siphon verdict is against its own first year. */
export function run(ref: ScenarioRef, options: RunOptions = {}): Run {
  return withEntry(simulateRun(resolveScenario(ref), options, false));
}

/**
 * Run several scenarios with one seed, horizon rule and scale, each set against its
 * baseline (same county) with per-resident traces for the residents-moved counts — as
 * `yigongti compare` does.
 */
export function compare(refs: readonly ScenarioRef[], options: CompareOptions = {}): Run[] {
  const runs = refs.map(resolveScenario).map((s) => simulateRun(s, options, true));
  return runs.map((r, i) => withEntry(r, runs[baselineIndex(runs, i, options.baseline)]));
}

/** The definition of an indicator id; throws on an unknown id (with the list of known ones). */
export function indicator(id: string): IndicatorDefinition {
  const d = INDICATORS.find((x) => x.id === id);
  if (!d) throw new Error(`unknown indicator "${id}"; known: ${INDICATORS.map((x) => x.id).join(", ")}`);
  return d;
}

/** An indicator's value and verdict in one period of a run (default: the final year). */
export function valueOf(r: Run, id: string, period: string = r.finalYear): IndicatorValue {
  indicator(id);
  const p = r.yearly.find((y) => y.period === period) ?? r.monthly.find((m) => m.period === period);
  if (!p) throw new Error(`${r.name}: no period "${period}" (years ${r.yearly.map((y) => y.period).join(", ")})`);
  const v = p.values[id];
  if (!v) throw new Error(`${r.name}: indicator "${id}" is not in this run — it belongs to a module the scenario does not use (case-based payment)`);
  return v;
}

/** Yearly rows `{scenario, year, <indicator ids…>}` for a DataFrame: raw values, null where undefined (or not in the run). */
export function yearlyRows(runs: readonly Run[], ids: readonly string[]): Record<string, string | number | null>[] {
  ids.forEach(indicator);
  return runs.flatMap((r) => r.yearly.map((y) => ({ scenario: r.name, year: y.period, ...Object.fromEntries(ids.map((id) => [id, y.values[id]?.value ?? null])) })));
}

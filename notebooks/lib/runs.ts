/**
 * One-line runs for notebooks: `run("baseline-2018", {scale: 0.1})` loads a shipped
 * scenario (or a path, or a loaded Scenario), simulates it and computes its indicators —
 * the same functions `yigongti run` uses. `compare([...])` runs several scenarios with one
 * seed, horizon and scale and judges the final year against the targets exactly as
 * `yigongti compare` does (sim/cli/compare.ts).
 */
import { isAbsolute, resolve } from "node:path";
import { compareEntry, TARGET_YEAR, type CompareEntry } from "../../sim/cli/compare";
import { INDICATORS, monthlyIndicators, yearlyIndicators, type IndicatorDefinition, type IndicatorValue, type PeriodIndicators } from "../../sim/indicators";
import { loadScenario, type Scenario } from "../../sim/scenario/load";
import { simulate, type SimulationResult } from "../../sim/simulate";
import { PROJECT_ROOT, scenarioFile } from "./paths";

export interface RunOptions {
  /** random seed (default 1, as the CLI) */
  seed?: number;
  /** population, staff and beds multiplied by this, in (0, 1] (default 1: the full county) */
  scale?: number;
  /** simulated years from the scenario's start (default: through 2020, the targets' year, as `yigongti compare`) */
  years?: number;
}

export interface Run {
  name: string;
  title: { zh: string; en: string };
  scenario: Scenario;
  settings: { seed: number; scale: number; years: number };
  residents: number;
  /** the full simulation result: counters, per-facility series, community packages, accounts */
  result: SimulationResult;
  yearly: PeriodIndicators[];
  monthly: PeriodIndicators[];
  /** the last simulated year, e.g. "2020" */
  finalYear: string;
  /** the final year against the targets, as `yigongti compare` reports it */
  entry: CompareEntry;
}

/** A scenario given by shipped name, by path (relative to the repository root) or already loaded. */
export type ScenarioRef = string | Scenario;

export function resolveScenario(ref: ScenarioRef): Scenario {
  if (typeof ref !== "string") return ref;
  const file = ref.includes("/") || ref.endsWith(".yaml") ? (isAbsolute(ref) ? ref : resolve(PROJECT_ROOT, ref)) : scenarioFile(ref);
  return loadScenario(file);
}

/** Simulate one scenario and compute its yearly and monthly indicators. */
export function run(ref: ScenarioRef, options: RunOptions = {}): Run {
  const scenario = resolveScenario(ref);
  const settings = {
    seed: options.seed ?? 1,
    scale: options.scale ?? 1,
    years: options.years ?? Math.max(1, TARGET_YEAR - scenario.start.year + 1),
  };
  const result = simulate(scenario, settings);
  const yearly = yearlyIndicators(result.counters, result.start, result.months);
  const monthly = monthlyIndicators(result.counters, result.start, result.months);
  // the CLI's ScenarioRun without its output files, so the final year is judged by the same code
  const cliRun = { scenario, settings, residents: result.residents, yearly, monthly, result, files: {} };
  const entry = compareEntry(cliRun);
  return {
    name: scenario.name,
    title: scenario.title,
    scenario,
    settings,
    residents: result.residents,
    result,
    yearly,
    monthly,
    finalYear: yearly[yearly.length - 1].period,
    entry,
  };
}

/** Run several scenarios with the same seed, horizon rule and scale (as `yigongti compare`). */
export function compare(refs: readonly ScenarioRef[], options: RunOptions = {}): Run[] {
  const scenarios = refs.map(resolveScenario);
  return scenarios.map((s) => run(s, options));
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
  return p.values[id];
}

/** Yearly rows `{scenario, year, <indicator ids…>}` for a DataFrame: raw values, null where undefined. */
export function yearlyRows(runs: readonly Run[], ids: readonly string[]): Record<string, string | number | null>[] {
  ids.forEach(indicator);
  return runs.flatMap((r) => r.yearly.map((y) => ({ scenario: r.name, year: y.period, ...Object.fromEntries(ids.map((id) => [id, y.values[id].value])) })));
}

/**
 * Load and simulate scenarios for the commands, and build the per-scenario result files
 * (indicators.json, indicators.csv, manifest.json) in memory — nothing is written here.
 */
import { BREAKDOWNS, INDICATORS, monthlyIndicators, yearTotals, yearlyIndicators, type PeriodIndicators, type Totals } from "../indicators";
import { yearlyTownshipOop } from "../protection";
import { buildManifest } from "../manifest";
import { csvText, jsonText } from "../output";
import { InputError } from "../scenario/errors";
import { formatYearMonth, loadScenario, type Scenario } from "../scenario/load";
import { simulate, type SimulationResult } from "../simulate";
import { defaultWorkers, simulateAll } from "../experiments/runner";
import type { ProgressBar } from "./progress";

export interface RunSettings {
  seed: number;
  years: number;
  scale: number;
}

export interface ScenarioRun {
  scenario: Scenario;
  settings: RunSettings;
  residents: number;
  yearly: PeriodIndicators[];
  monthly: PeriodIndicators[];
  /** counter totals of each simulated year */
  yearTotals: Totals[];
  /** the simulation itself (counters, per-facility and per-community series) for charts;
   *  its per-resident `trace` only when traces were asked for (scenario differences) */
  result: SimulationResult;
  /** file name → content, for the scenario's output directory */
  files: Record<string, string>;
}

/** The files a scenario reads (its extends chain, county and parameter files), for output-folder checks. */
export function scenarioInputs(scenarios: readonly Scenario[]): string[] {
  return [...new Set(scenarios.flatMap((s) => [...s.chain, s.countyFile, s.parameterFile]))];
}

/** Load every scenario file; problems from all of them are reported together. */
export function loadScenarios(files: readonly string[]): Scenario[] {
  const problems: string[] = [];
  const scenarios: Scenario[] = [];
  for (const f of files) {
    try {
      scenarios.push(loadScenario(f));
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      problems.push(...e.problems);
    }
  }
  if (problems.length) throw new InputError([...new Set(problems)]);
  return scenarios;
}

/** Simulate one scenario and build its result files. */
export function runScenario(s: Scenario, settings: RunSettings, progress: ProgressBar, index = 1, count = 1, traceResidents = false): ScenarioRun {
  progress.start(s.name, index, count);
  const r = simulate(s, { ...settings, traceResidents, onProgress: progress.update });
  progress.finish();
  return scenarioRun(s, settings, r);
}

/**
 * Simulate several scenarios — on worker threads when `workers` > 1 (default: all cores,
 * at most one per scenario), else one after another in this thread — and build their
 * result files. The runs are identical either way (each simulation is a pure function
 * of scenario, seed, years and scale); only the progress line differs.
 */
export async function runScenarios(
  scenarios: readonly Scenario[],
  settingsOf: (s: Scenario) => RunSettings,
  options: { progress: ProgressBar; workers?: number; traceResidents?: boolean },
): Promise<ScenarioRun[]> {
  const { progress, traceResidents = false } = options;
  const settings = scenarios.map(settingsOf);
  const workers = Math.max(1, Math.min(options.workers ?? defaultWorkers(), scenarios.length));
  if (workers === 1) return scenarios.map((s, i) => runScenario(s, settings[i], progress, i + 1, scenarios.length, traceResidents));
  const label = `${scenarios.length} scenarios on ${workers} workers`;
  progress.start(label, 1, 1, "scenarios");
  const results = await simulateAll(
    scenarios.map((s, i) => ({ scenarioFile: s.file, ...settings[i], traceResidents })),
    { workers, onProgress: progress.update },
  );
  progress.finish();
  return scenarios.map((s, i) => scenarioRun(s, settings[i], results[i]));
}

/** A simulated scenario's indicators, year totals and result files. */
export function scenarioRun(s: Scenario, settings: RunSettings, r: SimulationResult): ScenarioRun {
  const yearly = yearlyIndicators(r.counters, r.start, r.months);
  const monthly = monthlyIndicators(r.counters, r.start, r.months);
  const manifest = buildManifest(s, { ...settings, months: r.months, residents: r.residents });
  const header = {
    scenario: { name: s.name, title: s.title, file: s.file, hash: s.hash },
    seed: settings.seed,
    years: settings.years,
    scale: settings.scale,
    start: formatYearMonth(s.start),
    months: r.months,
    residents: r.residents,
  };
  return {
    scenario: s,
    settings,
    residents: r.residents,
    yearly,
    monthly,
    yearTotals: yearTotals(r.counters, r.months),
    result: r,
    files: {
      "indicators.json": jsonText({ ...header, indicators: indicatorDefinitions(yearly[0]), yearly, monthly, breakdowns: breakdownsOf(yearly, r) }),
      "indicators.csv": indicatorsCsv(yearly, monthly),
      "manifest.json": jsonText(manifest),
    },
  };
}

/** The per-group indicators (BREAKDOWNS) of each simulated year, with their definitions. */
export function breakdownsOf(yearly: PeriodIndicators[], r: SimulationResult) {
  const township = yearlyTownshipOop(r);
  return Object.fromEntries(
    BREAKDOWNS.map((d) => [
      d.id,
      { label: d.label, unit: d.unit, by: d.by, definition: d.definition, yearly: yearly.map((p, y) => ({ period: p.period, values: township[y] ?? [] })) },
    ]),
  );
}

/**
 * Every indicator's label, unit, definition, target (value, comparison, source) and
 * reference — of the indicators a run has, given one of its periods (an optional module's
 * only in runs that used it; sim/indicators.ts OPTIONAL_MODULES).
 */
export function indicatorDefinitions(period?: PeriodIndicators) {
  return Object.fromEntries(
    INDICATORS.filter((d) => !period || d.id in period.values).map((d) => [
      d.id,
      {
        label: d.label,
        unit: d.unit,
        definition: d.definition,
        target: d.target?.value ?? null,
        comparison: d.target?.comparison ?? null,
        source: d.target?.source ?? null,
        ...(d.target?.note ? { note: d.target.note } : {}),
        ...(d.reference ? { reference: d.reference } : {}),
      },
    ]),
  );
}

/** Tidy CSV: one row per (period, indicator), years first, then months. */
export function indicatorsCsv(yearly: PeriodIndicators[], monthly: PeriodIndicators[]): string {
  const rows: unknown[][] = [];
  for (const [granularity, periods] of [["year", yearly], ["month", monthly]] as const) {
    for (const p of periods) {
      for (const d of INDICATORS) {
        const v = p.values[d.id];
        if (!v) continue; // an optional module the run did not use
        rows.push([p.period, granularity, d.id, v.value, v.target, v.comparison, v.met, v.gap]);
      }
    }
  }
  return csvText(["period", "granularity", "indicator", "value", "target", "comparison", "met", "gap"], rows);
}

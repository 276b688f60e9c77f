/**
 * Load scenarios for the commands, and build each run's result files (indicators.json,
 * indicators.csv, manifest.json, moved-up.csv) in memory from a study (sim/study) —
 * nothing is simulated or written here.
 */
import { existsSync } from "node:fs";
import { countyScenarioOf, isCountyRef } from "../prefecture/scenario";
import { BREAKDOWNS, INDICATORS, type PeriodIndicators } from "../indicators";
import { buildManifest } from "../manifest";
import { csvText, jsonText } from "../output";
import { InputError } from "../scenario/errors";
import { formatYearMonth, loadScenario, type Scenario } from "../scenario/load";
import { countyFor } from "../simulate";
import type { Study, StudyRun } from "../study/study";
import type { OverrideValue } from "../scenario/overrides";
import { TIERS } from "../tier";
import { POPULATION_SERIES } from "../population/state";

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
      // `file#county`: one county of a prefecture scenario (sim/prefecture/scenario.ts)
      scenarios.push(isCountyRef(f) && !existsSync(f) ? countyScenarioOf(f) : loadScenario(f));
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      problems.push(...e.problems);
    }
  }
  if (problems.length) throw new InputError([...new Set(problems)]);
  return scenarios;
}

/** A run's result files — indicators.json, indicators.csv, manifest.json — for its output directory. */
export function runFiles(run: StudyRun, overrides?: Record<string, OverrideValue>): Record<string, string> {
  const s = run.scenario;
  const { seed, years, scale } = run.settings;
  // the leaves held over the scenario (run --set): its hash is the file's, so they are named beside it
  const manifest = { ...buildManifest(s, { seed, scale, years, months: run.months, residents: run.residents }), ...(overrides ? { overrides } : {}) };
  const header = {
    scenario: { name: s.name, title: s.title, file: s.file, hash: s.hash },
    seed,
    years,
    scale,
    start: formatYearMonth(s.start),
    months: run.months,
    residents: run.residents,
  };
  // a changing population's yearly record (sim/population/state.ts), in the JSON and as population.csv; nothing when it is fixed
  const population = run.result?.population;
  return {
    "indicators.json": jsonText({
      ...header,
      indicators: indicatorDefinitions(run.yearly[0]),
      yearly: run.yearly,
      monthly: run.monthly,
      breakdowns: breakdownsOf(run),
      ...(population ? { population } : {}),
    }),
    "indicators.csv": indicatorsCsv(run.yearly, run.monthly),
    ...(population ? { "population.csv": csvText(["period", ...POPULATION_SERIES], population.map((y) => [y.period, ...POPULATION_SERIES.map((f) => y[f])])) } : {}),
    "manifest.json": jsonText(manifest),
  };
}

/**
 * Residents who moved up a tier against the baseline (common random numbers), as CSV;
 * null for a baseline (or without traces).
 */
export function movedUpCsv(study: Study, i: number, seedIndex = 0): string | null {
  const sc = study.scenarios[i];
  const run = sc.runs[seedIndex];
  if (sc.baseline === i || !run.differences) return null;
  const county = countyFor(run.scenario, run.settings.scale);
  const rows = run.differences.differences
    .filter((x) => x.direction > 0)
    .map((x) => {
      const v = county.villages[county.residents.village[x.resident]];
      return [x.resident, county.facilities[v.clinic].id, county.townships[v.township].id, ...TIERS.map((t) => x.encounters[t]), Math.round(x.oop * 100) / 100];
    });
  return csvText(["resident", "village_clinic", "township", ...TIERS.map((t) => `encounters_${t}_change`), "oop_change_yuan"], rows);
}

/** The per-group indicators (BREAKDOWNS) of each simulated year, with their definitions. */
export function breakdownsOf(run: Pick<StudyRun, "yearly" | "townships" | "townshipOop">) {
  const { yearly } = run;
  const township = run.townshipOop.map((values) => run.townships.map((t, i) => ({ township: t.id, value: values[i] })));
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

/**
 * Recording a regression reference: run each scenario with seeds S … S+N−1 on the
 * experiment runner (worker threads; results do not depend on the worker count) and turn
 * the runs into the reference's tables. `check.ts` re-runs exactly the same jobs.
 */
import { resolve } from "node:path";
import { yearsThroughTargetYear, type PeriodIndicators } from "../indicators";
import { modelVersion } from "../manifest";
import { formatYearMonth } from "../scenario/load";
import { cachedScenario } from "../experiments/execute";
import { compact } from "../experiments/store";
import { modelFingerprint } from "../experiments/fingerprint";
import { runJobs, type Job, type JobResult, type RunOptions } from "../experiments/runner";
import {
  REFERENCE_FORMAT,
  countersTable,
  relativeToReference,
  scenarioDirs,
  type PeriodTable,
  type Reference,
  type ReferenceSettings,
  type ScenarioTables,
} from "./reference";

/** Indicator values of each period, without targets (the reference keeps values only, as the results store does). */
export const valuesTable: (periods: PeriodIndicators[]) => PeriodTable = compact;

/** The simulated years of a scenario under these settings. */
export function horizonOf(scenarioFile: string, settings: Pick<ReferenceSettings, "years">): number {
  return settings.years ?? yearsThroughTargetYear(cachedScenario(scenarioFile).start.year, scenarioFile);
}

/** The jobs of a reference: scenario by scenario, seeds in order (job index = scenario · seeds + k). */
export function referenceJobs(scenarioFiles: readonly string[], settings: ReferenceSettings, firstSeed = settings.seed): Job[] {
  return scenarioFiles.flatMap((file) =>
    Array.from({ length: settings.seeds }, (_, k): Job => ({ scenarioFile: file, seed: firstSeed + k, years: horizonOf(file, settings), scale: settings.scale })),
  );
}

/** One scenario's tables from its N runs (the first is the fixed seed). */
export function scenarioTables(runs: readonly JobResult[]): ScenarioTables {
  const fixed = runs[0];
  return {
    yearly: valuesTable(fixed.yearly),
    monthly: valuesTable(fixed.monthly),
    counters: countersTable(fixed.yearly.map((y) => y.period), fixed.yearTotals),
    ensemble: runs.map((r) => valuesTable(r.yearly)),
  };
}

export interface Recording {
  reference: Reference;
  tables: Map<string, ScenarioTables>;
}

/** Run and assemble a reference for `dir` (scenario paths are stored relative to it). Writes nothing. */
export async function recordReference(
  scenarioFiles: readonly string[],
  settings: ReferenceSettings,
  dir: string,
  options: RunOptions & { command?: string } = {},
): Promise<Recording> {
  const jobs = referenceJobs(scenarioFiles, settings);
  const results = await runJobs(jobs, options);
  const loaded = scenarioFiles.map((f) => cachedScenario(f));
  const dirs = scenarioDirs(loaded.map((s) => s.name));
  const tables = new Map<string, ScenarioTables>();
  const scenarios = scenarioFiles.map((file, i) => {
    const runs = results.slice(i * settings.seeds, (i + 1) * settings.seeds);
    tables.set(dirs[i], scenarioTables(runs));
    const s = loaded[i];
    return {
      name: s.name,
      file: relativeToReference(dir, file),
      dir: dirs[i],
      hash: s.hash,
      county: relativeToReference(dir, resolve(s.countyFile)),
      start: formatYearMonth(s.start),
      years: runs[0].years,
      residents: runs[0].residents,
    };
  });
  const reference: Reference = {
    format: REFERENCE_FORMAT,
    model: { version: modelVersion(), fingerprint: modelFingerprint(), node: process.version },
    settings: { ...settings },
    command: options.command ?? "",
    scenarios,
  };
  return { reference, tables };
}

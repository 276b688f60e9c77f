/**
 * One call for notebooks and the CLI: build an ensemble's jobs, run them (worker
 * threads, optional results store, optional shard), and summarise.
 *
 *   const report = await runEnsemble({ scenarios: ["scenarios/full-package-qujing.yaml"],
 *     baseline: "scenarios/baseline-2018.yaml", seeds: 20, scale: 0.1 });
 *   report.differences.filter((r) => r.indicator === "primaryVisitShare" && r.granularity === "year")
 *
 * With a shard, only that shard's jobs run and `report` is null (summaries need every
 * run: merge the shards' stores and call again without the shard).
 */
import { yearsThroughTargetYear } from "../indicators";
import { InputError } from "../scenario/errors";
import { cachedScenario } from "./execute";
import { ensembleJobs, pairedDifferences, runValues, summarize, varianceByIndicator, type RunValues, type SummaryRow, type VarianceRow } from "./ensemble";
import { shardJobs, withOverrides } from "./jobs";
import { canonicalOverrides, canonicalPath, checkOverrides, type OverrideValue } from "../scenario/overrides";
import { defaultWorkers, runJobs } from "./runner";
import { ResultsStore, runWithStore } from "./store";
import { loadUncertaintyFile, scenarioUncertainty, type UncertainParameter } from "./uncertainty";

export interface EnsembleRunSpec {
  scenarios: string[];
  baseline?: string;
  /** seeds per scenario (per parameter draw) */
  seeds: number;
  firstSeed?: number;
  /** parameter draws (second-order Monte Carlo); 0/absent = none */
  parameterDraws?: number;
  /** extra distributions by dotted path (data/parameter-uncertainty.yaml format) */
  uncertaintyFile?: string;
  drawSeed?: number;
  /** simulated years (default: through TARGET_YEAR from each scenario's start, at least 1) */
  years?: number;
  scale?: number;
  /**
   * leaves held in every run of every scenario (baseline included), e.g.
   * {"policy.payment.capitation.surplusRetainedShare": 0.5}; a held parameter is not drawn
   */
  overrides?: Record<string, OverrideValue>;
}

export interface EnsembleRunOptions {
  workers?: number;
  /** results store directory: finished runs saved at once, stored runs skipped */
  store?: string;
  shard?: { index: number; count: number };
  onProgress?: (done: number, total: number) => void;
}

export interface EnsembleReport {
  settings: { seeds: number; firstSeed: number; parameterDraws: number; drawSeed: number | null; scale: number; years: Record<string, number>; baseline: string | null; overrides?: Record<string, OverrideValue> };
  uncertainParameters: Record<string, { path: string; distribution: string; unit: string; source: string; file: string }[]>;
  runs: { scenario: string; file: string; key: string; seed: number; draw: number | null }[];
  summary: SummaryRow[];
  differences: SummaryRow[];
  variance: VarianceRow[];
}

export interface EnsembleOutcome {
  /** scenario names in run order (the baseline first) */
  names: string[];
  /** names of the scenarios compared with the baseline */
  reformNames: string[];
  jobs: number;
  /** jobs of this shard (all jobs without a shard) */
  shardJobs: number;
  ran: number;
  skipped: number;
  /** null for a shard */
  report: EnsembleReport | null;
  /** each job's indicator values (compact: no manifest), in job order */
  results: RunValues[];
}

export async function runEnsemble(spec: EnsembleRunSpec, options: EnsembleRunOptions = {}): Promise<EnsembleOutcome> {
  const { seeds, baseline } = spec;
  const firstSeed = spec.firstSeed ?? 1;
  const draws = spec.parameterDraws ?? 0;
  const scale = spec.scale ?? 1;
  // Load and check every input before running anything.
  const all = baseline !== undefined && !spec.scenarios.includes(baseline) ? [baseline, ...spec.scenarios] : [...spec.scenarios];
  const scenarios = new Map(all.map((f) => [f, cachedScenario(f)]));
  const names = all.map((f) => scenarios.get(f)!.name);
  if (new Set(names).size !== names.length) throw new InputError([`scenario names must differ to be told apart in the results (got ${names.join(", ")})`]);
  const overrides = spec.overrides && Object.keys(spec.overrides).length ? spec.overrides : undefined;
  if (overrides) {
    const checked = checkOverrides(overrides, { where: "overrides" });
    if (checked.problems.length) throw new InputError(checked.problems);
    for (const s of scenarios.values()) withOverrides(s, overrides); // checks each scenario's policy with them
  }
  const held = new Set(Object.keys(canonicalOverrides(overrides ?? {})));
  const extra = spec.uncertaintyFile !== undefined ? loadUncertaintyFile(spec.uncertaintyFile) : [];
  const uncertainty: Record<string, UncertainParameter[]> = {};
  if (draws) {
    for (const [f, s] of scenarios) uncertainty[f] = scenarioUncertainty(s, extra).filter((u) => !held.has(canonicalPath(u.path)));
    if (Object.values(uncertainty).every((l) => l.length === 0)) {
      throw new InputError(["parameter draws: no uncertain parameters (give leaves a `distribution:` in the parameter file, or name an uncertainty file)"]);
    }
  }
  const years: Record<string, number> = {};
  const jobs = all.flatMap((f) => {
    years[f] = spec.years ?? yearsThroughTargetYear(scenarios.get(f)!.start.year, f);
    return ensembleJobs({ scenarios: [f], seeds, firstSeed, draws, drawSeed: spec.drawSeed, uncertainty, years: years[f], scale, ...(overrides ? { overrides } : {}) });
  });
  const mine = shardJobs(jobs, options.shard);
  const workers = options.workers ?? defaultWorkers();
  // Each result is reduced to its values as it arrives (the full results are not kept),
  // so memory grows by ≈10 KB a run, not ≈200 KB.
  const values: RunValues[] = new Array(mine.length);
  const keepValues = (r: Parameters<typeof runValues>[0], i: number) => void (values[i] = runValues(r));
  const streamed = { workers, onProgress: options.onProgress, keepResults: false, onResult: keepValues };
  const counts = options.store !== undefined
    ? await runWithStore(mine, new ResultsStore(options.store), { ...streamed, onStored: keepValues })
    : (await runJobs(mine, streamed), { ran: mine.length, skipped: 0 });
  const run = { results: values, ran: counts.ran, skipped: counts.skipped };
  const base = baseline !== undefined ? baseline : undefined;
  const reformFiles = base !== undefined ? all.filter((f) => f !== base) : [];
  const outcome: EnsembleOutcome = {
    names,
    reformNames: reformFiles.map((f) => scenarios.get(f)!.name),
    jobs: jobs.length,
    shardJobs: mine.length,
    ran: run.ran,
    skipped: run.skipped,
    report: null,
    results: run.results,
  };
  if (options.shard && options.shard.count > 1) return outcome;

  const of = (f: string) => run.results.filter((r) => r.job.scenarioFile === f);
  const nameOf = (f: string) => scenarios.get(f)!.name;
  outcome.report = {
    settings: { seeds, firstSeed, parameterDraws: draws, drawSeed: draws ? (spec.drawSeed ?? firstSeed) : null, scale, years: Object.fromEntries(all.map((f) => [nameOf(f), years[f]])), baseline: base !== undefined ? nameOf(base) : null, ...(overrides ? { overrides } : {}) },
    uncertainParameters: Object.fromEntries(Object.entries(uncertainty).map(([f, l]) => [nameOf(f), l.map((u) => ({ path: u.path, distribution: u.text, unit: u.unit, source: u.source, file: u.file }))])),
    runs: run.results.map((r) => ({ scenario: r.scenario.name, file: r.job.scenarioFile, key: r.key, seed: r.job.seed, draw: typeof r.job.tags?.draw === "number" && r.job.tags.draw >= 0 ? r.job.tags.draw : null })),
    summary: all.flatMap((f) => summarize(nameOf(f), of(f))),
    differences: base !== undefined ? reformFiles.flatMap((f) => pairedDifferences(nameOf(f), of(f), of(base))) : [],
    variance: draws ? all.flatMap((f) => varianceByIndicator(nameOf(f), of(f))) : [],
  };
  return outcome;
}

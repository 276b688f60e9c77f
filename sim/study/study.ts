/**
 * A study: a set of scenarios run with the same seeds, scale and horizon rule, each run
 * set against its baseline twin — the one result type that `yigongti compare`, `brief`
 * and `run`, the briefing and its charts, the notebooks and the README's figures read.
 *
 *   const study = await runStudy({ scenarios: loadScenarios(files), seeds: [1], scale: 0.1 });
 *   study.scenarios[i].runs[k].entry.indicators.primaryVisitShare.met   // scenario i, seed k
 *
 *   Study
 *     settings       seeds, scale, years (null: each scenario through TARGET_YEAR),
 *                    baseline name, traces kept, parameter draws, executor
 *     scenarios[]    in the order given
 *       scenario     the loaded Scenario
 *       years        its simulated years
 *       baseline     index (in scenarios) of the scenario it is set against; its own
 *                    index for a baseline
 *       runs[]       one per seed, in settings.seeds order (a StudyRun; with parameter
 *                    draws, run k also has draw k of the uncertain parameters — the same
 *                    draw in every scenario, so twins differ only by policy):
 *         yearly, monthly, rolling   indicators, computed once (rolling: trailing 12
 *                                    months at each month end; null from the store)
 *         yearTotals                 counter totals of each simulated year
 *         result                     the SimulationResult (null from the results store)
 *         entry                      the final year against the targets and against the
 *                                    baseline's run with the same seed: siphon verdict,
 *                                    residents moved (sim/study/comparison.ts)
 *         differences                per-resident differences from that baseline run
 *                                    (only when traces were kept)
 *
 * Every comparison is computed once, here, for every seed; what the commands print and
 * write, the briefing in each language and the notebooks only read it. Summaries across
 * seeds (bands, probability a target is met, paired effects) are in summary.ts.
 *
 * Executors: "workers" (default) simulates on worker threads (sim/experiments/runner.ts
 * simulateAll, all cores, at most one per run; with one worker it runs in this thread);
 * "in-thread" runs one after another here; "store" runs through the results store
 * (sim/experiments/store.ts: finished runs are kept and skipped next time) and gives
 * indicator-level runs — no SimulationResult, no rolling indicators, no traces. A
 * simulation is a pure function of scenario, seed, years and scale, so every executor
 * gives bit-identical indicators.
 */
import { residentDifferences, type DifferenceSummary } from "../differences";
import { MAX_SIMULATED_YEARS, monthlyIndicators, rollingIndicators, yearTotals, yearlyIndicators, yearsThroughTargetYear, type PeriodIndicators, type Totals } from "../indicators";
import { InputError } from "../scenario/errors";
import { loadedFromFile, type Scenario } from "../scenario/load";
import { townshipOopByYear, type TownshipName } from "../protection";
import { simulate, type SimulateOptions, type SimulationResult } from "../simulate";
import { defaultWorkers, simulateAll } from "../experiments/runner";
import { ResultsStore, runWithStore } from "../experiments/store";
import { withOverrides, type JobResult } from "../experiments/jobs";
import { drawOverrides, scenarioUncertainty, type UncertainParameter } from "../experiments/uncertainty";
import { canonicalOverrides, canonicalPath, type OverrideValue } from "../scenario/overrides";
import { baselineIndex, scenarioComparison, type ScenarioComparison } from "./comparison";

export type Executor = "workers" | "in-thread" | "store";

export interface StudySpec {
  /** loaded scenarios (sim/scenario/load.ts); worker threads and the store load each again from its `file` (one built in code with extend goes to the workers whole; the store needs files) */
  scenarios: readonly Scenario[];
  /** seeds, each run for every scenario (default [1]); reform and baseline share them (common random numbers) */
  seeds?: readonly number[];
  /** fraction of the county simulated, in (0, 1] (default 1) */
  scale?: number;
  /** simulated years of every scenario (default: each from its start through TARGET_YEAR, yearsThroughTargetYear) */
  years?: number;
  /** the scenario (by name) each other one on the same county is set against (default: the first on the same county) */
  baseline?: string;
  /**
   * keep per-resident traces, so each comparison counts the residents who moved tier (not
   * with the store); "first": only the first seed's runs (what one moved-up.csv needs,
   * without holding a trace per seed)
   */
  traceResidents?: boolean | "first";
  /**
   * Parameter uncertainty (second-order Monte Carlo): run k (seed k) also draws every
   * uncertain parameter — the parameter file's `distribution:` leaves and `extra` (e.g.
   * data/parameter-uncertainty.yaml), less those a scenario fixes — with draw index k of
   * `drawSeed` (default the first seed). The draw of a path is the same in every scenario,
   * so a reform and its baseline twin share seed and parameters and their difference is
   * the policy's. Absent: every run uses the parameter file's values.
   */
  parameterDraws?: { extra?: readonly UncertainParameter[]; drawSeed?: number };
  /**
   * Leaves held in every run of scenario i (the override language, sim/scenario/overrides.ts),
   * e.g. one lever setting of `yigongti solve`: applied to the scenario, and never drawn —
   * a held parameter keeps its value in every parameter draw. Aligned with `scenarios`;
   * undefined or {} for a scenario as written. Each run's job carries them, so the
   * results store keeps each setting's runs apart and a killed study resumes.
   */
  overrides?: readonly (Record<string, OverrideValue> | undefined)[];
}

/** What a progress bar offers (sim/cli/progress.ts ProgressBar has this shape). */
export interface StudyProgress {
  start(label: string, index?: number, count?: number, unit?: string): void;
  update(done: number, total: number): void;
  finish(): void;
}

export interface StudyOptions {
  executor?: Executor;
  /** worker threads (default: all cores, at most one per run); 1 runs in this thread */
  workers?: number;
  /** results store directory (executor "store") */
  store?: string;
  progress?: StudyProgress;
}

export interface StudySettings {
  seeds: number[];
  scale: number;
  /** years given for every scenario, or null: each scenario through TARGET_YEAR */
  years: number | null;
  baseline: string | null;
  traceResidents: boolean | "first";
  /** the parameter draws (null: none): the draw seed and, by scenario name, the parameters drawn */
  parameterDraws: { drawSeed: number; parameters: Record<string, string[]> } | null;
  executor: Executor;
}

/** One scenario simulated with one seed, with its indicators and its comparison. */
export interface StudyRun {
  name: string;
  title: { zh: string; en: string };
  scenario: Scenario;
  settings: { seed: number; scale: number; years: number };
  /** the parameter values drawn for this run (dotted path → value), null without parameter draws */
  draw: Record<string, number> | null;
  residents: number;
  /** simulated months (after the burn-in) */
  months: number;
  /** the last simulated year's period label, e.g. "2020" */
  finalYear: string;
  yearly: PeriodIndicators[];
  monthly: PeriodIndicators[];
  /** trailing 12-month indicators at each month end from the 12th (null without counters: the store) */
  rolling: PeriodIndicators[] | null;
  /** counter totals of each simulated year (flows summed, stocks at year end) */
  yearTotals: Totals[];
  /** the county's townships, and each one's OOP per resident-year in each simulated year (sim/protection.ts) */
  townships: TownshipName[];
  townshipOop: (number | null)[][];
  /** the simulation (counters, per-facility and per-community series, the trace if kept); null from the store */
  result: SimulationResult | null;
  /** the final year against the targets and against the baseline's run with the same seed */
  entry: ScenarioComparison;
  /** per-resident differences from that baseline run (both traced), else null */
  differences: DifferenceSummary | null;
}

export interface StudyScenario {
  scenario: Scenario;
  name: string;
  years: number;
  /** index in Study.scenarios of its baseline (its own index for a baseline) */
  baseline: number;
  /** one per seed, in Study.settings.seeds order */
  runs: StudyRun[];
}

export interface Study {
  settings: StudySettings;
  scenarios: StudyScenario[];
}

/** The runs of one seed (default the first), scenario by scenario — what a single-seed command reads. */
export function seedRuns(study: Study, seedIndex = 0): StudyRun[] {
  return study.scenarios.map((s) => s.runs[seedIndex]);
}

/** The comparison rows of one seed (default the first), scenario by scenario. */
export function seedEntries(study: Study, seedIndex = 0): ScenarioComparison[] {
  return seedRuns(study, seedIndex).map((r) => r.entry);
}

/** Seeds first, first + 1, …, first + n − 1. */
export function seedRange(first: number, n: number): number[] {
  return Array.from({ length: n }, (_, k) => first + k);
}

/** Simulated years of a scenario in a study: the given years, else through TARGET_YEAR (one rule). */
export function studyYears(s: Scenario, years?: number): number {
  return years ?? yearsThroughTargetYear(s.start.year, s.file);
}

interface Plan {
  settings: StudySettings;
  years: number[];
  /** (scenario, seed) pairs, scenario by scenario, seed by seed, with the run's parameter draw and whether it keeps a trace */
  tasks: { scenario: number; seed: number; years: number; draw: Record<string, number> | null; held: Record<string, OverrideValue>; trace: boolean }[];
}

/** Scenario i's held leaves, paths in rooted form (so `choice.x` and `parameters.choice.x` are one). */
const heldOf = (spec: StudySpec, i: number): Record<string, OverrideValue> => canonicalOverrides(spec.overrides?.[i] ?? {});

/** A task's overrides as a job carries them: the held leaves and the parameter draw (absent when neither). */
function taskOverrides(t: Plan["tasks"][number]): { overrides?: Record<string, OverrideValue> } {
  const o = { ...(t.draw ?? {}), ...t.held };
  return Object.keys(o).length ? { overrides: o } : {};
}

function plan(spec: StudySpec, executor: Executor): Plan {
  const seeds = [...(spec.seeds ?? [1])];
  const problems: string[] = [];
  if (spec.scenarios.length === 0) problems.push("a study needs at least one scenario");
  if (seeds.length === 0) problems.push("a study needs at least one seed");
  for (const s of seeds) if (!Number.isSafeInteger(s) || s < 0) problems.push(`seed = ${s}: must be a whole number ≥ 0`);
  if (new Set(seeds).size !== seeds.length) problems.push(`seeds must differ (got ${seeds.join(", ")})`);
  const scale = spec.scale ?? 1;
  if (!(scale > 0 && scale <= 1)) problems.push(`scale = ${scale}: must be greater than 0 and at most 1`);
  if (spec.years !== undefined && !(Number.isInteger(spec.years) && spec.years >= 1 && spec.years <= MAX_SIMULATED_YEARS))
    problems.push(`years = ${spec.years}: must be a whole number from 1 to ${MAX_SIMULATED_YEARS}`);
  if (spec.baseline !== undefined && !spec.scenarios.some((s) => s.name === spec.baseline))
    problems.push(`baseline ${JSON.stringify(spec.baseline)} is not one of the scenarios (${spec.scenarios.map((s) => s.name).join(", ")})`);
  if (executor === "store" && spec.traceResidents) problems.push("the results store keeps indicators only: per-resident traces need the workers or in-thread executor");
  if (spec.overrides !== undefined && spec.overrides.length !== spec.scenarios.length)
    problems.push(`overrides: one entry per scenario (${spec.scenarios.length}), got ${spec.overrides.length}`);
  if (problems.length) throw new InputError(problems);
  const years = spec.scenarios.map((s) => studyYears(s, spec.years));
  const held = spec.scenarios.map((_s, i) => heldOf(spec, i));
  const pd = spec.parameterDraws;
  const uncertain = pd ? spec.scenarios.map((s, i) => scenarioUncertainty(s, pd.extra ?? []).filter((u) => !(canonicalPath(u.path) in held[i]))) : null;
  if (uncertain && uncertain.every((l) => l.length === 0))
    throw new InputError(["parameter draws: no uncertain parameters (give leaves a `distribution:` in the parameter file, or name an uncertainty file)"]);
  const drawSeed = pd?.drawSeed ?? seeds[0];
  const trace = spec.traceResidents ?? false;
  return {
    settings: {
      seeds, scale, years: spec.years ?? null, baseline: spec.baseline ?? null, traceResidents: trace,
      parameterDraws: uncertain ? { drawSeed, parameters: Object.fromEntries(spec.scenarios.map((s, i) => [s.name, uncertain[i].map((u) => u.path)])) } : null,
      executor,
    },
    years,
    tasks: spec.scenarios.flatMap((_s, i) =>
      seeds.map((seed, k) => {
        const d = uncertain ? drawOverrides(uncertain[i], drawSeed, k) : null;
        return { scenario: i, seed, years: years[i], draw: d && Object.keys(d).length ? d : null, held: held[i], trace: trace === true || (trace === "first" && k === 0) };
      }),
    ),
  };
}

/**
 * Run a study: every scenario with every seed on the chosen executor, then each run's
 * indicators and its comparison with its baseline twin. Nothing is written.
 */
export async function runStudy(spec: StudySpec, options: StudyOptions = {}): Promise<Study> {
  const executor = options.executor ?? "workers";
  const p = plan(spec, executor);
  const { progress } = options;
  const { scale } = p.settings;
  const scenarios = spec.scenarios;
  const n = p.tasks.length;
  const label = (unit: string, workers: number) =>
    `${p.settings.seeds.length === 1 ? `${scenarios.length} scenarios` : `${scenarios.length} scenarios × ${p.settings.seeds.length} seeds`} ${unit} ${workers} worker${workers === 1 ? "" : "s"}`;
  if (executor === "store") {
    if (options.store === undefined) throw new InputError(["the store executor needs a results store directory (store)"]);
    const inCode = scenarios.filter((s) => !loadedFromFile(s)).map((s) => s.name);
    if (inCode.length) throw new InputError([`the store executor runs scenario files; ${inCode.join(", ")} ${inCode.length === 1 ? "was" : "were"} built in code (extend): run ${inCode.length === 1 ? "it" : "them"} on workers or in this thread, or write the scenario to a file`]);
    const jobs = p.tasks.map((t) => ({ scenarioFile: scenarios[t.scenario].file, seed: t.seed, years: t.years, scale, ...taskOverrides(t) }));
    const workers = Math.max(1, Math.min(options.workers ?? defaultWorkers(), n));
    progress?.start(label("through the results store on", workers), 1, 1, "runs");
    const out = await runWithStore(jobs, new ResultsStore(options.store), { workers, onProgress: progress?.update });
    progress?.finish();
    return assemble(spec, p, out.results.map((r, i) => fromJob(drawn(scenarios[p.tasks[i].scenario], p.tasks[i]), settingsOf(p, i), p.tasks[i].draw, r)));
  }
  const workers = executor === "in-thread" ? 1 : Math.max(1, Math.min(options.workers ?? defaultWorkers(), n));
  if (workers === 1) return assemble(spec, p, simulateHere(spec, p, progress));
  progress?.start(label("on", workers), 1, 1, p.settings.seeds.length === 1 ? "scenarios" : "runs");
  const results = await simulateAll(
    p.tasks.map((t) => ({
      scenarioFile: scenarios[t.scenario].file,
      // a scenario no file holds as it is (built with extend) goes to the worker whole
      ...(loadedFromFile(scenarios[t.scenario]) ? {} : { scenario: scenarios[t.scenario] }),
      seed: t.seed, scale, years: t.years, traceResidents: t.trace, ...taskOverrides(t),
    })),
    { workers, onProgress: progress?.update },
  );
  progress?.finish();
  return assemble(spec, p, results.map((r, i) => fromSimulation(drawn(scenarios[p.tasks[i].scenario], p.tasks[i]), settingsOf(p, i), p.tasks[i].draw, r)));
}

/** A study run in this thread, synchronously (what the notebooks' one-line `run` and `compare` use). */
export function runStudySync(spec: StudySpec, options: { progress?: StudyProgress; fork?: StudyFork } = {}): Study {
  const p = plan(spec, "in-thread");
  return assemble(spec, p, simulateHere(spec, p, options.progress, options.fork));
}

/** A run's fork options (sim/engine/snapshot.ts), given to every run of an in-thread study (`yigongti run --from-state`, `--save-state`). */
export type StudyFork = Pick<SimulateOptions, "fork" | "saveAt" | "onSnapshot">;

function simulateHere(spec: StudySpec, p: Plan, progress: StudyProgress | undefined, fork: StudyFork = {}): BareRun[] {
  const several = p.settings.seeds.length > 1;
  return p.tasks.map((t, i) => {
    const s = drawn(spec.scenarios[t.scenario], t);
    progress?.start(several ? `${s.name} seed ${t.seed}` : s.name, i + 1, p.tasks.length);
    const r = simulate(s, { seed: t.seed, scale: p.settings.scale, years: t.years, traceResidents: t.trace, onProgress: progress?.update, ...fork });
    progress?.finish();
    return fromSimulation(s, settingsOf(p, i), t.draw, r);
  });
}

/**
 * The scenario with a run's held leaves and parameter draw applied — the same overrides
 * its job carries, so every executor runs the same thing (its name, file and hash stay
 * the scenario's).
 */
function drawn(s: Scenario, t: Plan["tasks"][number]): Scenario {
  const o = taskOverrides(t).overrides;
  if (!o) return s;
  return withOverrides(s, o, Object.keys(t.held).length ? "overrides" : "parameter draw");
}

const settingsOf = (p: Plan, i: number): StudyRun["settings"] => ({ seed: p.tasks[i].seed, scale: p.settings.scale, years: p.tasks[i].years });

type BareRun = Omit<StudyRun, "entry" | "differences">;

/** A simulation's indicators (yearly, monthly, rolling) and year totals, computed once. */
function fromSimulation(s: Scenario, settings: StudyRun["settings"], draw: StudyRun["draw"], r: SimulationResult): BareRun {
  const yearly = yearlyIndicators(r.counters, r.start, r.months);
  return {
    name: s.name,
    title: s.title,
    scenario: s,
    settings,
    draw,
    residents: r.residents,
    months: r.months,
    finalYear: yearly[yearly.length - 1].period,
    yearly,
    monthly: monthlyIndicators(r.counters, r.start, r.months),
    rolling: rollingIndicators(r.counters, r.start, r.months),
    yearTotals: yearTotals(r.counters, r.months),
    townships: r.townships,
    townshipOop: townshipOopByYear(r),
    result: r,
  };
}

/** A run from the results store: its indicators and year totals, without the simulation. */
function fromJob(s: Scenario, settings: StudyRun["settings"], draw: StudyRun["draw"], r: JobResult): BareRun {
  return {
    name: s.name,
    title: s.title,
    scenario: s,
    settings,
    draw,
    residents: r.residents,
    months: r.months,
    finalYear: r.yearly[r.yearly.length - 1].period,
    yearly: r.yearly,
    monthly: r.monthly,
    rolling: null,
    yearTotals: r.yearTotals,
    townships: r.townships,
    townshipOop: r.townshipOop,
    result: null,
  };
}

/** Group the runs by scenario, find each baseline, and compare every run with its baseline twin (same seed). */
function assemble(spec: StudySpec, p: Plan, bare: readonly BareRun[]): Study {
  const S = p.settings.seeds.length;
  const keys = spec.scenarios.map((s) => ({ name: s.name, countyFile: s.countyFile, startYear: s.start.year }));
  const bases = spec.scenarios.map((_s, i) => baselineIndex(keys, i, spec.baseline));
  const at = (i: number, k: number) => bare[i * S + k];
  const scenarios: StudyScenario[] = spec.scenarios.map((s, i) => ({
    scenario: s,
    name: s.name,
    years: p.years[i],
    baseline: bases[i],
    runs: p.settings.seeds.map((_seed, k) => {
      const run = at(i, k);
      const base = at(bases[i], k);
      const differences = run.result?.trace && base.result?.trace ? residentDifferences(base.result, run.result) : null;
      return { ...run, entry: scenarioComparison(run, bases[i] === i ? null : base, differences), differences };
    }),
  }));
  return { settings: p.settings, scenarios };
}

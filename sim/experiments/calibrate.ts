/**
 * Calibration: choose values of named parameters (within their ranges) so that the
 * model's indicators in one year match targets — e.g. the tier constants and perceived
 * quality by tier against the tier shares of visits and admissions and the within-county
 * rate.
 *
 * Objective: the weighted sum of squared errors, Σ w_t (e_t / s_t)², where e_t is the
 * seed-mean indicator minus its target and s_t puts targets on one footing — 1 for shares
 * and growth rates (errors in proportion points), |target| for counts, yuan and rates per
 * resident (relative errors). Every candidate runs on the same seeds (common random
 * numbers), so the objective is deterministic and Nelder–Mead compares like with like
 * (see nelder-mead.ts for why that optimiser). The fit is then re-checked on fresh seeds
 * the optimiser never saw, so over-fitting one set of draws shows up in the report.
 */
import { parseDocument, isMap, type Document } from "yaml";
import { INDICATORS, type IndicatorDefinition } from "../indicators";
import { runJobs } from "./runner";
import type { Job, JobResult } from "./jobs";
import { nelderMead } from "./nelder-mead";
import { parameterValue, type ParameterRange } from "./parameter-ranges";
import { byPoint, indicatorProblem, pointJobs, seedMean, type PointSettings } from "./points";
import { cachedScenario } from "./execute";
import { isDatedValue, splitRoot } from "../scenario/overrides";

export interface CalibrationTarget {
  indicator: string;
  value: number;
  /** relative weight in the objective (default 1) */
  weight: number;
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** Parse `indicatorId=value[:weight]`; throws an Error saying what is allowed. */
export function parseTarget(raw: string): CalibrationTarget {
  const m = /^([^=]+)=([^:]+)(?::(.+))?$/.exec(raw);
  if (!m) throw new Error("must be indicatorId=value or indicatorId=value:weight, e.g. primaryVisitShare=0.54");
  const [, id, v, w] = m;
  const p = indicatorProblem(id.trim());
  if (p) throw new Error(p);
  if (!NUMBER.test(v.trim())) throw new Error(`target ${JSON.stringify(v)} is not a number`);
  if (w !== undefined && !(NUMBER.test(w.trim()) && Number(w) > 0)) throw new Error(`weight ${JSON.stringify(w)} must be a number above 0`);
  return { indicator: id.trim(), value: Number(v), weight: w === undefined ? 1 : Number(w) };
}

function definition(id: string): IndicatorDefinition {
  const d = INDICATORS.find((x) => x.id === id);
  if (!d) throw new Error(indicatorProblem(id)!);
  return d;
}

/** The scale an indicator's error is measured in: 1 for shares and growth, |target| otherwise. */
export function errorScale(t: Pick<CalibrationTarget, "indicator" | "value">): number {
  const unit = definition(t.indicator).unit;
  return unit === "share" || unit === "growth" ? 1 : Math.abs(t.value) > 0 ? Math.abs(t.value) : 1;
}

/** Σ w (e / s)² over the targets; Infinity when an indicator is undefined (NaN). */
export function calibrationObjective(achieved: readonly number[], targets: readonly CalibrationTarget[]): number {
  let sum = 0;
  targets.forEach((t, i) => {
    const e = (achieved[i] - t.value) / errorScale(t);
    sum += t.weight * e * e;
  });
  return Number.isNaN(sum) ? Infinity : sum;
}

export interface CalibrationOptions extends PointSettings {
  ranges: ParameterRange[];
  targets: CalibrationTarget[];
  /** yearly period label the targets refer to (e.g. "2018") */
  period: string;
  /** most candidate points evaluated (each runs once per seed) */
  maxEvaluations: number;
  /** fresh seeds to re-check the fit on (none: no check) */
  checkSeeds?: readonly number[];
  /** starting point (default: the scenario's values, moved into the ranges) */
  start?: number[];
  /** initial simplex edge as a fraction of each range (default 0.2) */
  initialStep?: number;
  /** convergence: simplex size in the unit cube of the ranges (default 1e-3) */
  xTolerance?: number;
  /**
   * stop once the objective is at or below this (default 1e-8: share errors of about
   * 0.01 points, far below the seed noise a fresh seed shows)
   */
  objectiveTolerance?: number;
  workers?: number;
  /** how jobs are run (default: runJobs on `workers`); e.g. a store-backed runner */
  run?: (jobs: Job[]) => Promise<JobResult[]>;
  onEvaluation?: (evaluations: number, maxEvaluations: number, bestValue: number) => void;
}

export interface TargetFit {
  indicator: string;
  label: { en: string; zh: string };
  unit: string;
  target: number;
  weight: number;
  /** seed mean at the calibrated values, on the calibration seeds */
  achieved: number;
  error: number;
  /** achieved on the check seeds (null without check seeds) */
  checkAchieved: number | null;
  checkError: number | null;
}

export interface CalibrationReport {
  scenario: { name: string; file: string; hash: string; parameterFile: string };
  period: string;
  seeds: number[];
  checkSeeds: number[];
  years?: number;
  scale?: number;
  parameters: { path: string; low: number; high: number; original: number; start: number; calibrated: number; atBound: boolean }[];
  /** leaves held fixed in every run (`--set`), when any */
  overrides?: Record<string, unknown>;
  targets: TargetFit[];
  objective: number;
  checkObjective: number | null;
  evaluations: number;
  runs: number;
  iterations: number;
  restarts: number;
  converged: boolean;
  /** every candidate: its parameter values, achieved indicators and objective */
  trace: { evaluation: number; x: number[]; achieved: number[]; objective: number }[];
}

export async function calibrate(o: CalibrationOptions): Promise<CalibrationReport> {
  if (o.ranges.length === 0) throw new Error("calibration needs at least one parameter range");
  if (o.targets.length === 0) throw new Error("calibration needs at least one target");
  if (o.seeds.length === 0) throw new Error("calibration needs at least one seed");
  const scenario = cachedScenario(o.scenarioFile);
  const original = o.ranges.map((r) => parameterValue(scenario, r.path));
  const start = o.start ?? original.map((v, i) => Math.min(o.ranges[i].high, Math.max(o.ranges[i].low, v)));
  const run = o.run ?? ((jobs: Job[]) => runJobs(jobs, { workers: o.workers }));
  const trace: CalibrationReport["trace"] = [];
  let runs = 0;
  let bestSoFar = Infinity;

  const achievedAt = async (points: number[][], seeds: readonly number[]): Promise<number[][]> => {
    const results = await run(pointJobs(o.ranges, points, { ...o, seeds }, { design: "calibration" }));
    runs += results.length;
    return byPoint(results, seeds.length).map((rs) => o.targets.map((t) => seedMean(rs, t.indicator, o.period)));
  };

  const result = await nelderMead(
    async (points) => {
      const achieved = await achievedAt(points, o.seeds);
      return achieved.map((a, i) => {
        const objective = calibrationObjective(a, o.targets);
        trace.push({ evaluation: trace.length + 1, x: points[i], achieved: a, objective });
        bestSoFar = Math.min(bestSoFar, objective);
        o.onEvaluation?.(trace.length, o.maxEvaluations, bestSoFar);
        return objective;
      });
    },
    start,
    {
      lower: o.ranges.map((r) => r.low),
      upper: o.ranges.map((r) => r.high),
      maxEvaluations: o.maxEvaluations,
      initialStep: o.initialStep,
      xTolerance: o.xTolerance,
      stopAt: o.objectiveTolerance ?? 1e-8,
    },
  );
  // The best candidate seen (the optimiser's best vertex; the objective is deterministic).
  const bestTrace = trace.reduce((a, b) => (b.objective < a.objective ? b : a));
  const best = bestTrace.x;
  const achieved = bestTrace.achieved;
  const check = o.checkSeeds && o.checkSeeds.length > 0 ? (await achievedAt([best], o.checkSeeds))[0] : null;
  const eps = 1e-9;
  return {
    scenario: { name: scenario.name, file: scenario.file, hash: scenario.hash, parameterFile: scenario.parameterFile },
    period: o.period,
    seeds: [...o.seeds],
    checkSeeds: [...(o.checkSeeds ?? [])],
    years: o.years,
    scale: o.scale,
    ...(o.overrides && Object.keys(o.overrides).length ? { overrides: { ...o.overrides } } : {}),
    parameters: o.ranges.map((r, i) => ({
      path: r.path,
      low: r.low,
      high: r.high,
      original: original[i],
      start: start[i],
      calibrated: best[i],
      atBound: best[i] - r.low < eps * (r.high - r.low) || r.high - best[i] < eps * (r.high - r.low),
    })),
    targets: o.targets.map((t, i) => {
      const d = definition(t.indicator);
      return {
        indicator: t.indicator,
        label: d.label,
        unit: d.unit,
        target: t.value,
        weight: t.weight,
        achieved: achieved[i],
        error: achieved[i] - t.value,
        checkAchieved: check ? check[i] : null,
        checkError: check ? check[i] - t.value : null,
      };
    }),
    objective: bestTrace.objective,
    checkObjective: check ? calibrationObjective(check, o.targets) : null,
    evaluations: result.evaluations,
    runs,
    iterations: result.iterations,
    restarts: result.restarts,
    converged: result.converged,
    trace,
  };
}

/** Short text of the fit for a parameter's `source:` (targets, achieved, settings). */
export function calibrationSource(r: CalibrationReport): string {
  const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : Number(x.toPrecision(4)).toString());
  const targets = r.targets.map((t) => `${t.indicator} ${fmt(t.target)} (achieved ${fmt(t.achieved)})`).join(", ");
  return (
    `calibrated with yigongti calibrate (${r.scenario.file}, year ${r.period}, seeds ${r.seeds.join(",")}, scale ${r.scale ?? 1}) to targets: ${targets}`
  );
}

/**
 * The scenario's parameter file with the calibrated leaves replaced: each calibrated value
 * is written in place (inside its `{value, unit, source}` leaf — for a leaf holding a
 * table such as tierConstant, the one entry), the leaf's `source:` says it was calibrated
 * to which targets and keeps what it said before, and the file's comments are kept. The
 * result is a complete parameter file a scenario can name as its `parameterFile:`.
 */
export function calibratedParameterFile(parameterFileText: string, r: CalibrationReport, fileName: string): string {
  const doc = parseDocument(parameterFileText);
  const source = calibrationSource(r);
  const leafSources = new Map<string, string>();
  for (const p of r.parameters) {
    const leafPath = splitRoot(p.path);
    if (leafPath.root !== "parameters") continue; // policy levers go into the calibrated scenario (calibratedScenarioFile)
    const keys = leafPath.path.split(".");
    const { leaf, inner } = findLeaf(doc, keys, fileName);
    const value = Number(p.calibrated.toPrecision(6));
    doc.setIn([...leaf, "value", ...inner], value);
    const lk = leaf.join(".");
    const names = leafSources.get(lk);
    leafSources.set(lk, names ? `${names}, ${inner.join(".")}` : inner.join("."));
  }
  for (const [lk, innerNames] of leafSources) {
    const leaf = lk.split(".");
    const previous = String(doc.getIn([...leaf, "source"]) ?? "");
    const which = innerNames ? ` (${innerNames})` : "";
    doc.setIn([...leaf, "source"], `${source}${which}; previously: ${previous}`);
  }
  const header = [
    ` Calibrated parameter file written by \`yigongti calibrate\` from ${r.scenario.parameterFile}.`,
    ` Scenario ${r.scenario.file} (hash ${r.scenario.hash.slice(0, 12)}), targets for ${r.period}:`,
    ...r.targets.map((t) => `   ${t.indicator}: target ${t.target}, achieved ${Number(t.achieved.toPrecision(6))}, error ${Number(t.error.toPrecision(3))}${t.checkAchieved !== null ? ` (fresh seeds: ${Number(t.checkAchieved.toPrecision(6))})` : ""}`),
    ` Calibrated: ${r.parameters.map((p) => `${p.path} ${Number(p.original.toPrecision(6))} → ${Number(p.calibrated.toPrecision(6))}`).join("; ")}.`,
    ...(r.parameters.some((p) => splitRoot(p.path).root === "policy") ? [` Policy levers are not in this file: they are in the calibrated scenario written beside it.`] : []),
    ` To use it, point a scenario's parameterFile: at this file.`,
  ];
  // the source file's editor schema line (`# yaml-language-server: $schema=…`) is relative to where it lives: not carried over
  const before = doc.commentBefore?.split("\n").filter((l) => !/^\s*yaml-language-server:/.test(l)).join("\n");
  doc.commentBefore = [...header, ...(before ? ["", before] : [])].join("\n");
  return doc.toString({ lineWidth: 0 });
}

/**
 * A scenario that extends the calibrated one, names the calibrated parameter file and
 * holds each calibrated policy lever under `parameters:` (for the whole run, as during
 * the calibration). Paths are relative to the directory the file is written to.
 */
export function calibratedScenarioFile(r: CalibrationReport, o: { scenarioFromOut: string; parameterFileName: string }): string {
  const levers = r.parameters.filter((p) => splitRoot(p.path).root === "policy");
  const fmt = (x: number) => Number(x.toPrecision(6));
  const lines = [
    `# Calibrated scenario: ${calibrationSource(r)}.`,
    `# The policy levers below hold for the whole run, as they did while calibrating.`,
    `name: ${r.scenario.name}-calibrated`,
    `description: ${JSON.stringify(`${r.scenario.name} with ${r.parameters.map((p) => p.path).join(", ")} calibrated to ${r.targets.map((t) => t.indicator).join(", ")} in ${r.period}`)}`,
    `extends: ${JSON.stringify(o.scenarioFromOut)}`,
    `parameterFile: ${JSON.stringify(o.parameterFileName)}`,
  ];
  const held = [
    ...levers.map((p) => `  ${p.path}: ${fmt(p.calibrated)}   # was ${fmt(p.original)}; bounds ${fmt(p.low)} to ${fmt(p.high)}`),
    ...Object.entries(r.overrides ?? {}).filter(([, v]) => !isDatedValue(v)).map(([k, v]) => `  ${k}: ${JSON.stringify(v)}   # held during the calibration (--set)`),
  ];
  if (held.length) lines.push("parameters:", ...held);
  // dated --set values are changes at a date: timeline entries
  const dated = Object.entries(r.overrides ?? {}).filter(([, v]) => isDatedValue(v)) as [string, Record<string, unknown>][];
  if (dated.length) {
    lines.push("timeline:");
    for (const [k, v] of dated) for (const [month, x] of Object.entries(v)) lines.push(`  - {from: "${month}", source: "held during the calibration (--set)", set: {${k}: ${JSON.stringify(x)}}}`);
  }
  return lines.join("\n") + "\n";
}

/** Split a parameter path into the `{value, unit, source}` leaf and the keys inside its value. */
function findLeaf(doc: Document, keys: string[], fileName: string): { leaf: string[]; inner: string[] } {
  for (let i = 1; i <= keys.length; i++) {
    const node = doc.getIn(keys.slice(0, i), true);
    if (isMap(node) && node.has("value")) {
      const leaf = keys.slice(0, i);
      const inner = keys.slice(i);
      if (inner.length > 0 && doc.getIn([...leaf, "value", ...inner]) === undefined) break;
      return { leaf, inner };
    }
    if (!isMap(node)) break;
  }
  throw new Error(`${fileName}: no {value, unit, source} leaf holds ${keys.join(".")}`);
}

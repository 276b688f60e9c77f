/**
 * Parameter sweeps: a grid or a Latin hypercube over named parameter ranges, each point
 * run on the same seeds, every indicator summarised per point and simulated year (mean,
 * standard deviation and range over the seeds).
 *
 * Jobs are listed point by point, seed by seed, and carry tags {design: "sweep", point};
 * they go through the runner and, with a store, into it as they finish — so a sweep
 * killed half-way resumes, and `--shard i/N` splits the same job list across machines.
 */
import * as ss from "simple-statistics";
import { INDICATORS } from "../indicators";
import { gridDesign, latinHypercubeDesign } from "./design";
import type { JobResult } from "./jobs";
import type { ParameterRange } from "./parameter-ranges";
import { byPoint, executeJobs, indicatorOf, pointJobs, type ExecuteOptions, type PointSettings } from "./points";

export type SweepDesign = "grid" | "lhs";

export interface SweepSpec extends PointSettings {
  ranges: ParameterRange[];
  design: SweepDesign;
  /** Latin-hypercube points (lhs only) */
  samples?: number;
  /** seed of the design's random stream (lhs only) */
  designSeed?: number;
}

/** The design's points, in parameter values, in run order. */
export function sweepPoints(spec: Pick<SweepSpec, "ranges" | "design" | "samples" | "designSeed">): number[][] {
  if (spec.design === "grid") return gridDesign(spec.ranges);
  if (spec.samples === undefined) throw new Error("a Latin-hypercube sweep needs a number of samples");
  return latinHypercubeDesign(spec.ranges, spec.samples, spec.designSeed ?? 1);
}

export const sweepJobs = (spec: SweepSpec, points: readonly (readonly number[])[]) => pointJobs(spec.ranges, points, spec, { design: "sweep" });

/** One point × period × indicator, summarised over the seeds. */
export interface SweepRow {
  point: number;
  values: number[];
  period: string;
  indicator: string;
  /** over the seeds with a value (null when none has one, e.g. growth in the first year) */
  mean: number | null;
  sd: number | null;
  min: number | null;
  max: number | null;
  seeds: number;
}

export function summarizeSweep(points: readonly (readonly number[])[], results: readonly JobResult[], seeds: number): SweepRow[] {
  const rows: SweepRow[] = [];
  byPoint(results, seeds).forEach((rs, p) => {
    for (const { period } of rs[0].yearly) {
      for (const d of INDICATORS) {
        // an optional module's indicator only where the point's runs used the module (sim/indicators.ts OPTIONAL_MODULES)
        const having = rs.filter((r) => r.yearly.some((y) => d.id in y.values));
        if (having.length === 0) continue;
        const vs = having.map((r) => indicatorOf(r, d.id, period)).filter((v): v is number => v !== null);
        const n = vs.length;
        const mean = n ? ss.mean(vs) : null;
        const sd = n > 1 ? ss.sampleStandardDeviation(vs) : n === 1 ? 0 : null;
        rows.push({ point: p, values: [...points[p]], period, indicator: d.id, mean, sd, min: n ? Math.min(...vs) : null, max: n ? Math.max(...vs) : null, seeds: n });
      }
    }
  });
  return rows;
}

export interface SweepOutcome {
  points: number[][];
  /** every run in job order (point-major); null when only one shard ran */
  results: JobResult[] | null;
  /** per point × year × indicator over the seeds; null when only one shard ran */
  rows: SweepRow[] | null;
  ran: number;
  skipped: number;
  /** runs this invocation was responsible for (its shard, or all) */
  jobs: number;
}

/**
 * A sweep in one call (e.g. from a notebook):
 *   const { rows } = await runSweep({ scenarioFile, ranges: [{ path: "choice.quality", low: 3.5, high: 5.5, steps: 5 }],
 *                                     design: "grid", seeds: [1, 2], scale: 0.05 });
 */
export async function runSweep(spec: SweepSpec, options: ExecuteOptions = {}): Promise<SweepOutcome> {
  const points = sweepPoints(spec);
  const out = await executeJobs(sweepJobs(spec, points), options);
  return { points, results: out.results, rows: out.results ? summarizeSweep(points, out.results, spec.seeds.length) : null, ran: out.ran, skipped: out.skipped, jobs: out.jobs };
}

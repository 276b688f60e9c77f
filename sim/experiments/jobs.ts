/**
 * Jobs: one simulation run each — a scenario file, a seed, a horizon, a scale and
 * optional parameter overrides by dotted path. A job is plain data (it crosses to worker
 * threads and into the results store) and its result depends on nothing else, so jobs
 * can run in any order, on any number of workers or machines.
 */
import { createHash } from "node:crypto";
import type { PeriodIndicators, Totals } from "../indicators";
import type { Manifest } from "../manifest";
import { PARAMETERS_SPEC, checkShares, type Parameters } from "../parameters";
import { InputError, showValue } from "../scenario/errors";
import { canonicalJson, type Scenario } from "../scenario/load";
import { allowedKeysNear, setPath, specAt, validate } from "../scenario/schema";

export interface Job {
  /** scenario YAML file (relative to the working directory, or absolute) */
  scenarioFile: string;
  seed: number;
  /** simulated years (default: the scenario's `years`) */
  years?: number;
  /** fraction of the county simulated, 0 < scale ≤ 1 (default 1) */
  scale?: number;
  /** numeric parameter leaves by dotted path, e.g. {"choice.quality": 4.2}; applied after the scenario's own */
  overrides?: Record<string, number>;
  /** free-form labels carried through to the result and the store (e.g. {draw: 3}); not part of the key */
  tags?: Record<string, string | number>;
}

export interface JobResult {
  job: Job;
  /** identity of the run in the results store (see jobKey) */
  key: string;
  scenario: { name: string; file: string; hash: string };
  years: number;
  scale: number;
  start: string;
  months: number;
  residents: number;
  yearly: PeriodIndicators[];
  monthly: PeriodIndicators[];
  /** counter totals of each simulated year (flows summed, stocks at year end) — what the siphon verdict and regression references read */
  yearTotals: Totals[];
  manifest: Manifest & { overrides: Record<string, number> };
}

/**
 * Check overrides against the parameter schema: every path must name a numeric leaf and
 * every value be a finite number in its allowed range. Problems name the path.
 */
export function overrideProblems(overrides: Record<string, unknown>, where = "overrides"): string[] {
  const problems: string[] = [];
  for (const [path, value] of Object.entries(overrides)) {
    const spec = specAt(PARAMETERS_SPEC, path);
    if (!spec) {
      const near = allowedKeysNear(PARAMETERS_SPEC, path);
      problems.push(`${where}: ${path}: unknown parameter${near.length ? `; allowed here: ${near.join(", ")}` : ""}`);
    } else if (spec.kind !== "number") {
      problems.push(`${where}: ${path}: not a numeric parameter leaf (it is ${spec.kind === "object" || spec.kind === "record" ? "a group" : `a ${spec.kind}`}); name a number, e.g. ${path}.${allowedKeysNear(PARAMETERS_SPEC, path)[0] ?? "…"}`);
    } else if (typeof value !== "number") {
      problems.push(`${where}: ${path} = ${showValue(value)}: must be a number`);
    } else {
      problems.push(...validate(value, spec, path, where));
    }
  }
  return problems;
}

/** Parameters with overrides applied and checked (InputError naming each bad path). */
export function applyOverrides(p: Parameters, overrides: Record<string, number> | undefined, where = "overrides"): Parameters {
  if (!overrides || Object.keys(overrides).length === 0) return p;
  const problems = overrideProblems(overrides, where);
  if (problems.length) throw new InputError(problems);
  let out = p;
  for (const [path, v] of Object.entries(overrides)) out = setPath(out, path, v);
  const shares = checkShares(out, where);
  if (shares.length) throw new InputError(shares);
  return out;
}

/** A scenario with overrides applied to its parameters. */
export function withOverrides(s: Scenario, overrides: Record<string, number> | undefined): Scenario {
  if (!overrides || Object.keys(overrides).length === 0) return s;
  return { ...s, parameters: applyOverrides(s.parameters, overrides) };
}

const sha = (s: string) => createHash("sha256").update(s).digest("hex");

/**
 * A run's identity: scenario content hash, seed, years, scale, overrides and model
 * fingerprint (version + source hash, see fingerprint.ts). Two jobs with one key give bit-identical results, so the store keeps one.
 */
export function jobKey(scenarioHash: string, job: Job, years: number, model: string): string {
  const id = canonicalJson({ scenario: scenarioHash, seed: job.seed, years, scale: job.scale ?? 1, overrides: job.overrides ?? {}, model });
  return sha(id).slice(0, 32);
}

/** Parse a shard spec "i/N" (1 ≤ i ≤ N). */
export function parseShard(raw: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(raw);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!(Number.isInteger(index) && Number.isInteger(count) && count >= 1 && index >= 1 && index <= count)) {
    throw new Error("must be i/N with 1 ≤ i ≤ N, e.g. 3/10 (Slurm: $((SLURM_ARRAY_TASK_ID+1))/N)");
  }
  return { index, count };
}

/**
 * The jobs of shard i of N: every N-th job starting at i−1 (round robin keeps shards
 * balanced when jobs are listed scenario by scenario). Deterministic: depends only on
 * the list, so every shard computes the same list and takes its own part.
 */
export function shardJobs<T>(jobs: readonly T[], shard: { index: number; count: number } | undefined): T[] {
  if (!shard || shard.count === 1) return [...jobs];
  return jobs.filter((_, i) => i % shard.count === shard.index - 1);
}

/**
 * Jobs: one simulation run each — a scenario file, a seed, a horizon, a scale and
 * optional overrides `{path: value}` of parameter and policy leaves
 * (sim/scenario/overrides.ts). A job is plain data (it crosses to worker
 * threads and into the results store) and its result depends on nothing else, so jobs
 * can run in any order, on any number of workers or machines.
 */
import { createHash } from "node:crypto";
import type { PeriodIndicators, Totals } from "../indicators";
import type { Manifest } from "../manifest";
import type { TownshipName } from "../protection";
import type { Parameters } from "../parameters";
import { InputError } from "../scenario/errors";
import { canonicalJson, formatYearMonth, monthsBetween, scenarioPolicyProblems, type Scenario } from "../scenario/load";
import { applyParameterLeaves, applyPolicyLeaves, canonicalOverrides, checkOverrides, type OverrideValue } from "../scenario/overrides";

export interface Job {
  /** scenario YAML file (relative to the working directory, or absolute) */
  scenarioFile: string;
  seed: number;
  /** simulated years (default: the scenario's `years`) */
  years?: number;
  /** fraction of the county simulated, 0 < scale ≤ 1 (default 1) */
  scale?: number;
  /**
   * parameter and policy leaves by dotted path, e.g. {"choice.quality": 4.2,
   * "policy.insurance.resident.inpatient.rate.township": 0.9}; a bare path is a parameter.
   * Applied after the scenario's own settings; a policy leaf holds for the whole run
   * (later timeline settings of that leaf are overridden too), or, dated as
   * {"policy.payment.regime": {"2019-07": "capitation"}}, from each month it names on.
   */
  overrides?: Record<string, OverrideValue>;
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
  /** the county's townships, and each one's OOP per resident-year in each simulated year (sim/protection.ts) */
  townships: TownshipName[];
  townshipOop: (number | null)[][];
  manifest: Manifest & { overrides: Record<string, OverrideValue> };
  /**
   * visits and admissions at each out-of-county facility in each simulated year, [year][i]
   * by `ids` — only for a county with in-prefecture options (outOfCounty[].inPrefecture):
   * the cross-county flows of a prefecture run (sim/prefecture/results.ts)
   */
  outOfCountyCare?: { ids: string[]; visits: number[][]; admissions: number[][] };
}

/**
 * Check overrides with the one walker (sim/scenario/overrides.ts): every path must name
 * a parameter or policy leaf and every value be of its type and in its range. Problems
 * name `where`, the path and what is allowed.
 */
export function overrideProblems(overrides: Record<string, unknown>, where = "overrides"): string[] {
  return checkOverrides(overrides, { where }).problems;
}

/** Parameters with (parameter) overrides applied and checked (InputError naming each bad path). */
export function applyOverrides(p: Parameters, overrides: Record<string, unknown> | undefined, where = "overrides"): Parameters {
  if (!overrides || Object.keys(overrides).length === 0) return p;
  const { leaves, problems } = checkOverrides(overrides, { where });
  if (problems.length) throw new InputError(problems);
  return applyParameterLeaves(p, leaves, where);
}

/**
 * A scenario with overrides applied: parameter leaves to its parameters, policy leaves to
 * its starting policy, held for the whole run (removed from later timeline entries). The
 * scenario's checks against its county and start are run again. `hash` stays the base
 * scenario's (the job key adds the overrides).
 */
export function withOverrides(s: Scenario, overrides: Record<string, unknown> | undefined, where = "overrides"): Scenario {
  if (!overrides || Object.keys(overrides).length === 0) return s;
  const { leaves, problems } = checkOverrides(overrides, { where });
  if (problems.length) throw new InputError(problems);
  const parameters = applyParameterLeaves(s.parameters, leaves, where);
  if (!leaves.some((l) => l.root === "policy")) return { ...s, parameters };
  const early = leaves.flatMap((l) => (l.dated ?? []).filter((d) => monthsBetween(s.start, d.from) < 0).map((d) => `${where}: ${l.full} (from ${formatYearMonth(d.from)}): before the scenario start ${formatYearMonth(s.start)}; give the value for the whole run instead`));
  if (early.length) throw new InputError(early);
  const { basePolicy, timeline } = applyPolicyLeaves(s.basePolicy, s.timeline, leaves, where);
  const out = { ...s, parameters, basePolicy, timeline };
  const bad = scenarioPolicyProblems(out, `${s.file} (with ${where} ${Object.keys(overrides).join(", ")})`);
  if (bad.length) throw new InputError(bad);
  return out;
}

const sha = (s: string) => createHash("sha256").update(s).digest("hex");

/**
 * A run's identity: scenario content hash, seed, years, scale, overrides (parameter and
 * policy leaves, paths in rooted form, so `choice.quality` and
 * `parameters.choice.quality` are one run) and model fingerprint (version + source hash,
 * see fingerprint.ts). Two jobs with one key give bit-identical results, so the store
 * keeps one.
 */
export function jobKey(scenarioHash: string, job: Job, years: number, model: string): string {
  const id = canonicalJson({ scenario: scenarioHash, seed: job.seed, years, scale: job.scale ?? 1, overrides: canonicalOverrides(job.overrides ?? {}), model });
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

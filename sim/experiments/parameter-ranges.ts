/**
 * Named ranges for sweeps, sensitivity analysis and calibration: a dotted path to a
 * numeric leaf of the parameters or the policy (the override language of
 * sim/scenario/overrides.ts: `choice.quality` = `parameters.choice.quality`,
 * `policy.insurance.resident.inpatient.rate.township`) with a low and high value and,
 * for grids, a number of steps — written on the command line as `path=lo:hi[:steps]`.
 *
 * Every range is checked against the declarations (sim/parameters.ts, sim/policy.ts):
 * the path must name a numeric leaf and both ends must lie inside the values allowed
 * there, so a sweep never starts jobs that the loader would reject half-way through.
 */
import type { Parameters } from "../parameters";
import type { Policy } from "../policy";
import { canonicalPath, groupProblem, isGroup, leafValue, lookupPath } from "../scenario/overrides";

export interface ParameterRange {
  /** dotted path into the parameter tree */
  path: string;
  low: number;
  high: number;
  /** grid points from low to high inclusive (grid designs only; ≥ 2) */
  steps?: number;
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
export const MAX_STEPS = 1000;

/** Why `path` is not a numeric parameter or policy leaf (with what is allowed), or null. */
export function parameterPathProblem(path: string): string | null {
  const found = lookupPath(path);
  if ("problem" in found) return `${path}: ${found.problem}`;
  const s = found.spec;
  if (isGroup(s)) return `${path}: ${groupProblem(path, s)}`;
  if (s.kind !== "number") {
    const takes = s.kind === "enum" ? `one of ${s.values.join(", ")}` : s.kind === "boolean" ? "true or false" : s.kind === "idsOrAll" ? `"all" or a list of ids` : s.kind;
    return `${path}: not a numeric leaf (it takes ${takes}); fix it for every point with --set ${path}=VALUE, or list scenarios`;
  }
  return null;
}

/** The declared interval of a numeric leaf. */
export function parameterBounds(path: string): { min: number; max: number; integer: boolean } {
  const found = lookupPath(path);
  if ("problem" in found || found.spec.kind !== "number") throw new Error(parameterPathProblem(path) ?? `${path}: not a numeric leaf`);
  const s = found.spec;
  return { min: s.min ?? -Infinity, max: s.max ?? Infinity, integer: Boolean(s.integer) };
}

/** Check a range; returns problems (empty when fine). */
export function rangeProblems(r: ParameterRange): string[] {
  const p = parameterPathProblem(r.path);
  if (p) return [p];
  const problems: string[] = [];
  const b = parameterBounds(r.path);
  if (!(r.low < r.high)) problems.push(`${r.path}: low ${r.low} must be below high ${r.high}`);
  for (const v of [r.low, r.high]) {
    if (v < b.min || v > b.max) problems.push(`${r.path}: ${v} is outside the allowed ${b.min} to ${b.max}`);
  }
  if (b.integer) problems.push(`${r.path}: is a whole-number setting, not a continuous parameter; sweep it by listing scenarios instead`);
  if (r.steps !== undefined && !(Number.isInteger(r.steps) && r.steps >= 2 && r.steps <= MAX_STEPS)) {
    problems.push(`${r.path}: steps ${r.steps} must be a whole number from 2 to ${MAX_STEPS}`);
  }
  return problems;
}

/**
 * Parse `path=lo:hi` or `path=lo:hi:steps`. Throws an Error whose message says what is
 * allowed (the CLI turns it into a UsageError naming the option).
 */
export function parseParameterRange(raw: string, opts: { steps?: "allowed" | "forbidden" } = {}): ParameterRange {
  const eq = raw.indexOf("=");
  const form = opts.steps === "forbidden" ? "path=low:high" : "path=low:high[:steps]";
  if (eq <= 0) throw new Error(`must be ${form}, e.g. choice.quality=3.5:5.5${opts.steps === "forbidden" ? "" : ":5"}`);
  const path = raw.slice(0, eq).trim();
  const parts = raw.slice(eq + 1).split(":");
  if (parts.length < 2 || parts.length > (opts.steps === "forbidden" ? 2 : 3)) throw new Error(`must be ${form}, e.g. ${path}=0.1:0.9`);
  for (const p of parts) if (!NUMBER.test(p.trim())) throw new Error(`${JSON.stringify(p)} is not a number; must be ${form}`);
  const [low, high] = [Number(parts[0]), Number(parts[1])];
  const range: ParameterRange = { path, low, high, ...(parts.length === 3 ? { steps: Number(parts[2]) } : {}) };
  const problems = rangeProblems(range);
  if (problems.length) throw new Error(problems.join("; "));
  return range;
}

/** Problems with a set of ranges taken together (a leaf named twice, also as `choice.x` and `parameters.choice.x`). */
export function rangeSetProblems(ranges: readonly ParameterRange[]): string[] {
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const r of ranges) {
    const key = canonicalPath(r.path);
    if (seen.has(key)) problems.push(`${r.path} is named more than once`);
    seen.add(key);
  }
  return problems;
}

/**
 * The value of a numeric leaf in a scenario: a parameter, or a policy lever in the
 * starting policy (before the timeline; an override holds it for the whole run).
 */
export function parameterValue(s: { parameters: Parameters; basePolicy: Policy }, path: string): number {
  const v = leafValue(s, path);
  if (typeof v !== "number") throw new Error(`${path}: not a numeric leaf of this scenario`);
  return v;
}

/** Map a point of the unit cube to parameter values (linear in each range). */
export function fromUnit(ranges: readonly ParameterRange[], u: readonly number[]): number[] {
  return ranges.map((r, i) => r.low + (r.high - r.low) * u[i]);
}

/** Map parameter values to the unit cube. */
export function toUnit(ranges: readonly ParameterRange[], x: readonly number[]): number[] {
  return ranges.map((r, i) => (x[i] - r.low) / (r.high - r.low));
}

/** A point as the runner's overrides: {dotted.path: value} (paths as written). */
export function overridesOf(ranges: readonly ParameterRange[], x: readonly number[]): Record<string, number> {
  return Object.fromEntries(ranges.map((r, i) => [r.path, x[i]]));
}

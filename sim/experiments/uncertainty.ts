/**
 * Second-order Monte Carlo: which parameters are uncertain, and the overrides of each
 * parameter draw.
 *
 * Distributions come from the scenario's parameter file (leaves with `distribution:`,
 * see sim/distributions.ts) and, optionally, an uncertainty file that adds or replaces
 * them without touching the parameter file (data/parameter-uncertainty.yaml):
 *
 *   choice.quality: {distribution: "normal(4.502, 0.45)", unit: …, source: …}
 *
 * A parameter the scenario itself overrides (`parameters:`) is fixed there and not drawn.
 * Draw d of parameter p uses uniforms keyed (drawSeed, stream "parameters", d, hash(p)),
 * so adding a distribution never changes the draws of the others.
 */
import { drawFrom, parseDistribution, type Distribution } from "../distributions";
import { stripProvenance } from "../parameters";
import { InputError, showValue, shownPath } from "../scenario/errors";
import { sourceCitationProblems } from "../scenario/citations";
import { readYaml, type Scenario } from "../scenario/load";
import { isPlainObject } from "../scenario/schema";
import { streamKey, streamNameHash, uniform } from "../random";
import { overrideProblems } from "./jobs";

export interface UncertainParameter {
  path: string;
  distribution: Distribution;
  /** the distribution as written */
  text: string;
  unit: string;
  source: string;
  /** file it was read from */
  file: string;
}

export const PARAMETER_STREAM = "parameters";


/** Distribution leaves of a nested parameter tree ({value?, distribution, unit, source}). */
export function treeDistributions(tree: unknown, file: string, prefix = ""): UncertainParameter[] {
  const out: UncertainParameter[] = [];
  if (!isPlainObject(tree)) return out;
  if ("distribution" in tree) {
    try {
      out.push({ path: prefix, distribution: parseDistribution(tree.distribution), text: String(tree.distribution), unit: String(tree.unit ?? ""), source: String(tree.source ?? ""), file });
    } catch {
      // stripProvenance reports the problem when the file is loaded
    }
    return out;
  }
  if ("value" in tree) return out;
  for (const [k, v] of Object.entries(tree)) out.push(...treeDistributions(v, file, prefix ? `${prefix}.${k}` : k));
  return out;
}

/** Read an uncertainty file: a mapping of dotted parameter path → {distribution, unit, source}. */
export function loadUncertaintyFile(path: string): UncertainParameter[] {
  const file = shownPath(path);
  const raw = readYaml(path, "uncertainty");
  if (!isPlainObject(raw)) throw new InputError([`${file}: must be a mapping of dotted.parameter.path: {distribution, unit, source}`]);
  const problems: string[] = sourceCitationProblems(raw, file);
  const out: UncertainParameter[] = [];
  for (const [p, leaf] of Object.entries(raw)) {
    if (!isPlainObject(leaf)) {
      problems.push(`${file}: ${p} = ${showValue(leaf)}: must be a mapping {distribution, unit, source}`);
      continue;
    }
    if (!("distribution" in leaf)) problems.push(`${file}: ${p}.distribution: missing; ${`write e.g. "normal(4.5, 0.4)" or "uniform(0.4, 1)"`}`);
    problems.push(...stripProvenance(leaf, file, p).problems);
    const found = treeDistributions(leaf, file, p);
    const known = overrideProblems({ [p]: 0 }, file).filter((m) => !m.includes(" = 0:"));
    problems.push(...known);
    // the distribution's support (uniform) or mean (normal) must lie in the parameter's range
    for (const u of known.length ? [] : found) {
      const d = u.distribution;
      const ends = d.kind === "uniform" ? [d.lo, d.hi] : [d.mean];
      for (const v of ends) problems.push(...overrideProblems({ [p]: v }, `${file}: ${p}.distribution ${u.text}`));
    }
    out.push(...found);
  }
  if (problems.length) throw new InputError(problems);
  return out;
}

/** The uncertain parameters of a scenario: its parameter file's distributions, then the extra file's (which win). */
export function scenarioUncertainty(s: Scenario, extra: readonly UncertainParameter[] = []): UncertainParameter[] {
  const fromFile = treeDistributions(readYaml(s.parameterFile, "parameter"), s.parameterFile);
  const byPath = new Map<string, UncertainParameter>();
  for (const u of [...fromFile, ...extra]) byPath.set(u.path, u);
  // A scenario override fixes the parameter: its value differs from the file's value.
  const fileValues = stripProvenance(readYaml(s.parameterFile, "parameter"), s.parameterFile).values;
  const at = (tree: unknown, path: string) => path.split(".").reduce<unknown>((t, k) => (isPlainObject(t) ? t[k] : undefined), tree);
  return [...byPath.values()]
    .filter((u) => at(s.parameters, u.path) === at(fileValues, u.path))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Overrides for parameter draw `draw` (0-based). */
export function drawOverrides(params: readonly UncertainParameter[], drawSeed: number, draw: number): Record<string, number> {
  const key = streamKey(drawSeed, PARAMETER_STREAM);
  const out: Record<string, number> = {};
  for (const u of params) {
    const h = streamNameHash(u.path);
    const u1 = uniform(key, draw, h, 0);
    const u2 = uniform(key, draw, h, 1);
    out[u.path] = drawFrom(u.distribution, u1, u2);
  }
  return out;
}

/**
 * One override language for parameters and policy alike: `{path: value}`, where the
 * path is dotted and starts with its root —
 *
 *   parameters.choice.quality: 4.2                              (a behavioural parameter)
 *   policy.insurance.resident.inpatient.rate.township: 0.9      (a policy lever)
 *
 * A path without a root means the context's default root: `parameters` in a scenario's
 * `parameters:`, in jobs and on the command line (so `choice.quality` keeps working),
 * `policy` in a timeline's `set:` (so `payment.regime` keeps working there).
 *
 * Everything that overrides goes through one walker (`checkOverrides`): scenario files,
 * timelines, jobs, ensembles, sweeps, sensitivity analysis and calibration. Like
 * PolicyEngine's `Reform.from_dict`, every path is checked before anything changes, and
 * each problem names where it was written, the path and what is allowed:
 *
 *   unknown path       `…: choice.qualiti: unknown field; allowed here: quality, oopPer100Yuan, …`
 *   group, not a leaf  `…: choice.tierConstant: a group, not a single value; name one of its leaves: choice.tierConstant.village, …`
 *   wrong type         `…: policy.payment.regime = 3: must be one of: feeForService, capitation, perDisease, drg, perDiem`
 *   out of range       `…: policy.insurance.resident.inpatient.rate.township = 1.2: must be a number between 0 and 1`
 *   (ranges and units come from the declarations, sim/parameters.ts and sim/policy.ts)
 *
 * A group given a mapping (`choice.tierConstant: {township: -1}`) is the same as naming
 * each of its leaves; every other value of a group is an error.
 *
 * How a policy override meets the timeline (as PolicyEngine's scalar shorthand, which
 * holds a value across the whole reform window): an override of a policy leaf sets it in
 * the starting policy *and holds for the whole run* — a timeline entry that sets the same
 * leaf later is overridden too (that leaf only; the entry's other settings still apply).
 * To change a lever at a date, write a timeline entry — or, in jobs and on the command
 * line, a dated override in PolicyEngine's period form, `{path: {"2019-07": value}}`:
 * the value from that month on, held over the timeline's later settings of the leaf.
 * Parameters take one value for the whole run (the engine reads them once, at the
 * start), so a dated parameter, or a parameter in a timeline, is an error saying so.
 */
import { PARAMETERS_SPEC, checkShares, type Parameters } from "../parameters";
import { POLICY_SPEC, type Policy } from "../policy";
import { InputError, showValue } from "./errors";
import type { TimelineEntry } from "./load";
import { formatYearMonth, monthsBetween, parseYearMonth, type YearMonth } from "./months";
import { allowedKeysNear, isPlainObject, setPath, specAt, validate, type Spec } from "./schema";

export type OverrideRoot = "parameters" | "policy";
/** A leaf value: a number, a switch, a choice, or a list of ids. */
export type LeafValue = number | boolean | string | readonly string[];
/** A leaf value for the whole run, or dated `{"2019-07": value, …}` (policy levers: each from its month on). */
export type OverrideValue = LeafValue | { readonly [month: string]: LeafValue };
/** `{dotted.path: value}`, paths rooted at `parameters.` / `policy.` or bare (the context's default root). */
export type Overrides = Record<string, unknown>;

export const ROOTS: Record<OverrideRoot, Spec> = { parameters: PARAMETERS_SPEC, policy: POLICY_SPEC };

/** One checked override of one leaf. */
export interface OverrideLeaf {
  root: OverrideRoot;
  /** path inside the root, e.g. `choice.quality` */
  path: string;
  /** `root.path`, e.g. `parameters.choice.quality` */
  full: string;
  /** the value for the whole run (undefined for a dated override) */
  value: unknown;
  spec: Spec;
  /** a dated override `{path: {"2019-01": v, …}}`: each value holds from its month on, in date order */
  dated?: { from: YearMonth; value: unknown }[];
}

export interface CheckOptions {
  /** prefix of every problem, e.g. `scenarios/x.yaml` or `job 3 (…, seed 1) overrides`; "" for none */
  where: string;
  /** root of a path written without one (default "parameters") */
  defaultRoot?: OverrideRoot;
  /** how a path is shown in problems (default: as written), e.g. p => `parameters.${p}` */
  show?: (path: string) => string;
  /** roots that may not be used here, with the reason (e.g. parameters in a timeline) */
  forbidden?: Partial<Record<OverrideRoot, string>>;
  /** what the whole mapping is called when it is not a mapping (default "overrides") */
  what?: string;
  /** why dated values `{path: {YYYY-MM: value}}` are not allowed here (default: allowed for policy levers) */
  noDates?: string;
}

/** Why a parameter cannot take dated values. */
const PARAMETERS_AT_A_DATE = "parameters cannot change at a date yet (the engine reads them once, at the start); give one value for the whole run";
/** A dated override value `{"2019-07": v, …}` (every key a month YYYY-MM). */
export const isDatedValue = (v: unknown): v is Record<string, unknown> => isPlainObject(v) && Object.keys(v).length > 0 && Object.keys(v).every((k) => parseYearMonth(k) !== undefined);

const PATH = /^[A-Za-z0-9_+-]+(\.[A-Za-z0-9_+-]+)*$/;

/** Split a dotted path into its root and the path inside it. */
export function splitRoot(path: string, defaultRoot: OverrideRoot = "parameters"): { root: OverrideRoot; path: string; explicit: boolean } {
  for (const root of ["parameters", "policy"] as const) {
    if (path === root) return { root, path: "", explicit: true };
    if (path.startsWith(`${root}.`)) return { root, path: path.slice(root.length + 1), explicit: true };
  }
  return { root: defaultRoot, path, explicit: false };
}

/** The canonical form of a path: always rooted (`choice.quality` → `parameters.choice.quality`). */
export function canonicalPath(path: string, defaultRoot: OverrideRoot = "parameters"): string {
  const r = splitRoot(path, defaultRoot);
  return r.path ? `${r.root}.${r.path}` : r.root;
}

/** Overrides with every path in canonical (rooted) form; later paths win over earlier equal ones. */
export function canonicalOverrides<T>(over: Record<string, T>, defaultRoot: OverrideRoot = "parameters"): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [p, v] of Object.entries(over)) out[canonicalPath(p, defaultRoot)] = v;
  return out;
}

const leavesOf = (s: Spec): string[] => (s.kind === "object" ? Object.keys(s.fields) : s.kind === "record" ? [...s.keys] : []);
/** A mapping of further fields (object, record, or a map keyed by the data, e.g. condition groups), not a leaf. */
export const isGroup = (s: Spec) => s.kind === "object" || s.kind === "record" || s.kind === "map";
/** The message for a group where a leaf is needed (follows `path: ` or `path = value: `). */
export const groupProblem = (path: string, s: Spec) =>
  s.kind === "map"
    ? `a group, not a single value; name one of its entries: ${path}.<key>, a key of the data file`
    : `a group, not a single value; name one of its leaves: ${leavesOf(s).map((k) => `${path}.${k}`).join(", ")}`;

/**
 * Where a path leads: the leaf's spec, or why it leads nowhere (unknown field, group,
 * forbidden root) as a message that follows `path: `.
 */
export function lookupPath(path: string, defaultRoot: OverrideRoot = "parameters"): { root: OverrideRoot; path: string; spec: Spec } | { problem: string; spec?: Spec } {
  if (!PATH.test(path)) return { problem: `not a dotted path (e.g. choice.quality or policy.payment.regime)` };
  const r = splitRoot(path, defaultRoot);
  const rootSpec = ROOTS[r.root];
  if (!r.path) return { problem: groupProblem(path, rootSpec), spec: rootSpec };
  const spec = specAt(rootSpec, r.path);
  if (!spec) {
    const near = allowedKeysNear(rootSpec, r.path);
    let hint = "";
    // a bare path that names a lever of the other root: say how to write it
    const other: OverrideRoot = r.root === "parameters" ? "policy" : "parameters";
    if (!r.explicit && specAt(ROOTS[other], r.path)) hint = `; ${r.path} is ${other === "policy" ? "a policy lever" : "a parameter"}: write ${other}.${r.path}`;
    return { problem: `unknown field${near.length ? `; allowed here: ${near.join(", ")}` : ""}${hint}` };
  }
  return { root: r.root, path: r.path, spec };
}

/**
 * The one walker: check every `{path: value}` and return the leaves it sets (groups given
 * a mapping expanded into their leaves) and the problems, each naming where, the path
 * and what is allowed. Nothing is applied here.
 */
export function checkOverrides(over: unknown, o: CheckOptions): { leaves: OverrideLeaf[]; problems: string[] } {
  const leaves: OverrideLeaf[] = [];
  const problems: string[] = [];
  const show = o.show ?? ((p: string) => p);
  const at = (p: string) => (o.where ? `${o.where}: ${show(p)}` : show(p));
  if (!isPlainObject(over)) {
    problems.push(`${o.where ? `${o.where}: ` : ""}${o.what ?? "overrides"} = ${showValue(over)}: must be a mapping of dotted.path: value`);
    return { leaves, problems };
  }
  const walk = (path: string, value: unknown): void => {
    const found = lookupPath(path, o.defaultRoot);
    if ("problem" in found) {
      if (found.spec && isPlainObject(value)) {
        for (const [k, v] of Object.entries(value)) walk(`${path}.${k}`, v);
        return;
      }
      // a bare path of the other root, which may not be used here: say why at once
      const r = splitRoot(path, o.defaultRoot);
      const other: OverrideRoot = r.root === "parameters" ? "policy" : "parameters";
      const reason = !r.explicit && PATH.test(path) && specAt(ROOTS[other], r.path) ? o.forbidden?.[other] : undefined;
      if (reason) return void problems.push(`${at(path)}: ${path} is ${other === "policy" ? "a policy lever" : "a parameter"}; ${reason}`);
      return void problems.push(`${at(path)}: ${found.problem}`);
    }
    const reason = o.forbidden?.[found.root];
    if (reason) return void problems.push(`${at(path)}: ${reason}`);
    if (isGroup(found.spec)) {
      if (isPlainObject(value)) {
        for (const [k, v] of Object.entries(value)) walk(`${path}.${k}`, v);
        return;
      }
      return void problems.push(`${at(path)}${value === undefined ? "" : ` = ${showValue(value)}`}: ${groupProblem(path, found.spec)}`);
    }
    const strip = (bad: string[]) => (o.where ? bad : bad.map((m) => m.replace(/^: /, "")));
    if (isDatedValue(value)) {
      // PolicyEngine's {path: {period: value}}: each value from its month on
      const why = found.root === "parameters" ? PARAMETERS_AT_A_DATE : o.noDates;
      if (why) return void problems.push(`${at(path)} = ${showValue(value)}: ${why}`);
      const dated = Object.entries(value)
        .map(([k, v]) => ({ from: parseYearMonth(k)!, value: v, key: k }))
        .sort((a, b) => monthsBetween(b.from, a.from));
      const bad = dated.flatMap((d) => validate(d.value, found.spec, `${show(path)} (from ${d.key})`, o.where));
      if (bad.length) return void problems.push(...strip(bad));
      return void leaves.push({ root: found.root, path: found.path, full: `${found.root}.${found.path}`, value: undefined, spec: found.spec, dated: dated.map(({ from, value: v }) => ({ from, value: v })) });
    }
    const bad = validate(value, found.spec, show(path), o.where);
    if (bad.length) return void problems.push(...strip(bad));
    leaves.push({ root: found.root, path: found.path, full: `${found.root}.${found.path}`, value, spec: found.spec });
  };
  for (const [path, value] of Object.entries(over)) walk(path, value);
  return { leaves, problems };
}

/** True when a dotted path is `leaf` or lies inside it. */
const within = (path: string, leaf: string) => path === leaf || path.startsWith(`${leaf}.`);

/**
 * A timeline `set:` without the leaves that an override holds for the whole run: a set
 * path equal to (or inside) a held leaf is dropped; a set path that is a group above a
 * held leaf keeps its mapping without that leaf. Returns the same object when nothing is
 * held, so an unchanged timeline stays identical (and hashes the same).
 */
export function withoutHeld(set: Record<string, unknown>, held: readonly string[]): Record<string, unknown> {
  if (held.length === 0) return set;
  let changed = false;
  const out: Record<string, unknown> = {};
  for (const [p, v] of Object.entries(set)) {
    const path = splitRoot(p, "policy").path;
    if (held.some((h) => within(path, h))) {
      changed = true;
      continue;
    }
    const inner = held.filter((h) => h.startsWith(`${path}.`)).map((h) => h.slice(path.length + 1));
    if (inner.length && isPlainObject(v)) {
      const pruned = prune(v, inner);
      changed = true;
      if (Object.keys(pruned).length) out[p] = pruned;
      continue;
    }
    out[p] = v;
  }
  return changed ? out : set;
}

function prune(tree: Record<string, unknown>, paths: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(tree)) {
    if (paths.includes(k)) continue;
    const inner = paths.filter((p) => p.startsWith(`${k}.`)).map((p) => p.slice(k.length + 1));
    out[k] = inner.length && isPlainObject(v) ? prune(v, inner) : v;
  }
  return out;
}

/** Parameters with the parameter leaves set (no checks beyond the severity shares). */
export function applyParameterLeaves(p: Parameters, leaves: readonly OverrideLeaf[], where: string): Parameters {
  const mine = leaves.filter((l) => l.root === "parameters");
  if (!mine.length) return p;
  let out = p;
  for (const l of mine) out = setPath(out, l.path, l.value);
  const shares = checkShares(out, where);
  if (shares.length) throw new InputError(shares);
  return out;
}

/**
 * The starting policy with the policy leaves set, and the timeline with those leaves held:
 * a value for the whole run replaces the leaf in every timeline entry; a dated override
 * replaces it in the entries on or after its first month and adds one entry per month it
 * names (source "override", written after any entry of the same month, so it wins).
 */
export function applyPolicyLeaves(base: Policy, timeline: readonly TimelineEntry[], leaves: readonly OverrideLeaf[], where = "overrides"): { basePolicy: Policy; timeline: TimelineEntry[] } {
  const mine = leaves.filter((l) => l.root === "policy");
  if (!mine.length) return { basePolicy: base, timeline: [...timeline] };
  let basePolicy = base;
  for (const l of mine) if (!l.dated) basePolicy = setPath(basePolicy, l.path, l.value);
  const whole = mine.filter((l) => !l.dated).map((l) => l.path);
  const dated = mine.filter((l) => l.dated);
  let out = timeline.map((t) => {
    const held = [...whole, ...dated.filter((l) => monthsBetween(l.dated![0].from, t.from) >= 0).map((l) => l.path)];
    const set = withoutHeld(t.set, held);
    return set === t.set ? t : { ...t, set };
  });
  for (const l of dated) {
    for (const d of l.dated!) out.push({ from: d.from, source: "override", set: { [l.path]: d.value }, file: where, label: `${where}: policy.${l.path} (from ${formatYearMonth(d.from)})` });
  }
  out = out.map((t, i) => [t, i] as const).sort((a, b) => monthsBetween(b[0].from, a[0].from) || a[1] - b[1]).map(([t]) => t);
  return { basePolicy, timeline: out };
}

/** A leaf's value in a scenario (`parameters.*` from its parameters, `policy.*` from its starting policy). */
export function leafValue(s: { parameters: Parameters; basePolicy: Policy }, path: string, defaultRoot: OverrideRoot = "parameters"): unknown {
  const r = splitRoot(path, defaultRoot);
  const tree: unknown = r.root === "parameters" ? s.parameters : s.basePolicy;
  return r.path.split(".").reduce<unknown>((t, k) => (isPlainObject(t) ? t[k] : undefined), tree);
}

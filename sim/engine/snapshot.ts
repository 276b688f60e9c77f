/**
 * A run's full state at the start of a month, and runs that start from it ("fork at the
 * reform"): the baseline runs to 2018-12 once, and every reform that shares its county,
 * scale, parameters, seed, horizon and policy up to then continues from its state.
 *
 * Why this is exact: everything a month changes lives in EngineState (sim/engine/state.ts)
 * and randomness is counter-based (sim/random.ts, keyed by seed, stream, month and
 * resident), so a run's future depends only on its state and its context. A fork's
 * context is its own run's (built fresh by createEngine), and so are its state's objects:
 * the snapshot's values are written into them (class instances keep their prototypes and
 * V8's fast layouts, typed arrays are copied, shared references and cycles kept; what the
 * fresh state has no counterpart for is deep-copied), and every reference to the snapshot
 * run's context (county, parameters, static tables, the policies of the months before the
 * fork) becomes the corresponding object of the fork's context. Functions and plans are
 * code, not state: they are shared — which is only right because no function reachable
 * from the state closes over a run's objects (test/engine/fork.test.ts walks a fresh
 * state to check). The snapshot itself is never changed, so one serves many forks.
 *
 * A fork whose prefix differs (another county, scale, parameters, seed, horizon, payment
 * registry, trace setting, or a policy that differs in any month before the fork month)
 * is refused with a ForkError saying what differs.
 */
import { createHash } from "node:crypto";
import type { Policy } from "../policy";
import { canonicalJson, formatYearMonth, policyTimeline, verdictFreeParameters, type Scenario, type YearMonth } from "../scenario/load";
import { Plan } from "./plan";
import type { EngineContext, EngineState } from "./state";

/** What must be equal for a run to continue from another's state. */
export interface RunIdentity {
  /** sha256 of the county description (with `scale`: the county simulated) */
  county: string;
  scale: number;
  /** sha256 of the parameters (the choice coefficients and every other static table follow from them and the county) */
  parameters: string;
  seed: number;
  /** recorded months, and the calendar month of the first */
  months: number;
  startCal: number;
  traceResidents: boolean;
  /** names of the payment schemes, in precedence order */
  paymentSchemes: string;
  /** fixed or changing (sim/population/): a changing population's state is part of the snapshot */
  population: string;
}

export interface RunSnapshot {
  readonly identity: RunIdentity;
  /** the month index the state is at the start of (0 = the scenario's first recorded month), and that month */
  readonly step: number;
  readonly month: YearMonth;
  /** sha256 of the policy in force in each recorded month before `step` (the burn-in runs under month 0's) and of the start policy */
  readonly policyPrefix: readonly string[];
  readonly startPolicy: string;
  /** the run that made it (its objects are what the state refers to), and its state, never run further */
  readonly context: EngineContext;
  readonly state: EngineState;
}

/** A fork refused: its run's prefix is not the snapshot's. */
export class ForkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ForkError";
  }
}

const sha = (s: string) => createHash("sha256").update(s).digest("hex");

/** sha256 of an input's canonical JSON, once per object (inputs — county descriptions, parameters, policies — are never changed in place) */
const hashes = new WeakMap<object, string>();
function contentHash(v: object): string {
  let h = hashes.get(v);
  if (h === undefined) hashes.set(v, (h = sha(canonicalJson(v))));
  return h;
}

/** The settings of a run that its identity reads. */
export interface RunSettings {
  seed: number;
  months: number;
  scale: number;
  traceResidents: boolean;
  paymentSchemes: readonly { name: string }[];
}

export function runIdentity(scenario: Scenario, o: RunSettings): RunIdentity {
  return {
    county: contentHash(scenario.county),
    scale: o.scale,
    // a verdict's threshold is not state: runs that differ only in it fork from each other
    parameters: contentHash(verdictFreeParameters(scenario.parameters)),
    seed: o.seed,
    months: o.months,
    startCal: scenario.start.year * 12 + scenario.start.month - 1,
    traceResidents: o.traceResidents,
    paymentSchemes: o.paymentSchemes.map((s) => s.name).join(","),
    population: scenario.population,
  };
}

/** A run's policy month by month (an EngineContext is one; policyCalendar makes one without an engine). */
export interface PolicyCalendar {
  readonly startCal: number;
  readonly months: number;
  /** the start month's policy, under which the burn-in runs */
  readonly startPolicy: Policy;
  readonly policyAt: (cal: number) => Policy;
}

/** The policy calendar of a scenario run for `months` months, as createEngine builds it. */
export function policyCalendar(scenario: Scenario, months: number): PolicyCalendar {
  const at = policyTimeline(scenario.basePolicy, scenario.timeline);
  const policyAt = (cal: number) => at(calToYearMonth(cal));
  return { startCal: scenario.start.year * 12 + scenario.start.month - 1, months, startPolicy: at(scenario.start), policyAt };
}

/** sha256 of the policy of each recorded month 0 … step − 1 (one hash per distinct policy object). */
export function policyHashes(context: PolicyCalendar, step: number): string[] {
  const out: string[] = [];
  for (let m = 0; m < step; m++) out.push(contentHash(context.policyAt(context.startCal + m)));
  return out;
}

export const calToYearMonth = (cal: number): YearMonth => ({ year: Math.floor(cal / 12), month: (cal % 12) + 1 });

/** The first recorded month whose policy is not the start policy's (the reform), or null if none before `months`. */
export function firstPolicyChange(context: PolicyCalendar): number | null {
  const start = contentHash(context.startPolicy);
  const hashes = policyHashes(context, context.months);
  const k = hashes.findIndex((h) => h !== start);
  return k < 0 ? null : k;
}

/** Why a run (identity, context) may not continue from `snap`, or null if it may. */
export function forkProblem(snap: RunSnapshot, identity: RunIdentity, context: PolicyCalendar): string | null {
  const differs = (Object.keys(identity) as (keyof RunIdentity)[]).filter((k) => identity[k] !== snap.identity[k]);
  if (differs.length) return `the run's ${differs.join(", ")} differ${differs.length === 1 ? "s" : ""} from the snapshot's (${differs.map((k) => `${k}: ${JSON.stringify(snap.identity[k])} in the snapshot, ${JSON.stringify(identity[k])} here`).join("; ")})`;
  if (contentHash(context.startPolicy) !== snap.startPolicy) return "the start policy (under which the burn-in runs) differs from the snapshot's";
  const mine = policyHashes(context, snap.step);
  const m = mine.findIndex((h, i) => h !== snap.policyPrefix[i]);
  if (m >= 0) return `the policy in force in ${formatYearMonth(calToYearMonth(context.startCal + m))} differs from the snapshot run's, before the fork month ${formatYearMonth(snap.month)}; fork at or before the first month the two runs' policies differ`;
  return null;
}

/** The snapshot of `state` (at the start of month index `step`) of the run (scenario, context). `copy`: the run goes on, so keep a copy. */
export function takeSnapshot(identity: RunIdentity, context: EngineContext, state: EngineState, step: number, copy: boolean): RunSnapshot {
  return {
    identity,
    step,
    month: calToYearMonth(context.startCal + step),
    policyPrefix: policyHashes(context, step),
    startPolicy: contentHash(context.startPolicy),
    context,
    state: copy ? copyState(state, context, context, step) : state,
  };
}

/**
 * The snapshot's state for a run with `context` (checked with forkProblem first), written
 * into that run's fresh state `fresh` (from createEngine): the fresh objects, made by their
 * constructors, keep V8's fast layouts (a copy made with Object.create runs the month
 * ≈20–30% slower); what has no fresh counterpart is copied.
 */
export function forkState(snap: RunSnapshot, identity: RunIdentity, context: EngineContext, fresh: EngineState): EngineState {
  const problem = forkProblem(snap, identity, context);
  if (problem) throw new ForkError(`cannot fork from the snapshot at ${formatYearMonth(snap.month)}: ${problem}`);
  return copyState(snap.state, snap.context, context, snap.step, fresh);
}

function copyState(state: EngineState, from: EngineContext, to: EngineContext, step: number, fresh?: EngineState): EngineState {
  const subst = new Map<unknown, unknown>();
  correspond(from, to, subst, "context");
  // the policies the state may hold: the start policy and those of the months before the fork
  for (let m = 0; m < step; m++) correspond(from.policyAt(from.startCal + m), to.policyAt(to.startCal + m), subst, `policy of month ${m}`);
  return deepCopy(state, subst, fresh) as EngineState;
}

const isObject = (v: unknown): v is object => (typeof v === "object" && v !== null) || typeof v === "function";

/**
 * Pair each object reachable from the old context with the one at the same place in the
 * new: the two runs' contexts are built alike from equal inputs (checked by identity), so
 * they have one shape. `scenario` is paired whole (its timelines differ after the fork);
 * functions are paired by place (policyAt, onProgress).
 */
function correspond(a: unknown, b: unknown, subst: Map<unknown, unknown>, path: string): void {
  if (!isObject(a)) return;
  if (subst.has(a)) return;
  if (!isObject(b)) throw new ForkError(`${path}: the fork's engine differs from the snapshot's (an object against ${String(b)})`);
  subst.set(a, b);
  if (typeof a === "function" || ArrayBuffer.isView(a)) {
    if (ArrayBuffer.isView(a)) {
      const bb = b as ArrayBufferView;
      if (a.constructor !== bb.constructor || a.byteLength !== bb.byteLength) throw new ForkError(`${path}: the fork's engine differs from the snapshot's (typed array of another type or length)`);
      subst.set(a.buffer, bb.buffer);
    }
    return;
  }
  if (path === "context") {
    const ac = a as Record<string, unknown>;
    const bc = b as Record<string, unknown>;
    for (const k of Object.keys(ac)) {
      if (k === "scenario") {
        const as = ac.scenario as Scenario;
        const bs = bc.scenario as Scenario;
        subst.set(as, bs);
        correspond(as.county, bs.county, subst, "context.scenario.county");
        correspond(as.parameters, bs.parameters, subst, "context.scenario.parameters");
      } else if (k === "onProgress") {
        if (typeof ac.onProgress === "function" && typeof bc.onProgress === "function") subst.set(ac.onProgress, bc.onProgress);
      } else correspond(ac[k], bc[k], subst, `context.${k}`);
    }
    return;
  }
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) throw new ForkError(`${path}: the fork's engine differs from the snapshot's (objects of different kinds)`);
  if (a instanceof Map) {
    const bm = b as Map<unknown, unknown>;
    if (a.size !== bm.size) throw new ForkError(`${path}: the fork's engine differs from the snapshot's (maps of different sizes)`);
    const bk = [...bm.entries()];
    [...a.entries()].forEach(([k, v], i) => {
      correspond(k, bk[i][0], subst, `${path}.key`);
      correspond(v, bk[i][1], subst, `${path}.get`);
    });
    return;
  }
  if (a instanceof Set) {
    const bs = [...(b as Set<unknown>)];
    [...a].forEach((v, i) => correspond(v, bs[i], subst, `${path}.has`));
    return;
  }
  const keys = Reflect.ownKeys(a);
  for (const k of keys) {
    const d = Object.getOwnPropertyDescriptor(a, k)!;
    if (!("value" in d)) continue;
    correspond(d.value, (b as Record<string | symbol, unknown>)[k], subst, `${path}.${String(k)}`);
  }
}

const BUILT_INS = new Set<unknown>([Date.prototype, RegExp.prototype, WeakMap.prototype, WeakSet.prototype, Promise.prototype, DataView.prototype, ArrayBuffer.prototype]);

/**
 * Deep copy keeping prototypes, shared references and cycles; objects in `subst` are
 * replaced by their counterparts (not copied); functions and plans are shared. With
 * `fresh` (an object of the same shape, e.g. a new run's state), the values are written
 * into its objects where they pair up — same prototype, same own keys in the same order,
 * typed arrays of the same type and length, arrays of the same length — each fresh object
 * taken once, none of `subst`'s; the rest is copied.
 */
function deepCopy(root: unknown, subst: Map<unknown, unknown>, fresh?: unknown): unknown {
  const memo = new Map<unknown, unknown>(subst);
  const buffers = new Map<ArrayBufferLike, ArrayBufferLike>();
  const taken = new Set<unknown>(subst.values());
  // copies are made after every pairing, so an object reached first where the fresh state has none (state.rec → counters) still pairs where it has one
  const later: (() => void)[] = [];
  const pairs = (v: object, f: unknown): f is object => {
    if (!isObject(f) || typeof f === "function" || taken.has(f) || Object.getPrototypeOf(f) !== Object.getPrototypeOf(v) || !Object.isExtensible(f) || v instanceof Map || v instanceof Set) return false;
    if (ArrayBuffer.isView(v)) return (v as Uint8Array).length === (f as Uint8Array).length;
    if (Array.isArray(v)) return (f as unknown[]).length === v.length && Reflect.ownKeys(v).length === v.length + 1;
    const keys = Reflect.ownKeys(v);
    const freshKeys = Reflect.ownKeys(f);
    return keys.length === freshKeys.length && keys.every((k, i) => k === freshKeys[i]);
  };
  /** Write v's value into the slot `key` of `holder` (whose current value is f). */
  const place = (holder: Record<string | symbol, unknown>, key: string | symbol, v: unknown, f: unknown, path: string): void => {
    const set = (value: unknown) => {
      const fd = Object.getOwnPropertyDescriptor(holder, key)!;
      if (fd.writable) holder[key] = value;
      else Object.defineProperty(holder, key, { ...fd, value });
    };
    if (!isObject(v) || memo.has(v) || typeof v === "function" || v instanceof Plan) return set(memo.get(v) ?? v);
    if (pairs(v, f)) return set(into(v, f, path));
    later.push(() => set(copy(v, path)));
  };
  const into = (v: object, f: object, path: string): unknown => {
    memo.set(v, f);
    taken.add(f);
    if (ArrayBuffer.isView(v)) {
      (f as Uint8Array).set(v as Uint8Array);
      return f;
    }
    const b = f as Record<string | symbol, unknown>;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) place(b, String(i), v[i], b[i], `${path}.${i}`);
      return f;
    }
    for (const k of Reflect.ownKeys(v)) {
      const d = Object.getOwnPropertyDescriptor(v, k)!;
      const fd = Object.getOwnPropertyDescriptor(b, k)!;
      if (!("value" in d) || !("value" in fd)) throw new ForkError(`${path}.${String(k)}: an accessor property in the engine's state; a snapshot copies data only`);
      place(b, k, d.value, fd.value, `${path}.${String(k)}`);
    }
    return f;
  };
  const copy = (v: unknown, path: string): unknown => {
    if (!isObject(v)) return v;
    const seen = memo.get(v);
    if (seen !== undefined) return seen;
    if (typeof v === "function" || v instanceof Plan) return v;
    if (ArrayBuffer.isView(v)) {
      const src = v as unknown as { buffer: ArrayBufferLike; byteOffset: number; length: number; constructor: new (b: ArrayBufferLike, o: number, n: number) => unknown };
      let buf = (subst.get(src.buffer) as ArrayBufferLike | undefined) ?? buffers.get(src.buffer);
      if (!buf) buffers.set(src.buffer, (buf = src.buffer.slice(0)));
      const out = new src.constructor(buf, src.byteOffset, src.length);
      memo.set(v, out);
      return out;
    }
    const proto = Object.getPrototypeOf(v);
    if (BUILT_INS.has(proto)) throw new ForkError(`${path}: the engine's state holds a ${proto.constructor.name}, which a snapshot cannot copy`);
    if (v instanceof Map) {
      const out = new Map();
      memo.set(v, out);
      for (const [k, x] of v) out.set(copy(k, `${path}.key`), copy(x, `${path}.get`));
      return out;
    }
    if (v instanceof Set) {
      const out = new Set();
      memo.set(v, out);
      for (const x of v) out.add(copy(x, `${path}.has`));
      return out;
    }
    if (Array.isArray(v)) {
      // element by element, so the copy is a packed array as the original was (not holey)
      if (Reflect.ownKeys(v).length !== v.length + 1) throw new ForkError(`${path}: an array with holes or further properties in the engine's state; a snapshot copies dense arrays only`);
      const out: unknown[] = [];
      memo.set(v, out);
      for (let i = 0; i < v.length; i++) out.push(copy(v[i], `${path}.${i}`));
      if (Object.isFrozen(v)) Object.freeze(out);
      return out;
    }
    const out = Object.create(proto) as Record<string | symbol, unknown>;
    memo.set(v, out);
    for (const k of Reflect.ownKeys(v)) {
      const d = Object.getOwnPropertyDescriptor(v, k)!;
      if (!("value" in d)) throw new ForkError(`${path}.${String(k)}: an accessor property in the engine's state; a snapshot copies data only`);
      const value = copy(d.value, `${path}.${String(k)}`);
      // (defineProperty keeps the copy's properties fast; keyed assignment of new properties turns a large object into a dictionary)
      Object.defineProperty(out, k, { ...d, value });
    }
    if (Object.isFrozen(v)) Object.freeze(out);
    return out;
  };
  if (fresh === undefined || !isObject(root) || !pairs(root, fresh)) return copy(root, "state");
  into(root, fresh, "state");
  for (const f of later) f();
  return fresh;
}

/**
 * A run's full state at the start of a month, and runs that start from it ("fork at the
 * reform"): the baseline runs to 2018-12 once, and every reform that shares its county,
 * scale, parameters, seed, horizon and policy up to then continues from its state.
 *
 * Why this is exact: everything a month changes lives in EngineState (sim/engine/state.ts)
 * and randomness is counter-based (sim/random.ts, keyed by seed, stream, month and
 * resident), so a run's future depends only on its state and its context. A fork's
 * context is its own run's (built fresh by createEngine); the state is a deep copy of the
 * snapshot's, class instances keeping their prototypes, shared references and cycles kept,
 * typed arrays copied, and every reference to the snapshot run's context (county,
 * parameters, static tables, the policies of the months before the fork) replaced by the
 * corresponding object of the fork's context. Functions and plans are code, not state:
 * they are shared — which is only right because no function reachable from the state
 * closes over a run's objects (test/engine/fork.test.ts walks a fresh state to check).
 *
 * A fork whose prefix differs (another county, scale, parameters, seed, horizon, payment
 * registry, trace setting, or a policy that differs in any month before the fork month)
 * is refused with a ForkError saying what differs.
 */
import { createHash } from "node:crypto";
import { canonicalJson, formatYearMonth, type Scenario, type YearMonth } from "../scenario/load";
import { Plan } from "./plan";
import type { EngineContext, EngineState } from "./state";

/** What must be equal for a run to continue from another's state. */
export interface RunIdentity {
  /** sha256 of the county description and scale */
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

export function runIdentity(scenario: Scenario, context: EngineContext, scale: number, traceResidents: boolean, paymentSchemes: readonly { name: string }[]): RunIdentity {
  return {
    county: sha(`${canonicalJson(scenario.county)}|${scale}`),
    scale,
    parameters: sha(canonicalJson(context.P)),
    seed: context.seed,
    months: context.months,
    startCal: context.startCal,
    traceResidents,
    paymentSchemes: paymentSchemes.map((s) => s.name).join(","),
  };
}

/** sha256 of the policy of each recorded month 0 … step − 1 (one hash per distinct policy object). */
export function policyHashes(context: EngineContext, step: number): string[] {
  const memo = new Map<unknown, string>();
  const hash = (p: unknown) => {
    let h = memo.get(p);
    if (h === undefined) memo.set(p, (h = sha(canonicalJson(p))));
    return h;
  };
  const out: string[] = [];
  for (let m = 0; m < step; m++) out.push(hash(context.policyAt(context.startCal + m)));
  return out;
}

export const calToYearMonth = (cal: number): YearMonth => ({ year: Math.floor(cal / 12), month: (cal % 12) + 1 });

/** The first recorded month whose policy is not the start policy's (the reform), or null if none before `months`. */
export function firstPolicyChange(context: EngineContext): number | null {
  const start = sha(canonicalJson(context.startPolicy));
  const hashes = policyHashes(context, context.months);
  const k = hashes.findIndex((h) => h !== start);
  return k < 0 ? null : k;
}

/** Why a run (identity, context) may not continue from `snap`, or null if it may. */
export function forkProblem(snap: RunSnapshot, identity: RunIdentity, context: EngineContext): string | null {
  const differs = (Object.keys(identity) as (keyof RunIdentity)[]).filter((k) => identity[k] !== snap.identity[k]);
  if (differs.length) return `the run's ${differs.join(", ")} differ${differs.length === 1 ? "s" : ""} from the snapshot's (${differs.map((k) => `${k}: ${JSON.stringify(snap.identity[k])} in the snapshot, ${JSON.stringify(identity[k])} here`).join("; ")})`;
  if (sha(canonicalJson(context.startPolicy)) !== snap.startPolicy) return "the start policy (under which the burn-in runs) differs from the snapshot's";
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
    startPolicy: sha(canonicalJson(context.startPolicy)),
    context,
    state: copy ? copyState(state, context, context, step) : state,
  };
}

/** A fresh copy of the snapshot's state for a run with `context` (checked with forkProblem first). */
export function forkState(snap: RunSnapshot, identity: RunIdentity, context: EngineContext): EngineState {
  const problem = forkProblem(snap, identity, context);
  if (problem) throw new ForkError(`cannot fork from the snapshot at ${formatYearMonth(snap.month)}: ${problem}`);
  return copyState(snap.state, snap.context, context, snap.step);
}

function copyState(state: EngineState, from: EngineContext, to: EngineContext, step: number): EngineState {
  const subst = new Map<unknown, unknown>();
  correspond(from, to, subst, "context");
  // the policies the state may hold: the start policy and those of the months before the fork
  for (let m = 0; m < step; m++) correspond(from.policyAt(from.startCal + m), to.policyAt(to.startCal + m), subst, `policy of month ${m}`);
  return deepCopy(state, subst) as EngineState;
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
 * replaced by their counterparts (not copied); functions and plans are shared.
 */
function deepCopy(root: unknown, subst: Map<unknown, unknown>): unknown {
  const memo = new Map<unknown, unknown>(subst);
  const buffers = new Map<ArrayBufferLike, ArrayBufferLike>();
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
    const out: object = Array.isArray(v) ? new Array(v.length) : Object.create(proto);
    memo.set(v, out);
    for (const k of Reflect.ownKeys(v)) {
      const d = Object.getOwnPropertyDescriptor(v, k)!;
      if (!("value" in d)) throw new ForkError(`${path}.${String(k)}: an accessor property in the engine's state; a snapshot copies data only`);
      if (Array.isArray(v) && k === "length") continue;
      Object.defineProperty(out, k, { ...d, value: copy(d.value, `${path}.${String(k)}`) });
    }
    if (Object.isFrozen(v)) Object.freeze(out);
    return out;
  };
  return copy(root, "state");
}

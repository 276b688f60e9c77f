/**
 * A run's snapshot (sim/engine/snapshot.ts) on disk, so later runs — another process, a
 * cluster job — fork from it: `yigongti run baseline.yaml --save-state s.bin --at 2019-01`
 * once, then `yigongti run reform.yaml --from-state s.bin`.
 *
 * Format: node:v8 serialize (structured clone: numbers to the bit, typed arrays as bytes,
 * shared references and cycles kept) of a plain-data form of the state — each class
 * instance a plain object tagged with its class name, each reference to the run's context
 * (county, parameters, static tables, the policies of the months before the fork, the
 * payment registry) a path into it, plans (code) a placeholder — with the snapshot's
 * identity and the model fingerprint (sim/experiments/fingerprint.ts: another model's state
 * may differ in shape, so its files are refused). Read back against a fresh engine of the run that forks:
 * its prefix is checked first (ForkError), the paths resolved in its context, the classes
 * found among its own objects and the payment schemes'.
 */
import { deserialize, serialize } from "node:v8";
import { createEngine, type EngineContext, type EngineState } from "./engine/state";
import { ForkError, calToYearMonth, forkProblem, runIdentity, type RunSnapshot } from "./engine/snapshot";
import { Plan } from "./engine/plan";
import { modelFingerprint } from "./experiments/fingerprint";
import { CapitationPackage } from "./payment/capitation-package";
import { DrgPoints } from "./payment/drg";
import { FeeForService } from "./payment/fee-for-service";
import { PerDiem } from "./payment/per-diem";
import { PerDisease } from "./payment/per-disease";
import { PAYMENT_SCHEMES } from "./payment/registry";
import { formatYearMonth, type Scenario } from "./scenario/load";
import { countyFor, type SimulateOptions } from "./simulate";

const FORMAT = "yigongti-state/1";
const CLASS = "\u0000class";
const CONTEXT = "\u0000context";
const PLAN = "\u0000plan";

const isObject = (v: unknown): v is object => (typeof v === "object" && v !== null) || typeof v === "function";

/**
 * Paths of the objects reachable from a run's context, the policies of months 0 … step − 1
 * and the payment registry. `allPaths`: every path of the parameter and policy trees (whose
 * sharing of sub-objects may differ between two runs with equal values), else the first.
 */
function contextPaths(ctx: EngineContext, step: number, allPaths: boolean): Map<string, object> {
  const byPath = new Map<string, object>();
  const seen = new Set<object>();
  const walk = (v: unknown, path: string, tree: boolean, above: Set<object>) => {
    if (!isObject(v)) return;
    if (tree && allPaths ? above.has(v) : seen.has(v)) return;
    if (!byPath.has(path)) byPath.set(path, v);
    seen.add(v);
    if (typeof v === "function" || ArrayBuffer.isView(v) || v instanceof Map || v instanceof Set) return;
    const inner = tree && allPaths ? new Set(above).add(v) : above;
    for (const k of Object.keys(v)) walk((v as Record<string, unknown>)[k], `${path}.${k}`, tree, inner);
  };
  const none = new Set<object>();
  byPath.set("context", ctx);
  seen.add(ctx);
  walk(ctx.P, "P", true, none);
  for (let m = 0; m < step; m++) walk(ctx.policyAt(ctx.startCal + m), `policy@${m}`, true, none);
  walk(ctx.startPolicy, "startPolicy", true, none);
  byPath.set("scenario", ctx.scenario);
  for (const k of Object.keys(ctx) as (keyof EngineContext)[]) if (k !== "scenario" && k !== "onProgress" && k !== "P" && k !== "startPolicy") walk(ctx[k], `context.${k}`, false, none);
  walk(ctx.scenario.county, "scenario.county", false, none);
  return byPath;
}

/** The snapshot as bytes (see the file comment). The payment registry must be the default one. */
export function snapshotBytes(snap: RunSnapshot): Buffer {
  if (snap.identity.paymentSchemes !== PAYMENT_SCHEMES.map((s) => s.name).join(",")) throw new ForkError("a snapshot of a run with its own payment schemes cannot be saved to a file (its schemes are code)");
  const pathOf = new Map<object, string>();
  for (const [p, o] of contextPaths(snap.context, snap.step, false)) if (!pathOf.has(o)) pathOf.set(o, p);
  PAYMENT_SCHEMES.forEach((s, i) => {
    pathOf.set(s, `schemes.${i}`);
    pathOf.set(s.appliesTo, `schemes.${i}.appliesTo`);
    pathOf.set(s.create, `schemes.${i}.create`);
  });
  pathOf.set(PAYMENT_SCHEMES, "schemes");
  const memo = new Map<object, unknown>();
  const encode = (v: unknown, path: string): unknown => {
    if (!isObject(v)) return v;
    const p = pathOf.get(v);
    if (p !== undefined) return { [CONTEXT]: p };
    if (memo.has(v)) return memo.get(v);
    if (v instanceof Plan) return { [PLAN]: 1 };
    if (typeof v === "function") throw new ForkError(`${path}: a function in the engine's state that is not the context's; it cannot be saved`);
    if (ArrayBuffer.isView(v)) {
      memo.set(v, v);
      return v;
    }
    if (v instanceof Map) {
      const out = new Map();
      memo.set(v, out);
      for (const [k, x] of v) out.set(encode(k, `${path}.key`), encode(x, `${path}.get`));
      return out;
    }
    if (v instanceof Set) {
      const out = new Set();
      memo.set(v, out);
      for (const x of v) out.add(encode(x, `${path}.has`));
      return out;
    }
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      memo.set(v, out);
      v.forEach((x, i) => out.push(encode(x, `${path}.${i}`)));
      return out;
    }
    const proto = Object.getPrototypeOf(v);
    const out: Record<string, unknown> = proto === Object.prototype || proto === null ? {} : { [CLASS]: proto.constructor.name };
    memo.set(v, out);
    for (const k of Object.keys(v)) out[k] = encode((v as Record<string, unknown>)[k], `${path}.${k}`);
    return out;
  };
  const { identity, step, month, policyPrefix, startPolicy } = snap;
  return serialize({ format: FORMAT, model: modelFingerprint(), identity, step, month, policyPrefix, startPolicy, state: encode(snap.state, "state") });
}

/**
 * The snapshot in `bytes`, for a run of `scenario` with `options` (the run that will fork
 * from it: its prefix must be the saved one's, else a ForkError says what differs).
 */
export function snapshotFromBytes(bytes: Buffer, scenario: Scenario, options: Omit<SimulateOptions, "fork" | "saveAt" | "onSnapshot"> = {}, file = "the snapshot"): RunSnapshot {
  let saved: { format: string; model: string; identity: RunSnapshot["identity"]; step: number; policyPrefix: string[]; startPolicy: string; state: unknown };
  try {
    saved = deserialize(bytes);
  } catch (e) {
    throw new ForkError(`${file}: not a yigongti state file (${(e as Error).message})`);
  }
  if (saved?.format !== FORMAT) throw new ForkError(`${file}: not a yigongti state file (format ${JSON.stringify(saved?.format)}, expected ${FORMAT})`);
  if (saved.model !== modelFingerprint()) throw new ForkError(`${file}: saved by model ${saved.model}, this is ${modelFingerprint()} (the engine's state may differ in shape); save the state again`);
  const seed = options.seed ?? 1;
  const scale = options.scale ?? 1;
  const months = (options.years ?? scenario.years) * 12;
  const traceResidents = options.traceResidents ?? false;
  const county = countyFor(scenario, scale);
  const { context, state: fresh } = createEngine(scenario, county, { seed, months, traceResidents, onProgress: options.onProgress });
  const identity = runIdentity(scenario, { seed, months, scale, traceResidents, paymentSchemes: PAYMENT_SCHEMES });
  const snap = { identity: saved.identity, step: saved.step, month: calToYearMonth(saved.identity.startCal + saved.step), policyPrefix: saved.policyPrefix, startPolicy: saved.startPolicy, context, state: fresh };
  const problem = forkProblem(snap, identity, context);
  if (problem) throw new ForkError(`${file}: cannot fork from the state saved at ${formatYearMonth(snap.month)}: ${problem}`);
  const byPath = contextPaths(context, saved.step, true);
  PAYMENT_SCHEMES.forEach((s, i) => {
    byPath.set(`schemes.${i}`, s);
    byPath.set(`schemes.${i}.appliesTo`, s.appliesTo);
    byPath.set(`schemes.${i}.create`, s.create);
  });
  byPath.set("schemes", PAYMENT_SCHEMES);
  const classes = classRegistry(fresh);
  const memo = new Map<unknown, unknown>();
  const decode = (e: unknown, f: unknown, path: string): unknown => {
    if (!isObject(e)) return e;
    if (memo.has(e)) return memo.get(e);
    if (ArrayBuffer.isView(e)) return e;
    if (e instanceof Map) {
      const out = new Map();
      memo.set(e, out);
      for (const [k, x] of e) out.set(decode(k, undefined, `${path}.key`), decode(x, undefined, `${path}.get`));
      return out;
    }
    if (e instanceof Set) {
      const out = new Set();
      memo.set(e, out);
      for (const x of e) out.add(decode(x, undefined, `${path}.has`));
      return out;
    }
    const ff = f as Record<string, unknown> | undefined;
    if (Array.isArray(e)) {
      const out: unknown[] = [];
      memo.set(e, out);
      e.forEach((x, i) => out.push(decode(x, isObject(ff) ? ff[i] : undefined, `${path}.${i}`)));
      return out;
    }
    const o = e as Record<string, unknown>;
    if (typeof o[CONTEXT] === "string") {
      const target = byPath.get(o[CONTEXT]);
      if (target === undefined) throw new ForkError(`${file}: ${path} refers to ${o[CONTEXT]} in the run's context, which this run does not have`);
      return target;
    }
    if (o[PLAN] === 1) {
      if (!(f instanceof Plan)) throw new ForkError(`${file}: ${path}: a plan where this engine has none`);
      return f;
    }
    let proto: object = Object.prototype;
    if (typeof o[CLASS] === "string") {
      const p = classes.get(o[CLASS]);
      if (!p) throw new ForkError(`${file}: ${path} is a ${o[CLASS]}, which this engine does not know; save the state again with this version`);
      proto = p;
    }
    const out = Object.create(proto) as Record<string, unknown>;
    memo.set(e, out);
    for (const k of Object.keys(o)) {
      if (k === CLASS) continue;
      Object.defineProperty(out, k, { value: decode(o[k], isObject(ff) ? ff[k] : undefined, `${path}.${k}`), writable: true, enumerable: true, configurable: true });
    }
    return out;
  };
  return { ...snap, state: decode(saved.state, fresh, "state") as EngineState };
}

/** Prototypes by class name: of every object in a fresh engine state, and of the payment schemes a month may make. */
function classRegistry(fresh: EngineState): Map<string, object> {
  const out = new Map<string, object>();
  const add = (proto: object) => {
    const name = (proto as { constructor?: { name?: string } }).constructor?.name;
    if (!name) return;
    const had = out.get(name);
    if (had && had !== proto) throw new Error(`two classes named ${name} in the engine's state: a state file cannot tell them apart`);
    out.set(name, proto);
  };
  for (const C of [CapitationPackage, DrgPoints, FeeForService, PerDiem, PerDisease]) add(C.prototype);
  const seen = new Set<unknown>();
  const walk = (v: unknown) => {
    if (!isObject(v) || seen.has(v) || typeof v === "function" || ArrayBuffer.isView(v)) return;
    seen.add(v);
    const proto = Object.getPrototypeOf(v);
    if (proto && proto !== Object.prototype && proto !== Array.prototype && !(v instanceof Map) && !(v instanceof Set)) add(proto);
    if (v instanceof Map || v instanceof Set) return;
    for (const k of Object.keys(v)) walk((v as Record<string, unknown>)[k]);
  };
  walk(fresh);
  return out;
}

/**
 * Runs that fork at the reform (sim/engine/snapshot.ts): a reform continued from the
 * baseline's state at its first reform month is bit-identical to the reform run from the
 * start; a fork whose prefix differs is refused; a snapshot is not changed by forking; no
 * function reachable from the engine's state closes over a run's objects.
 */
import { describe, expect, it } from "vitest";
import { createEngine } from "../../sim/engine/state";
import { Plan } from "../../sim/engine/plan";
import { PAYMENT_SCHEMES } from "../../sim/payment/registry";
import { loadScenario, type Scenario } from "../../sim/scenario/load";
import { ForkError, countyFor, firstPolicyChange, simulate, snapshotAt, type RunSnapshot, type SimulationResult } from "../../sim/simulate";
import { snapshotBytes, snapshotFromBytes } from "../../sim/snapshot-file";
import { REPO_ROOT } from "../helpers/paths";
import { baseline, differingOutputs, sameBits, withParameters, withPolicy } from "../helpers/scenarios";

const RUN = { scale: 0.02, years: 2, seed: 3, traceResidents: true } as const;
const REFORM = { year: 2019, month: 1 };
const scenario = (name: string): Scenario => loadScenario(`${REPO_ROOT}scenarios/${name}.yaml`);

/** What differs between two results, bit for bit (everything a user can see). */
function differences(a: SimulationResult, b: SimulationResult): string[] {
  const out = differingOutputs(a, b);
  if (!sameBits(a.townshipOop, b.townshipOop)) out.push("townshipOop");
  if (!sameBits(a.townshipResidentYears, b.townshipResidentYears)) out.push("townshipResidentYears");
  if (!a.trace || !b.trace) out.push("trace missing");
  return out;
}

describe("a run forked at the reform", () => {
  let snap: RunSnapshot;
  const snapshot = () => (snap ??= snapshotAt(baseline(), RUN, REFORM));

  it.each(["differential-reimbursement", "capitation-package", "full-package-qujing"])("baseline-2018 → %s is bit-identical to the run from the start", (name) => {
    const reform = scenario(name);
    const fromStart = simulate(reform, RUN);
    const forked = simulate(reform, { ...RUN, fork: snapshot() });
    expect(differences(forked, fromStart)).toEqual([]);
    // the reform changes something after the fork, so the comparison can fail
    expect(differences(fromStart, simulate(baseline(), RUN)).length).toBeGreaterThan(0);
  });

  it("the baseline itself, forked from its own snapshot later in a 3-year run (2020-02, after two reform dates), equals its run from the start", () => {
    const three = { ...RUN, years: 3 };
    const late = snapshotAt(baseline(), three, { year: 2020, month: 2 });
    expect(differences(simulate(baseline(), { ...three, fork: late }), simulate(baseline(), three))).toEqual([]);
    // a reform that differs from 2019-01 may not fork there
    expect(() => simulate(scenario("differential-reimbursement"), { ...three, fork: late })).toThrow(/2019-01 differs/);
  });

  it("a snapshot saved during a run (saveAt) equals snapshotAt's, and the run that saved it is unchanged", () => {
    let saved: RunSnapshot | undefined;
    const whole = simulate(baseline(), { ...RUN, saveAt: REFORM, onSnapshot: (s) => (saved = s) });
    expect(differences(whole, simulate(baseline(), RUN))).toEqual([]);
    expect(saved!.step).toBe(12);
    const reform = scenario("capitation-package");
    expect(differences(simulate(reform, { ...RUN, fork: saved! }), simulate(reform, { ...RUN, fork: snapshot() }))).toEqual([]);
  });

  it("does not change the snapshot: two forks from one snapshot give the same result", () => {
    const reform = scenario("differential-reimbursement");
    const first = simulate(reform, { ...RUN, fork: snapshot() });
    simulate(scenario("full-package-qujing"), { ...RUN, fork: snapshot() });
    const second = simulate(reform, { ...RUN, fork: snapshot() });
    expect(differences(second, first)).toEqual([]);
    expect(snapshot().state.step).toBe(11); // still at the end of 2018-12
  });

  it("refuses a fork whose policy differs before the fork month, naming the month", () => {
    const early = withPolicy(baseline(), { "insurance.resident.outpatient.rate.village": 0.7 });
    expect(() => simulate(early, { ...RUN, fork: snapshot() })).toThrow(ForkError);
    expect(() => simulate(early, { ...RUN, fork: snapshot() })).toThrow(/start policy/);
    // a reform from 2018-07 differs in 2018-07, before the snapshot's 2019-01
    const mid = { ...baseline(), timeline: [{ from: { year: 2018, month: 7 }, set: { "insurance.resident.outpatient.rate.village": 0.7 } }, ...baseline().timeline] } as Scenario;
    expect(() => simulate(mid, { ...RUN, fork: snapshot() })).toThrow(/2018-07 differs .* before the fork month 2019-01/);
  });

  it("refuses a fork with other parameters, seed, scale, horizon, trace or sinks, saying what differs", () => {
    const s = snapshot();
    expect(() => simulate(withParameters(baseline(), { "choice.quality": 9 }), { ...RUN, fork: s })).toThrow(/parameters differs/);
    expect(() => simulate(baseline(), { ...RUN, seed: 4, fork: s })).toThrow(/seed: 3 in the snapshot, 4 here/);
    expect(() => simulate(baseline(), { ...RUN, scale: 0.03, fork: s })).toThrow(/the run.s scale differs from the snapshot.s \(scale: 0.02 in the snapshot, 0.03 here\)/);
    expect(() => simulate(baseline(), { ...RUN, years: 3, fork: s })).toThrow(/months/);
    expect(() => simulate(baseline(), { ...RUN, traceResidents: false, fork: s })).toThrow(/traceResidents/);
    expect(() => simulate(baseline(), { ...RUN, fork: s, sinks: [{ encounter() {} }] })).toThrow(/sinks/);
    expect(() => snapshotAt(baseline(), { ...RUN, sinks: [{ encounter() {} }] }, REFORM)).toThrow(/snapshotAt: a run with further sinks cannot keep a snapshot/);
    expect(() => snapshotAt(baseline(), RUN, { year: 2017, month: 12 })).toThrow(/not a month of the run/);
  });

  it("first policy change: 2019-01 for the baseline and its reforms, none for a run without a timeline", () => {
    const at = (s: Scenario) => firstPolicyChange(createEngine(s, countyFor(s, 0.02), { seed: 1, months: 24, traceResidents: false }).context);
    expect(at(baseline())).toBe(12);
    expect(at(scenario("capitation-package"))).toBe(12);
    expect(at({ ...baseline(), timeline: [] })).toBeNull();
  });
});

describe("a snapshot on disk", () => {
  it("round-trips: a reform forked from the bytes equals its run from the start; the wrong run and other bytes are refused", () => {
    const snap = snapshotAt(baseline(), RUN, REFORM);
    const bytes = snapshotBytes(snap);
    expect(bytes.length).toBeGreaterThan(100_000);
    const reform = scenario("full-package-qujing");
    const loaded = snapshotFromBytes(bytes, reform, RUN, "s.bin");
    expect(loaded.step).toBe(12);
    expect(differences(simulate(reform, { ...RUN, fork: loaded }), simulate(reform, RUN))).toEqual([]);
    expect(() => snapshotFromBytes(bytes, reform, { ...RUN, seed: 9 }, "s.bin")).toThrow(/s\.bin: cannot fork from the state saved at 2019-01: the run's seed differs/);
    expect(() => snapshotFromBytes(Buffer.from("not a state"), reform, RUN, "s.bin")).toThrow(/s\.bin: not a yigongti state file/);
  });
});

describe("the engine's state holds no closures over a run's objects", () => {
  it("every function reachable from a fresh state is a payment scheme spec's or a plan step's", () => {
    const s = baseline();
    const { context, state } = createEngine(s, countyFor(s, 0.02), { seed: 3, months: 24, traceResidents: true });
    const allowed = new Set<unknown>(PAYMENT_SCHEMES.flatMap((x) => [x.appliesTo, x.create]));
    const found: string[] = [];
    const seen = new Set<unknown>([context]);
    const walk = (v: unknown, path: string): void => {
      if (v === null || (typeof v !== "object" && typeof v !== "function") || seen.has(v)) return;
      seen.add(v);
      if (typeof v === "function") {
        if (!allowed.has(v)) found.push(path);
        return;
      }
      if (v instanceof Plan) {
        // plans are shared by forks (code, not state): their steps take the state as an argument
        for (const step of v.steps) allowed.add(step.run);
      }
      if (ArrayBuffer.isView(v)) return;
      if (v instanceof Map) return [...v].forEach(([k, x]) => (walk(k, `${path}.key`), walk(x, `${path}.get`)));
      if (v instanceof Set) return [...v].forEach((x) => walk(x, `${path}.has`));
      for (const k of Reflect.ownKeys(v)) walk((v as Record<string | symbol, unknown>)[k], `${path}.${String(k)}`);
    };
    walk(state, "state");
    expect(found).toEqual([]);
    // and the walk does see functions: the payment environment is an object with fields now, not an arrow function
    expect(seen.has(PAYMENT_SCHEMES[0].create)).toBe(true);
  });
});

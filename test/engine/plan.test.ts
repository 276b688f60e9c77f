/**
 * The plan (sim/engine/plan.ts): steps run in order, `insert` puts a step at a named
 * point (and refuses unknown or duplicate labels), and the printed rows nest sub-plans.
 */
import { describe, expect, it } from "vitest";
import { Plan, formatPlan, planRows } from "../../sim/engine/plan";

const logStep = (label: string) => ({ label, module: "test", doc: `logs ${label}`, run: (log: string[]) => void log.push(label) });

describe("Plan", () => {
  it("runs its steps in order, once each", () => {
    const p = new Plan<string[]>("test", [logStep("a"), logStep("b"), logStep("c")]);
    const log: string[] = [];
    p.run(log);
    expect(log).toEqual(["a", "b", "c"]);
    expect(p.labels).toEqual(["a", "b", "c"]);
  });

  it("inserts a step before or after a named one", () => {
    const p = new Plan<string[]>("test", [logStep("a"), logStep("b")]);
    p.insert(logStep("after a"), { after: "a" }).insert(logStep("before a"), { before: "a" }).insert(logStep("end"), { after: "b" });
    const log: string[] = [];
    p.run(log);
    expect(log).toEqual(["before a", "a", "after a", "b", "end"]);
  });

  it("refuses an unknown position or a duplicate label, naming the steps there are", () => {
    const p = new Plan<string[]>("test", [logStep("a"), logStep("b")]);
    expect(() => p.insert(logStep("x"), { after: "nope" })).toThrow(/no step "nope"; steps: a, b/);
    expect(() => p.insert(logStep("a"), { after: "b" })).toThrow(/already exists/);
    expect(() => new Plan("test", [logStep("a"), logStep("a")])).toThrow(/already exists/);
  });

  it("prints one row per step with sub-plans nested under the step that runs them", () => {
    const inner = new Plan<string[]>("inner", [logStep("x"), logStep("y")]);
    const outer = new Plan<string[]>("outer", [logStep("a"), { ...logStep("b"), when: "sometimes", plan: inner }, logStep("c")]);
    const rows = planRows(outer);
    expect(rows.map((r) => [r.number, r.depth, r.label])).toEqual([
      ["1", 0, "a"], ["2", 0, "b"], ["2.1", 1, "x"], ["2.2", 1, "y"], ["3", 0, "c"],
    ]);
    expect(rows[1].when).toBe("sometimes");
    const text = formatPlan(outer);
    expect(text.split("\n")[0]).toBe("outer, in order:");
    expect(text).toMatch(/\n {2}2\.1 +x +test +logs x\n/);
    expect(text).toContain("[sometimes] logs b");
  });

  it("times each step once timing is on, sub-plans included (cf. starsim's cpu_time)", () => {
    const inner = new Plan<string[]>("inner", [logStep("x")]);
    const outer = new Plan<string[]>("outer", [logStep("a"), { label: "b", module: "test", doc: "runs inner twice", plan: inner, run: (log) => { inner.run(log); inner.run(log); } }]);
    outer.run([]);
    expect(outer.timeOf("a")).toBeUndefined();
    outer.startTiming();
    for (let k = 0; k < 3; k++) outer.run([]);
    expect(outer.timeOf("a")!.calls).toBe(3);
    expect(inner.timeOf("x")!.calls).toBe(6);
    const rows = planRows(outer);
    expect(rows.map((r) => r.calls)).toEqual([3, 3, 6]);
    for (const r of rows) expect(r.ms).toBeGreaterThanOrEqual(0);
    expect(formatPlan(outer)).toMatch(/^outer, in order \(time in each step, share of [\d.]+ s, runs\):\n +[\d.]+s +[\d.]+% +3× +1 +a /);
  });
});

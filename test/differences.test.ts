import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { loadScenario } from "../sim/scenario/load";
import { simulate } from "../sim/simulate";
import { residentDifferences } from "../sim/differences";
import { setPath } from "../sim/scenario/schema";

const baselineFile = fileURLToPath(new URL("../scenarios/baseline-2018.yaml", import.meta.url));

describe("per-resident differences between a reform and the baseline (common random numbers)", () => {
  const baseline = loadScenario(baselineFile);
  const run = (s: typeof baseline) => simulate(s, { seed: 11, scale: 0.02, years: 1, traceResidents: true });
  const a = run(baseline);

  it("lists no one when the reform touches no one", () => {
    // Raising an annual cap nobody reaches changes no claim.
    const untouched = { ...baseline, basePolicy: setPath(baseline.basePolicy, "insurance.employee.inpatient.annualCap", 5_000_000) };
    const d = residentDifferences(a, run(untouched));
    expect(d.changed).toBe(0);
    expect(d.moved).toBe(0);
    expect(d.residents).toBe(a.residents);
  });

  it("lists the residents drawn to a cheaper township centre, from above and below", () => {
    // Free outpatient care at township centres pulls residents down from the county
    // hospital and up from the village clinic.
    const reform = {
      ...baseline,
      basePolicy: setPath(baseline.basePolicy, "insurance.resident.outpatient.rate", { village: 0.5, township: 1, county: 0.2, outOfCounty: 0 }),
    };
    const d = residentDifferences(a, run(reform));
    expect(d.moved).toBeGreaterThan(0);
    expect(d.moved).toBeLessThan(a.residents / 2);
    expect(d.changed).toBeGreaterThanOrEqual(d.moved);
    expect(d.movedDown).toBeGreaterThan(0);
    expect(d.movedUp).toBeGreaterThan(0);
    expect(d.movedDown + d.movedUp).toBeLessThanOrEqual(d.moved);
    const total = (tier: "village" | "township" | "county") => d.differences.reduce((s, r) => s + r.encounters[tier], 0);
    expect(total("township")).toBeGreaterThan(0);
    expect(total("county")).toBeLessThan(0);
    expect(total("village")).toBeLessThan(0);
    // OOP falls for those who changed, on balance
    expect(d.differences.reduce((s, r) => s + r.oop, 0)).toBeLessThan(0);
  });

  it("refuses runs without traces", () => {
    expect(() => residentDifferences(simulate(baseline, { seed: 11, scale: 0.02, years: 1 }), a)).toThrow(/traceResidents/);
  });
});

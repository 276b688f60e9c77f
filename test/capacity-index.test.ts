/**
 * The primary capacity index (start = 1) when a tier has no capacity norm:
 * capacity.outpatientVisitsPerDoctorPerMonth = 0 means unconstrained, an infinite
 * capacity, which made the index ∞/∞ = NaN — an empty cell in indicators.csv (issue 14).
 * Unconstrained tiers are left out of the index; with neither primary tier constrained it
 * is 1. Every other indicator is unchanged by how the index is defined.
 */
import { describe, expect, it } from "vitest";
import { monthlyIndicators, yearlyIndicators } from "../sim/indicators";
import { simulate } from "../sim/simulate";
import { baseline, withParameters } from "./helpers/scenarios";

const run = (changes: Record<string, unknown>) => {
  const r = simulate(withParameters(baseline(), changes), { seed: 3, years: 2, scale: 0.02 });
  return { yearly: yearlyIndicators(r.counters, r.start, r.months), monthly: monthlyIndicators(r.counters, r.start, r.months) };
};
const index = (o: ReturnType<typeof run>) => [...o.yearly, ...o.monthly].map((p) => p.values.primaryCapacityIndex.value);

describe("primaryCapacityIndex with unconstrained primary tiers", () => {
  it("village clinics unconstrained: the index follows the township centres, a finite number every period", () => {
    const v = index(run({ "capacity.outpatientVisitsPerDoctorPerMonth.village": 0 }));
    for (const x of v) expect(Number.isFinite(x)).toBe(true);
    expect(v.some((x) => x !== 1)).toBe(true);
  });
  it("village and township unconstrained: 1 throughout (capacity is unlimited at the start and after)", () => {
    const v = index(run({ "capacity.outpatientVisitsPerDoctorPerMonth.village": 0, "capacity.outpatientVisitsPerDoctorPerMonth.township": 0 }));
    expect(new Set(v)).toEqual(new Set([1]));
  });
  it("no indicator of such a run is NaN or infinite (null only where an indicator has no value)", () => {
    for (const changes of [{ "capacity.outpatientVisitsPerDoctorPerMonth.village": 0 }, { "capacity.outpatientVisitsPerDoctorPerMonth.township": 0, "capacity.averageLengthOfStay.township": 0, "capacity.outpatientVisitsPerDoctorPerMonth.county": 0 }]) {
      const o = run(changes);
      for (const p of [...o.yearly, ...o.monthly]) for (const [id, v] of Object.entries(p.values)) expect(v.value === null || Number.isFinite(v.value), `${p.period} ${id} = ${v.value}`).toBe(true);
    }
  });
});

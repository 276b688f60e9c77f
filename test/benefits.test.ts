/**
 * 待遇不降低 (sim/benefits.ts): the verdict on hand-built year totals, and its direction on
 * real runs — cutting a rate lowers benefits, raising one does not, a reform that touches
 * nobody's benefits changes nothing.
 */
import { describe, expect, it } from "vitest";
import { benefitsVerdict, fallText, groupBenefitVariance, type BenefitsCheckParameters } from "../sim/benefits";
import { COUNTER_NAMES, groupBenefits, yearTotals, type Totals } from "../sim/indicators";
import { simulate } from "../sim/simulate";
import type { Scenario } from "../sim/scenario/load";
import { baseline } from "./helpers/scenarios";

const P: BenefitsCheckParameters = { ratioTolerance: 0.005, oopPerEpisodeTolerance: 0.02, standardErrors: 3 };

/**
 * A year of one group's care as `n` identical encounters of `cost` with `reimbursed`
 * paid by insurance and the rest out of pocket, one episode each (so the ratio has no
 * variance and OOP per episode has the compound-Poisson variance Σ oop² / n²).
 */
function year(groups: Partial<Record<"Resident" | "ResidentPoor" | "Employee", { n: number; cost: number; reimbursed: number }>>): Totals {
  const t = Object.fromEntries(COUNTER_NAMES.map((k) => [k, 0])) as Totals;
  for (const [k, g] of Object.entries(groups)) {
    const oop = g.cost - g.reimbursed;
    const set = (name: string, v: number) => ((t as Record<string, number>)[name] = v);
    set(`groupCost${k}`, g.n * g.cost);
    set(`groupReimbursed${k}`, g.n * g.reimbursed);
    set(`groupOop${k}`, g.n * oop);
    set(`groupEpisodes${k}`, g.n);
    set(`groupCostSq${k}`, g.n * g.cost * g.cost);
    set(`groupReimbursedSq${k}`, g.n * g.reimbursed * g.reimbursed);
    set(`groupReimbursedCost${k}`, g.n * g.reimbursed * g.cost);
    set(`groupOopSq${k}`, g.n * oop * oop);
  }
  return t;
}

describe("group benefits and their variance, by hand", () => {
  it("ratio = reimbursed ÷ cost, OOP per episode = OOP ÷ episodes", () => {
    const t = year({ Resident: { n: 10_000, cost: 100, reimbursed: 40 } });
    expect(groupBenefits(t, "resident")).toEqual({ ratio: 0.4, oopPerEpisode: 60 });
    expect(groupBenefits(t, "residentPoor")).toEqual({ ratio: null, oopPerEpisode: null });
    // identical encounters: the ratio has no spread; OOP: Σ oop² / n² = 10,000 × 3,600 / 10⁸ = 0.36 (SE 0.6 yuan)
    const v = groupBenefitVariance(t, "resident");
    expect(v.ratio).toBeCloseTo(0, 12);
    expect(v.oopPerEpisode).toBeCloseTo(0.36, 12);
  });

  it("delta method: the ratio's variance is Σ (y − R x)² / X²", () => {
    // two encounters: cost 100 reimbursed 80, cost 100 reimbursed 20 → R = 0.5; Σ(y − Rx)² = 30² + 30² = 1800; X² = 40,000
    const t = Object.fromEntries(COUNTER_NAMES.map((k) => [k, 0])) as Totals;
    Object.assign(t, { groupCostEmployee: 200, groupReimbursedEmployee: 100, groupOopEmployee: 100, groupEpisodesEmployee: 2, groupCostSqEmployee: 20_000, groupReimbursedSqEmployee: 6_800, groupReimbursedCostEmployee: 10_000, groupOopSqEmployee: 400 + 6_400 });
    expect(groupBenefits(t, "employee").ratio).toBe(0.5);
    expect(groupBenefitVariance(t, "employee").ratio).toBeCloseTo(1800 / 40_000, 12);
  });
});

describe("benefitsVerdict on hand-built years", () => {
  const periods = ["2018", "2019"];
  const base = { name: "base", yearTotals: [year({ Resident: { n: 10_000, cost: 100, reimbursed: 40 } }), year({ Resident: { n: 10_000, cost: 104, reimbursed: 41.6 } })] };

  it("a ratio cut of 5 points against the baseline is lower; the baseline against its own previous year is not", () => {
    // 2019: reform reimburses 36.4 of 104 (35%) vs the baseline's 41.6 (40%) → −5 points > 0.5
    const run = { name: "cut", periods, yearTotals: [base.yearTotals[0], year({ Resident: { n: 10_000, cost: 104, reimbursed: 36.4 } })], annualPriceGrowth: 0.04 };
    const v = benefitsVerdict(run, base, P);
    expect(v.notLower).toBe(false);
    const ratio = v.falls.find((c) => c.metric === "ratio" && c.against === "baseline")!;
    expect(ratio).toMatchObject({ group: "resident", period: "2019", reference: "base", lower: true });
    expect(ratio.worsening).toBeCloseTo(0.05, 12);
    expect(ratio.allowance).toBe(0.005);
    // OOP per episode 67.6 vs 62.4 (+8.33%) against the baseline; against 2018 at 2019 prices 60 × 1.04 = 62.4 → +8.33% too
    const oop = v.falls.filter((c) => c.metric === "oopPerEpisode");
    expect(oop.map((c) => c.against).sort()).toEqual(["baseline", "previousYear"]);
    for (const c of oop) expect(c.worsening).toBeCloseTo(67.6 / 62.4 - 1, 12);
    expect(fallText(ratio)).toBe("resident scheme, not registered poor: reimbursement ratio -5.0 pts vs base (2019)");
    expect(fallText(oop.find((c) => c.against === "previousYear")!)).toBe("resident scheme, not registered poor: OOP per episode +8.3% vs 2018 at constant prices (2019)");
    // the baseline itself: costs and OOP grew exactly with prices (4%), its ratio stayed 40% → not lower; no baseline comparisons
    const own = benefitsVerdict({ ...base, periods, annualPriceGrowth: 0.04 }, base, P);
    expect(own.notLower).toBe(true);
    expect(own.comparisons.every((c) => c.against === "previousYear")).toBe(true);
    expect(own.comparisons).toHaveLength(2);
  });

  it("nominal OOP growth that only keeps pace with unit costs is not lower; a small rise within tolerance neither", () => {
    const run = { name: "r", periods, yearTotals: [base.yearTotals[0], year({ Resident: { n: 10_000, cost: 104, reimbursed: 40.6 } })], annualPriceGrowth: 0.04 };
    // ratio 40.6/104 = 39.04% (−0.96 points vs 2018's 40%, vs baseline 40%) → lower; OOP 63.4 vs 62.4 (+1.6%) → within 2%
    const v = benefitsVerdict(run, base, P);
    expect(v.falls.every((c) => c.metric === "ratio")).toBe(true);
    expect(v.falls).toHaveLength(2);
  });

  it("noise: a fall within z standard errors of a small group is not lower", () => {
    // 20 episodes of cost 100; OOP 60 in 2018, 66 in 2019 (+10%, at 0% price growth): SE of each ≈ cv 1/√20 = 22% → allowance ≈ 3 × 31% ≫ 10%
    const small = (reimbursed: number) => year({ ResidentPoor: { n: 20, cost: 100, reimbursed } });
    const years = [small(40), small(34)];
    const v = benefitsVerdict({ name: "s", periods, yearTotals: years, annualPriceGrowth: 0 }, { name: "s", yearTotals: years }, { ...P, ratioTolerance: 0.5 });
    expect(v.comparisons.every((c) => c.against === "previousYear")).toBe(true);
    const oop = v.comparisons.find((c) => c.metric === "oopPerEpisode")!;
    expect(oop.worsening).toBeCloseTo(0.1, 12);
    expect(oop.allowance).toBeGreaterThan(0.8);
    expect(oop.lower).toBe(false);
    expect(v.notLower).toBe(true);
  });
});

describe("benefitsVerdict: direction on real runs (scale 0.03, 2018–2019)", () => {
  const b = baseline();
  const from2019 = (s: Scenario, set: Record<string, unknown>): Scenario => ({
    ...s,
    timeline: [...s.timeline, { from: { year: 2019, month: 1 }, source: "test", set, file: "test" }],
  });
  const run = (s: Scenario) => {
    const r = simulate(s, { seed: 3, scale: 0.03, years: 2 });
    return { name: s.name, periods: ["2018", "2019"], yearTotals: yearTotals(r.counters, r.months), annualPriceGrowth: s.parameters.costs.annualPriceGrowth };
  };
  const base = run(b);

  it("cutting the county and out-of-county inpatient rates by 20 points lowers every group's benefits against the baseline", () => {
    const cut = run(from2019({ ...b, name: "cut" }, { "insurance.resident.inpatient.rate.county": 0.52, "insurance.resident.inpatient.rate.outOfCounty": 0.35, "insurance.employee.inpatient.rate.county": 0.65, "insurance.employee.inpatient.rate.outOfCounty": 0.55 }));
    const v = benefitsVerdict(cut, base, P);
    expect(v.notLower).toBe(false);
    for (const g of ["resident", "residentPoor", "employee"] as const)
      expect(v.falls.some((c) => c.group === g && c.metric === "ratio" && c.against === "baseline" && c.period === "2019")).toBe(true);
  });

  it("raising them does not lower benefits", () => {
    const raise = run(from2019({ ...b, name: "raise" }, { "insurance.resident.inpatient.rate.county": 0.85, "insurance.employee.inpatient.rate.county": 0.92 }));
    const v = benefitsVerdict(raise, base, P);
    expect(v.falls.filter((c) => c.against === "baseline")).toEqual([]);
    expect(v.comparisons.filter((c) => c.against === "baseline" && c.metric === "ratio" && c.period === "2019").every((c) => c.worsening < 0)).toBe(true);
  });

  it("a reform that touches nobody's benefits gives no baseline comparison any change", () => {
    const same = run(from2019({ ...b, name: "same" }, { "insurance.bypass.rateReduction.county": 0.1 })); // bypass stays disabled
    const v = benefitsVerdict(same, base, P);
    expect(v.comparisons.filter((c) => c.against === "baseline").every((c) => c.worsening === 0)).toBe(true);
  });
});

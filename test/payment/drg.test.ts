/**
 * DRG points under a budget (sim/payment/drg.ts, 001 item 16) on hand-worked cases:
 * points per case, upcoding one group heavier, the monthly budget on either basis and the
 * budget-neutral point value with each facility's year-end settlement.
 */
import { describe, expect, it } from "vitest";
import { CASE_DRAW } from "../../sim/payment/case-mix";
import { DrgPoints, budgetNeutralPointValue, casePoints } from "../../sim/payment/drg";
import { CASE_PAID, CASE_UPCODED } from "../../sim/payment/scheme";
import { COMMON, COUNTY, CRITICAL, SERIOUS, TOWNSHIP } from "../../sim/tier";
import { admission, environment, keyWhere, priced } from "./helpers";

const STROKE = 2;
const terms = {
  communities: "all" as const,
  coversEmployeeScheme: true,
  tiers: { township: true, county: true },
  basis: "lastYearClaims" as const,
  growthAllowance: 0.05,
  shareOfPremium: 0.3,
  tierCoefficient: { township: 0.35, county: 1 },
};
const scheme = new DrgPoints(terms, environment()); // defaults: upcodingShare 0.05, lengthOfStayChange.drg −0.05
const honest = keyWhere((u) => u(CASE_DRAW.upcoding) >= 0.05);
const upcoded = keyWhere((u) => u(CASE_DRAW.upcoding) < 0.05);

describe("DRG points, case by case", () => {
  it("points = 100 × weight × severity weight × tier coefficient: a common county case of weight 1 is 100 points, a serious one 162.5, a common township one 35", () => {
    expect(casePoints(1, 1, 1)).toBe(100);
    const cases: [number, number, number][] = [
      [COUNTY, COMMON, 100],
      [COUNTY, SERIOUS, 162.5],
      [TOWNSHIP, COMMON, 35],
    ];
    for (const [tier, severity, points] of cases) {
      const e = admission({ group: STROKE, tier, severity, key: honest });
      const cost = scheme.caseCost(e, 6000);
      expect(e.caseKind).toBe(CASE_PAID);
      expect(cost).toBeCloseTo(6000 * (1 - 0.4 * 0.05), 9);
      priced(e, cost, 2000);
      // interim: the claim itself; the year-end settlement brings the year to the budget
      expect(scheme.casePayment(e)).toBe(cost - 2000);
      expect(e.points).toBeCloseTo(points, 9);
    }
  });

  it("an upcoded case is recorded one group heavier — the next severity of its condition group; a critical case cannot go higher", () => {
    const e = admission({ group: STROKE, tier: COUNTY, severity: COMMON, key: upcoded });
    priced(e, scheme.caseCost(e, 4800), 1500);
    scheme.casePayment(e);
    expect(e.caseKind).toBe(CASE_PAID | CASE_UPCODED);
    expect(e.points).toBeCloseTo(162.5, 9);
    expect(e.bedDays).toBeCloseTo(9 * 0.95, 12); // the stay is the real one
    const top = admission({ group: STROKE, tier: COUNTY, severity: CRITICAL, key: upcoded });
    priced(top, scheme.caseCost(top, 14400), 4000);
    scheme.casePayment(top);
    expect(top.caseKind).toBe(CASE_PAID);
    expect(top.points).toBeCloseTo(300, 9);
  });

  it("the monthly budget: last year's payments for the scheme's tiers × (1 + growth) ÷ 12, or a share of the enrolled's premiums ÷ 12", () => {
    const lastYearCaseClaims = [0, 2e6, 6e6, 1e6]; // village, township, county, out of county
    const b = { premiumPerCapita: 830, enrolled: 12_000, lastYearCaseClaims, lastYearComplete: true };
    expect(scheme.monthlyCaseBudget(b)).toBeCloseTo((8e6 * 1.05) / 12, 6);
    const countyOnly = new DrgPoints({ ...terms, tiers: { township: false, county: true } }, environment());
    expect(countyOnly.monthlyCaseBudget(b)).toBeCloseTo((6e6 * 1.05) / 12, 6);
    const premium = new DrgPoints({ ...terms, basis: "premium" }, environment());
    expect(premium.monthlyCaseBudget(b)).toBeCloseTo((0.3 * 830 * 12_000) / 12, 6);
    expect(() => scheme.monthlyCaseBudget({ ...b, lastYearComplete: false })).toThrow(/needs a full calendar year of claims/);
  });

  it("the point value spends exactly the budget: (1,000,000 + 200,000 paid by patients) ÷ 20,000 points = 60 yuan; a facility with 5,000 points, 40,000 from its patients and 230,000 interim is paid 30,000 more", () => {
    expect(budgetNeutralPointValue(1e6, 2e4, 2e5)).toBe(60);
    expect(scheme.pointValue(1e6, 2e4, 2e5)).toBe(60);
    expect(5000 * 60 - 40_000 - 230_000).toBe(30_000);
    // the facilities' points × value less their patients' payments add up to the budget
    const facilities = [
      { points: 5000, patients: 40_000 },
      { points: 15_000, patients: 160_000 },
    ];
    const paid = facilities.reduce((a, f) => a + f.points * 60 - f.patients, 0);
    expect(paid).toBe(1e6);
    expect(budgetNeutralPointValue(1e6, 0, 0)).toBe(0);
  });
});

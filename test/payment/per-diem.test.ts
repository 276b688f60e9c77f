/**
 * Per-diem payment (sim/payment/per-diem.ts, 002 §18) on hand-worked cases: bed-days ×
 * the tier's rate, stays that lengthen when days are paid.
 */
import { describe, expect, it } from "vitest";
import { PerDiem } from "../../sim/payment/per-diem";
import { CASE_PAID } from "../../sim/payment/scheme";
import { COMMON, COUNTY, SERIOUS, TOWNSHIP } from "../../sim/tier";
import { admission, environment, keyWhere, priced } from "./helpers";

const RESPIRATORY = 0; // 6 days (common) at both tiers
const terms = { communities: "all" as const, coversEmployeeScheme: true, tiers: { township: true, county: true }, ratePerBedDay: { township: 280, county: 730 } };
const key = keyWhere(() => true);

describe("per-diem payment, case by case", () => {
  it("a common pneumonia at a county hospital in 2019 (prices × 1.04): 6 days + 5% = 6.3 bed-days × 730 × 1.04 yuan, less the resident's OOP", () => {
    const scheme = new PerDiem(terms, environment(1.04)); // default lengthOfStayChange.perDiem +0.05
    const e = admission({ group: RESPIRATORY, tier: COUNTY, severity: COMMON, key });
    const cost = scheme.caseCost(e, 4992);
    expect(e.caseKind).toBe(CASE_PAID);
    expect(cost).toBeCloseTo(4992 * (1 + 0.4 * 0.05), 9);
    priced(e, cost, 1500);
    const payment = scheme.casePayment(e);
    expect(e.bedDays).toBeCloseTo(6.3, 12);
    expect(e.standard).toBeCloseTo(6.3 * 730 * 1.04, 9);
    expect(payment).toBeCloseTo(6.3 * 730 * 1.04 - 1500, 9);
  });

  it("a serious case stays longer (× 1.3 ÷ 0.8) and earns more days; township days at the township rate", () => {
    const scheme = new PerDiem(terms, environment());
    const serious = admission({ group: RESPIRATORY, tier: COUNTY, severity: SERIOUS, key });
    priced(serious, scheme.caseCost(serious, 7800), 2000);
    scheme.casePayment(serious);
    expect(serious.bedDays).toBeCloseTo(6 * 1.625 * 1.05, 12);
    const town = admission({ group: RESPIRATORY, tier: TOWNSHIP, severity: COMMON, key });
    priced(town, scheme.caseCost(town, 1666.4), 300);
    expect(scheme.casePayment(town)).toBeCloseTo(6 * 1.05 * 280 - 300, 9);
  });
});

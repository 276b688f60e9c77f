/**
 * Per-disease payment (sim/payment/per-disease.ts, 004 §五(六)) on hand-worked cases: a
 * listed case earns its list price whatever its cost, stay or severity; off the list it is
 * paid as a claim; providers shorten listed stays and shift loss-making listed cases off
 * the list.
 */
import { describe, expect, it } from "vitest";
import { CASE_DRAW } from "../../sim/payment/case-mix";
import { PerDisease } from "../../sim/payment/per-disease";
import { CASE_OFF_LIST, CASE_PAID } from "../../sim/payment/scheme";
import { COMMON, COUNTY, SERIOUS, TOWNSHIP } from "../../sim/tier";
import { admission, environment, keyWhere, priced } from "./helpers";

const RESPIRATORY = 0; // listCoverage county 0.8, township 0.7; price county 6,180, township 1,670 (2018 yuan)
const terms = { communities: "all" as const, coversEmployeeScheme: true, tiers: { township: true, county: true }, priceFactor: 1 };
const scheme = new PerDisease(terms, environment());
// defaults: lengthOfStayChange.perDisease −0.05, dailyCostShare 0.4, offListShift 0.2
const listed = keyWhere((u) => u(CASE_DRAW.list) < 0.7 && u(CASE_DRAW.offList) >= 0.2);
const listedShifted = keyWhere((u) => u(CASE_DRAW.list) < 0.7 && u(CASE_DRAW.offList) < 0.2);
const unlisted = keyWhere((u) => u(CASE_DRAW.list) >= 0.8);

describe("per-disease payment, case by case", () => {
  it("a listed common pneumonia at a county hospital: cost falls with a 5% shorter stay (×0.98), the facility gets the list price", () => {
    const e = admission({ group: RESPIRATORY, tier: COUNTY, severity: COMMON, key: listed });
    const cost = scheme.caseCost(e, 4800); // 6,000 × 0.8, 2018 prices
    expect(e.caseKind).toBe(CASE_PAID);
    expect(cost).toBeCloseTo(4800 * (1 - 0.4 * 0.05), 9); // 4,704
    priced(e, cost, 1500);
    // the insurer pays the price less what the resident paid: 6,180 − 1,500
    expect(scheme.casePayment(e)).toBeCloseTo(4680, 9);
    expect(e.standard).toBe(6180);
    expect(e.bedDays).toBeCloseTo(6 * 0.95, 12);
    expect(e.points).toBe(0);
  });

  it("the same disease off the county list is paid as a claim at its full cost and stay", () => {
    const e = admission({ group: RESPIRATORY, tier: COUNTY, severity: COMMON, key: unlisted });
    expect(scheme.caseCost(e, 4800)).toBe(4800);
    expect(e.caseKind).toBe(CASE_OFF_LIST);
    priced(e, 4800, 1500);
    expect(scheme.casePayment(e)).toBe(3300);
    expect(e.bedDays).toBe(6);
  });

  it("a listed serious case (7,800 > its 6,180 price) is paid the same price — unless providers record it off the list (cost shifting)", () => {
    const kept = admission({ group: RESPIRATORY, tier: COUNTY, severity: SERIOUS, key: listed });
    const cost = scheme.caseCost(kept, 7800);
    expect(kept.caseKind).toBe(CASE_PAID);
    priced(kept, cost, 2000);
    expect(scheme.casePayment(kept)).toBeCloseTo(6180 - 2000, 9);
    expect(kept.bedDays).toBeCloseTo(6 * (1.3 / 0.8) * 0.95, 12);

    const shifted = admission({ group: RESPIRATORY, tier: COUNTY, severity: SERIOUS, key: listedShifted });
    expect(scheme.caseCost(shifted, 7800)).toBe(7800);
    expect(shifted.caseKind).toBe(CASE_OFF_LIST);
    priced(shifted, 7800, 2000);
    expect(scheme.casePayment(shifted)).toBe(5800);
    // a listed case that costs less than its price is never shifted
    const cheap = admission({ group: RESPIRATORY, tier: COUNTY, severity: COMMON, key: listedShifted });
    scheme.caseCost(cheap, 4800);
    expect(cheap.caseKind).toBe(CASE_PAID);
  });

  it("township prices, the price level and the year's price index; nothing below zero; tiers outside the scheme untouched", () => {
    const e = admission({ group: RESPIRATORY, tier: TOWNSHIP, severity: COMMON, key: listed });
    const dearer = new PerDisease({ ...terms, priceFactor: 1.1 }, environment(1.04));
    priced(e, dearer.caseCost(e, 1666.4), 300);
    expect(dearer.casePayment(e)).toBeCloseTo(1670 * 1.1 * 1.04 - 300, 9);
    // the resident's OOP above the price: the insurer pays nothing, the facility keeps the OOP
    priced(e, 1666.4, 2000);
    expect(dearer.casePayment(e)).toBe(0);
    const countyOnly = new PerDisease({ ...terms, tiers: { township: false, county: true } }, environment());
    const t = admission({ group: RESPIRATORY, tier: TOWNSHIP, severity: COMMON, key: listed });
    t.caseKind = 0;
    expect(countyOnly.caseCost(t, 1666.4)).toBe(1666.4);
    expect(t.caseKind).toBe(0);
    priced(t, 1666.4, 300);
    expect(countyOnly.casePayment(t)).toBeCloseTo(1366.4, 9);
    expect(countyOnly.countyCaseCost()).toBe(0);
    expect(countyOnly.monthlyPrepayment()).toBeNull();
  });
});

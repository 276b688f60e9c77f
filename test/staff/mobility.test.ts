/**
 * Why doctors move (sim/staff/mobility.ts): the yearly move probability is a logistic in the
 * log pay ratio and the workload gap, checked on hand-worked values and for direction.
 */
import { describe, expect, it } from "vitest";
import { annualPay, logistic, moveProbability, workload, type MoveParameters } from "../../sim/staff/mobility";

const M: MoveParameters = { intercept: -3.56, payElasticity: 1.5, workloadElasticity: 1.0 };

describe("moveProbability — the logistic formula on hand values", () => {
  it("equal pay and workload: logistic of the intercept alone", () => {
    // intercept ln(1/9): odds 1:9 → p = 1/10
    expect(moveProbability({ intercept: Math.log(1 / 9), payElasticity: 1.5, workloadElasticity: 1 }, 70_000, 70_000, 1, 1)).toBeCloseTo(0.1, 14);
  });

  it("pay and workload terms cancel the intercept → 1/2", () => {
    // payThere/payHere = e^0.5 → 2 × 0.5 = +1; workload gap 1.5 − 0.5 = 1 → 1 × 1 = +1; intercept −2 → x = 0
    const m = { intercept: -2, payElasticity: 2, workloadElasticity: 1 };
    expect(moveProbability(m, 100, 100 * Math.exp(0.5), 1.5, 0.5)).toBeCloseTo(0.5, 14);
  });

  it("odds 3:1 from a doubled pay", () => {
    // payThere/payHere = 2 → payElasticity × ln 2 with payElasticity = ln 3 / ln 2 gives ln 3; intercept 0 → p = 3/4
    const m = { intercept: 0, payElasticity: Math.log(3) / Math.log(2), workloadElasticity: 0.5 };
    expect(moveProbability(m, 50_000, 100_000, 0.8, 0.8)).toBeCloseTo(0.75, 14);
  });

  it("a township → county move at default-like values", () => {
    // x = −3.56 + 1.5 × ln(120000/70000) + 1 × (1.2 − 0.9)
    //   = −3.56 + 1.5 × 0.5389965 + 0.3 = −2.4515052
    // p = 1 / (1 + e^2.4515052) = 1 / (1 + 11.605803) = 0.0793285
    expect(moveProbability(M, 70_000, 120_000, 1.2, 0.9)).toBeCloseTo(0.0793285, 6);
    expect(moveProbability(M, 70_000, 120_000, 1.2, 0.9)).toBe(logistic(-3.56 + 1.5 * Math.log(120_000 / 70_000) + 0.3));
  });

  it("logistic: 0 → 1/2, symmetric, in (0, 1)", () => {
    expect(logistic(0)).toBe(0.5);
    expect(logistic(2) + logistic(-2)).toBeCloseTo(1, 15);
    expect(logistic(-40)).toBeGreaterThan(0);
    expect(logistic(40)).toBeLessThanOrEqual(1);
  });
});

describe("moveProbability — direction", () => {
  const pays = [40_000, 60_000, 80_000, 100_000, 120_000, 160_000, 240_000];

  it("rises strictly with the pay there (a larger gap towards the other post)", () => {
    const p = pays.map((there) => moveProbability(M, 70_000, there, 1, 1));
    for (let i = 1; i < p.length; i++) expect(p[i]).toBeGreaterThan(p[i - 1]);
  });

  it("falls strictly as pay here rises", () => {
    const p = pays.map((here) => moveProbability(M, here, 120_000, 1, 1));
    for (let i = 1; i < p.length; i++) expect(p[i]).toBeLessThan(p[i - 1]);
  });

  it("rises strictly with workload here and falls with workload there", () => {
    const loads = [0.2, 0.5, 0.8, 1, 1.3, 2, 3];
    const here = loads.map((w) => moveProbability(M, 70_000, 120_000, w, 1));
    const there = loads.map((w) => moveProbability(M, 70_000, 120_000, 1, w));
    for (let i = 1; i < loads.length; i++) {
      expect(here[i]).toBeGreaterThan(here[i - 1]);
      expect(there[i]).toBeLessThan(there[i - 1]);
    }
  });

  it("depends on pay only through the ratio", () => {
    expect(moveProbability(M, 70_000, 120_000, 1, 1)).toBeCloseTo(moveProbability(M, 7, 12, 1, 1), 14);
  });

  it("throws a RangeError on non-positive pay", () => {
    expect(() => moveProbability(M, 0, 120_000, 1, 1)).toThrow(RangeError);
    expect(() => moveProbability(M, 70_000, 0, 1, 1)).toThrow(RangeError);
    expect(() => moveProbability(M, -5, 120_000, 1, 1)).toThrow(RangeError);
    expect(() => moveProbability(M, 70_000, Number.NaN, 1, 1)).toThrow(RangeError);
  });
});

describe("annualPay and workload", () => {
  it("annualPay = base × (1 + uplift) + bonus", () => {
    // 70,000 × 1.2 + 5,000 = 89,000
    expect(annualPay(70_000, 0.2, 5_000)).toBe(89_000);
    expect(annualPay(120_000, 0, 0)).toBe(120_000);
  });

  it("workload = load ÷ capacity, 1 when unknown", () => {
    expect(workload(900, 1000)).toBeCloseTo(0.9, 15);
    expect(workload(1500, 1000)).toBe(1.5);
    expect(workload(0, 1000)).toBe(1);
    expect(workload(500, 0)).toBe(1);
    expect(workload(500, Infinity)).toBe(1);
  });
});

import { describe, expect, it } from "vitest";
import {
  CLAIM_ASSISTANCE, CLAIM_DEDUCTIBLE_PAID, CLAIM_OOP, CLAIM_REIMBURSED, CLAIM_SIZE, bypassRate, povertyAdjusted, settleClaim,
} from "../../sim/insurance/reimbursement";

const settle = (cost: number, inPolicy: number, deductibleDue: number, rate: number, capRemaining = Infinity, oopCapRemaining = Infinity) => {
  const out = settleClaim(cost, inPolicy, deductibleDue, rate, capRemaining, oopCapRemaining, new Float64Array(CLAIM_SIZE));
  return { reimbursed: out[CLAIM_REIMBURSED], oop: out[CLAIM_OOP], deductible: out[CLAIM_DEDUCTIBLE_PAID], assistance: out[CLAIM_ASSISTANCE] };
};

describe("settleClaim (worked by hand)", () => {
  it("applies the in-policy share, the deductible and the rate", () => {
    // cost 1000, 90% in policy → eligible 900; deductible 200 → 700 above it;
    // 80% of 700 = 560 reimbursed; OOP = 1000 − 560 = 440 (incl. the 100 out of policy).
    expect(settle(1000, 0.9, 200, 0.8)).toEqual({ reimbursed: 560, oop: 440, deductible: 200, assistance: 0 });
  });

  it("caps the deductible at the eligible cost", () => {
    // cost 100, 50% in policy → eligible 50 < deductible due 300: pays 50 towards it,
    // nothing above it is reimbursed, OOP = the whole 100.
    expect(settle(100, 0.5, 300, 0.9)).toEqual({ reimbursed: 0, oop: 100, deductible: 50, assistance: 0 });
  });

  it("stops reimbursement at the annual cap", () => {
    // cost 10000 all in policy, no deductible: 90% = 9000, but only 2000 of the cap left
    // → reimbursed 2000, OOP 8000.
    expect(settle(10_000, 1, 0, 0.9, 2000)).toMatchObject({ reimbursed: 2000, oop: 8000 });
    // cap already exhausted (remaining ≤ 0, e.g. rounding overshoot): nothing reimbursed.
    expect(settle(10_000, 1, 0, 0.9, 0)).toMatchObject({ reimbursed: 0, oop: 10_000 });
    expect(settle(10_000, 1, 0, 0.9, -5)).toMatchObject({ reimbursed: 0, oop: 10_000 });
    // cap not binding: 0.9 × 10000 = 9000 < 9000.01
    expect(settle(10_000, 1, 0, 0.9, 9000.01)).toMatchObject({ reimbursed: 9000, oop: 1000 });
  });

  it("sends OOP above the poverty cap to medical assistance (医疗救助)", () => {
    // cost 10000, 80% in policy → eligible 8000; deductible 500 → 7500 × 0.75 = 5625
    // reimbursed; OOP before assistance = 10000 − 5625 = 4375; 1500 of the poor
    // resident's annual OOP cap left → assistance 4375 − 1500 = 2875, OOP 1500.
    expect(settle(10_000, 0.8, 500, 0.75, Infinity, 1500)).toEqual({ reimbursed: 5625, oop: 1500, deductible: 500, assistance: 2875 });
    // cap already passed (remaining −100): assistance pays the whole OOP of 4375.
    expect(settle(10_000, 0.8, 500, 0.75, Infinity, -100)).toMatchObject({ oop: 0, assistance: 4375 });
    // OOP 4375 under a remaining cap of 5000: no assistance.
    expect(settle(10_000, 0.8, 500, 0.75, Infinity, 5000)).toMatchObject({ oop: 4375, assistance: 0 });
  });

  it("combines the annual cap and the poverty cap: reimbursement capped first, assistance tops up", () => {
    // cost 20000 all in policy, rate 0.9 → 18000 but cap left 3000 → reimbursed 3000;
    // OOP 17000; poverty cap left 2000 → assistance 15000, OOP 2000.
    expect(settle(20_000, 1, 0, 0.9, 3000, 2000)).toEqual({ reimbursed: 3000, oop: 2000, deductible: 0, assistance: 15_000 });
  });

  it("always splits the cost exactly into reimbursed + OOP + assistance", () => {
    for (const [cost, share, ded, rate, cap, oopCap] of [
      [37.5, 1, 0, 0.5, 400, Infinity], [2083, 0.95, 150, 0.85, 150_000, 300], [16000, 0.8, 1200, 0.55, 100, 0], [0, 0.9, 100, 0.8, 10, 10],
    ]) {
      const r = settle(cost, share, ded, rate, cap, oopCap);
      expect(r.reimbursed + r.oop + r.assistance).toBeCloseTo(cost, 9);
      for (const v of Object.values(r)) expect(v).toBeGreaterThanOrEqual(0);
    }
  });

  it("writes into and returns the caller's array", () => {
    const buf = new Float64Array(CLAIM_SIZE).fill(-1);
    expect(settleClaim(100, 1, 0, 0.5, Infinity, Infinity, buf)).toBe(buf);
    expect(Array.from(buf)).toEqual([50, 50, 0, 0]);
  });
});

describe("bypassRate", () => {
  it("lowers an unreferred patient's rate by the reduction when the rule is on", () => {
    expect(bypassRate(0.72, false, true, 0.1)).toBeCloseTo(0.62, 12); // 72% − 10 points
    expect(bypassRate(0.55, false, true, 0.2)).toBeCloseTo(0.35, 12); // 55% − 20 points
  });
  it("keeps the rate for referred patients or when the rule is off", () => {
    expect(bypassRate(0.72, true, true, 0.1)).toBe(0.72);
    expect(bypassRate(0.72, false, false, 0.1)).toBe(0.72);
  });
  it("never goes below zero", () => {
    expect(bypassRate(0.05, false, true, 0.1)).toBe(0);
    expect(bypassRate(0.1, false, true, 0.1)).toBe(0);
  });
});

describe("povertyAdjusted", () => {
  it("scales the deductible and raises the rate, capped at 100%", () => {
    // deductible 600 × 0.5 = 300; rate 0.72 + 0.05 = 0.77
    const [d, r] = povertyAdjusted(600, 0.72, 0.5, 0.05);
    expect(d).toBe(300);
    expect(r).toBeCloseTo(0.77, 12);
    // 0.98 + 0.05 would be 1.03 → 1
    expect(povertyAdjusted(150, 0.98, 0.5, 0.05)).toEqual([75, 1]);
  });
});

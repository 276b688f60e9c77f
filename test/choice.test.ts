import { describe, expect, it } from "vitest";
import { gumbelMaxChoice, logitProbabilities, utility, type ChoiceCoefficients, type UtilityTerms } from "../sim/choice";
import { streamKey, uniform } from "../sim/random";

const COEF: ChoiceCoefficients = {
  quality: 4.5, oopPer100Yuan: -0.168, referenceMonthlyIncome: 4000, travelWithinHour: 1.285, travelPerHour: -0.6,
  habit: 0.7, familyDoctorContract: 0.6, ownTownshipCentre: 1.5, crowding: -2, referralHassle: -0.4,
};
const BASE: UtilityTerms = {
  tierConstant: 0, quality: 0, oopYuan: 0, monthlyIncome: 4000, minutes: 90, isLastFacility: false, isContracted: false, isOwnTownshipCentre: false, crowding: 0, mustRefer: false,
};

describe("utility", () => {
  it("adds up the documented terms (worked by hand)", () => {
    // 0.6 (constant) + 4.5 × 0.75 (quality) − 0.168 × 200/100 × 4000/2000 (OOP at half the
    // reference income) + 1.285 (within the hour) − 0.6 × 30/60 (half an hour) + 0.7 (habit)
    // + 0.6 (contract) + 1.5 (own township centre) − 2 × 0.25 (crowding) − 0.4 (must refer)
    // = 0.6 + 3.375 − 0.672 + 1.285 − 0.3 + 0.7 + 0.6 + 1.5 − 0.5 − 0.4 = 6.188
    const v = utility(
      { tierConstant: 0.6, quality: 0.75, oopYuan: 200, monthlyIncome: 2000, minutes: 30, isLastFacility: true, isContracted: true, isOwnTownshipCentre: true, crowding: 0.25, mustRefer: true },
      COEF,
    );
    expect(v).toBeCloseTo(6.188, 10);
  });

  it("each term moves utility by its coefficient alone", () => {
    const v0 = utility(BASE, COEF);
    expect(v0).toBeCloseTo(-0.9, 12); // only the 90 minutes: −0.6 × 1.5
    expect(utility({ ...BASE, isLastFacility: true }, COEF) - v0).toBeCloseTo(0.7, 12);
    expect(utility({ ...BASE, isContracted: true }, COEF) - v0).toBeCloseTo(0.6, 12);
    expect(utility({ ...BASE, isOwnTownshipCentre: true }, COEF) - v0).toBeCloseTo(1.5, 12);
    expect(utility({ ...BASE, mustRefer: true }, COEF) - v0).toBeCloseTo(-0.4, 12);
    expect(utility({ ...BASE, crowding: 1 }, COEF) - v0).toBeCloseTo(-2, 12);
    expect(utility({ ...BASE, oopYuan: 100 }, COEF) - v0).toBeCloseTo(-0.168, 12); // at the reference income
  });

  it("the one-hour threshold is strict: 59.9 minutes is within, 60 is not", () => {
    const at = (minutes: number) => utility({ ...BASE, minutes }, COEF);
    expect(at(59.9) - at(60)).toBeCloseTo(1.285 - 0.6 * (59.9 - 60) / 60, 10);
  });

  it("OOP weighs more for poorer residents (scaled by reference / own income)", () => {
    const poor = utility({ ...BASE, oopYuan: 100, monthlyIncome: 1000 }, COEF) - utility({ ...BASE, monthlyIncome: 1000 }, COEF);
    const rich = utility({ ...BASE, oopYuan: 100, monthlyIncome: 8000 }, COEF) - utility({ ...BASE, monthlyIncome: 8000 }, COEF);
    expect(poor).toBeCloseTo(-0.672, 12); // −0.168 × 4
    expect(rich).toBeCloseTo(-0.084, 12); // −0.168 / 2
  });
});

describe("logitProbabilities", () => {
  it("matches exp(V_j) / Σ exp(V_k)", () => {
    const v = [0.3, -0.5, 1.2, 0];
    const e = v.map(Math.exp);
    const s = e.reduce((a, b) => a + b, 0);
    const p = logitProbabilities(v);
    p.forEach((x, j) => expect(x).toBeCloseTo(e[j] / s, 14));
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14);
  });
  it("is stable for large utilities and invariant to a common shift", () => {
    expect(logitProbabilities([1000, 1000])).toEqual([0.5, 0.5]);
    const a = logitProbabilities([1, 2, 3]);
    const b = logitProbabilities([801, 802, 803]);
    a.forEach((x, j) => expect(b[j]).toBeCloseTo(x, 12));
  });
  it("gives zero to options with V = −Infinity", () => {
    const p = logitProbabilities([0, -Infinity, Math.log(3)]);
    expect(p[1]).toBe(0);
    expect(p[0]).toBeCloseTo(0.25, 14);
    expect(p[2]).toBeCloseTo(0.75, 14);
  });
});

describe("gumbelMaxChoice", () => {
  it("reproduces the logit shares within sampling error (4 standard errors)", () => {
    // Each draw uses one uniform per option from the model's counter-based generator.
    const cases = [
      [0.3, -0.5, 1.2, 0],
      [1.5, -0.1, 0.6, 2.2, -3],
      [0, 0],
    ];
    const N = 100_000;
    const key = streamKey(42, "test.gumbel");
    cases.forEach((v, ci) => {
      const counts = new Array(v.length).fill(0);
      const u = new Float64Array(v.length);
      for (let n = 0; n < N; n++) {
        for (let j = 0; j < v.length; j++) u[j] = uniform(key, n, ci, j);
        counts[gumbelMaxChoice(v, u)]++;
      }
      const p = logitProbabilities(v);
      p.forEach((pj, j) => {
        const se = Math.sqrt((pj * (1 - pj)) / N);
        expect(Math.abs(counts[j] / N - pj), `case ${ci} option ${j}: ${counts[j] / N} vs ${pj}`).toBeLessThan(4 * se + 1e-12);
      });
    });
  });

  it("never chooses an option with V = −Infinity", () => {
    const key = streamKey(7, "test.gumbel.inf");
    const v = [0, -Infinity, -5];
    const counts = [0, 0, 0];
    for (let n = 0; n < 20_000; n++) counts[gumbelMaxChoice(v, [uniform(key, n, 0, 0), uniform(key, n, 0, 1), uniform(key, n, 0, 2)])]++;
    expect(counts[1]).toBe(0);
    expect(counts[2]).toBeGreaterThan(0); // e^{−5}/(1 + e^{−5}) ≈ 0.7%: still chosen sometimes
  });

  it("is the argmax of V + Gumbel noise for given uniforms", () => {
    // With uniforms e^{-1} (Gumbel 0) for every option the largest V wins.
    const u0 = Math.exp(-1);
    expect(gumbelMaxChoice([0.1, 0.5, 0.2], [u0, u0, u0])).toBe(1);
    // A large uniform (big Gumbel draw) on option 0 overturns a small utility gap.
    expect(gumbelMaxChoice([0.1, 0.5, 0.2], [0.999, u0, u0])).toBe(0);
    // Only the first n options are considered.
    expect(gumbelMaxChoice([0.1, 0.5, 9], [u0, u0, u0], 2)).toBe(1);
    // Every option −Infinity → −1
    expect(gumbelMaxChoice([-Infinity, -Infinity], [0.5, 0.5])).toBe(-1);
  });

  it("raising one option's utility only moves choices to that option (common random numbers)", () => {
    const key = streamKey(3, "test.gumbel.crn");
    const v = [0.4, 0.1, 0.9, -0.2];
    const w = [0.4, 0.1, 1.4, -0.2]; // option 2 up by 0.5
    let moved = 0;
    let wrong = 0;
    for (let n = 0; n < 20_000; n++) {
      const u = [0, 1, 2, 3].map((j) => uniform(key, n, 0, j));
      const a = gumbelMaxChoice(v, u);
      const b = gumbelMaxChoice(w, u);
      if (a !== b) {
        moved++;
        if (b !== 2) wrong++;
      }
    }
    expect(wrong).toBe(0);
    expect(moved).toBeGreaterThan(0);
  });
});

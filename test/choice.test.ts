import { describe, expect, it } from "vitest";
import { CHOICE_TERMS, choiceCoefficients, choiceFormula, gumbelMaxChoice, logitProbabilities, neutralFacts, staticUtility, termValues, utility, type OptionFacts } from "../sim/choice";
import { streamKey, uniform } from "../sim/random";
import { COUNTY, INPATIENT, OUTPATIENT, TOWNSHIP, VILLAGE } from "../sim/tier";

const tiers = { village: 0.1, township: -1.6, county: 0.6, outOfCounty: 3.9 };
const quality = { minor: 0.5, common: 0.4, serious: 0.2, critical: 0.05 };
const COEF = choiceCoefficients({
  choice: {
    quality: 4.5, oopPer100Yuan: -0.168, referenceMonthlyIncome: 4000, travelWithinHour: 1.285, travelPerHour: -0.6,
    habit: 0.7, familyDoctorContract: 0.6, bundleHospital: 0.3, ownTownshipCentre: 1.5, crowding: -2, referralHassle: -0.4, inpatientOopScale: 0.05,
    tierConstant: tiers, tierConstantInpatient: { village: 0, township: -2, county: 0.8, outOfCounty: 2.8 },
    perceivedQuality: { village: quality, township: { ...quality, common: 0.75 }, county: quality, outOfCounty: quality },
  },
  leadHospital: { opennessUtility: 2 },
});
/** a village clinic 90 minutes away, minor outpatient episode, nothing else switched on */
const BASE: OptionFacts = neutralFacts({ care: OUTPATIENT, tier: VILLAGE, treatedTier: VILLAGE, minutes: 90, monthlyIncome: 4000 });
const at = (over: Partial<OptionFacts>) => utility({ ...BASE, ...over }, COEF);

describe("utility", () => {
  it("adds up the documented terms (worked by hand)", () => {
    // an outpatient at the village clinic who must be referred to the township centre (30 + 10 minutes):
    // 0.1 (village constant) + 1.5 (own township centre) − 0.4 (must refer) + 4.5 × (0.75 + 0.05 − 0.1) (quality at the
    // township, its offset and shift) + 1.285 (within the hour) − 0.6 × 40/60 (travel both legs) − 0.168 × 200/100 × 4000/2000
    // (OOP at half the reference income) + 0.7 (habit) + 0.6 (contract) − 2 × 0.25 (crowding)
    // = 0.1 + 1.5 − 0.4 + 3.15 + 1.285 − 0.4 − 0.672 + 0.7 + 0.6 − 0.5 = 5.363
    const v = at({
      severity: 1, treatedTier: TOWNSHIP, treatedQualityOffset: 0.05, treatedQualityShift: -0.1, minutes: 30, onwardMinutes: 10, mustRefer: true,
      oopYuan: 200, monthlyIncome: 2000, isLastFacility: true, isContracted: true, isOwnClinicOrCentre: true, isOwnTownshipCentre: true, crowding: 0.25,
    });
    expect(v).toBeCloseTo(5.363, 10);
  });

  it("each term moves utility by its coefficient alone", () => {
    const v0 = at({});
    expect(v0).toBeCloseTo(0.1 + 4.5 * 0.5 - 0.9, 12); // constant, quality, 90 minutes: −0.6 × 1.5
    expect(at({ isLastFacility: true }) - v0).toBeCloseTo(0.7, 12);
    expect(at({ isContracted: true })).toBe(v0); // a contract counts only at the own clinic and centre
    expect(at({ isContracted: true, isOwnClinicOrCentre: true }) - v0).toBeCloseTo(0.6, 12);
    expect(at({ isOwnTownshipCentre: true }) - v0).toBeCloseTo(1.5, 12);
    expect(at({ mustRefer: true }) - v0).toBeCloseTo(-0.4, 12);
    expect(at({ crowding: 1 }) - v0).toBeCloseTo(-2, 12);
    expect(at({ oopYuan: 100 }) - v0).toBeCloseTo(-0.168, 12); // at the reference income
    expect(at({ onwardMinutes: 30 }) - v0).toBeCloseTo(-0.3, 12);
    expect(at({ treatedQualityShift: 0.1 }) - v0).toBeCloseTo(0.45, 12);
  });

  it("inpatient episodes: their own tier constants and OOP weighed by inpatientOopScale", () => {
    const ip = (over: Partial<OptionFacts>) => at({ care: INPATIENT, tier: COUNTY, treatedTier: COUNTY, ...over });
    expect(termValues({ ...BASE, care: INPATIENT, tier: COUNTY }, COEF).tierConstant).toBe(0.8);
    expect(termValues({ ...BASE, care: OUTPATIENT, tier: COUNTY }, COEF).tierConstant).toBe(0.6);
    expect(ip({ oopYuan: 1000 }) - ip({})).toBeCloseTo(-0.168 * 10 * 0.05, 12);
  });

  it("the lead hospital's steering: only primary-treatable episodes, towards its county hospitals or the own clinic and centre", () => {
    const steer = (over: Partial<OptionFacts>) => termValues({ ...BASE, ...over }, COEF).steering;
    // openness > 0 (volume pays): its own county hospitals draw primary-treatable patients
    expect(steer({ primaryTreatable: true, communityOpenness: 0.5, isOwnCommunityCountyHospital: true })).toBe(1);
    expect(steer({ primaryTreatable: true, communityOpenness: 0.5, isOwnClinicOrCentre: true })).toBe(0);
    expect(steer({ primaryTreatable: false, communityOpenness: 0.5, isOwnCommunityCountyHospital: true })).toBe(0);
    // openness < 0 (the package makes primary care pay): it sends them to the own clinic and centre
    expect(steer({ primaryTreatable: true, communityOpenness: -0.25, isOwnClinicOrCentre: true })).toBe(0.5);
    expect(steer({ primaryTreatable: true, communityOpenness: -0.25, isOwnCommunityCountyHospital: true })).toBe(0);
  });

  it("the one-hour threshold is strict: 59.9 minutes is within, 60 is not", () => {
    expect(at({ minutes: 59.9 }) - at({ minutes: 60 })).toBeCloseTo(1.285 - 0.6 * (59.9 - 60) / 60, 10);
  });

  it("OOP weighs more for poorer residents (scaled by reference / own income)", () => {
    const poor = at({ oopYuan: 100, monthlyIncome: 1000 }) - at({ monthlyIncome: 1000 });
    const rich = at({ oopYuan: 100, monthlyIncome: 8000 }) - at({ monthlyIncome: 8000 });
    expect(poor).toBeCloseTo(-0.672, 12); // −0.168 × 4
    expect(rich).toBeCloseTo(-0.084, 12); // −0.168 / 2
  });

  it("is the fold of the terms in table order: the static terms first (the option table), then the episode terms", () => {
    const x: OptionFacts = { ...BASE, oopYuan: 37.3, crowding: 0.31, isLastFacility: true, minutes: 47.1, treatedQualityShift: 0.013 };
    let s = 0;
    let first = true;
    for (const t of CHOICE_TERMS.filter((t) => t.stage === "static")) {
      s = first ? t.value(x, COEF) : s + t.value(x, COEF);
      first = false;
    }
    expect(staticUtility(x, COEF)).toBe(s);
    let v = s;
    for (const t of CHOICE_TERMS.filter((t) => t.stage === "episode")) v += t.value(x, COEF);
    expect(utility(x, COEF)).toBe(v);
  });

  it("the documented formula is generated from the table: every term, its parameters and its doc line", () => {
    const md = choiceFormula();
    for (const t of CHOICE_TERMS) {
      expect(md).toContain(t.formula);
      expect(md).toContain(t.doc.en);
      for (const c of t.coefficients) expect(md).toContain(`\`${c}\``);
    }
    for (const term of ["tierConstantInpatient", "inpatientOopScale", "opennessUtility"]) expect(md).toContain(term);
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

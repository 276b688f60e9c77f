/** The demographic rates (sim/population/rates.ts) against hand-worked values. */
import { describe, expect, it } from "vitest";
import { annualDeathRate, bandOfAge, birthProbability, crudeBirthRate, monthlyDeathTable, monthlyProbability, onsetProbability, roundedCount } from "../../sim/population/rates";
import { loadParameters } from "../../sim/scenario/load";
import { REPO_ROOT } from "../helpers/paths";

const P = loadParameters(`${REPO_ROOT}data/parameters.yaml`).population;

describe("demographic rates", () => {
  it("a monthly probability compounds back to the annual one", () => {
    // 1 − (1 − 0.012)^(1/12) = 0.0010055…, not 0.001
    expect(monthlyProbability(0.012)).toBeCloseTo(0.00100553, 7);
    expect(1 - Math.pow(1 - monthlyProbability(0.3), 12)).toBeCloseTo(0.3, 12);
    expect(monthlyProbability(0)).toBe(0);
    expect(monthlyProbability(1)).toBe(1);
  });

  it("death rates by exact age follow the table's groups and rise with age", () => {
    expect(annualDeathRate(0, P)).toBeCloseTo(0.0013, 12);
    expect(annualDeathRate(44, P)).toBeCloseTo(0.0007, 12);
    expect(annualDeathRate(45, P)).toBeCloseTo(0.004, 12);
    expect(annualDeathRate(84, P)).toBeCloseTo(0.04, 12);
    expect(annualDeathRate(100, P)).toBeCloseTo(0.13, 12);
    const t = monthlyDeathTable(P);
    for (let a = 15; a < t.length; a++) expect(t[a]).toBeGreaterThanOrEqual(t[a - 1]);
  });

  it("crude birth rates by year; 2025 takes 2024's, before 2018 the first year's", () => {
    expect(crudeBirthRate(2018, P)).toBeCloseTo(0.01094, 12);
    expect(crudeBirthRate(2023, P)).toBeCloseTo(0.00639, 12);
    expect(crudeBirthRate(2025, P)).toBeCloseTo(0.00677, 12);
    expect(crudeBirthRate(2010, P)).toBeCloseTo(0.01094, 12);
  });

  it("births per woman 15–44 give the crude rate's expected births: 10.94‰ × 1,000 ÷ 12 ÷ 200 women", () => {
    expect(birthProbability(0.01094, 1000, 200)).toBeCloseTo(0.01094 * 1000 / 12 / 200, 12);
    expect(birthProbability(0.01, 1000, 0)).toBe(0);
  });

  it("chronic onset keeps the older band's prevalence: (0.53 − 0.33) ÷ 0.67 for hypertension at 65", () => {
    const h = onsetProbability(0.33, 0.53);
    expect(h).toBeCloseTo(0.2985, 4);
    expect(0.33 + (1 - 0.33) * h).toBeCloseTo(0.53, 12);
    expect(onsetProbability(0.2, 0.1)).toBe(0);
    expect(onsetProbability(0, 0.09)).toBeCloseTo(0.09, 12);
  });

  it("stochastic rounding: ⌊x⌋ or ⌈x⌉, the fraction's share of the time", () => {
    expect(roundedCount(2.25, 0.2)).toBe(3);
    expect(roundedCount(2.25, 0.3)).toBe(2);
    expect(roundedCount(0, 0.01)).toBe(0);
  });

  it("age bands from exact ages", () => {
    expect([0, 14, 15, 44, 45, 64, 65, 110].map(bandOfAge)).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
  });
});

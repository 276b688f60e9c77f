import { describe, expect, it } from "vitest";
import { N_RATE_GROUPS, drawCount, drawSeverity, incidenceTables, poissonCdf, rateGroup } from "../sim/episodes";
import { streamKey, uniform } from "../sim/random";
import { CRITICAL, COMMON, MINOR, SERIOUS } from "../sim/tier";
import { baseline } from "./helpers/scenarios";

describe("poissonCdf", () => {
  it("tabulates P(N ≤ k) and ends at exactly 1", () => {
    const lambda = 0.5;
    const cdf = poissonCdf(lambda);
    expect(cdf[0]).toBeCloseTo(Math.exp(-lambda), 15);
    expect(cdf[1]).toBeCloseTo(Math.exp(-lambda) * (1 + lambda), 15);
    expect(cdf[2]).toBeCloseTo(Math.exp(-lambda) * (1 + lambda + lambda ** 2 / 2), 15);
    expect(cdf[cdf.length - 1]).toBe(1);
    for (let k = 1; k < cdf.length; k++) expect(cdf[k]).toBeGreaterThanOrEqual(cdf[k - 1]);
  });
});

describe("drawCount", () => {
  it("inverts the CDF table", () => {
    const cdf = poissonCdf(0.5);
    expect(drawCount(cdf, 0, cdf[0] * 0.5)).toBe(0);
    expect(drawCount(cdf, 0, cdf[0])).toBe(0); // u ≤ cdf[0]
    expect(drawCount(cdf, 0, (cdf[0] + cdf[1]) / 2)).toBe(1);
    expect(drawCount(cdf, 0, 1 - 1e-12)).toBeLessThan(cdf.length);
  });

  it("reads the right table at an offset", () => {
    const both = new Float64Array(24);
    both.set(poissonCdf(0.01), 0);
    both.set(poissonCdf(5), 12);
    // u = 0.5: Poisson(0.01) → 0; Poisson(5) → median 5
    expect(drawCount(both, 0, 0.5)).toBe(0);
    expect(drawCount(both, 12, 0.5)).toBe(5);
  });

  it("has mean close to λ at monthly rates", () => {
    for (const lambda of [0.25, 1.0, 2.0]) {
      const cdf = poissonCdf(lambda);
      const key = streamKey(3, `test.drawCount.${lambda}`);
      const N = 100_000;
      let s = 0;
      for (let n = 0; n < N; n++) s += drawCount(cdf, 0, uniform(key, n, 0, 0));
      expect(Math.abs(s / N - lambda), `λ=${lambda}`).toBeLessThan(4 * Math.sqrt(lambda / N));
    }
  });
});

describe("incidenceTables", () => {
  const P = baseline().parameters;
  const t = incidenceTables(P.incidence);

  it("uses one rate per age band × chronic group, monthly", () => {
    expect(N_RATE_GROUPS).toBe(8);
    const groups = new Set<number>();
    for (let a = 0; a < 4; a++) for (const c of [false, true]) groups.add(rateGroup(a, c));
    expect([...groups].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // 65+ (band 3), not chronic: outpatient 5.6/yr → P(0) = e^{−5.6/12}
    expect(t.outpatientCdf[rateGroup(3, false) * t.maxK]).toBeCloseTo(Math.exp(-P.incidence.outpatientPerYear["65+"] / 12), 14);
  });

  it("multiplies the admission rate of chronic residents", () => {
    const lam = P.incidence.inpatientPerYear["65+"] / 12;
    expect(t.inpatientCdf[rateGroup(3, false) * t.maxK]).toBeCloseTo(Math.exp(-lam), 14);
    expect(t.inpatientCdf[rateGroup(3, true) * t.maxK]).toBeCloseTo(Math.exp(-lam * P.incidence.chronicInpatientMultiplier), 14);
    // acute outpatient rates do not depend on chronic status
    expect(t.outpatientCdf[rateGroup(2, true) * t.maxK]).toBe(t.outpatientCdf[rateGroup(2, false) * t.maxK]);
  });

  it("halves chronic follow-up visits with two-month long prescriptions (长处方)", () => {
    const perYear = P.incidence.chronicFollowUpPerYear;
    expect(t.chronicCdf[0]).toBeCloseTo(Math.exp(-perYear / 12), 14);
    expect(t.chronicCdf[t.maxK]).toBeCloseTo(Math.exp(-perYear / 24), 14);
  });
});

describe("drawSeverity", () => {
  const P = baseline().parameters;
  const t = incidenceTables(P.incidence);

  it("never draws a severity with zero share", () => {
    // inpatient shares: minor 0, common .52, serious .40, critical .08
    expect(drawSeverity(t.inpatientSeverityCdf, 1e-12)).toBe(COMMON);
    expect(drawSeverity(t.inpatientSeverityCdf, 0.5)).toBe(COMMON);
    expect(drawSeverity(t.inpatientSeverityCdf, 0.9)).toBe(SERIOUS);
    expect(drawSeverity(t.inpatientSeverityCdf, 0.95)).toBe(CRITICAL);
    // outpatient shares: minor .62, common .31, serious .07, critical 0
    expect(drawSeverity(t.outpatientSeverityCdf, 0.1)).toBe(MINOR);
    expect(drawSeverity(t.outpatientSeverityCdf, 1 - 1e-12)).toBe(SERIOUS);
  });

  it("reproduces the severity shares", () => {
    const key = streamKey(9, "test.severity");
    const N = 100_000;
    const counts = [0, 0, 0, 0];
    for (let n = 0; n < N; n++) counts[drawSeverity(t.inpatientSeverityCdf, uniform(key, n, 0, 0))]++;
    const shares = [0, 0.52, 0.4, 0.08];
    shares.forEach((p, s) => expect(Math.abs(counts[s] / N - p)).toBeLessThanOrEqual(4 * Math.sqrt((p * (1 - p)) / N)));
  });
});

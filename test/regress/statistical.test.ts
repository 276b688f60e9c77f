import { describe, expect, it } from "vitest";
import { compareSamples, detectableDifference, fisherExact, holm, sampleStats, statisticalCheck, welch } from "../../sim/regress/statistical";
import type { PeriodTable } from "../../sim/regress/reference";

describe("Welch's t-test", () => {
  it("matches a hand-worked example: [1,2,3,4] vs [3,4,5,6,7] → t = 2.6112, df = 6.9808, p = 0.034939 (p by numerical integration of the t density)", () => {
    const a = sampleStats([1, 2, 3, 4]);
    const b = sampleStats([3, 4, 5, 6, 7]);
    expect(a).toEqual({ n: 4, mean: 2.5, sd: Math.sqrt(5 / 3) });
    const w = welch(a, b);
    // se² = (5/3)/4 + 2.5/5 = 11/12; t = 2.5 / √(11/12)
    expect(w.t).toBeCloseTo(2.5 / Math.sqrt(11 / 12), 12);
    // df = (11/12)² / ((5/12)²/3 + (1/2)²/4)
    expect(w.df).toBeCloseTo((11 / 12) ** 2 / ((5 / 12) ** 2 / 3 + 0.25 / 4), 12);
    expect(w.p).toBeCloseTo(0.034939, 5);
  });
  it("is symmetric and gives p = 1 for equal means", () => {
    const a = sampleStats([1, 2, 3]);
    const b = sampleStats([0, 2, 4]);
    expect(welch(a, b).p).toBeCloseTo(1, 12);
    expect(welch(sampleStats([1, 2, 3, 5]), sampleStats([4, 6, 7, 9])).p).toBeCloseTo(welch(sampleStats([4, 6, 7, 9]), sampleStats([1, 2, 3, 5])).p, 14);
  });
  it("keeps tiny p-values (no 1 − F cancellation)", () => {
    const p = welch(sampleStats([0, 0.001, 0.002, 0.001]), sampleStats([1, 1.001, 1.002, 1.001])).p;
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(1e-9);
  });
});

describe("Holm's step-down adjustment", () => {
  it("matches a hand-worked example", () => {
    // sorted: .005·4 = .02; .01·3 = .03; .03·2 = .06; .04·1 = .04 → max(.06, .04) = .06
    const adj = holm([0.01, 0.04, 0.03, 0.005]);
    expect(adj.map((x) => +x.toFixed(10))).toEqual([0.03, 0.06, 0.06, 0.02]);
  });
  it("never exceeds 1 and is monotone in p", () => {
    const ps = [0.9, 0.5, 0.001, 0.2, 0.7];
    const adj = holm(ps);
    for (const a of adj) expect(a).toBeLessThanOrEqual(1);
    const order = ps.map((p, i) => [p, adj[i]]).sort((x, y) => x[0] - y[0]);
    for (let i = 1; i < order.length; i++) expect(order[i][1]).toBeGreaterThanOrEqual(order[i - 1][1]);
  });
});

describe("degenerate indicator-years are decided without a test", () => {
  it("constant and equal → p 1; constant and different → p 0", () => {
    expect(compareSamples("s", "x", "2020", [3, 3, 3], [3, 3, 3])!.p).toBe(1);
    expect(compareSamples("s", "x", "2020", [3, 3, 3], [4, 4, 4])!.p).toBe(0);
  });
  it("a value that appears or disappears is a change; no value on either side is not tested", () => {
    const r = compareSamples("s", "x", "2020", [null, null], [0.1, 0.2])!;
    expect(r.p).toBe(0);
    expect(r.note).toMatch(/0 of 2 reference runs and 2 of 2 new runs/);
    expect(compareSamples("s", "x", "2020", [null, null], [null, null])).toBeNull();
  });
  it("a value present in only some runs is tested on how many (Fisher's exact test), not flagged outright", () => {
    const r = compareSamples("s", "x", "2020", [0.1, 0.2, null, 0.15], [0.1, 0.2, 0.12, 0.15])!;
    // 3 of 4 vs 4 of 4: Fisher two-sided p = 1
    expect(r.p).toBeCloseTo(1, 12);
    expect(r.note).toMatch(/3 of 4 reference runs and 4 of 4 new runs/);
  });
  it("Fisher's exact test matches a hand-worked table", () => {
    // [[3, 1], [1, 3]]: tables as or less likely: x = 0, 1, 3, 4 → (1 + 16 + 16 + 1) / 70
    expect(fisherExact(3, 1, 1, 3)).toBeCloseTo(34 / 70, 12);
    expect(fisherExact(4, 0, 0, 4)).toBeCloseTo(2 / 70, 12);
  });
  it("states the difference in units and in reference standard deviations", () => {
    const r = compareSamples("s", "x", "2020", [1, 2, 3], [3, 4, 5])!;
    expect(r.difference).toBe(2);
    expect(r.standardised).toBe(2); // sd of [1,2,3] is 1
  });
});

describe("statisticalCheck over many indicator-years", () => {
  const table = (vals: Record<string, number | null>[]): PeriodTable[] => vals.map((v) => [{ period: "2020", values: v }]);
  it("flags a shifted indicator and not the unshifted ones; constant ones stay out of the family", () => {
    const ref = table([0.50, 0.51, 0.49, 0.50, 0.52, 0.48].map((x, i) => ({ a: x, b: 10 + i % 3, c: 7 })));
    const fresh = table([0.60, 0.61, 0.59, 0.60, 0.62, 0.58].map((x, i) => ({ a: x, b: 10 + (i + 1) % 3, c: 7 })));
    const res = statisticalCheck([{ scenario: "s", reference: ref, fresh }], 0.01);
    expect(res.filter((t) => t.flagged).map((t) => t.indicator)).toEqual(["a"]);
    expect(res.find((t) => t.indicator === "c")!.adjusted).toBe(1);
  });
});

describe("detectable difference", () => {
  it("shrinks with more seeds and grows with more tests", () => {
    expect(detectableDifference(1, 16, 16, 0.01, 100)).toBeLessThan(detectableDifference(1, 8, 8, 0.01, 100));
    expect(detectableDifference(1, 8, 8, 0.01, 1000)).toBeGreaterThan(detectableDifference(1, 8, 8, 0.01, 100));
    // z-ish check: with many seeds it approaches (z_{1−α/2k} + z_{0.8})·sd·√(2/n)
    expect(detectableDifference(1, 10_000, 10_000, 0.05, 1)).toBeCloseTo((1.959964 + 0.841621) * Math.sqrt(2 / 10_000), 4);
  });
});

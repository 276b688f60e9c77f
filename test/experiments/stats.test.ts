import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { band, quantileSorted, splitVariance } from "../../sim/experiments/stats";

describe("band", () => {
  it("gives the median and 10–90% band by linear interpolation (R type 7), ignoring nulls", () => {
    const v = [5, 1, 4, 2, 3, null, 6, 7, 8, 9, 10, 11];
    const b = band(v);
    expect(b.n).toBe(11);
    expect(b.median).toBe(6);
    expect(b.p10).toBeCloseTo(2, 12); // h = 10 × 0.1 = 1 → 2nd smallest
    expect(b.p90).toBeCloseTo(10, 12);
    expect(b.mean).toBe(6);
    expect(b.sd).toBeCloseTo(Math.sqrt(11), 12);
    expect(quantileSorted([0, 10], 0.25)).toBe(2.5);
  });
  it("is null when there are no values", () => {
    expect(band([null, null])).toMatchObject({ n: 0, median: null, p10: null, p90: null });
  });
});

describe("quantileSorted (simple-statistics)", () => {
  it("is bit for bit the R type 7 formula the bands and regression references were recorded with", () => {
    const r7 = (s: number[], p: number) => {
      const h = (s.length - 1) * p;
      return s[Math.floor(h)] + (s[Math.ceil(h)] - s[Math.floor(h)]) * (h - Math.floor(h));
    };
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 }), { minLength: 1, maxLength: 40 }), fc.double({ min: 0, max: 1, noNaN: true }), (xs, p) => {
        const s = [...xs].sort((a, b) => a - b);
        expect(Object.is(quantileSorted(s, p) + 0, r7(s, p) + 0)).toBe(true);
      }),
    );
    for (const p of [0, 0.1, 0.5, 0.9, 1]) expect(quantileSorted([1, 2, 3, 4], p)).toBe(r7([1, 2, 3, 4], p));
    expect(quantileSorted([], 0.5)).toBeNaN();
  });
});

describe("splitVariance (law of total variance)", () => {
  it("splits a hand-worked 2 × 2 design exactly", () => {
    // draw means 1 and 3, grand mean 2: parameters = ((1−2)² + (3−2)²)/2 = 1;
    // within each draw the values sit ±0.5 from its mean: seeds = 0.25; total = 1.25
    const s = splitVariance([[0.5, 1.5], [2.5, 3.5]])!;
    expect(s.seeds).toBeCloseTo(0.25, 12);
    expect(s.parameters).toBeCloseTo(1, 12);
    expect(s.total).toBeCloseTo(1.25, 12);
    expect(s.parameterShare).toBeCloseTo(0.8, 12);
  });

  it("has parts that add up to the total with 2 seeds a draw, where the ANOVA estimate exceeded it", () => {
    // Hand-made 2 draws × 2 seeds: the old estimate (sample variance of the draw means
    // 0.5 less within 0.02 / 2 seeds) gave parameters 0.49 > total 0.347 (the sample
    // variance of all four values, 1.04 / 3).
    const s = splitVariance([[0, 0.2], [1, 1.2]])!;
    // draw means 0.1 and 1.1, grand mean 0.6: parameters = (0.5² + 0.5²)/2 = 0.25
    expect(s.parameters).toBeCloseTo(0.25, 12);
    // each draw ±0.1 about its mean: seeds = 0.01
    expect(s.seeds).toBeCloseTo(0.01, 12);
    // total: the plug-in variance of all four values, (0.36 + 0.16 + 0.16 + 0.36)/4
    expect(s.total).toBeCloseTo(0.26, 12);
    expect(s.parameters + s.seeds).toBeCloseTo(s.total, 12);
    expect(s.parameterShare).toBeCloseTo(0.25 / 0.26, 12);
  });

  it("adds up exactly and never goes negative, for any equal-seeds design", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 6 }), fc.integer({ min: 2, max: 5 }), fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 30, maxLength: 30 }), (D, S, xs) => {
        const groups = Array.from({ length: D }, (_, d) => xs.slice(d * S, d * S + S));
        const s = splitVariance(groups)!;
        const all = groups.flat();
        const m = all.reduce((a, b) => a + b, 0) / all.length;
        const plugIn = all.reduce((a, y) => a + (y - m) ** 2, 0) / all.length;
        expect(s.parameters).toBeGreaterThanOrEqual(0);
        expect(s.seeds).toBeGreaterThanOrEqual(0);
        expect(Math.abs(s.parameters + s.seeds - s.total)).toBeLessThanOrEqual(1e-9 * (1 + s.total));
        expect(Math.abs(s.total - plugIn)).toBeLessThanOrEqual(1e-9 * (1 + plugIn));
      }),
    );
  });

  it("recovers known parameter and seed variances from y = θ + ε", () => {
    // θ ~ N(0, 2²) per draw, ε ~ N(0, 1) per seed: parameter share 4 / 5.
    let x = 12345;
    const u = () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) + 0.5) / 4294967296;
    const normal = () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
    const groups = Array.from({ length: 400 }, () => {
      const theta = 2 * normal();
      return Array.from({ length: 20 }, () => theta + normal());
    });
    const s = splitVariance(groups)!;
    expect(s.parameters).toBeGreaterThan(3.4);
    expect(s.parameters).toBeLessThan(4.6);
    expect(s.seeds).toBeGreaterThan(0.93);
    expect(s.seeds).toBeLessThan(1.07);
    expect(s.parameterShare!).toBeGreaterThan(0.76);
    expect(s.parameterShare!).toBeLessThan(0.84);
  });

  it("gives zero parameter variance when draws do not matter, and needs ≥ 2 × 2", () => {
    const s = splitVariance([[1, 2, 3], [1, 2, 3], [1, 2, 3]])!;
    expect(s.parameters).toBe(0);
    expect(s.parameterShare).toBe(0);
    expect(splitVariance([[1, 2]])).toBeNull();
    expect(splitVariance([[1], [2]])).toBeNull();
  });
});

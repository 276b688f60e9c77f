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
    // draw means 1 and 3 (between-means variance 2); within variance ((0.5²·2)·2)/(2·1) = 0.5
    const s = splitVariance([[0.5, 1.5], [2.5, 3.5]])!;
    expect(s.seeds).toBeCloseTo(0.5, 12);
    expect(s.parameters).toBeCloseTo(2 - 0.5 / 2, 12);
    expect(s.total).toBeCloseTo((0.25 + 0.25 + 0.25 + 0.25 + 1 + 1 + 1 + 1) / 3, 12);
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

import { describe, expect, it } from "vitest";
import { ishigami, ishigamiIndices, saltelliDesign, sobolIndices, splitSaltelliOutputs } from "../../sim/experiments/sobol";

const PI = Math.PI;
const toIshigami = (u: number[]) => u.map((x) => -PI + 2 * PI * x);

describe("Ishigami analytic indices", () => {
  it("match the published values for a = 7, b = 0.1", () => {
    const a = ishigamiIndices();
    expect(a.first[0]).toBeCloseTo(0.3139, 3);
    expect(a.first[1]).toBeCloseTo(0.4424, 3);
    expect(a.first[2]).toBe(0);
    expect(a.total[0]).toBeCloseTo(0.5576, 3);
    expect(a.total[1]).toBeCloseTo(0.4424, 3);
    expect(a.total[2]).toBeCloseTo(0.2437, 3);
    expect(a.variance).toBeCloseTo(13.8446, 3);
  });
});

describe("Saltelli design", () => {
  it("lays out A, B and AB_i with AB_i = A except column i from B", () => {
    const d = saltelliDesign(8, 3, 5);
    expect(d.points).toHaveLength(8 * 5);
    for (let j = 0; j < 8; j++) {
      const [A, B, ...AB] = d.points.slice(j * 5, j * 5 + 5);
      AB.forEach((ab, i) => ab.forEach((x, c) => expect(x).toBe(c === i ? B[c] : A[c])));
      for (const x of [...A, ...B]) expect(x > 0 && x < 1).toBe(true);
    }
  });
  it("is reproducible from its seed and differs between seeds", () => {
    expect(saltelliDesign(16, 2, 3).points).toEqual(saltelliDesign(16, 2, 3).points);
    expect(saltelliDesign(16, 2, 3).points).not.toEqual(saltelliDesign(16, 2, 4).points);
  });
});

describe("Sobol indices (Saltelli first order, Jansen total)", () => {
  const n = 1 << 14;
  const d = saltelliDesign(n, 3, 11);
  const y = d.points.map((u) => ishigami(toIshigami(u)));
  const exact = ishigamiIndices();
  const r = sobolIndices(splitSaltelliOutputs(d, y), { bootstrap: 100, seed: 2 });

  it("recover the Ishigami function's analytic indices within 0.03", () => {
    r.indices.forEach((ix, i) => {
      expect(Math.abs(ix.first - exact.first[i])).toBeLessThan(0.03);
      expect(Math.abs(ix.total - exact.total[i])).toBeLessThan(0.03);
    });
    expect(r.variance / exact.variance).toBeGreaterThan(0.95);
    expect(r.variance / exact.variance).toBeLessThan(1.05);
  });

  it("give bootstrap intervals that bracket the estimates and mostly the truth", () => {
    let covered = 0;
    r.indices.forEach((ix, i) => {
      expect(ix.firstInterval![0]).toBeLessThanOrEqual(ix.first);
      expect(ix.firstInterval![1]).toBeGreaterThanOrEqual(ix.first);
      expect(ix.totalInterval![0]).toBeLessThanOrEqual(ix.total);
      expect(ix.totalInterval![1]).toBeGreaterThanOrEqual(ix.total);
      expect(ix.firstInterval![1] - ix.firstInterval![0]).toBeLessThan(0.1);
      if (ix.firstInterval![0] <= exact.first[i] && exact.first[i] <= ix.firstInterval![1]) covered++;
      if (ix.totalInterval![0] <= exact.total[i] && exact.total[i] <= ix.totalInterval![1]) covered++;
    });
    expect(covered).toBeGreaterThanOrEqual(5);
    expect(r.confidence).toBe(0.95);
  });

  it("on an additive linear model equal the variance shares, first = total", () => {
    // y = 1·x1 + 2·x2 + 0·x3 with x uniform: shares 1/5, 4/5, 0
    const dl = saltelliDesign(4096, 3, 1);
    const yl = dl.points.map((u) => u[0] + 2 * u[1]);
    const rl = sobolIndices(splitSaltelliOutputs(dl, yl));
    const want = [0.2, 0.8, 0];
    rl.indices.forEach((ix, i) => {
      expect(ix.first).toBeCloseTo(want[i], 1);
      expect(ix.total).toBeCloseTo(want[i], 1);
    });
    expect(rl.indices[2].total).toBe(0);
  });

  it("report no indices (NaN) for an output with no variance", () => {
    const dc = saltelliDesign(10, 2, 1);
    const rc = sobolIndices(splitSaltelliOutputs(dc, dc.points.map(() => 3)), { bootstrap: 10 });
    expect(rc.variance).toBe(0);
    expect(rc.indices.every((ix) => Number.isNaN(ix.first) && Number.isNaN(ix.total) && !ix.firstInterval)).toBe(true);
  });

  it("reject outputs of the wrong length", () => {
    expect(() => splitSaltelliOutputs({ n: 4, k: 2 }, [1, 2, 3])).toThrow(/expected 16 outputs/);
  });
});

import { describe, expect, it } from "vitest";
import { nelderMead } from "../../sim/experiments/nelder-mead";
import { streamKey, uniform } from "../../sim/random";

const rosenbrock = ([x, y]: number[]) => (1 - x) ** 2 + 100 * (y - x * x) ** 2;
const batch = (f: (x: number[]) => number) => (xs: number[][]) => xs.map(f);

/** Standard normal from two hashed uniforms (Box–Muller), keyed by (stream, i). */
function normal(key: number, i: number, j = 0): number {
  return Math.sqrt(-2 * Math.log(uniform(key, i, j, 0))) * Math.cos(2 * Math.PI * uniform(key, i, j, 1));
}

describe("bounded Nelder–Mead", () => {
  it("finds the Rosenbrock minimum (1, 1) from (−1.2, 1)", async () => {
    const r = await nelderMead(batch(rosenbrock), [-1.2, 1], { lower: [-2, -1], upper: [2, 3], maxEvaluations: 2000, xTolerance: 1e-6 });
    expect(Math.abs(r.best[0] - 1)).toBeLessThan(1e-3);
    expect(Math.abs(r.best[1] - 1)).toBeLessThan(2e-3);
    expect(r.bestValue).toBeLessThan(1e-6);
    expect(r.converged).toBe(true);
    expect(r.history).toHaveLength(r.evaluations);
  });

  it("stops on the bound when the minimum lies outside the box", async () => {
    const f = ([x, y]: number[]) => (x - 3) ** 2 + (y + 0.5) ** 2;
    const r = await nelderMead(batch(f), [0.2, 0.2], { lower: [0, 0], upper: [1, 1], maxEvaluations: 500, xTolerance: 1e-7 });
    expect(r.best[0]).toBeCloseTo(1, 4);
    expect(r.best[1]).toBeCloseTo(0, 4);
    for (const e of r.history) for (const v of e.x) expect(v >= 0 && v <= 1).toBe(true);
  });

  it("respects its evaluation budget", async () => {
    const r = await nelderMead(batch(rosenbrock), [-1.2, 1], { lower: [-2, -1], upper: [2, 3], maxEvaluations: 40 });
    expect(r.evaluations).toBeLessThanOrEqual(40);
    expect(r.converged).toBe(false);
    await expect(nelderMead(batch(rosenbrock), [0, 0], { lower: [-2, -1], upper: [2, 3], maxEvaluations: 2 })).rejects.toThrow(/smaller than one simplex/);
  });

  it("with re-evaluation, finds a 3-D quadratic's minimum through fresh noise on every call", async () => {
    // f(x) = Σ (x_i − c_i)² + 0.02·ε, ε ~ N(0,1) drawn afresh on each evaluation
    const c = [0.3, -0.6, 1.1];
    const key = streamKey(9, "test.noise");
    let calls = 0;
    const f = (x: number[]) => x.reduce((s, xi, i) => s + (xi - c[i]) ** 2, 0) + 0.02 * normal(key, calls++);
    const r = await nelderMead(batch(f), [1.5, 1.5, -1.5], { lower: [-2, -2, -2], upper: [2, 2, 2], maxEvaluations: 600, xTolerance: 1e-3, reevaluate: true });
    const err = Math.hypot(...r.best.map((x, i) => x - c[i]));
    expect(err).toBeLessThan(0.15);
    expect(r.evaluations).toBeLessThanOrEqual(600);
  });

  it("averaged over common seeds, recovers a noisy Rosenbrock's minimum exactly where every seed agrees", async () => {
    // f(x; ξ) = ξ1 (1 − x)² + 100 ξ2 (y − x²)² with ξ ~ lognormal(0, 0.3) per seed: every
    // seed's function has its minimum at (1, 1), so the sample average over 8 common seeds
    // does too, though each evaluation's level is noisy.
    const key = streamKey(4, "test.rosenbrock");
    const seeds = [1, 2, 3, 4, 5, 6, 7, 8];
    const xi = seeds.map((s) => [Math.exp(0.3 * normal(key, s, 0)), Math.exp(0.3 * normal(key, s, 1))]);
    const f = ([x, y]: number[]) => xi.reduce((sum, [a, b]) => sum + a * (1 - x) ** 2 + 100 * b * (y - x * x) ** 2, 0) / seeds.length;
    const r = await nelderMead(batch(f), [-1, 2], { lower: [-2, -1], upper: [2, 3], maxEvaluations: 2000, xTolerance: 1e-6 });
    expect(Math.abs(r.best[0] - 1)).toBeLessThan(2e-3);
    expect(Math.abs(r.best[1] - 1)).toBeLessThan(4e-3);
  });
});

describe("stopping early", () => {
  it("stops as soon as the best value reaches stopAt", async () => {
    const f = ([x, y]: number[]) => (x - 0.3) ** 2 + (y - 0.2) ** 2;
    const full = await nelderMead(batch(f), [1, 1], { lower: [-2, -2], upper: [2, 2], maxEvaluations: 1000, xTolerance: 1e-8 });
    const early = await nelderMead(batch(f), [1, 1], { lower: [-2, -2], upper: [2, 2], maxEvaluations: 1000, xTolerance: 1e-8, stopAt: 1e-4 });
    expect(early.bestValue).toBeLessThanOrEqual(1e-4);
    expect(early.converged).toBe(true);
    expect(early.evaluations).toBeLessThan(full.evaluations / 2);
  });
});

describe("one parameter", () => {
  it("finds a 1-D minimum (a cosine well) precisely", async () => {
    const r = await nelderMead(batch(([x]) => -Math.cos(x - 0.7)), [-1], { lower: [-2], upper: [2], maxEvaluations: 200, xTolerance: 1e-7 });
    expect(r.best[0]).toBeCloseTo(0.7, 5);
  });
});

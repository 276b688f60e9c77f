import { describe, expect, it } from "vitest";
import { gridDesign, gridSize, latinHypercubeDesign, latinHypercubeUnit } from "../../sim/experiments/design";
import { fromUnit, overridesOf, parameterValue, parseParameterRange, toUnit, type ParameterRange } from "../../sim/experiments/parameter-ranges";
import { baseline } from "../helpers/scenarios";

describe("parameter ranges", () => {
  it("parse path=lo:hi[:steps] against the parameter schema", () => {
    expect(parseParameterRange("choice.quality=3.5:5.5:5")).toEqual({ path: "choice.quality", low: 3.5, high: 5.5, steps: 5 });
    expect(parseParameterRange("choice.tierConstant.township=-3:0")).toEqual({ path: "choice.tierConstant.township", low: -3, high: 0 });
    expect(parseParameterRange("choice.perceivedQuality.township.common=0.3:0.7")).toMatchObject({ low: 0.3, high: 0.7 });
    expect(() => parseParameterRange("choice.quality")).toThrow(/must be path=low:high\[:steps\]/);
    expect(() => parseParameterRange("choice.quality=1:2:3", { steps: "forbidden" })).toThrow(/must be path=low:high,/);
    expect(() => parseParameterRange("choice.quality=a:2")).toThrow(/"a" is not a number/);
    expect(() => parseParameterRange("choice.quality=1:2:1")).toThrow(/steps 1 must be a whole number from 2/);
    expect(() => parseParameterRange("choice.perceivedQuality.township.common=0.3:1.2")).toThrow(/1\.2 is outside the allowed 0 to 1/);
    expect(() => parseParameterRange("capability.outpatient.village=0:1")).toThrow(/capability\.outpatient\.village: not a numeric leaf \(it takes one of none, minor/);
    expect(() => parseParameterRange("simulation.burnInMonths=0:24")).toThrow(/whole-number setting/);
    expect(() => parseParameterRange("nope.x=0:1")).toThrow(/nope\.x: unknown field; allowed here: choice, careSeeking, capability/);
  });

  it("map between parameter values, the unit cube and runner overrides", () => {
    const r: ParameterRange[] = [{ path: "choice.quality", low: 2, high: 6 }, { path: "choice.habit", low: -1, high: 1 }];
    expect(fromUnit(r, [0.25, 0.5])).toEqual([3, 0]);
    expect(toUnit(r, [3, 0])).toEqual([0.25, 0.5]);
    expect(overridesOf(r, [3, 0])).toEqual({ "choice.quality": 3, "choice.habit": 0 });
    expect(parameterValue(baseline(), "choice.quality")).toBe(4.502);
    expect(parameterValue(baseline(), "choice.tierConstant.township")).toBe(-1.46);
  });
});

describe("grid design", () => {
  it("lists every combination, first parameter slowest, ends exact", () => {
    const r: ParameterRange[] = [{ path: "a", low: 0, high: 1, steps: 3 }, { path: "b", low: 10, high: 20, steps: 2 }];
    expect(gridSize(r)).toBe(6);
    expect(gridDesign(r)).toEqual([[0, 10], [0, 20], [0.5, 10], [0.5, 20], [1, 10], [1, 20]]);
    expect(gridDesign([{ path: "x", low: 0.1, high: 0.7, steps: 4 }]).map(([x]) => x)).toEqual([0.1, 0.1 + (0.6 * 1) / 3, 0.1 + (0.6 * 2) / 3, 0.7]);
    expect(() => gridDesign([{ path: "x", low: 0, high: 1 }])).toThrow(/a grid needs steps/);
  });
});

describe("Latin hypercube", () => {
  it("puts exactly one point in each of the n strata of every dimension", () => {
    const n = 50;
    const pts = latinHypercubeUnit(n, 4, 7);
    expect(pts).toHaveLength(n);
    for (let j = 0; j < 4; j++) {
      const strata = pts.map((p) => Math.floor(p[j] * n)).sort((a, b) => a - b);
      expect(strata).toEqual(Array.from({ length: n }, (_, i) => i));
    }
  });

  it("is reproducible from its seed, differs between seeds, and pairs dimensions independently", () => {
    expect(latinHypercubeUnit(20, 3, 5)).toEqual(latinHypercubeUnit(20, 3, 5));
    expect(latinHypercubeUnit(20, 3, 5)).not.toEqual(latinHypercubeUnit(20, 3, 6));
    // columns are not ordered alike (independent permutations): rank correlation is small
    const pts = latinHypercubeUnit(200, 2, 3);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const x = pts.map((p) => p[0]);
    const y = pts.map((p) => p[1]);
    const mx = mean(x);
    const my = mean(y);
    const cov = mean(x.map((xi, i) => (xi - mx) * (y[i] - my)));
    const corr = cov / Math.sqrt(mean(x.map((v) => (v - mx) ** 2)) * mean(y.map((v) => (v - my) ** 2)));
    expect(Math.abs(corr)).toBeLessThan(0.2);
  });

  it("maps onto parameter ranges", () => {
    const r: ParameterRange[] = [{ path: "choice.habit", low: 0, high: 1.5 }];
    const pts = latinHypercubeDesign(r, 3, 1);
    expect(pts.map(([v]) => Math.floor(v / 0.5)).sort()).toEqual([0, 1, 2]);
  });
});

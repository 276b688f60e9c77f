import { describe, expect, it } from "vitest";
import { tornadoBars, tornadoDesign } from "../../sim/experiments/tornado";
import type { ParameterRange } from "../../sim/experiments/parameter-ranges";

describe("tornado (one at a time)", () => {
  // y = 3 + 2·a − 5·b + 0.5·c, base (1, 1, 1) → y0 = 0.5
  const f = ([a, b, c]: number[]) => 3 + 2 * a - 5 * b + 0.5 * c;
  const ranges: ParameterRange[] = [
    { path: "choice.a", low: 0, high: 2 }, // effects −2, +2, swing 4
    { path: "choice.b", low: 0.8, high: 1.4 }, // effects +1, −2, swing 3
    { path: "choice.c", low: -9, high: 11 }, // effects −5, +5, swing 10
  ];
  const base = [1, 1, 1];

  it("moves one parameter at a time from the base point", () => {
    expect(tornadoDesign(ranges, base)).toEqual([
      [1, 1, 1],
      [0, 1, 1], [2, 1, 1],
      [1, 0.8, 1], [1, 1.4, 1],
      [1, 1, -9], [1, 1, 11],
    ]);
  });

  it("gives the hand-worked effects, sorted by largest effect, then swing", () => {
    const outputs = tornadoDesign(ranges, base).map(f);
    const bars = tornadoBars(ranges, base, outputs);
    expect(bars.map((b) => b.path)).toEqual(["choice.c", "choice.a", "choice.b"]);
    const byPath = Object.fromEntries(bars.map((b) => [b.path, b]));
    expect(byPath["choice.a"].effectLow).toBeCloseTo(-2, 12);
    expect(byPath["choice.a"].effectHigh).toBeCloseTo(2, 12);
    expect(byPath["choice.b"].effectLow).toBeCloseTo(1, 12);
    expect(byPath["choice.b"].effectHigh).toBeCloseTo(-2, 12);
    expect(byPath["choice.b"].swing).toBeCloseTo(3, 12);
    expect(byPath["choice.c"].effectLow).toBeCloseTo(-5, 12);
    expect(byPath["choice.c"].swing).toBeCloseTo(10, 12);
    expect(bars.every((b) => b.outputBase === 0.5)).toBe(true);
  });

  it("ranks by the largest effect at either end, not the swing, when both ends move the same way", () => {
    // d: effects +1.9 and +3.8 (same direction): swing 1.9 but largest effect 3.8;
    // e: effects −1.5 and +1.6: swing 3.1 but largest effect 1.6
    const r: ParameterRange[] = [
      { path: "choice.e", low: 0, high: 1 },
      { path: "choice.d", low: 0, high: 1 },
    ];
    const bars = tornadoBars(r, [0.5, 0.5], [10, 8.5, 11.6, 11.9, 13.8]);
    expect(bars.map((b) => b.path)).toEqual(["choice.d", "choice.e"]);
    expect(bars[0].largestEffect).toBeCloseTo(3.8, 12);
    expect(bars[0].swing).toBeCloseTo(1.9, 12);
    expect(bars[1].largestEffect).toBeCloseTo(1.6, 12);
  });

  it("keeps the given order for equal swings and checks its inputs", () => {
    const flat = tornadoBars(ranges, base, [0, 0, 0, 0, 0, 0, 0]);
    expect(flat.map((b) => b.path)).toEqual(["choice.a", "choice.b", "choice.c"]);
    expect(() => tornadoBars(ranges, base, [1, 2])).toThrow(/expected 7 outputs/);
    expect(() => tornadoDesign(ranges, [1])).toThrow(/1 values for 3 parameters/);
  });
});

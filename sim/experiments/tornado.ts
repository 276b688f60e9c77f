/**
 * One-at-a-time (tornado) sensitivity: from a base point (every parameter at its value in
 * the scenario), move one parameter to the low end of its range, then to the high end,
 * holding the others at base, and record the change in one indicator. Bars are sorted by
 * their largest effect max(|f(low) − f(base)|, |f(high) − f(base)|), largest first (ties:
 * by swing |f(high) − f(low)|) — the shape that gives the chart its name. The swing alone
 * would rank low a parameter that moves the indicator the same way at both ends.
 *
 * It is cheap (2k + 1 runs) and easy to read, but it sees neither interactions nor
 * non-linearity between the ends; use Sobol indices (sobol.ts) for those.
 */
import type { ParameterRange } from "./parameter-ranges";

export interface TornadoBar {
  path: string;
  base: number;
  low: number;
  high: number;
  /** indicator at the base point, with this parameter at low, at high */
  outputBase: number;
  outputLow: number;
  outputHigh: number;
  /** outputLow − outputBase and outputHigh − outputBase */
  effectLow: number;
  effectHigh: number;
  /** |outputHigh − outputLow| (small when both ends move the indicator the same way) */
  swing: number;
  /** max(|effectLow|, |effectHigh|): what the bars are sorted by */
  largestEffect: number;
}

/**
 * The 2k + 1 points of a tornado: the base point first, then for each parameter (in
 * order) the point with it at low and the point with it at high.
 */
export function tornadoDesign(ranges: readonly ParameterRange[], base: readonly number[]): number[][] {
  if (base.length !== ranges.length) throw new Error(`base point has ${base.length} values for ${ranges.length} parameters`);
  const points = [base.slice()];
  ranges.forEach((r, i) => {
    for (const v of [r.low, r.high]) {
      const x = base.slice();
      x[i] = v;
      points.push(x);
    }
  });
  return points;
}

/** Bars from the outputs of tornadoDesign's points (same order), sorted by largest effect, then swing. */
export function tornadoBars(ranges: readonly ParameterRange[], base: readonly number[], outputs: readonly number[]): TornadoBar[] {
  if (outputs.length !== 2 * ranges.length + 1) throw new Error(`expected ${2 * ranges.length + 1} outputs, got ${outputs.length}`);
  const y0 = outputs[0];
  const bars = ranges.map((r, i) => {
    const lo = outputs[1 + 2 * i];
    const hi = outputs[2 + 2 * i];
    return { path: r.path, base: base[i], low: r.low, high: r.high, outputBase: y0, outputLow: lo, outputHigh: hi, effectLow: lo - y0, effectHigh: hi - y0, swing: Math.abs(hi - lo), largestEffect: Math.max(Math.abs(lo - y0), Math.abs(hi - y0)) };
  });
  // Stable: equal effects and swings keep the order the parameters were given in.
  return bars.map((b, i) => [b, i] as const).sort((a, b) => b[0].largestEffect - a[0].largestEffect || b[0].swing - a[0].swing || a[1] - b[1]).map(([b]) => b);
}

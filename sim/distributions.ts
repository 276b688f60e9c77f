/**
 * Parameter uncertainty: a parameter leaf may carry a distribution as well as (or instead
 * of) a value, written as text so it reads like the paper it comes from:
 *
 *   quality: {value: 4.502, distribution: "normal(4.502, 0.45)", unit: …, source: …}
 *   habit:   {distribution: "uniform(0.4, 1.0)", unit: …, source: …}   # value = mean, 0.7
 *
 * Ordinary runs use `value` (the distribution's mean when omitted); ensembles with
 * parameter draws (second-order Monte Carlo) draw from the distribution.
 */
export type Distribution = { kind: "normal"; mean: number; sd: number } | { kind: "uniform"; lo: number; hi: number };

export const DISTRIBUTION_SYNTAX = `"normal(mean, sd)" with sd ≥ 0, or "uniform(lo, hi)" with lo ≤ hi`;

/** Parse "normal(4.5, 0.4)" / "uniform(0.4, 1)"; throws an Error saying what is allowed. */
export function parseDistribution(text: unknown): Distribution {
  const m = typeof text === "string" ? /^\s*(normal|uniform)\s*\(\s*([^,()\s]+)\s*,\s*([^,()\s]+)\s*\)\s*$/.exec(text) : null;
  const a = m ? Number(m[2]) : NaN;
  const b = m ? Number(m[3]) : NaN;
  if (!m || !Number.isFinite(a) || !Number.isFinite(b)) throw new Error(`must be ${DISTRIBUTION_SYNTAX}`);
  if (m[1] === "normal") {
    if (b < 0) throw new Error(`the standard deviation must be ≥ 0 (${DISTRIBUTION_SYNTAX})`);
    return { kind: "normal", mean: a, sd: b };
  }
  if (a > b) throw new Error(`needs lo ≤ hi (${DISTRIBUTION_SYNTAX})`);
  return { kind: "uniform", lo: a, hi: b };
}

export function distributionMean(d: Distribution): number {
  return d.kind === "normal" ? d.mean : (d.lo + d.hi) / 2;
}

export function distributionVariance(d: Distribution): number {
  return d.kind === "normal" ? d.sd * d.sd : ((d.hi - d.lo) * (d.hi - d.lo)) / 12;
}

export function formatDistribution(d: Distribution): string {
  return d.kind === "normal" ? `normal(${d.mean}, ${d.sd})` : `uniform(${d.lo}, ${d.hi})`;
}

/** A draw from two independent uniforms in (0, 1) (Box–Muller for the normal; u2 unused for the uniform). */
export function drawFrom(d: Distribution, u1: number, u2: number): number {
  if (d.kind === "uniform") return d.lo + (d.hi - d.lo) * u1;
  return d.mean + d.sd * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

import { describe, expect, it } from "vitest";
import { fmix32, gumbel, gumbelFromHash, GUMBEL_BOUND_BITS, GUMBEL_LOWER, GUMBEL_UPPER } from "../sim/random";

describe("tabulated Gumbel quantile (gumbelFromHash)", () => {
  it("is within 1e-5 of −ln(−ln u) across the whole range of hashes", () => {
    let worst = 0;
    // every 4099th hash (coprime to the table spacing) plus both extremes
    for (let h = 0; h < 2 ** 32; h += 4099) {
      const exact = gumbel((h + 0.5) / 2 ** 32);
      worst = Math.max(worst, Math.abs(gumbelFromHash(h) - exact));
    }
    // the tails are computed exactly, not interpolated
    for (const h of [0, 1, 2 ** 20 - 1, 2 ** 32 - 1, 2 ** 32 - 2, 2 ** 32 - 2 ** 26]) {
      expect(gumbelFromHash(h)).toBe(gumbel((h + 0.5) / 2 ** 32));
    }
    expect(worst).toBeLessThan(1e-5);
  });

  it("has the Gumbel(0,1) mean (Euler–Mascheroni 0.5772) and variance π²/6", () => {
    const n = 400_000;
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const g = gumbelFromHash(fmix32(i + 12345));
      s += g;
      s2 += g * g;
    }
    const mean = s / n;
    const variance = s2 / n - mean * mean;
    // standard errors: sd/sqrt(n) ≈ 0.002 for the mean, ≈ 0.006 for the variance
    expect(Math.abs(mean - 0.5772156649)).toBeLessThan(0.01);
    expect(Math.abs(variance - Math.PI ** 2 / 6)).toBeLessThan(0.03);
  });

  it("is bounded by GUMBEL_LOWER/GUMBEL_UPPER of its top 8 bits, at every bucket's ends and inside it", () => {
    const shift = 32 - GUMBEL_BOUND_BITS;
    const width = 2 ** shift;
    let checked = 0;
    for (let b = 0; b < 2 ** GUMBEL_BOUND_BITS; b++) {
      const lo = GUMBEL_LOWER[b];
      const hi = GUMBEL_UPPER[b];
      // the bucket's first and last hashes, the exact-branch edges of the table, and a spread of interior points
      const hs = [0, 1, width - 2, width - 1];
      for (let k = 1; k < 64; k++) hs.push(Math.floor((k * width) / 64) + (k % 7));
      for (const off of hs) {
        const h = b * width + off;
        const g = gumbelFromHash(h);
        expect(g >= lo && g <= hi, `bucket ${b}, hash ${h}: ${g} outside [${lo}, ${hi}]`).toBe(true);
        checked++;
      }
      // and the bounds are tight: the bucket's ends are within 1e-6 of them
      expect(gumbelFromHash(b * width) - lo).toBeLessThan(b === 0 ? 1e-6 : 0.02);
      expect(hi - gumbelFromHash(b * width + width - 1)).toBeLessThan(b === 2 ** GUMBEL_BOUND_BITS - 1 ? 1e-6 : 0.02);
    }
    // the whole range, every 65537th hash (coprime to the bucket width)
    for (let h = 0; h < 2 ** 32; h += 65537) {
      const g = gumbelFromHash(h);
      const b = h >>> shift;
      expect(g >= GUMBEL_LOWER[b] && g <= GUMBEL_UPPER[b]).toBe(true);
      checked++;
    }
    expect(checked).toBeGreaterThan(80_000);
  });
});

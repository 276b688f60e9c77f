import { describe, expect, it } from "vitest";
import { fmix32, gumbel, gumbelFromHash } from "../sim/random";

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
});

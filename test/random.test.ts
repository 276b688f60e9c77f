import { describe, expect, it } from "vitest";
import { STREAMS, fmix32, gumbel, hashFirst, hashFromPrefix, hashFromPrefixBits, hashKey, hashPrefix, hashPrefixFrom, streamKey, streamNameHash, uniform, uniformFromPrefix } from "../sim/random";

describe("uniform", () => {
  it("stays in the open interval (0, 1) with mean ½ and variance 1/12", () => {
    const key = streamKey(1, STREAMS.choice);
    const N = 200_000;
    let min = 1;
    let max = 0;
    let s = 0;
    let s2 = 0;
    for (let n = 0; n < N; n++) {
      const u = uniform(key, n, n % 7, n % 3);
      if (u < min) min = u;
      if (u > max) max = u;
      s += u;
      s2 += u * u;
    }
    expect(min).toBeGreaterThan(0);
    expect(max).toBeLessThan(1);
    const mean = s / N;
    expect(Math.abs(mean - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / N));
    expect(s2 / N - mean * mean).toBeCloseTo(1 / 12, 3);
  });

  it("feeds gumbel() finite values even at the extreme hashes", () => {
    // uniform = (hash + 0.5) / 2^32, hash in [0, 2^32 − 1]: the two most extreme values
    expect(Number.isFinite(gumbel(0.5 / 2 ** 32))).toBe(true);
    expect(Number.isFinite(gumbel((2 ** 32 - 0.5) / 2 ** 32))).toBe(true);
  });

  it("depends on every key word", () => {
    const key = streamKey(1, STREAMS.illness);
    const u = uniform(key, 10, 20, 30);
    expect(uniform(key, 11, 20, 30)).not.toBe(u);
    expect(uniform(key, 10, 21, 30)).not.toBe(u);
    expect(uniform(key, 10, 20, 31)).not.toBe(u);
    expect(uniform(streamKey(2, STREAMS.illness), 10, 20, 30)).not.toBe(u);
    expect(uniform(key, 10, 20, 30)).toBe(u); // pure function
  });

  it("gives uncorrelated sequences for different streams and seeds", () => {
    const a = streamKey(1, STREAMS.illness);
    const b = streamKey(1, STREAMS.choice);
    const c = streamKey(2, STREAMS.illness);
    const N = 50_000;
    const corr = (k1: number, k2: number) => {
      let sx = 0, sy = 0, sxy = 0, sxx = 0, syy = 0;
      for (let n = 0; n < N; n++) {
        const x = uniform(k1, n, 5, 0);
        const y = uniform(k2, n, 5, 0);
        sx += x; sy += y; sxy += x * y; sxx += x * x; syy += y * y;
      }
      const cov = sxy / N - (sx / N) * (sy / N);
      return cov / Math.sqrt((sxx / N - (sx / N) ** 2) * (syy / N - (sy / N) ** 2));
    };
    // correlation of independent uniforms has SE ≈ 1/√N ≈ 0.0045
    expect(Math.abs(corr(a, b))).toBeLessThan(0.02);
    expect(Math.abs(corr(a, c))).toBeLessThan(0.02);
  });
});

describe("stream keys", () => {
  it("hash stream names with FNV-1a (published test vectors)", () => {
    expect(streamNameHash("")).toBe(0x811c9dc5);
    expect(streamNameHash("a")).toBe(0xe40c292c);
    expect(streamNameHash("foobar")).toBe(0xbf9cf968);
  });

  it("are stable for a name and distinct across names and seeds", () => {
    expect(streamKey(1, "choice")).toBe(streamKey(1, "choice"));
    const names = Object.values(STREAMS);
    const keys = new Set(names.map((n) => streamKey(1, n)));
    expect(keys.size).toBe(names.length);
    expect(streamKey(1, "choice")).not.toBe(streamKey(2, "choice"));
  });

  it("use the high word of seeds above 2^32", () => {
    expect(streamKey(1 + 2 ** 32, "choice")).not.toBe(streamKey(1, "choice"));
  });

  it("are 32-bit unsigned integers", () => {
    for (const seed of [0, 1, 12345, 2 ** 32 - 1, 2 ** 40 + 3]) {
      const k = streamKey(seed, "population");
      expect(Number.isInteger(k)).toBe(true);
      expect(k).toBeGreaterThanOrEqual(0);
      expect(k).toBeLessThan(2 ** 32);
    }
  });
});

describe("fmix32 / hashKey", () => {
  it("fmix32 maps 0 to 0 and is injective on a sample", () => {
    expect(fmix32(0)).toBe(0);
    const seen = new Set<number>();
    for (let i = 0; i < 100_000; i++) seen.add(fmix32(i * 2654435761));
    expect(seen.size).toBe(100_000);
  });
  it("hashKey returns unsigned 32-bit values", () => {
    for (let i = 0; i < 1000; i++) {
      const h = hashKey(0xdeadbeef, i, -i, i * 7);
      expect(h).toBeGreaterThanOrEqual(0);
      expect(h).toBeLessThan(2 ** 32);
    }
  });
});

describe("hash prefixes", () => {
  it("give exactly the same numbers as the full hash", () => {
    const key = streamKey(8, STREAMS.choice);
    for (let i = 0; i < 200; i++) {
      const prefix = hashPrefix(key, i, 2019 * 12 + (i % 12));
      for (const c of [0, 1, 17, 100 + i, 0x7fffffff]) {
        expect(hashFromPrefix(prefix, c)).toBe(hashKey(key, i, 2019 * 12 + (i % 12), c));
        expect(uniformFromPrefix(prefix, c)).toBe(uniform(key, i, 2019 * 12 + (i % 12), c));
      }
    }
  });
});

describe("gumbel", () => {
  it("is −ln(−ln u): zero at u = 1/e, mean ≈ Euler–Mascheroni constant", () => {
    expect(gumbel(Math.exp(-1))).toBeCloseTo(0, 14);
    expect(gumbel(Math.exp(-Math.exp(-2)))).toBeCloseTo(2, 12);
    const key = streamKey(5, "test.gumbel.mean");
    const N = 200_000;
    let s = 0;
    for (let n = 0; n < N; n++) s += gumbel(uniform(key, n, 0, 0));
    // Gumbel(0,1): mean γ ≈ 0.5772, sd π/√6 ≈ 1.2825
    expect(Math.abs(s / N - 0.5772156649)).toBeLessThan(4 * (Math.PI / Math.sqrt(6)) / Math.sqrt(N));
  });
});

describe("hashFirst / hashPrefixFrom", () => {
  it("compose to hashPrefix exactly, so a first round computed once per resident gives the same draws", () => {
    for (const seed of [1, 7, 2 ** 33 + 5]) {
      const key = streamKey(seed, STREAMS.illness);
      for (let a = 0; a < 2000; a += 37) {
        const first = hashFirst(key, a);
        for (const b of [0, 1, 24_216, 24_287]) {
          expect(hashPrefixFrom(first, b)).toBe(hashPrefix(key, a, b));
          expect(uniformFromPrefix(hashPrefixFrom(first, b), 32)).toBe(uniform(key, a, b, 32));
        }
      }
    }
  });
});

describe("hashFromPrefixBits", () => {
  it("gives hashFromPrefix's 32 bits as an int32, for unsigned and signed prefixes alike", () => {
    let n = 0;
    for (let i = 0; i < 20_000; i++) {
      const prefix = hashPrefix(streamKey(i, "choice"), i * 7919, i % 60);
      const c = (i * 31) % 1024;
      const bits = hashFromPrefixBits(prefix, c);
      expect(bits | 0).toBe(bits);
      expect(bits >>> 0).toBe(hashFromPrefix(prefix, c));
      // the kernel passes the prefix as an int32 (prefix | 0): the same bits
      expect(hashFromPrefixBits(prefix | 0, c)).toBe(bits);
      if (hashFromPrefix(prefix, c) >= 2 ** 31) n++;
    }
    expect(n).toBeGreaterThan(9_000);
  });
});

/**
 * Summaries across seeds on hand-made runs (sim/study/summary.ts): the quantile band of an
 * indicator, the probability that a target is met (share of runs), the paired reform −
 * baseline difference seed by seed with its band, the shares of siphon-risk levels.
 */
import { describe, expect, it } from "vitest";
import { INDICATORS, judge, type PeriodIndicators } from "../../sim/indicators";
import { indicatorBand, pairedDifference, quantileBand, siphonRiskShares, targetProbability, valueAt } from "../../sim/study/summary";
import type { StudyRun, StudyScenario } from "../../sim/study/study";

const def = (id: string) => INDICATORS.find((d) => d.id === id)!;
const period = (label: string, values: Record<string, number | null>): PeriodIndicators => ({
  period: label,
  values: Object.fromEntries(Object.entries(values).map(([id, v]) => [id, judge(def(id), v)])),
});

/** A run of scenario `name` with seed `seed`: primary-care share in 2019 and 2020, a rolling value, a siphon level. */
function run(name: string, seed: number, share2019: number | null, share2020: number | null, level: "high" | "moderate" | "low" = "low"): StudyRun {
  return {
    name,
    settings: { seed, scale: 0.1, years: 2 },
    finalYear: "2020",
    yearly: [period("2019", { primaryVisitShare: share2019 }), period("2020", { primaryVisitShare: share2020 })],
    monthly: [period("2020-12", { primaryVisitShare: share2020 === null ? null : share2020 + 0.01 })],
    rolling: [period("2020-11", { primaryVisitShare: share2019 }), period("2020-12", { primaryVisitShare: share2020 })],
    entry: { siphonRisk: { level } },
  } as unknown as StudyRun;
}
const scenario = (name: string, runs: StudyRun[], baseline = 0): StudyScenario => ({ name, runs, baseline } as unknown as StudyScenario);

describe("quantileBand", () => {
  it("gives the median and 10–90% by linear interpolation (R type 7) over the values that are not null", () => {
    const b = quantileBand([5, 1, 4, 2, 3, null, 6, 7, 8, 9, 10, 11]);
    expect(b).toMatchObject({ runs: 12, n: 11, median: 6, levels: [0.1, 0.9] });
    expect(b.lo).toBeCloseTo(2, 12);
    expect(b.hi).toBeCloseTo(10, 12);
    expect(quantileBand([0, 10], [0.25, 0.75])).toMatchObject({ median: 5, lo: 2.5, hi: 7.5 });
    expect(quantileBand([3])).toMatchObject({ n: 1, median: 3, lo: 3, hi: 3 });
    expect(quantileBand([null, null])).toMatchObject({ runs: 2, n: 0, median: null, lo: null, hi: null });
  });
});

describe("indicatorBand and valueAt", () => {
  const runs = [0.6, 0.62, 0.64, 0.66, 0.7].map((v, k) => run("reform", k + 1, v - 0.1, v));
  it("reads the final year by default, another period or granularity when asked", () => {
    expect(indicatorBand(runs, "primaryVisitShare").median).toBeCloseTo(0.64, 12);
    const b = indicatorBand(runs, "primaryVisitShare");
    expect(b.lo).toBeCloseTo(0.6 + 0.4 * 0.02, 12); // h = 4 × 0.1 = 0.4 between 0.60 and 0.62
    expect(b.hi).toBeCloseTo(0.66 + 0.6 * 0.04, 12); // h = 3.6 between 0.66 and 0.70
    expect(indicatorBand(runs, "primaryVisitShare", { period: "2019" }).median).toBeCloseTo(0.54, 12);
    expect(indicatorBand(runs, "primaryVisitShare", { granularity: "month" }).median).toBeCloseTo(0.65, 12);
    expect(indicatorBand(runs, "primaryVisitShare", { granularity: "rolling", period: "2020-11" }).median).toBeCloseTo(0.54, 12);
    expect(valueAt(runs[0], "primaryVisitShare", { period: "2031" })).toBeUndefined();
    expect(indicatorBand(runs, "primaryVisitShare", { period: "2031" })).toMatchObject({ runs: 5, n: 0, median: null });
  });
  it("says so when a run has no rolling indicators (read back from the results store)", () => {
    const stored = { ...runs[0], rolling: null } as StudyRun;
    expect(() => indicatorBand([stored], "primaryVisitShare", { granularity: "rolling" })).toThrow(/no rolling indicators/);
  });
});

describe("targetProbability", () => {
  it("is the share of runs whose value meets the target (≥ 65%), over the runs with a verdict", () => {
    const runs = [0.6, 0.65, 0.66, 0.7, null].map((v, k) => run("reform", k + 1, 0.5, v));
    expect(targetProbability(runs, "primaryVisitShare")).toEqual({ runs: 5, judged: 4, met: 3, probability: 0.75 });
    expect(targetProbability(runs, "primaryVisitShare", { period: "2019" })).toEqual({ runs: 5, judged: 5, met: 0, probability: 0 });
    expect(targetProbability([run("x", 1, null, null)], "primaryVisitShare").probability).toBeNull();
  });
  it("agrees with each run's own verdict (the one target-met rule)", () => {
    const runs = [0.649999, 0.65, 0.650001].map((v, k) => run("reform", k + 1, 0.5, v));
    const met = runs.filter((r) => r.yearly[1].values.primaryVisitShare.met).length;
    expect(targetProbability(runs, "primaryVisitShare").met).toBe(met);
    expect(met).toBe(2);
  });
});

describe("pairedDifference", () => {
  it("subtracts the baseline's run with the same seed, seed by seed, and bands the differences", () => {
    const base = scenario("base", [run("base", 1, 0.5, 0.5), run("base", 2, 0.5, 0.52), run("base", 3, 0.5, 0.48)]);
    // seeds in another order, and a seed the baseline lacks (left out)
    const reform = scenario("reform", [run("reform", 3, 0.5, 0.53), run("reform", 1, 0.5, 0.56), run("reform", 9, 0.5, 0.9), run("reform", 2, 0.5, 0.57)]);
    const d = pairedDifference(reform, base, "primaryVisitShare");
    expect(d.seeds).toEqual([3, 1, 2]);
    d.differences.forEach((x, k) => expect(x).toBeCloseTo([0.05, 0.06, 0.05][k], 12));
    expect(d.band.median).toBeCloseTo(0.05, 12);
    expect(d.band.n).toBe(3);
    // against itself every difference is 0
    expect(pairedDifference(base, base, "primaryVisitShare").band).toMatchObject({ median: 0, lo: 0, hi: 0 });
  });
  it("leaves a seed's difference null where either run has no value", () => {
    const base = scenario("base", [run("base", 1, 0.5, null), run("base", 2, 0.5, 0.5)]);
    const reform = scenario("reform", [run("reform", 1, 0.5, 0.6), run("reform", 2, 0.5, 0.6)]);
    const d = pairedDifference(reform, base, "primaryVisitShare");
    expect(d.differences[0]).toBeNull();
    expect(d.band).toMatchObject({ runs: 2, n: 1 });
  });
});

describe("siphonRiskShares", () => {
  it("counts each run's verdict", () => {
    const runs = [run("x", 1, 0, 0, "high"), run("x", 2, 0, 0, "high"), run("x", 3, 0, 0, "moderate"), run("x", 4, 0, 0, "low")];
    expect(siphonRiskShares(runs)).toEqual({ runs: 4, high: 0.5, moderate: 0.25, low: 0.25 });
    expect(siphonRiskShares([])).toEqual({ runs: 0, high: 0, moderate: 0, low: 0 });
  });
});

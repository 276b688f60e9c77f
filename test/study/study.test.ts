/**
 * The study layer end to end on a tiny county (scale 0.02, 2 years): runs per scenario and
 * seed, each compared with its baseline's run of the same seed; the indicators computed
 * once and equal to a direct simulation's; worker threads, this thread and the results
 * store giving the same indicators; bad specs refused; the one percentage-point formatter.
 */
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { residentDifferences } from "../../sim/differences";
import { rollingIndicators, yearlyIndicators } from "../../sim/indicators";
import { loadScenario } from "../../sim/scenario/load";
import { simulate } from "../../sim/simulate";
import { scenarioComparison } from "../../sim/study/comparison";
import { formatPoints } from "../../sim/study/format";
import { runStudy, runStudySync, seedEntries, seedRange, seedRuns, type StudySpec } from "../../sim/study/study";
import { pairedDifference, targetProbability } from "../../sim/study/summary";
import { inputProblems } from "../helpers/input-error";
import { REPO_ROOT } from "../helpers/paths";
import { removeTempDirs, tempDir } from "../cli/cli";

afterAll(removeTempDirs);

const scenario = (name: string) => loadScenario(join(REPO_ROOT, "scenarios", `${name}.yaml`));
const SPEC: StudySpec = { scenarios: [scenario("baseline-2018"), scenario("capitation-package")], seeds: [3, 4], scale: 0.02, years: 2, traceResidents: true };
const study = runStudySync(SPEC);

describe("runStudy: one result for every scenario and seed", () => {
  it("holds one run per seed, in seed order, each compared with its baseline's run of the same seed", () => {
    expect(study.settings).toEqual({ seeds: [3, 4], scale: 0.02, years: 2, baseline: null, traceResidents: true, executor: "in-thread" });
    expect(study.scenarios.map((s) => [s.name, s.baseline, s.years, s.runs.map((r) => r.settings.seed)])).toEqual([
      ["baseline-2018", 0, 2, [3, 4]],
      ["capitation-package", 0, 2, [3, 4]],
    ]);
    const [base, cap] = study.scenarios;
    cap.runs.forEach((r, k) => {
      const twin = base.runs[k];
      expect(r.entry.seed).toBe(twin.entry.seed);
      expect(r.entry.baseline).toBe("baseline-2018");
      const d = residentDifferences(twin.result!, r.result!);
      expect(r.differences).toEqual(d);
      expect(r.entry).toEqual(scenarioComparison(r, twin, d));
      expect(r.entry.residentsMovedUp).toBe(d.movedUp);
    });
    // a baseline is set against its own first year; nobody moves against oneself
    expect(base.runs[0].entry.siphonRisk.against).toBe("2018 (own first year)");
    expect(base.runs[0].entry.patientSiphon).toBe(0);
    expect(base.runs[0].entry.residentsMovedUp).toBe(0);
    expect(seedEntries(study, 1).map((e) => e.seed)).toEqual([4, 4]);
    expect(seedRuns(study)).toEqual([base.runs[0], cap.runs[0]]);
  });

  it("computes each run's indicators once, equal to a direct simulation's", () => {
    const r = study.scenarios[1].runs[1];
    const direct = simulate(SPEC.scenarios[1], { seed: 4, scale: 0.02, years: 2 });
    expect(r.yearly).toEqual(yearlyIndicators(direct.counters, direct.start, direct.months));
    expect(r.rolling).toEqual(rollingIndicators(direct.counters, direct.start, direct.months));
    expect(r.rolling!.length).toBe(r.months - 11);
    // the last trailing year ending in December is the final calendar year
    expect(r.rolling!.at(-1)!.values.primaryVisitShare).toEqual(r.yearly.at(-1)!.values.primaryVisitShare);
    expect(r.finalYear).toBe("2019");
  });

  it("summarises across seeds from the same verdicts", () => {
    const [base, cap] = study.scenarios;
    const p = targetProbability(cap.runs, "primaryVisitShare");
    expect(p.met).toBe(cap.runs.filter((r) => r.entry.indicators.primaryVisitShare.met).length);
    const d = pairedDifference(cap, base, "primaryVisitShare");
    expect(d.seeds).toEqual([3, 4]);
    d.differences.forEach((x, k) => expect(x).toBeCloseTo(cap.runs[k].entry.indicators.primaryVisitShare.value! - base.runs[k].entry.indicators.primaryVisitShare.value!, 15));
  });

  it("gives the same runs on worker threads, in this thread and through the results store", async () => {
    const spec: StudySpec = { ...SPEC, seeds: [3], traceResidents: false };
    const here = await runStudy(spec, { executor: "in-thread" });
    const threads = await runStudy(spec, { executor: "workers", workers: 2 });
    expect(seedEntries(threads)).toEqual(seedEntries(here));
    expect(seedRuns(threads).map((r) => [r.yearly, r.monthly, r.rolling, r.yearTotals])).toEqual(seedRuns(here).map((r) => [r.yearly, r.monthly, r.rolling, r.yearTotals]));
    const store = tempDir("yigongti-study-store-");
    const stored = await runStudy(spec, { executor: "store", store, workers: 1 });
    expect(stored.settings.executor).toBe("store");
    expect(seedEntries(stored)).toEqual(seedEntries(here));
    for (const [a, b] of seedRuns(stored).map((r, i) => [r, seedRuns(here)[i]] as const)) {
      expect([a.yearly, a.monthly, a.yearTotals]).toEqual([b.yearly, b.monthly, b.yearTotals]);
      expect(a.result).toBeNull();
      expect(a.rolling).toBeNull();
    }
    // read back from the store the second time
    expect(seedEntries(await runStudy(spec, { executor: "store", store, workers: 1 }))).toEqual(seedEntries(here));
  }, 120_000);

  it("uses the default horizon through the target year, and the named baseline", () => {
    const s = runStudySync({ scenarios: [scenario("baseline-2018"), scenario("siphon-risk")], scale: 0.02, baseline: "siphon-risk" });
    expect(s.settings.seeds).toEqual([1]);
    expect(s.scenarios.map((x) => [x.years, x.baseline])).toEqual([[3, 1], [3, 1]]);
    expect(s.scenarios[0].runs[0].entry.baseline).toBe("siphon-risk");
    expect(seedRange(5, 3)).toEqual([5, 6, 7]);
  }, 60_000);

  it("refuses a bad spec before simulating anything", async () => {
    const base = SPEC.scenarios[0];
    expect(inputProblems(() => runStudySync({ scenarios: [base], baseline: "nope" }))).toEqual([`baseline "nope" is not one of the scenarios (baseline-2018)`]);
    expect(inputProblems(() => runStudySync({ scenarios: [base], seeds: [1, 1] }))).toEqual(["seeds must differ (got 1, 1)"]);
    expect(inputProblems(() => runStudySync({ scenarios: [base], seeds: [] }))).toEqual(["a study needs at least one seed"]);
    expect(inputProblems(() => runStudySync({ scenarios: [], seeds: [-1] }))).toEqual(["a study needs at least one scenario", "seed = -1: must be a whole number ≥ 0"]);
    expect(inputProblems(() => runStudySync({ scenarios: [base], scale: 2, years: 0 }))).toEqual(["scale = 2: must be greater than 0 and at most 1", "years = 0: must be a whole number from 1 to 50"]);
    await expect(runStudy({ scenarios: [base], traceResidents: true }, { executor: "store", store: tempDir() })).rejects.toThrow(/traces need the workers or in-thread executor/);
    await expect(runStudy({ scenarios: [base] }, { executor: "store" })).rejects.toThrow(/needs a results store directory/);
  });
});

describe("formatPoints: the one percentage-point formatter", () => {
  // the formatters it replaced, as they were written
  const compareTable = (v: number | null) => {
    if (v === null) return "-";
    const r = Math.round(v * 1000) / 10;
    return `${r > 0 ? "+" : ""}${r === 0 ? "0.0" : r.toFixed(1)} pts`;
  };
  const notebooks = (d: number | null) => {
    if (d === null || !Number.isFinite(d)) return "n/a";
    const v = Math.round(d * 1000) / 10;
    return `${v > 0 ? "+" : v < 0 ? "−" : "±"}${Math.abs(v).toFixed(1)} points`;
  };
  const readme = (v: number | null) => {
    if (v === null) return "-";
    const r = Math.round(v * 1000) / 10;
    return `${r > 0 ? "+" : r < 0 ? "−" : ""}${r === 0 ? "0.0" : Math.abs(r).toFixed(1)} pts`;
  };
  const values = [null, 0, -0, 0.0004, -0.0004, 0.0005, -0.0005, 0.00051, -0.00051, 0.0123, -0.0123, 0.025, -0.025, 0.31415, -0.999, 1, ...Array.from({ length: 400 }, (_, k) => Math.sin(k * 12.9898) * 0.2)];

  it("writes what compare's table, the notebooks and the README wrote, in their styles", () => {
    for (const v of values) {
      expect(formatPoints(v)).toBe(compareTable(v));
      expect(formatPoints(v, { suffix: " points", minus: "−", zero: "±", missing: "n/a" })).toBe(notebooks(v));
      expect(formatPoints(v, { minus: "−" })).toBe(readme(v));
    }
  });

  it("signs the rounded value: nothing rounds to -0.0 or +0.0", () => {
    expect(formatPoints(-0.0004)).toBe("0.0 pts");
    expect(formatPoints(0.0004)).toBe("0.0 pts");
    expect(formatPoints(0.00004, { digits: 2 })).toBe("0.00 pts");
    expect(formatPoints(-0.012345, { digits: 2, minus: "−" })).toBe("−1.23 pts");
    expect(formatPoints(0.031, { suffix: "" })).toBe("+3.1");
    expect(formatPoints(undefined, { missing: "—" })).toBe("—");
    expect(formatPoints(Number.NaN)).toBe("-");
  });
});

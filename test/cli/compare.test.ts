import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { afterAll, describe, expect, it } from "vitest";
import { INDICATORS } from "../../sim/indicators";

/** the indicators of a run without optional modules (sim/indicators.ts OPTIONAL_MODULES) */
// the core model's indicators and care-seeking's (on by default; case payment only where a scheme pays per case)
const INDICATOR_IDS = INDICATORS.filter((d) => !d.module || d.module === "careSeeking").map((d) => d.id);
/** … and those of the providers' response to payment, which a capitation package sets off (sim/provider-response.ts) */
const PROVIDER_RESPONSE_IDS = INDICATORS.filter((d) => d.module === "providerResponse").map((d) => d.id);
import { BASELINE, FAST, cli, removeTempDirs, tempDir, writeScenario } from "./cli";

afterAll(removeTempDirs);

const dir = tempDir();
/** A reform child of the baseline: capitation and bypass penalties from 2019. */
const reform = writeScenario(
  dir,
  "reform.yaml",
  `name: reform-test
title: {zh: 测试改革, en: Test reform}
extends: ${JSON.stringify(BASELINE)}
timeline:
  - from: 2019-01
    source: test scenario
    set:
      payment.regime: capitation
      insurance.bypass.enabled: true
`,
);

interface Entry {
  name: string;
  year: string;
  indicators: Record<string, { value: number | null; target: number | null; met: boolean | null }>;
  benefits: { notLower: boolean; baseline: string; comparisons: { group: string; metric: string; against: string; period: string }[]; falls: unknown[] };
}

describe("yigongti compare", () => {
  it("--format json: {scenarios: [{name, indicators: {<id>: {value, target, met}}}]} for the final year (2020 by default)", () => {
    const r = cli(["compare", BASELINE, reform, ...FAST, "--seeds", "1", "--format", "json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { scenarios: Entry[] };
    expect(Object.keys(j)).toEqual(["answer", "scenarios"]);
    expect(j.scenarios.map((s) => s.name)).toEqual(["baseline-2018", "reform-test"]);
    for (const s of j.scenarios) {
      expect(s.year).toBe("2020");
      expect(Object.keys(s.indicators).sort()).toEqual([...INDICATOR_IDS, ...(s.name === "reform-test" ? PROVIDER_RESPONSE_IDS : [])].sort());
      for (const v of Object.values(s.indicators)) {
        expect(v).toHaveProperty("value");
        expect(v).toHaveProperty("target");
        expect(v).toHaveProperty("met");
        expect(v.met === null || typeof v.met === "boolean").toBe(true);
      }
      const key = s.indicators.primaryVisitShare;
      expect(key.target).toBe(0.65);
      expect(key.value).toBeGreaterThan(0);
      expect(key.met).toBe(key.value! >= 0.65);
      expect(s.indicators.withinCountyVisitRate.target).toBe(0.9);
      expect(s.indicators.downwardReferralGrowth.target).toBe(0.1);
      expect(s.indicators.downwardReferralGrowth.value).not.toBeNull(); // final year has a previous year
    }
    // the key targets come first
    expect(Object.keys(j.scenarios[0].indicators).slice(0, 3)).toEqual(["primaryVisitShare", "withinCountyVisitRate", "downwardReferralGrowth"]);
    // 待遇不降低: the reform against the baseline every year and against its previous years, per group and benefit
    const [base, rf] = j.scenarios.map((s) => s.benefits);
    expect(base.baseline).toBe("baseline-2018");
    expect(base.comparisons.every((c) => c.against === "previousYear")).toBe(true);
    expect(rf.baseline).toBe("baseline-2018");
    expect(rf.comparisons.filter((c) => c.against === "baseline")).toHaveLength(3 * 3 * 2); // 3 years × 3 groups × 2 benefits
    expect(rf.comparisons.filter((c) => c.against === "previousYear")).toHaveLength(2 * 3 * 2);
    expect(rf.notLower).toBe(rf.falls.length === 0);
    // financial protection: every township's OOP per resident; forgone care by group (sim/protection.ts forgoneCare)
    const e0 = j.scenarios[0] as unknown as { oopPerResidentByTownship: { township: string; value: number }[]; forgoneCare: { modelled: boolean; share: number; byQuintile: number[]; poor: number; bySeverity: Record<string, number> } };
    expect(e0.oopPerResidentByTownship).toHaveLength(12);
    expect(e0.oopPerResidentByTownship.every((x) => x.value > 0)).toBe(true);
    expect(e0.forgoneCare.modelled).toBe(true);
    expect(e0.forgoneCare.share).toBeCloseTo(j.scenarios[0].indicators.forgoneCareShare.value!, 12);
    expect(e0.forgoneCare.share).toBeGreaterThan(0.05);
    expect(e0.forgoneCare.byQuintile).toHaveLength(5);
    expect(e0.forgoneCare.byQuintile[0]).toBeGreaterThan(e0.forgoneCare.byQuintile[4]); // the poorest fifth forgo more
    expect(e0.forgoneCare.bySeverity.critical).toBe(0);
    // the reform's capitation package exists only in the reform
    expect(j.scenarios[0].indicators.capitationBalance.value).toBeNull();
    expect(j.scenarios[1].indicators.capitationBalance.value).not.toBeNull();
  });

  it("the same scenario twice gives identical values; --years sets the horizon", () => {
    const r = cli(["compare", BASELINE, BASELINE, ...FAST, "--seeds", "1", "--years", "1", "--format", "json"]);
    expect(r.code).toBe(0);
    const [a, b] = (JSON.parse(r.stdout) as { scenarios: Entry[] }).scenarios;
    expect(a.year).toBe("2018");
    expect(a.indicators).toEqual(b.indicators);
    expect(a.indicators.downwardReferralGrowth.value).toBeNull();
  });

  it("--wide and --out: saves compare.{json,csv,md,xlsx}, summary.csv and each scenario's files", async () => {
    const out = join(tempDir(), "cmp");
    const r = cli(["compare", BASELINE, reform, ...FAST, "--seeds", "1", "--years", "2", "--out", out, "--wide"]);
    expect(r.code).toBe(0);
    const lines = r.stdout.slice(r.stdout.indexOf("First run (seed 1)")).split("\n");
    const header = lines.find((l) => l.startsWith("Indicator"))!;
    expect(header).toMatch(/baseline-2018\s+reform-test$/);
    const body = lines.filter((l) => /^[A-Z]/.test(l) && !l.startsWith("Indicator") && !l.startsWith("Final") && !l.startsWith("First"));
    expect(body[0]).toMatch(/^Primary-care visit share\s+基层诊疗量占比\s+>= 65%\s+\d+\.\d% [✓✗]\s+\d+\.\d% [✓✗]$/);
    expect(body[1]).toMatch(/^Within-county visit rate/);
    expect(body[2]).toMatch(/^Downward-referral growth/);
    expect(r.stdout).toMatch(/Insurance fund balance\s+医保基金结存\s+>= ¥0\s+-?¥\d{1,3}(,\d{3})+ [✓✗]/);

    expect(readdirSync(out).sort()).toEqual(["baseline-2018", "compare.csv", "compare.json", "compare.md", "compare.xlsx", "reform-test", "summary.csv"]);
    // the baseline folder has the run's files; the reform's also lists the residents who moved up a tier against it
    expect(readdirSync(join(out, "baseline-2018")).sort()).toEqual(["indicators.csv", "indicators.json", "manifest.json"]);
    expect(readdirSync(join(out, "reform-test")).sort()).toEqual(["indicators.csv", "indicators.json", "manifest.json", "moved-up.csv"]);
    expect(readFileSync(join(out, "reform-test", "moved-up.csv"), "utf8").split("\n")[0]).toBe(
      "resident,village_clinic,township,encounters_village_change,encounters_township_change,encounters_county_change,encounters_outOfCounty_change,oop_change_yuan",
    );
    const m = JSON.parse(readFileSync(join(out, "reform-test", "manifest.json"), "utf8"));
    expect(m.scenario.chain).toHaveLength(2);
    const own = (m.timeline as { file: string }[]).filter((t) => t.file.endsWith("reform.yaml"));
    expect(own).toHaveLength(1);
    expect(own[0]).toMatchObject({ from: "2019-01", source: "test scenario", set: { "payment.regime": "capitation" } });
    const j = JSON.parse(readFileSync(join(out, "compare.json"), "utf8")) as { scenarios: Entry[] };
    expect(j.scenarios.map((s) => s.year)).toEqual(["2019", "2019"]);
    const csv = readFileSync(join(out, "compare.csv"), "utf8").trimEnd().split("\n");
    expect(csv[0].split(",").slice(0, 4)).toEqual(["scenario", "file", "year", "indicator"]);
    // every indicator, OOP per resident in each of the county's 12 townships, then the benefits verdict (待遇不降低), per scenario
    expect(csv).toHaveLength(1 + 2 * (INDICATOR_IDS.length + 12 + 1) + PROVIDER_RESPONSE_IDS.length);
    expect(csv.filter((l) => l.split(",")[3].startsWith("oopPerResidentByTownship."))).toHaveLength(2 * 12);
    expect(csv.filter((l) => l.split(",")[3] === "benefitsNotLower")).toHaveLength(2);
    const md = readFileSync(join(out, "compare.md"), "utf8");
    expect(md).toMatch(/^\| Indicator \| 指标 \| Target 目标 \| baseline-2018 \| reform-test \|$/m);
    // the workbook holds the same rows as summary.csv and compare.csv, numbers as numbers
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(new Uint8Array(readFileSync(join(out, "compare.xlsx"))).buffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["About", "Summary", "First run (seed 1)"]);
    const summaryCsv = readFileSync(join(out, "summary.csv"), "utf8").trimEnd().split("\n");
    const summary = wb.getWorksheet("Summary")!;
    expect(summary.rowCount).toBe(summaryCsv.length);
    expect((summary.getRow(1).values as unknown[]).slice(1)).toEqual(summaryCsv[0].split(","));
    const first = wb.getWorksheet("First run (seed 1)")!;
    expect(first.rowCount).toBe(csv.length);
    const valueCol = csv[0].split(",").indexOf("value") + 1;
    expect(typeof first.getRow(2).getCell(valueCol).value).toBe("number");
    expect(Number(first.getRow(2).getCell(valueCol).value)).toBeCloseTo(Number(csv[1].split(",")[valueCol - 1]), 12);
    expect(wb.getWorksheet("About")!.getRow(1).values).toEqual([undefined, "yigongti compare", "baseline-2018, reform-test"]);
  });

  it("--format xlsx writes the workbook to stdout (a zip: PK)", () => {
    const r = cli(["compare", BASELINE, ...FAST, "--seeds", "1", "--years", "1", "--format", "xlsx"]);
    expect(r.code).toBe(0);
    expect(r.stdout.slice(0, 2)).toBe("PK");
  });

  it("runs the scenarios on worker threads with byte-identical output whatever --workers is", () => {
    const files = (d: string) => Object.fromEntries(readdirSync(d, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => [join(e.parentPath, e.name).slice(d.length), readFileSync(join(e.parentPath, e.name), "utf8")]));
    const outs = ["1", "2"].map((w) => {
      const out = join(tempDir(), `cmp-w${w}`);
      const r = cli(["compare", BASELINE, reform, ...FAST, "--seeds", "1", "--years", "2", "--format", "json", "--out", out, "--workers", w]);
      expect(r.code, r.stderr).toBe(0);
      const f = files(out);
      for (const k of Object.keys(f)) if (k.endsWith("manifest.json")) f[k] = f[k].replace(/"dirty": (true|false)/, ""); // git state may change between the runs
      return { stdout: r.stdout, files: f };
    });
    expect(Object.keys(outs[0].files)).toContain("/reform-test/moved-up.csv");
    expect(outs[1]).toEqual(outs[0]);
  });

  it("compare.csv: one row per (scenario, indicator) of the first run, and the benefits verdict", () => {
    const out = join(tempDir(), "csv");
    const r = cli(["compare", BASELINE, ...FAST, "--seeds", "1", "--years", "1", "--format", "csv", "--out", out]);
    expect(r.code).toBe(0);
    // stdout: the answer's tidy CSV (one run: band of one value, probability 0 or 1)
    const answer = r.stdout.trimEnd().split("\n");
    expect(answer[0]).toBe("scenario,indicator,unit,runs,n,median,p10,p90,target,comparison,probability_met,baseline,effect_median,effect_p10,effect_p90,effect_distinguishable_from_zero");
    expect(answer.find((l) => l.startsWith("baseline-2018,primaryVisitShare,"))).toMatch(/^baseline-2018,primaryVisitShare,share,1,1,(0\.\d+),\1,\1,0\.65,>=,0,baseline-2018,,,,$/);
    const lines = readFileSync(join(out, "compare.csv"), "utf8").trimEnd().split("\n");
    expect(lines).toHaveLength(1 + INDICATOR_IDS.length + 12 + 1);
    expect(lines.find((l) => l.includes(",oopPerResidentByTownship.t01,"))).toMatch(/,yuan,\d+(\.\d+)?,,,,$/);
    // one simulated year, the baseline against itself: nothing to compare, so nothing fell
    expect(lines.at(-1)).toMatch(/^baseline-2018,.*,2018,benefitsNotLower,.*,count,0,0,<=,true,0$/);
    expect(lines[1]).toMatch(/^baseline-2018,.*,2018,primaryVisitShare,/);
  });
});

describe("yigongti compare answers from an ensemble (issue 11)", () => {
  const CAPITATION = join(import.meta.dirname, "../../scenarios/capitation-package.yaml");
  it("gives medians with bands, the probability of each target and the paired effect — each computed from the runs it prints", () => {
    const r = cli(["compare", BASELINE, CAPITATION, ...FAST, "--seeds", "3", "--years", "2", "--format", "json"]);
    expect(r.code).toBe(0);
    const { answer, scenarios } = JSON.parse(r.stdout);
    expect(answer.settings.seeds).toEqual([1, 2, 3]);
    expect(answer.settings.parameterDraws.parameters["baseline-2018"]).toEqual(expect.arrayContaining(["choice.habit", "choice.quality"]));
    const [base, cap] = answer.scenarios;
    expect(cap.runs).toBe(3);
    expect(cap.baseline).toBe("baseline-2018");
    const p = cap.indicators.primaryVisitShare;
    expect(p.band.n).toBe(3);
    expect(p.band.lo).toBeLessThanOrEqual(p.band.median);
    expect(p.band.median).toBeLessThanOrEqual(p.band.hi);
    expect(p.band.lo).toBeLessThan(p.band.hi); // seeds and parameter draws differ
    expect(p.target.probability).toBe(0); // ≈ 55%, far below 65%
    expect(base.indicators.primaryVisitShare.effect).toBeNull(); // the baseline has no effect on itself
    // the first run's rows are the first seed's: its value lies inside the band
    expect(scenarios[1].seed).toBe(1);
    expect(scenarios[1].indicators.primaryVisitShare.value).toBeGreaterThanOrEqual(Math.min(p.band.lo, scenarios[1].indicators.primaryVisitShare.value));
    // capitation with surplus retention moves care to primary care in every paired run
    expect(p.effect.lo).toBeGreaterThan(0);
    expect(p.effect.distinguishableFromZero).toBe(true);
    expect(cap.siphon.probability).toBeGreaterThan(0);
    expect(["high", "moderate", "low"]).toContain(cap.siphon.level);
  }, 120_000);

  it("prints a terminal-width summary by default, the full table with --wide, and refuses a bad --seeds", () => {
    const r = cli(["compare", BASELINE, CAPITATION, ...FAST, "--seeds", "2", "--years", "1", "--no-parameter-uncertainty"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/2 runs per scenario \(seeds 1–2, parameters fixed\), scale 0\.02/);
    expect(r.stdout).toMatch(/P = probability the target is met/);
    const width = Math.max(...r.stdout.split("\n").map((l) => [...l].length));
    expect(width).toBeLessThan(160);
    expect(r.stdout).not.toMatch(/First run/);
    const wide = cli(["compare", BASELINE, ...FAST, "--seeds", "1", "--years", "1", "--wide"]);
    expect(wide.stdout).toMatch(/First run \(seed 1\), every indicator/);
    expect(wide.stdout).toMatch(/One run: no band/);
    const bad = cli(["compare", BASELINE, ...FAST, "--seeds", "0"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--seeds/);
  }, 120_000);
});

describe("yigongti compare: scenarios that cannot be paired", () => {
  it("says which scenarios are not compared with any other, and why, instead of leaving the effects blank", () => {
    const dir = tempDir();
    const county = writeScenario(dir, "copy.yaml", readFileSync(join(import.meta.dirname, "../../data/counties/qujing-like.yaml"), "utf8"));
    const onCopy = writeScenario(dir, "on-copy.yaml", `extends: ${join(import.meta.dirname, "../../scenarios/full-package-qujing.yaml")}\nname: on-copy\ncounty: ${county}\n`);
    const r = cli(["compare", BASELINE, onCopy, "--seeds", "1", ...FAST, "--years", "1"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Note: not compared with any other scenario: baseline-2018 \(county data\/counties\/qujing-like.yaml, from 2018\), on-copy \(county .*copy.yaml, from 2018\) — scenarios are paired by county file and start year/);
    // paired scenarios get no such note
    const paired = cli(["compare", BASELINE, join(import.meta.dirname, "../../scenarios/full-package-qujing.yaml"), "--seeds", "1", ...FAST, "--years", "1"]);
    expect(paired.stdout).not.toMatch(/not compared with any other scenario/);
  });
});

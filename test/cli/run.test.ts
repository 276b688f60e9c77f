import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INDICATORS as ALL_INDICATORS } from "../../sim/indicators";

/** the indicators of a fee-for-service run: the core model's and care-seeking's (on by default; sim/indicators.ts OPTIONAL_MODULES) */
const INDICATORS = ALL_INDICATORS.filter((d) => !d.module || d.module === "careSeeking");
const INDICATOR_IDS = INDICATORS.map((d) => d.id);
import { BASELINE, FAST, cli, removeTempDirs, tempDir, type CliResult } from "./cli";

afterAll(removeTempDirs);

describe("yigongti run", () => {
  const dir = tempDir();
  const out = join(dir, "result");
  let r: CliResult;
  beforeAll(() => {
    r = cli(["run", BASELINE, ...FAST, "--years", "2", "--seed", "3", "--out", out]);
  });

  it("exits 0, prints a summary, no progress bar when stderr is not a terminal", () => {
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("baseline-2018");
    expect(r.stdout).toContain("基层诊疗量占比");
    expect(r.stdout).toContain(join(out, "manifest.json"));
  });

  it("writes exactly the three result files (no temporary files left)", () => {
    expect(readdirSync(out).sort()).toEqual(["indicators.csv", "indicators.json", "manifest.json"]);
  });

  it("indicators.json: yearly and monthly values with labels, units, targets and sources", () => {
    const j = JSON.parse(readFileSync(join(out, "indicators.json"), "utf8"));
    expect(j.scenario.name).toBe("baseline-2018");
    expect(j.scenario.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(j).toMatchObject({ seed: 3, years: 2, scale: 0.02, start: "2018-01", months: 24 });
    expect(Object.keys(j.indicators)).toEqual(INDICATOR_IDS);
    const pvs = j.indicators.primaryVisitShare;
    expect(pvs.label).toEqual({ en: "Primary-care visit share", zh: "基层诊疗量占比" });
    expect(pvs).toMatchObject({ unit: "share", target: 0.65, comparison: ">=" });
    expect(pvs.source).toContain("000_d976d86ac1f892b7.txt");
    expect(j.yearly.map((y: { period: string }) => y.period)).toEqual(["2018", "2019"]);
    expect(j.monthly).toHaveLength(24);
    expect(j.monthly[0].period).toBe("2018-01");
    expect(j.monthly[23].period).toBe("2019-12");
    for (const p of [...j.yearly, ...j.monthly]) expect(Object.keys(p.values)).toEqual(INDICATOR_IDS);
    const v = j.yearly[1].values.primaryVisitShare;
    expect(Object.keys(v).sort()).toEqual(["comparison", "gap", "met", "target", "value"]);
    expect(v.value).toBeGreaterThan(0);
    expect(v.value).toBeLessThan(1);
    expect(typeof v.met).toBe("boolean");
    expect(v.gap).toBeCloseTo(v.value - 0.65, 12);
    // growth has no value in the first year
    expect(j.yearly[0].values.downwardReferralGrowth).toMatchObject({ value: null, met: null, gap: null, target: 0.1 });
  });

  it("indicators.csv: tidy, one row per (period, indicator), consistent with the JSON", () => {
    const lines = readFileSync(join(out, "indicators.csv"), "utf8").trimEnd().split("\n");
    expect(lines[0]).toBe("period,granularity,indicator,value,target,comparison,met,gap");
    const rows = lines.slice(1).map((l) => l.split(","));
    expect(rows).toHaveLength((2 + 24) * INDICATORS.length);
    expect(rows.filter((c) => c[1] === "year")).toHaveLength(2 * INDICATORS.length);
    expect(rows.filter((c) => c[1] === "month")).toHaveLength(24 * INDICATORS.length);
    for (const c of rows) expect(c).toHaveLength(8);
    const j = JSON.parse(readFileSync(join(out, "indicators.json"), "utf8"));
    const row = rows.find((c) => c[0] === "2019" && c[1] === "year" && c[2] === "withinCountyVisitRate")!;
    const v = j.yearly[1].values.withinCountyVisitRate;
    expect(Number(row[3])).toBe(v.value);
    expect(row.slice(4, 7)).toEqual(["0.9", ">=", String(v.met)]);
    const noTarget = rows.find((c) => c[0] === "2018-03" && c[2] === "costPerVisit")!;
    expect(noTarget.slice(4)).toEqual(["", "", "", ""]);
  });

  it("manifest.json: provenance fields", () => {
    const m = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, "../../package.json"), "utf8"));
    expect(m.scenario.name).toBe("baseline-2018");
    expect(m.scenario.file).toMatch(/baseline-2018\.yaml$/);
    expect(m.scenario.chain).toHaveLength(1);
    expect(m.scenario.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(m).toMatchObject({ modelVersion: pkg.version, seed: 3, years: 2, scale: 0.02, start: "2018-01", months: 24, node: process.version });
    expect(m.residents).toBeGreaterThan(1000);
    expect(m.countyFile).toMatch(/qujing-like\.yaml$/);
    expect(m.parameterFile).toMatch(/parameters\.yaml$/);
    expect(m.parameters.choice).toBeTypeOf("object");
    expect(m.basePolicy.payment.regime).toBe("feeForService");
    expect(Array.isArray(m.timeline)).toBe(true);
    expect(m.git.commit === null || /^[0-9a-f]{40}$/.test(m.git.commit)).toBe(true);
    expect(m.git.commit === null ? m.git.dirty === null : typeof m.git.dirty === "boolean").toBe(true);
  });

  it("defaults: out/<scenario name> under the working directory; same seed → same numbers", () => {
    const cwd = tempDir();
    const d = cli(["run", BASELINE, ...FAST, "--years", "2", "--seed", "3"], { cwd });
    expect(d.code).toBe(0);
    const def = join(cwd, "out", "baseline-2018");
    expect(readdirSync(def).sort()).toEqual(["indicators.csv", "indicators.json", "manifest.json"]);
    expect(readFileSync(join(def, "indicators.csv"), "utf8")).toBe(readFileSync(join(out, "indicators.csv"), "utf8"));
    expect(existsSync(join(cwd, "out", "baseline-2018", "indicators.json"))).toBe(true);
  });
});

describe("yigongti run --set", () => {
  it("holds a leaf for the run exactly as a scenario file setting it would, and names it in manifest.json", () => {
    const dir = tempDir();
    const file = join(dir, "habit.yaml");
    writeFileSync(file, `extends: ${BASELINE}\nname: habit-test\nparameters:\n  choice.habit: 0.5\n`);
    const set = cli(["run", BASELINE, "--set", "choice.habit=0.5", ...FAST, "--years", "1", "--out", join(dir, "set")]);
    const written = cli(["run", file, ...FAST, "--years", "1", "--out", join(dir, "file")]);
    const plain = cli(["run", BASELINE, ...FAST, "--years", "1", "--out", join(dir, "plain")]);
    for (const r of [set, written, plain]) expect(r.code, r.stderr).toBe(0);
    const csv = (d: string) => readFileSync(join(dir, d, "indicators.csv"), "utf8");
    expect(csv("set")).toBe(csv("file"));
    expect(csv("set")).not.toBe(csv("plain"));
    const m = JSON.parse(readFileSync(join(dir, "set", "manifest.json"), "utf8"));
    expect(m.overrides).toEqual({ "choice.habit": 0.5 });
    expect(m.parameters.choice.habit).toBe(0.5);
    expect(JSON.parse(readFileSync(join(dir, "plain", "manifest.json"), "utf8"))).not.toHaveProperty("overrides");
    const bad = cli(["run", BASELINE, "--set", "choice.nothere=1", ...FAST]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--set "choice.nothere=1"/);
  });
});

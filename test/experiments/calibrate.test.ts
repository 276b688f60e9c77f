import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { calibratedParameterFile, calibrationObjective, errorScale, parseTarget, type CalibrationReport } from "../../sim/experiments/calibrate";
import { runJobs } from "../../sim/experiments/runner";
import { loadParameters } from "../../sim/scenario/load";
import { stripProvenance } from "../../sim/parameters";
import { readYaml } from "../../sim/scenario/load";
import { BASELINE_SCENARIO, PARAMETERS_FILE } from "../helpers/paths";
import { tempDir } from "../helpers/tmp";
import { cli } from "../cli/cli";

const csvLines = (path: string) => readFileSync(path, "utf8").trim().split("\n").length;

describe("calibration targets and objective", () => {
  it("parses indicatorId=value[:weight] and rejects what is not allowed", () => {
    expect(parseTarget("primaryVisitShare=0.54")).toEqual({ indicator: "primaryVisitShare", value: 0.54, weight: 1 });
    expect(parseTarget("costPerVisit=180:2")).toEqual({ indicator: "costPerVisit", value: 180, weight: 2 });
    expect(() => parseTarget("primaryShare=0.5")).toThrow(/unknown indicator "primaryShare"; indicators: primaryVisitShare,/);
    expect(() => parseTarget("primaryVisitShare")).toThrow(/indicatorId=value/);
    expect(() => parseTarget("primaryVisitShare=abc")).toThrow(/not a number/);
    expect(() => parseTarget("primaryVisitShare=0.5:0")).toThrow(/weight "0" must be a number above 0/);
  });

  it("weighs share errors in points and other errors relative to the target (hand-worked)", () => {
    const targets = [
      { indicator: "primaryVisitShare", value: 0.6, weight: 1 }, // error 0.05 → 0.0025
      { indicator: "costPerVisit", value: 200, weight: 2 }, // error 20 / 200 = 0.1 → 2 × 0.01
    ];
    expect(errorScale(targets[0])).toBe(1);
    expect(errorScale(targets[1])).toBe(200);
    expect(calibrationObjective([0.65, 220], targets)).toBeCloseTo(0.0025 + 0.02, 12);
    expect(calibrationObjective([NaN, 200], targets)).toBe(Infinity);
  });
});

describe("calibration recovers parameters from the model's own outputs", () => {
  // Known values of two tier constants; targets are what the model produces with them on
  // the calibration seed. Starting from the shipped values (0.5 away), `yigongti calibrate`
  // must find them again. (The calibration runs in a child process: the simulator runs
  // several times faster there than under the test runner's module transform.)
  const shipped = loadParameters(PARAMETERS_FILE).choice;
  const start = { op: shipped.tierConstant.township, ip: shipped.tierConstantInpatient.township };
  const truth = { "choice.tierConstant.township": start.op - 0.5, "choice.tierConstantInpatient.township": start.ip - 0.5 };
  const settings = { scenarioFile: BASELINE_SCENARIO, years: 1, scale: 0.02 };
  const tmp = tempDir();
  const file = join(tmp.dir, "recovered.yaml");
  let fit: CalibrationReport;
  const store = join(tmp.dir, "store");
  let args: string[] = [];
  let stdout = "";
  afterAll(() => tmp.cleanup());

  beforeAll(async () => {
    const [r] = await runJobs([{ ...settings, seed: 1, overrides: truth }], { workers: 1 });
    const target = (id: string) => `${id}=${r.yearly[0].values[id].value}`;
    args = [
      "calibrate", BASELINE_SCENARIO, "--scale", "0.02", "--years", "1", "--seeds", "1", "--check-seeds", "1", "--max-evaluations", "30", "--no-progress",
      "--param", "choice.tierConstant.township=-3:0", "--param", "choice.tierConstantInpatient.township=-3:0",
      "--target", target("primaryVisitShare"), "--target", target("primaryAdmissionShare"), "--out", file, "--store", store,
    ];
    const c = cli(args);
    if (c.code !== 0) throw new Error(`calibrate exited ${c.code}: ${c.stderr}`);
    stdout = c.stdout;
    fit = JSON.parse(readFileSync(join(tmp.dir, "recovered.fit.json"), "utf8"));
  });

  it("within 0.05 utility of the known values, with the targets met to 0.2 points", () => {
    const [op, ip] = fit.parameters;
    expect(op.start).toBe(start.op);
    expect(ip.start).toBe(start.ip);
    expect(Math.abs(op.calibrated - truth["choice.tierConstant.township"])).toBeLessThan(0.05);
    expect(Math.abs(ip.calibrated - truth["choice.tierConstantInpatient.township"])).toBeLessThan(0.05);
    for (const t of fit.targets) expect(Math.abs(t.error)).toBeLessThan(0.002);
    expect(fit.evaluations).toBeLessThanOrEqual(30);
    expect(fit.runs).toBe(fit.evaluations + 1);
    expect(csvLines(join(tmp.dir, "recovered.trace.csv"))).toBe(fit.evaluations + 1);
    expect(stdout).toMatch(/# Calibration: baseline-2018, 2018/);
  });

  it("re-checks the fit on a fresh seed", () => {
    expect(fit.checkSeeds).toEqual([1001]);
    for (const t of fit.targets) {
      expect(t.checkAchieved).not.toBeNull();
      expect(Math.abs(t.checkError!)).toBeLessThan(0.02);
    }
  });

  it("writes a complete parameter file whose calibrated leaves name the targets as their source", () => {
    const p = loadParameters(file);
    expect(p.choice.tierConstant.township).toBeCloseTo(fit.parameters[0].calibrated, 5);
    expect(p.choice.tierConstantInpatient.township).toBeCloseTo(fit.parameters[1].calibrated, 5);
    expect(p.choice.tierConstant.village).toBe(shipped.tierConstant.village); // untouched entries of the same leaf
    expect(p.choice.tierConstant.village).not.toBe(p.choice.tierConstant.township);
    expect(p.choice.quality).toBe(shipped.quality);
    const raw = readYaml(file, "parameter") as Record<string, Record<string, { source: string; unit: string }>>;
    const src = raw.choice.tierConstant.source;
    expect(src).toMatch(/^calibrated with yigongti calibrate .*targets: primaryVisitShare 0\.\d+ \(achieved 0\.\d+\), primaryAdmissionShare/);
    expect(src).toMatch(/\(township\); previously: calibrated with `node --import tsx scripts\/calibrate-care-seeking\.ts /);
    expect(raw.choice.quality.source).toMatch(/^Yu et al\./);
    expect(stripProvenance(raw, "x").problems).toEqual([]);
    const text = readFileSync(file, "utf8");
    expect(text).toMatch(/^# Calibrated parameter file written by `yigongti calibrate`/);
    expect(text).toContain("# Behavioural, epidemiological"); // the original comments are kept
    expect(readFileSync(PARAMETERS_FILE, "utf8")).toMatch(/^# yaml-language-server: /);
    expect(text).not.toContain("yaml-language-server"); // but not the shipped file's editor schema line (a path relative to data/)
    // the in-memory writer gives the same file
    expect(calibratedParameterFile(readFileSync(PARAMETERS_FILE, "utf8"), fit, "data/parameters.yaml")).toBe(text);
  });

  it("re-run on its store, replays the same search without simulating again", () => {
    const runs = () => readdirSync(join(store, "runs")).filter((f) => f.endsWith(".json")).length;
    const before = runs();
    expect(before).toBeGreaterThan(fit.evaluations / 2); // one file per distinct run
    expect(before).toBeLessThanOrEqual(fit.runs);
    const yaml = readFileSync(file, "utf8");
    const again = cli(args);
    expect(again.code).toBe(0);
    expect(runs()).toBe(before);
    expect(readFileSync(file, "utf8")).toBe(yaml);
  });
});

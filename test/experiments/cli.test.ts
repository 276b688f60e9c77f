/**
 * yigongti sweep / sensitivity / calibrate, end to end through bin/yigongti.mjs, on a tiny
 * county (scale 0.02, one year, in-process runs): files written, the store resumes a
 * sweep, shards add up, and bad arguments give one clear line and exit 2.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { UsageError } from "../../sim/cli/args";
import { calibrateCommand } from "../../sim/cli/calibrate";
import { sensitivityCommand } from "../../sim/cli/sensitivity";
import { sweepCommand } from "../../sim/cli/sweep";
import { loadScenario } from "../../sim/scenario/load";
import { BASELINE, STACK_LINE, cli, removeTempDirs, tempDir } from "../cli/cli";

const TINY = ["--scale", "0.02", "--years", "1", "--workers", "1", "--no-progress"];
afterAll(removeTempDirs);

const csvRows = (path: string) => readFileSync(path, "utf8").trim().split("\n").slice(1).map((l) => l.split(","));

describe("yigongti sweep", () => {
  it("runs a grid, writes CSV/JSON/markdown, and a re-run on the same store runs nothing new", () => {
    const d = tempDir();
    const out = join(d, "sweep");
    const store = join(d, "store");
    const args = ["sweep", BASELINE, "--param", "choice.quality=3.5:5.5:2", "--param=choice.habit=0.2:1.2:2", ...TINY, "--no-charts", "--out", out, "--store", store];
    const r = cli(args);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Grid of 4 points, 1 seed each/);
    for (const f of ["sweep.csv", "runs.csv", "sweep.json", "sweep.md"]) expect(existsSync(join(out, f))).toBe(true);
    const json = JSON.parse(readFileSync(join(out, "sweep.json"), "utf8"));
    expect(json.points.map((p: { values: Record<string, number> }) => [p.values["choice.quality"], p.values["choice.habit"]])).toEqual([[3.5, 0.2], [3.5, 1.2], [5.5, 0.2], [5.5, 1.2]]);
    expect(json.runs).toEqual({ total: 4, ranNow: 4, fromStore: 0 });
    const rows = csvRows(join(out, "sweep.csv")).filter((c) => c[4] === "primaryVisitShare");
    expect(rows).toHaveLength(4);
    // More perceived-quality weight pulls visits up the tiers: primary share falls with choice.quality.
    expect(Number(rows[2][5])).toBeLessThan(Number(rows[0][5]));
    expect(readdirSync(join(store, "runs")).filter((f) => f.endsWith(".json"))).toHaveLength(4);

    const again = cli(args);
    expect(again.code).toBe(0);
    expect(JSON.parse(readFileSync(join(out, "sweep.json"), "utf8")).runs).toEqual({ total: 4, ranNow: 0, fromStore: 4 });
    expect(again.stdout.split("\nwrote")[0]).toBe(r.stdout.split("\nwrote")[0]);
  });

  it("splits a Latin hypercube into shards whose runs the full sweep then reuses", () => {
    const d = tempDir();
    const store = join(d, "store");
    const base = ["sweep", BASELINE, "--design", "lhs", "--samples", "3", "--param", "choice.habit=0:1.5", ...TINY, "--no-charts", "--store", store, "--out", join(d, "out")];
    const s1 = cli([...base, "--shard", "1/2"]);
    expect(s1.code).toBe(0);
    expect(s1.stdout).toMatch(/^shard 1\/2: 2 of 3 runs \(2 run now, 0 already in .*\); no summary written for a shard/);
    expect(existsSync(join(d, "out"))).toBe(false);
    const full = cli(base);
    expect(full.code).toBe(0);
    const json = JSON.parse(readFileSync(join(d, "out", "sweep.json"), "utf8"));
    expect(json.runs).toEqual({ total: 3, ranNow: 1, fromStore: 2 });
    // One point in each third of the range (Latin hypercube).
    const thirds = json.points.map((p: { values: Record<string, number> }) => Math.floor(p.values["choice.habit"] / 0.5)).sort();
    expect(thirds).toEqual([0, 1, 2]);
  });
});

describe("yigongti sensitivity", () => {
  it("tornado: bars for every indicator, the chosen one printed", () => {
    const d = tempDir();
    const r = cli(["sensitivity", BASELINE, "--param", "choice.quality=3.5:5.5", "--param", "choice.habit=0:1.4", "--indicator", "withinCountyVisitRate", ...TINY, "--no-charts", "--out", d]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/# Tornado: Within-county visit rate \/ 县域内就诊率 in 2018/);
    expect(r.stdout).toMatch(/\| 1 \| choice\.quality \| 4\.502 \|/);
    const rows = csvRows(join(d, "tornado.csv"));
    expect(rows[0][0]).toBe("withinCountyVisitRate");
    expect(new Set(rows.map((c) => c[0])).size).toBeGreaterThan(10);
    const json = JSON.parse(readFileSync(join(d, "sensitivity.json"), "utf8"));
    expect(json.base).toEqual([4.502, 0.7]);
    expect(json.runs).toBe(5);
  });

  it("sobol: first-order and total indices with intervals", () => {
    const d = tempDir();
    const r = cli(["sensitivity", BASELINE, "--method", "sobol", "--samples", "2", "--bootstrap", "20", "--param", "choice.quality=3.5:5.5", "--param", "choice.habit=0:1.4", ...TINY, "--no-charts", "--out", d]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Saltelli sampling with N = 2 base rows; 1 seed per point \(1\), scale 0\.02, 1 year\(s\), values in 2018, 8 runs; 95% bootstrap intervals from 20 resamples/);
    const rows = csvRows(join(d, "sobol.csv")).filter((c) => c[0] === "primaryVisitShare");
    expect(rows.map((c) => c[1])).toEqual(["choice.quality", "choice.habit"]);
    for (const c of rows) for (const v of [c[2], c[5]]) expect(Number.isFinite(Number(v))).toBe(true);
    expect(csvRows(join(d, "points.csv")).filter((c) => c[3] === "primaryVisitShare")).toHaveLength(8);
  });
});

describe("a policy lever swept, tornadoed and calibrated from the command line", () => {
  const LEVER = "policy.insurance.resident.inpatient.rate.township";

  it("sweep --param policy.…=0.80:0.95:4: a cheaper township stay draws admissions to township centres", () => {
    const d = tempDir();
    const r = cli(["sweep", BASELINE, "--param", `${LEVER}=0.80:0.95:4`, ...TINY, "--no-charts", "--out", d]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`\\| point \\| ${LEVER.replace(/\./g, "\\.")} \\|`));
    const json = JSON.parse(readFileSync(join(d, "sweep.json"), "utf8"));
    expect(json.points.map((p: { values: Record<string, number> }) => p.values[LEVER])).toEqual([0.8, 0.85, 0.9, 0.95]);
    const share = csvRows(join(d, "sweep.csv")).filter((c) => c[3] === "primaryAdmissionShare").map((c) => Number(c[4]));
    expect(share).toHaveLength(4);
    for (let i = 1; i < 4; i++) expect(share[i]).toBeGreaterThan(share[i - 1]);
  });

  it("sensitivity --method tornado over a lever and a parameter; --set holds a lever at every point", () => {
    const d = tempDir();
    const r = cli(["sensitivity", BASELINE, "--param", `${LEVER}=0.7:0.95`, "--param", "choice.habit=0:1.4", "--set", "policy.insurance.bypass.enabled=true", "--indicator", "primaryAdmissionShare", ...TINY, "--no-charts", "--out", d]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/held at every point: policy\.insurance\.bypass\.enabled = true/);
    const json = JSON.parse(readFileSync(join(d, "sensitivity.json"), "utf8"));
    expect(json.base).toEqual([0.85, 0.7]); // the scenario's starting values
    expect(json.set).toEqual({ "policy.insurance.bypass.enabled": true });
    const lever = json.bars.primaryAdmissionShare.find((b: { path: string }) => b.path === LEVER);
    expect(lever.effectHigh).toBeGreaterThan(0);
    expect(lever.effectLow).toBeLessThan(0);
  });

  it("calibrate a lever to a target: the fit and a scenario that holds the fitted lever", () => {
    const d = tempDir();
    const out = join(d, "lever.yaml");
    const r = cli(["calibrate", BASELINE, "--param", `${LEVER}=0.6:0.95`, "--target", "primaryAdmissionShare=0.235", "--seeds", "1", "--check-seeds", "0", "--max-evaluations", "6", ...TINY, "--out", out]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const fit = JSON.parse(readFileSync(join(d, "lever.fit.json"), "utf8"));
    expect(fit.parameters[0]).toMatchObject({ path: LEVER, original: 0.85, low: 0.6, high: 0.95 });
    const scenario = readFileSync(join(d, "lever.scenario.yaml"), "utf8");
    expect(scenario).toMatch(/^parameterFile: "lever\.yaml"$/m);
    expect(scenario).toMatch(new RegExp(`^  ${LEVER.replace(/\./g, "\\.")}: [0-9.]+   # was 0\\.85`, "m"));
    // the written scenario loads, and holds the fitted value
    const loaded = loadScenario(join(d, "lever.scenario.yaml"));
    expect(loaded.basePolicy.insurance.resident.inpatient.rate.township).toBeCloseTo(fit.parameters[0].calibrated, 5);
    expect(loaded.parameters).toEqual(loadScenario(BASELINE).parameters);
  });
});

describe("bad arguments: one line naming the option, nothing written", () => {
  const commands: Record<string, (argv: readonly string[]) => Promise<number>> = { sweep: sweepCommand, sensitivity: sensitivityCommand, calibrate: calibrateCommand };
  const cases: [string[], RegExp][] = [
    [["sweep", BASELINE, "--param", "choice.qualty=1:2:3"], /^--param "choice\.qualty=1:2:3": choice\.qualty: unknown field; allowed here: quality, oopPer100Yuan/],
    [["sweep", BASELINE, "--param", "choice.tierConstant=1:2:3"], /choice\.tierConstant: a group, not a single value; name one of its leaves: choice\.tierConstant\.village/],
    [["sweep", BASELINE, "--param", "choice.quality=5:4:3"], /low 5 must be below high 4/],
    [["sweep", BASELINE, "--param", "choice.quality=1:60:3"], /60 is outside the allowed 0 to 50/],
    [["sweep", BASELINE, "--param", "choice.quality=1:2"], /a grid needs STEPS for every parameter/],
    [["sweep", BASELINE, "--design", "lhs", "--param", "choice.quality=1:2"], /--design lhs needs --samples N/],
    [["sweep", BASELINE, "--param", "choice.quality=1:2:3", "--shard", "1/2"], /--shard needs --store DIR/],
    [["sweep", BASELINE, "--param", "choice.quality=1:2:3", "--design-seed", "4"], /--design-seed is for --design lhs/],
    [["sweep", BASELINE, "--param", "choice.quality=1:2:3", "--year", "2031", "--years", "1"], /--year: year 2031 is not simulated; this run covers 2018/],
    [["sweep", BASELINE], /needs at least 1 --param/],
    [["sweep", BASELINE, "--param", "policy.payment.regime=0:1:2"], /policy\.payment\.regime: not a numeric leaf \(it takes one of feeForService, capitation, perDisease, drg, perDiem\); fix it for every point with --set/],
    [["sweep", BASELINE, "--param", "policy.insurance.resident.inpatient.rate.township=0.8:1.2:2"], /1\.2 is outside the allowed 0 to 1/],
    [["sweep", BASELINE, "--param", "choice.quality=1:2:3", "--set", "payment.regime=capitation"], /^--set "payment\.regime=capitation": payment\.regime: unknown field; allowed here: choice, .*; payment\.regime is a policy lever: write policy\.payment\.regime$/],
    [["sweep", BASELINE, "--param", "choice.quality=1:2:3", "--set", "policy.payment.regime=weekly"], /^--set "policy\.payment\.regime=weekly": policy\.payment\.regime = "weekly": must be one of: feeForService, capitation, perDisease, drg, perDiem$/],
    [["sweep", BASELINE, "--param", "choice.quality=1:2:3", "--set", "parameters.choice.quality=3"], /--set parameters\.choice\.quality: also named by --param choice\.quality/],
    [["sweep", BASELINE, "--param", "choice.quality=1:2:3", "--set", "choice.habit"], /--set "choice\.habit": must be PATH=VALUE/],
    [["sensitivity", BASELINE, "--param", "choice.quality=1:2", "--indicator", "nope"], /--indicator "nope": unknown indicator "nope"; indicators: primaryVisitShare/],
    [["sensitivity", BASELINE, "--param", "choice.quality=1:2:3"], /must be path=low:high/],
    [["sensitivity", BASELINE, "--param", "choice.quality=1:2", "--samples", "8"], /--samples is for --method sobol/],
    [["sensitivity", BASELINE, "--method", "sobol", "--samples", "1", "--param", "choice.quality=1:2"], /--samples "1": must be a whole number of base samples from 2 to 100000/],
    [["calibrate", BASELINE, "--param", "choice.quality=1:2"], /needs at least one --target/],
    [["calibrate", BASELINE, "--param", "choice.quality=1:2", "--target", "primaryVisitShare=high"], /--target "primaryVisitShare=high": target "high" is not a number/],
    [["calibrate", BASELINE, "--param", "choice.quality=1:2", "--target", "primaryVisitShare=0.6", "--max-evaluations", "1"], /--max-evaluations 1: at least 2/],
  ];
  for (const [[cmd, ...args], message] of cases) {
    it(`${cmd} ${args.slice(1).join(" ")}`, async () => {
      const d = tempDir();
      const out = join(d, cmd === "calibrate" ? "never.yaml" : "never");
      const run = commands[cmd]([...args, "--out", out, "--no-progress"]);
      await expect(run).rejects.toThrow(UsageError);
      await expect(run).rejects.toThrow(message);
      expect(readdirSync(d)).toEqual([]);
    });
  }

  it("through the CLI: exit 2, one line, a pointer to --help, no stack trace", () => {
    const r = cli(["calibrate", BASELINE, "--param", "choice.quality=1:2", "--target", "primaryVisitShare=0.6", "--out", "x.json"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('yigongti calibrate: --out "x.json": must be a .yaml file name, e.g. out/calibrated.yaml; see yigongti calibrate --help\n');
    expect(r.stderr).not.toMatch(STACK_LINE);
  });

  it("an input problem in the scenario names the file", async () => {
    await expect(sweepCommand(["no-such.yaml", "--param", "choice.quality=1:2:3", "--no-progress"])).rejects.toThrow(/no-such\.yaml: scenario file not found/);
  });
});

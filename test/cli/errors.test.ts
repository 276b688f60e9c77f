import { existsSync, mkdirSync, readdirSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BASELINE, FAST, STACK_LINE, cli, removeTempDirs, tempDir, writeScenario } from "./cli";

afterAll(removeTempDirs);

describe("bad command lines: one line naming the option and what is allowed, exit 2", () => {
  it.each([
    [["run", BASELINE, "--scale", "2"], /^yigongti run: --scale "2": must be a number greater than 0 and at most 1.*; see yigongti run --help$/],
    [["run", BASELINE, "--seed", "abc"], /^yigongti run: --seed "abc": must be a whole number/],
    [["run", BASELINE, "--years=0"], /^yigongti run: --years "0": must be a whole number of years from 1 to 50/],
    [["run", BASELINE, "--seed"], /^yigongti run: --seed needs a value/],
    [["run", BASELINE, "--format", "json"], /^yigongti run: unknown option --format; allowed: .*--seed/],
    [["compare", BASELINE, "--format", "xml"], /^yigongti compare: --format "xml": must be one of table, json, csv, xlsx; see yigongti compare --help$/],
    [["compare", "--scale", "0.1"], /^yigongti compare: missing scenario files/],
    [["run", BASELINE, BASELINE], /^yigongti run: takes one scenario file, got 2/],
    [["frobnicate"], /^yigongti: unknown command "frobnicate"; commands: run, compare, brief, ensemble, store(, [a-z]+)*, help; see yigongti --help$/],
  ])("%j", (args, message) => {
    const r = cli(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(r.stderr.trimEnd()).toMatch(message);
  });

  it("no command: usage on stderr, exit 2", () => {
    const r = cli([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Usage:");
  });
});

describe("bad scenario files: the problems, no stack trace, exit 2, nothing written", () => {
  const dir = tempDir();

  it("a reimbursement rate of 1.4 in a timeline set names the file and field path", () => {
    const bad = writeScenario(
      dir,
      "bad-rate.yaml",
      `name: bad-rate
extends: ${JSON.stringify(BASELINE)}
timeline:
  - from: 2019-01
    source: test
    set:
      insurance.resident.inpatient.rate.township: 1.4
`,
    );
    const out = join(dir, "out-bad");
    const r = cli(["run", bad, ...FAST, "--out", out]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("bad-rate.yaml");
    expect(r.stderr).toContain("timeline[0].set.insurance.resident.inpatient.rate.township = 1.4");
    expect(r.stderr).toMatch(/between 0 and 1/);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(existsSync(out)).toBe(false);
  });

  it("compare reports the problems of every bad file together and writes nothing", () => {
    const unknown = writeScenario(dir, "unknown-key.yaml", `extends: ${JSON.stringify(BASELINE)}\nyaers: 3\n`);
    const missing = join(dir, "does-not-exist.yaml");
    const out = join(dir, "out-compare");
    const r = cli(["compare", BASELINE, unknown, missing, ...FAST, "--out", out]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/unknown-key\.yaml: yaers: unknown key/);
    expect(r.stderr).toMatch(/does-not-exist\.yaml: scenario file not found/);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(existsSync(out)).toBe(false);
  });

  it("a file of the wrong kind, or a parent that cannot be read, is said in a line or two naming the field that named it", () => {
    const root = join(BASELINE, "../..");
    const cases: [string[], RegExp][] = [
      [["run", join(root, "data/counties/qujing-like.yaml")], /^data\/counties\/qujing-like\.yaml: this is a county description, not a county scenario .*; to simulate it, name it as county: in a scenario file/],
      [["compare", BASELINE, join(root, "data/parameters.yaml")], /^data\/parameters\.yaml: this is a parameter file, not a county scenario/],
      [["prefecture", join(root, "data/prefectures/qujing-like.yaml"), "--seeds", "1"], /^data\/prefectures\/qujing-like\.yaml: this is a prefecture description, not a prefecture scenario .*yigongti prefecture scenarios\/prefecture\/qujing-rollout\.yaml$/],
      [["run", writeScenario(dir, "extends-null.yaml", "extends: /dev/null\n")], /extends-null\.yaml: extends = "\/dev\/null": the file it names has problems \(below\)\n\/dev\/null: parent scenario file expected, but this is a device$/],
      [["run", writeScenario(dir, "params-scenario.yaml", `extends: ${JSON.stringify(BASELINE)}\nparameterFile: ${JSON.stringify(BASELINE)}\n`)], /params-scenario\.yaml: parameterFile = .*: the file it names has problems \(below\)\nscenarios\/baseline-2018\.yaml: this is a county scenario, not a parameter file/],
    ];
    for (const [args, message] of cases) {
      const out = join(dir, "out-kind");
      const r = cli([...args, ...FAST, "--years", "1", "--no-progress", "--out", out]);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr.trimEnd()).toMatch(message);
      expect(r.stderr.trimEnd().split("\n").length).toBeLessThanOrEqual(2);
      expect(r.stderr).not.toMatch(STACK_LINE);
      expect(existsSync(out)).toBe(false);
    }
  });

  it("--out naming an existing file is refused before running", () => {
    const file = writeScenario(dir, "not-a-dir.txt", "x");
    const r = cli(["run", BASELINE, ...FAST, "--out", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--out .*not-a-dir\.txt": exists and is not a directory/);
  });

  it("--out a folder that is not an earlier output of the command, or holds its input, is refused before running", () => {
    const mine = join(dir, "mine");
    mkdirSync(mine);
    writeFileSync(join(mine, "notes.txt"), "keep me");
    for (const args of [["run", BASELINE], ["compare", BASELINE], ["ensemble", BASELINE, "--seeds", "1"]]) {
      const r = cli([...args, ...FAST, "--years", "1", "--out", mine]);
      expect(r.code, args[0]).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`mine"?: holds files that are not an earlier output of yigongti ${args[0]} \\(notes\\.txt; no [a-z]+\\.json\\), and an output folder is replaced as a whole`));
      expect(r.stderr).not.toMatch(STACK_LINE);
    }
    expect(readdirSync(mine)).toEqual(["notes.txt"]);
    const scenario = writeScenario(mine, "s.yaml", `name: s\nextends: ${BASELINE}\n`);
    unlinkSync(join(mine, "notes.txt"));
    writeFileSync(join(mine, "compare.json"), "{}");
    const r = cli(["compare", scenario, ...FAST, "--years", "1", "--out", mine]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/holds .*mine\/s\.yaml, an input of this command/);
    expect(readdirSync(mine).sort()).toEqual(["compare.json", "s.yaml"]);
  });
});

describe("other errors: yigongti: <message>, exit 1, stack only with YIGONGTI_DEBUG=1", () => {
  // /proc refuses new directories on Linux, so the run succeeds but writing fails.
  it.runIf(process.platform === "linux")("an unwritable output directory", () => {
    const args = ["run", BASELINE, ...FAST, "--years", "1", "--out", "/proc/yigongti-test/out"];
    const r = cli(args);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^yigongti: cannot write results to \/proc\/yigongti-test\/out: /);
    expect(r.stderr).not.toMatch(STACK_LINE);
    const d = cli(args, { env: { YIGONGTI_DEBUG: "1" } });
    expect(d.code).toBe(1);
    expect(d.stderr).toMatch(STACK_LINE);
  });
});

describe("progress bar", () => {
  it("--progress forces it on a pipe: [i/n] name, months done/total, percentage, elapsed (one thread)", () => {
    const r = cli(["compare", BASELINE, BASELINE, ...FAST, "--seeds", "1", "--years", "1", "--format", "csv", "--progress", "--workers", "1"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/\[1\/2\] baseline-2018 .* 12\/12 months +100% +\d+\.\ds/);
    expect(r.stderr).toMatch(/\[2\/2\] baseline-2018 /);
    expect(r.stdout.startsWith("scenario,")).toBe(true);
  });

  it("--progress on worker threads counts finished scenarios", () => {
    const r = cli(["compare", BASELINE, BASELINE, ...FAST, "--seeds", "1", "--years", "1", "--format", "csv", "--progress", "--workers", "2"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/2 scenarios on 2 workers .* 2\/2 scenarios +100% +\d+\.\ds/);
    expect(r.stdout.startsWith("scenario,")).toBe(true);
  });

  it("--no-progress (and a non-terminal stderr) shows none", () => {
    const r = cli(["run", BASELINE, ...FAST, "--years", "1", "--no-progress", "--out", join(tempDir(), "o")]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
  });
});

/**
 * `yigongti solve` through the real CLI on a tiny county: the answer printed, the folder
 * (solve.csv/json/md, the frontier chart in both languages with its data), the chart's
 * CSV holding the numbers of solve.csv, and usage errors (exit 2) for a bad question.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli, removeTempDirs, tempDir } from "./cli";

afterAll(removeTempDirs);

const LEVER = "policy.insurance.resident.outpatient.rate.village";
const ARGS = ["solve", "scenarios/differential-reimbursement.yaml", "--baseline", "scenarios/baseline-2018.yaml", "--lever", `${LEVER}=0.4:0.9:2`, "--from", "2019-01", "--seeds", "2", "--scale", "0.02", "--years", "2"];

describe("yigongti solve", () => {
  const dir = join(tempDir(), "solve");
  const r = cli([...ARGS, "--target", "primaryVisitShare>=0.99", "--out", dir], { timeout: 180_000 });

  it("says when no setting reaches the target, with the closest, and writes the folder whole", () => {
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/primaryVisitShare >= 99% in 2019 with probability ≥ 80%, subject to insurerFundBalance>=0, benefitsNotLower, siphon<high/);
    expect(r.stdout).toMatch(/No setting in the ranges reaches it with probability 80%/);
    expect(r.stdout).toMatch(/Closest feasible setting|No setting met every constraint/);
    for (const f of ["solve.csv", "solve.json", "solve.md", ...["zh", "en"].flatMap((l) => ["svg", "png", "csv", "json"].map((e) => `charts/${l}/frontier.${e}`))]) expect(existsSync(join(dir, f)), f).toBe(true);
  });

  it("saves beside the chart the numbers of solve.csv, and draws the goal line", () => {
    const rows = readFileSync(join(dir, "solve.csv"), "utf8").trim().split("\n");
    expect(rows[0]).toBe(`setting,round,${LEVER},goal_median,goal_p10,goal_p90,goal_probability,P(insurerFundBalance>=0),P(benefitsNotLower),P(siphon<high),cost_per_resident_median,cost_p10,cost_p90,feasible,reached,frontier,best`);
    expect(rows).toHaveLength(3);
    const chart = readFileSync(join(dir, "charts/en/frontier.csv"), "utf8").trim().split("\n");
    expect(chart[0]).toBe("setting,levers,cost,goal,goalLo,goalHi,probability,feasible,reached,frontier,best,status");
    for (let i = 1; i < rows.length; i++) {
      const s = rows[i].split(",");
      const c = chart[i].split(",");
      expect(Number(c[2])).toBe(Number(s[10])); // cost median
      expect(Number(c[3])).toBe(Number(s[3])); // goal median
    }
    const json = JSON.parse(readFileSync(join(dir, "solve.json"), "utf8"));
    expect(json.answer.reached).toBe(false);
    expect(json.answer).toHaveProperty("closest");
    expect(json.settings).toMatchObject({ seeds: [1, 2], scale: 0.02, parameterDraws: true, runs: 6 });
    const zh = readFileSync(join(dir, "charts/zh/frontier.svg"), "utf8");
    expect(zh).toContain("目标 ≥ 99%");
    expect(zh).toMatch(/没有设置能在满足约束的前提下以80%的概率/);
  });

  it("refuses a bad question with a usage error naming the option", () => {
    const quoted = cli([...ARGS, "--target", "primaryVisitShare"]);
    expect(quoted.code).toBe(2);
    expect(quoted.stderr).toMatch(/--target "primaryVisitShare": .*quote it/);
    const grid = cli(["solve", "scenarios/baseline-2018.yaml", "--target", "primaryVisitShare>=0.6", "--lever", `${LEVER}=0.4:0.9`]);
    expect(grid.code).toBe(2);
    expect(grid.stderr).toMatch(/a grid needs STEPS for every lever/);
    const none = cli(["solve", "scenarios/baseline-2018.yaml", "--target", "primaryVisitShare>=0.6"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/needs at least 1 --lever/);
    const p = cli([...ARGS, "--target", "primaryVisitShare>=0.6", "--probability", "1.2"]);
    expect(p.code).toBe(2);
    expect(p.stderr).toMatch(/--probability/);
    // levers from a month the run never reaches would never act
    const late = cli([...ARGS.filter((a, i) => a !== "--from" && ARGS[i - 1] !== "--from"), "--from", "2030-01", "--target", "primaryVisitShare>=0.6"]);
    expect(late.code).toBe(2);
    expect(late.stderr).toMatch(/from 2030-01: not a month of the run \(2018-01 and the 23 months after\), so the levers would never act/);
  });
});

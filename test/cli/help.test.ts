import { describe, expect, it } from "vitest";
import { cli } from "./cli";

const RUN_OPTIONS = ["--seed", "--years", "--scale", "--out", "--progress", "--no-progress", "--help"];
const COMPARE_OPTIONS = [...RUN_OPTIONS, "--format", "table|json|csv"];

describe("yigongti help", () => {
  it.each([["--help"], ["help"]])("yigongti %s lists the commands, exit 0", (arg) => {
    const r = cli([arg]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/Usage:/);
    expect(r.stdout).toContain("yigongti run <scenario.yaml>");
    expect(r.stdout).toContain("yigongti compare <a.yaml>");
  });

  it.each([
    [["help", "run"]],
    [["run", "scenario.yaml", "--scale", "0.1", "-h"]],
  ])("%j describes every run option", (args) => {
    const r = cli(args);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: yigongti run <scenario.yaml>/);
    for (const o of RUN_OPTIONS) expect(r.stdout).toContain(o);
    expect(r.stdout).toContain("out/<scenario name>");
  });

  it.each([[["compare", "--help"]]])("%j describes every compare option", (args) => {
    const r = cli(args);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: yigongti compare <a.yaml>/);
    for (const o of COMPARE_OPTIONS) expect(r.stdout).toContain(o);
    expect(r.stdout).toContain("2020");
  });

  it("--version prints the package version", () => {
    const r = cli(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

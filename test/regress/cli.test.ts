/**
 * `yigongti regress record|check` end to end through the real CLI: a reference of two
 * scenarios, checked unchanged (exit 0), after a one-parameter change (exit 3, names the
 * indicators it moved), after a behaviour change (exit 4), with reports for CI, and bad
 * input (exit 2).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASELINE, STACK_LINE, cli, removeTempDirs, tempDir } from "../cli/cli";

let dir: string;
let reform: string;
let ref: string;
const reformYaml = (parameters = "") => `name: reform
title: {zh: 测试改革, en: Test reform}
description: The baseline with a different habit coefficient.
extends: ${JSON.stringify(BASELINE)}
${parameters}`;
const SETTINGS = ["--seeds", "4", "--scale", "0.02", "--years", "1", "--seed", "3", "--workers", "2"];

beforeAll(() => {
  dir = tempDir("yigongti-regress-");
  reform = join(dir, "reform.yaml");
  writeFileSync(reform, reformYaml());
  ref = join(dir, "ref");
  const r = cli(["regress", "record", BASELINE, reform, "--out", ref, ...SETTINGS]);
  expect(r.stderr).toMatch(/wrote \d+ files to .*ref: 2 scenarios, seed 3, 4 seeds, scale 0\.02/);
  expect(r.code).toBe(0);
});
afterAll(removeTempDirs);

describe("regress record", () => {
  it("writes settings, model version, fingerprint and hashes, and every table", () => {
    const j = JSON.parse(readFileSync(join(ref, "reference.json"), "utf8"));
    expect(j.settings).toEqual({ seed: 3, seeds: 4, scale: 0.02, years: 1 });
    expect(j.model.fingerprint).toMatch(/^\d+\.\d+\.\d+\+[0-9a-f]{12}$/);
    expect(j.scenarios.map((s: { name: string; file: string }) => [s.name, s.file])).toEqual([["baseline-2018", expect.stringMatching(/scenarios\/baseline-2018\.yaml$/)], ["reform", "../reform.yaml"]]);
    for (const f of ["yearly", "monthly", "counters", "ensemble"]) expect(existsSync(join(ref, "reform", `${f}.csv`))).toBe(true);
    expect(readFileSync(join(ref, "reform/ensemble.csv"), "utf8").split("\n")[0]).toBe("period,indicator,seed_3,seed_4,seed_5,seed_6");
  });
});

describe("regress check", () => {
  it("unchanged: exit 0, every value identical, consistent", () => {
    const r = cli(["regress", "check", ref, "--workers", "2"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/✅ match/);
    expect(r.stdout).toMatch(/\| reform \| `\.\.\/reform\.yaml` unchanged \| ✓ identical \| ✓ consistent/);
  });

  it("a one-parameter change: the exact check catches it and names what it moved (exit 3 when within seed noise)", () => {
    writeFileSync(reform, reformYaml("parameters:\n  choice.habit: 0.701\n"));
    const json = join(dir, "out/one.json");
    const r = cli(["regress", "check", ref, "--workers", "2", "--json", json]);
    expect(r.stderr).toBe("");
    expect([3, 4]).toContain(r.code);
    expect(r.stdout).toMatch(/\| reform \| edited: `\.\.\/reform\.yaml` \(hash [0-9a-f]{8} → [0-9a-f]{8}\) \| ✗ [\d,]+ values differ/);
    expect(r.stdout).toMatch(/\| baseline-2018 \| .* unchanged \| ✓ identical/);
    expect(r.stdout).toMatch(/Outputs changed; a scenario was edited \(reform\)\./);
    expect(r.stdout).toMatch(/### reform — [\d,]+ values/);
    const report = JSON.parse(readFileSync(json, "utf8"));
    const moved = new Set(report.exact.differences.map((d: { id: string }) => d.id));
    expect(moved.has("primaryVisitShare")).toBe(true);
    expect(report.exact.differences.every((d: { scenario: string }) => d.scenario === "reform")).toBe(true);
    // sorted by size
    const rel = report.exact.differences.filter((d: { kind: string }) => d.kind === "changed").map((d: { relative: number | null }) => Math.abs(d.relative ?? 0));
    for (let i = 1; i < rel.length; i++) expect(rel[i]).toBeLessThanOrEqual(rel[i - 1]);
    if (r.code === 3) expect(r.stdout).toMatch(/No indicator differs from the reference beyond seed noise/);
  });

  it("a behaviour change: the statistical check flags it (exit 4) and writes JUnit and Markdown for CI", () => {
    writeFileSync(reform, reformYaml("parameters:\n  choice.tierConstant.township: -1.2\n"));
    const junit = join(dir, "out/regress.xml");
    const summary = join(dir, "out/STEP_SUMMARY");
    writeFileSync(join(dir, "out/STEP_SUMMARY"), "earlier step\n");
    const r = cli(["regress", "check", ref, "--workers", "2", "--junit", junit, "--markdown", summary, "--mode", "statistical"]);
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(/❌ behaviour changed/);
    expect(r.stdout).toMatch(/\| reform \| `primaryVisitShare` 基层诊疗量占比 \| 2018 \|/);
    expect(r.stdout).not.toMatch(/## Exact check/);
    const xml = readFileSync(junit, "utf8");
    expect(xml).toMatch(/<testsuite name="statistical" tests="\d+" failures="[1-9]\d*"/);
    expect(xml).toMatch(/classname="regress\.statistical\.reform"><failure/);
    expect(readFileSync(summary, "utf8")).toMatch(/^earlier step\n# Regression check/); // appended, not replaced
  });

  it("--reseed checks seed noise alone: other seeds, same model → consistent (exit 0), exact skipped", () => {
    writeFileSync(reform, reformYaml());
    const r = cli(["regress", "check", ref, "--workers", "2", "--reseed", "1000"]);
    expect(r.stdout).toMatch(/Skipped: --reseed 1000/);
    expect(r.stdout).toMatch(/seeds 1000–1003/);
    expect(r.code).toBe(0);
  });
});

describe("bad input: exit 2, a clear message, no stack trace", () => {
  const bad = (args: string[], message: RegExp) => {
    const r = cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(STACK_LINE);
  };
  it("command line", () => {
    bad(["regress"], /name a subcommand: record or check/);
    bad(["regress", "record", BASELINE], /record needs --out DIR/);
    bad(["regress", "check", ref, "--seeds", "3"], /--seeds: not an option of regress check/);
    bad(["regress", "check", ref, "--mode", "fuzzy"], /--mode "fuzzy": must be one of exact, statistical, both/);
    bad(["regress", "check", ref, ref], /check takes one reference folder \(got 2\)/);
  });
  it("reference folders", () => {
    bad(["regress", "check", join(dir, "nothing")], /nothing: no such reference folder/);
    const broken = join(dir, "broken");
    cli(["regress", "record", BASELINE, "--out", broken, "--seeds", "1", "--scale", "0.02", "--years", "1"]);
    bad(["regress", "check", broken, "--mode", "statistical"], /reference\.json: settings\.seeds = 1: the statistical check needs a reference of at least 2 seeds/);
    const j = JSON.parse(readFileSync(join(broken, "reference.json"), "utf8"));
    j.scenarios[0].file = "../gone.yaml";
    writeFileSync(join(broken, "reference.json"), JSON.stringify(j));
    bad(["regress", "check", broken], /reference\.json: scenarios\[0\]\.file = "\.\.\/gone\.yaml": no such file .*; paths are relative to the reference folder/);
  });
});

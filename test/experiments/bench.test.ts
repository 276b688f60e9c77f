import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

describe("npm run bench -- --json", () => {
  it("prints one JSON object with the figures the issue asks for (tiny county; no timing asserted)", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", "bench/bench.ts", "--json", "--scale", "0.02", "--years", "1", "--scaling-scale", "0.02", "--scaling-runs", "2"], { cwd: ROOT, encoding: "utf8", timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    const out = JSON.parse(lines[0]);
    for (const k of ["wallSeconds", "cpuSeconds", "episodesPerSecond", "bytesPerResident", "rooflineRatio", "rooflineRatioCpu"]) expect(typeof out[k], k).toBe("number");
    expect(out.rooflineRatio).toBeGreaterThan(0);
    expect(Object.keys(out.workerScaling)).toContain("1");
    expect(out.roofline.meanOptionsPerChoice).toBeGreaterThan(2);
  });
});

describe("npm run bench:prefecture -- --json", () => {
  it("prints the prefecture's figures and the machine-speed reference against the recorded run (tiny scale; no timing asserted)", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", "bench/prefecture.ts", "--json", "--scale", "0.01"], { cwd: ROOT, encoding: "utf8", timeout: 180_000 });
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    const out = JSON.parse(lines[0]);
    expect(out.counties).toBe(9);
    expect(out.residents).toBeGreaterThan(50_000);
    for (const k of ["wallSeconds", "cpuSeconds", "bytesPerResident"]) expect(out[k], k).toBeGreaterThan(0);
    const m = out.machineReference;
    const recorded = JSON.parse(readFileSync(new URL("../../bench/recorded.json", import.meta.url), "utf8"));
    // the same loop as the recorded run's roofline: same episodes, its recorded time carried
    expect(m.episodes).toBe(recorded.roofline.episodes);
    expect(m.recordedBareLoopSeconds).toBe(recorded.roofline.bareLoopSeconds);
    expect(m.speedRatio).toBeCloseTo(m.recordedBareLoopSeconds / m.bareLoopSeconds, 2);
    expect(m.wallSecondsAtRecordedSpeed).toBeCloseTo(out.wallSeconds * m.speedRatio, 0);
  });

  it("--no-reference skips the reference loop", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", "bench/prefecture.ts", "--json", "--scale", "0.01", "--no-reference"], { cwd: ROOT, encoding: "utf8", timeout: 180_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.trim()).machineReference).toBeUndefined();
  });
});

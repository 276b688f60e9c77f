import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
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

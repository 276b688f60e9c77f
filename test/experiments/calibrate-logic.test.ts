/**
 * Calibration logic against analytic stand-ins for the model (a `run` that computes
 * indicators from the overrides by formula), so the optimiser wiring, the bounds, the
 * report and the parameter-file writer are checked without simulating.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { calibrate, calibratedParameterFile } from "../../sim/experiments/calibrate";
import type { Job, JobResult } from "../../sim/experiments/jobs";
import { parseDocument } from "yaml";
import { BASELINE_SCENARIO, PARAMETERS_FILE } from "../helpers/paths";

/** A fake runner: indicators as functions of the job's overrides (and a seed offset). */
function fakeRun(model: (o: Record<string, number>, seed: number) => Record<string, number>) {
  const calls: Job[][] = [];
  const run = async (jobs: Job[]): Promise<JobResult[]> => {
    calls.push(jobs);
    return jobs.map((job) => {
      const v = model((job.overrides ?? {}) as Record<string, number>, job.seed);
      const values = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, { value: x, target: null, comparison: null, met: null, gap: null }]));
      return { job, yearly: [{ period: "2018", values }] } as unknown as JobResult;
    });
  };
  return { run, calls };
}

describe("calibrate (analytic stand-in for the model)", () => {
  it("solves a linear two-target problem and reports the fit per target", async () => {
    // primary share = 0.2 + 0.1·a, admission share = 0.1 + 0.05·b (+ a seed-specific offset)
    const { run, calls } = fakeRun((o, seed) => ({
      primaryVisitShare: 0.2 + 0.1 * o["choice.quality"] + 0.001 * (seed - 1.5),
      primaryAdmissionShare: 0.1 + 0.05 * o["choice.habit"],
    }));
    const r = await calibrate({
      scenarioFile: BASELINE_SCENARIO,
      seeds: [1, 2],
      checkSeeds: [5],
      period: "2018",
      maxEvaluations: 200,
      objectiveTolerance: 1e-14,
      xTolerance: 1e-7,
      ranges: [{ path: "choice.quality", low: 0, high: 10 }, { path: "choice.habit", low: -2, high: 4 }],
      targets: [{ indicator: "primaryVisitShare", value: 0.55, weight: 1 }, { indicator: "primaryAdmissionShare", value: 0.2, weight: 1 }],
      run,
    });
    expect(r.parameters[0].calibrated).toBeCloseTo(3.5, 2);
    expect(r.parameters[1].calibrated).toBeCloseTo(2, 2);
    expect(r.parameters[0].original).toBe(4.502);
    expect(r.targets[0].error).toBeCloseTo(0, 4);
    // fresh seed 5 is offset by 0.001 × 3.5 from the calibration seeds' mean
    expect(r.targets[0].checkError!).toBeCloseTo(0.0035, 3);
    // every candidate ran on both calibration seeds with the same overrides
    for (const jobs of calls.slice(0, -1)) {
      expect(jobs.length % 2).toBe(0);
      for (let i = 0; i < jobs.length; i += 2) {
        expect(jobs[i].seed).toBe(1);
        expect(jobs[i + 1].seed).toBe(2);
        expect(jobs[i + 1].overrides).toEqual(jobs[i].overrides);
      }
    }
    expect(r.converged).toBe(true);
  });

  it("flags a parameter that ends at its bound when the target is out of reach", async () => {
    const { run } = fakeRun((o) => ({ primaryVisitShare: 0.3 + 0.1 * o["choice.quality"] }));
    const r = await calibrate({
      scenarioFile: BASELINE_SCENARIO,
      seeds: [1],
      period: "2018",
      maxEvaluations: 100,
      ranges: [{ path: "choice.quality", low: 0, high: 1 }],
      targets: [{ indicator: "primaryVisitShare", value: 0.45, weight: 1 }],
      run,
    });
    expect(r.parameters[0].start).toBe(1); // the scenario's 4.502, moved into the range
    expect(r.parameters[0].calibrated).toBe(1);
    expect(r.parameters[0].atBound).toBe(true);
    expect(r.targets[0].error).toBeCloseTo(-0.05, 10);
    expect(r.checkSeeds).toEqual([]);
    expect(r.targets[0].checkAchieved).toBeNull();
  });

  it("writes values nested inside a table leaf and names them in the source", async () => {
    const { run } = fakeRun((o) => ({ primaryVisitShare: o["choice.perceivedQuality.township.common"], primaryAdmissionShare: o["choice.quality"] / 10 }));
    const r = await calibrate({
      scenarioFile: BASELINE_SCENARIO,
      seeds: [1],
      period: "2018",
      maxEvaluations: 200,
      objectiveTolerance: 1e-14,
      xTolerance: 1e-7,
      ranges: [{ path: "choice.perceivedQuality.township.common", low: 0.2, high: 0.9 }, { path: "choice.quality", low: 2, high: 6 }],
      targets: [{ indicator: "primaryVisitShare", value: 0.6, weight: 1 }, { indicator: "primaryAdmissionShare", value: 0.4, weight: 1 }],
      run,
    });
    const text = calibratedParameterFile(readFileSync(PARAMETERS_FILE, "utf8"), r, "data/parameters.yaml");
    const doc = parseDocument(text).toJS();
    expect(doc.choice.perceivedQuality.value.township.common).toBeCloseTo(0.6, 3);
    expect(doc.choice.perceivedQuality.value.township.minor).toBe(0.62);
    expect(doc.choice.perceivedQuality.source).toMatch(/\(township\.common\); previously: assumption/);
    expect(doc.choice.quality.value).toBeCloseTo(4, 3);
    expect(doc.choice.quality.source).toMatch(/targets: primaryVisitShare 0\.6 \(achieved 0\.6\), primaryAdmissionShare 0\.4 \(achieved 0\.4\); previously: Yu et al\./);
    expect(doc.choice.quality.unit).toBe("utility per unit of perceived treatment quality (0–1 scale)");
  });
});

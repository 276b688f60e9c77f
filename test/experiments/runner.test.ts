import { describe, expect, it } from "vitest";
import { InputError } from "../../sim/scenario/errors";
import { runJobs, type Job } from "../../sim/experiments/runner";
import { parseShard, shardJobs } from "../../sim/experiments/jobs";
import { BASELINE_SCENARIO } from "../helpers/paths";

const jobs: Job[] = [1, 2, 3].map((seed) => ({ scenarioFile: BASELINE_SCENARIO, seed, years: 1, scale: 0.02 }));

describe("runJobs", () => {
  it("gives bit-identical results in job order on 1 and 2 workers", async () => {
    const one = await runJobs(jobs, { workers: 1 });
    const order: number[] = [];
    const two = await runJobs(jobs, { workers: 2, onResult: (_r, i) => void order.push(i) });
    expect(order.sort()).toEqual([0, 1, 2]);
    expect(two.map((r) => r.job.seed)).toEqual([1, 2, 3]);
    expect(JSON.stringify(two.map((r) => [r.key, r.yearly, r.monthly]))).toBe(JSON.stringify(one.map((r) => [r.key, r.yearly, r.monthly])));
    // different seeds really differ
    expect(one[0].yearly[0].values.primaryVisitShare.value).not.toBe(one[1].yearly[0].values.primaryVisitShare.value);
  });

  it("applies overrides, which change the result and the key", async () => {
    const [plain, over] = await runJobs([jobs[0], { ...jobs[0], overrides: { "choice.quality": 2 } }], { workers: 1 });
    expect(over.manifest.parameters.choice.quality).toBe(2);
    expect(over.manifest.overrides).toEqual({ "choice.quality": 2 });
    expect(over.key).not.toBe(plain.key);
    expect(over.yearly[0].values.primaryVisitShare.value).not.toBe(plain.yearly[0].values.primaryVisitShare.value);
  });

  it("rejects unknown paths, groups and out-of-range values before running, naming the path", async () => {
    const bad = { ...jobs[0], overrides: { "choice.qualiti": 1, "choice.tierConstant": 1, "choice.habit": 99 } };
    const err = await runJobs([bad], { workers: 2 }).catch((e) => e);
    expect(err).toBeInstanceOf(InputError);
    const text = (err as InputError).problems.join("\n");
    expect(text).toMatch(/overrides: choice\.qualiti: unknown field; allowed here: quality/);
    expect(text).toMatch(/overrides: choice\.tierConstant = 1: a group, not a single value; name one of its leaves: choice\.tierConstant\.village, choice\.tierConstant\.township/);
    expect(text).toMatch(/choice\.habit = 99: must be a number between -20 and 20/);
  });

  it("reports a missing scenario file as an InputError", async () => {
    const err = await runJobs([{ scenarioFile: "no/such.yaml", seed: 1 }]).catch((e) => e);
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toMatch(/no\/such\.yaml: scenario file not found/);
  });
});

describe("sharding", () => {
  it("splits any list into disjoint shards that cover it, deterministically", () => {
    const list = Array.from({ length: 10 }, (_, i) => i);
    const parts = [1, 2, 3].map((index) => shardJobs(list, { index, count: 3 }));
    expect(parts).toEqual([[0, 3, 6, 9], [1, 4, 7], [2, 5, 8]]);
    expect(parts.flat().sort((a, b) => a - b)).toEqual(list);
    expect(shardJobs(list, parseShard("1/1"))).toEqual(list);
  });
  it("parses i/N and rejects nonsense", () => {
    expect(parseShard("2/5")).toEqual({ index: 2, count: 5 });
    for (const bad of ["0/3", "4/3", "1/0", "x", "1/2/3"]) expect(() => parseShard(bad)).toThrow(/i\/N/);
  });
});

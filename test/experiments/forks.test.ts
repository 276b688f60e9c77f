/**
 * Forking in experiments (sim/experiments/forks.ts): jobs sharing a run's beginning fork
 * from one kept snapshot, with the results (and keys) of runs from the start; jobs of one
 * prefix are grouped; YIGONGTI_FORK=0 turns it off.
 */
import { afterEach, describe, expect, it } from "vitest";
import { dropSnapshots, forkCounts, forkGroup } from "../../sim/experiments/forks";
import { runJobs, type Job } from "../../sim/experiments/runner";
import { withOverrides } from "../../sim/experiments/jobs";
import { loadScenario } from "../../sim/scenario/load";
import { REPO_ROOT } from "../helpers/paths";

const file = (n: string) => `${REPO_ROOT}scenarios/${n}.yaml`;
const run = { seed: 3, years: 2, scale: 0.02 };
// scenario-major, as ensembles list them: the runner groups each seed's three runs
const jobs: Job[] = ["baseline-2018", "differential-reimbursement", "capitation-package"].flatMap((n) => [3, 4].map((seed) => ({ scenarioFile: file(n), ...run, seed })));
const values = (rs: { key: string; yearly: unknown; monthly: unknown; yearTotals: unknown; townshipOop: unknown }[]) => JSON.stringify(rs.map((r) => [r.key, r.yearly, r.monthly, r.yearTotals, r.townshipOop]));

afterEach(() => {
  delete process.env.YIGONGTI_FORK;
  dropSnapshots();
});

describe("jobs that share a beginning", () => {
  it("fork from a kept snapshot and give the results and keys of runs from the start", async () => {
    process.env.YIGONGTI_FORK = "0";
    const plain = await runJobs(jobs, { workers: 1 });
    delete process.env.YIGONGTI_FORK;
    const before = { ...forkCounts };
    const order: number[] = [];
    const forked = await runJobs(jobs, { workers: 1, onResult: (_r, i) => void order.push(i) });
    expect(values(forked)).toBe(values(plain));
    // one run per seed keeps the snapshot, the other two fork from it
    expect(forkCounts.saved - before.saved).toBe(2);
    expect(forkCounts.forked - before.forked).toBe(4);
    // grouped by seed: each seed's runs one after another, results still in job order
    expect(order).toEqual([0, 2, 4, 1, 3, 5]);
    expect(forked.map((r) => r.job)).toEqual(jobs);
    // on two workers (each keeping its own snapshots) too
    expect(values(await runJobs(jobs, { workers: 2 }))).toBe(values(plain));
  });

  it("groups jobs by their prefix: the seed, parameters and the policy before the first change count; the reform does not", () => {
    const g = (name: string, o: Partial<typeof run> = {}, overrides?: Record<string, unknown>) => forkGroup(withOverrides(loadScenario(file(name)), overrides), { ...run, ...o });
    const base = g("baseline-2018");
    expect(g("differential-reimbursement")).toBe(base);
    expect(g("full-package-qujing")).toBe(base);
    expect(g("baseline-2018", { seed: 4 })).not.toBe(base);
    expect(g("baseline-2018", { years: 3 })).not.toBe(base);
    expect(g("baseline-2018", {}, { "choice.quality": 2 })).not.toBe(base);
    expect(g("baseline-2018", {}, { "policy.insurance.resident.outpatient.rate.village": 0.7 })).not.toBe(base);
    // a lever dated from 2019-01 (a solve's or a sweep's setting) changes nothing before it
    expect(g("baseline-2018", {}, { "policy.insurance.resident.outpatient.rate.village": { "2019-01": 0.7 } })).toBe(base);
  });
});

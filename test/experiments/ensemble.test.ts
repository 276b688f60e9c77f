import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { parseDistribution } from "../../sim/distributions";
import { ensembleJobs, pairedDifferences, summarize, varianceByIndicator } from "../../sim/experiments/ensemble";
import { runEnsemble } from "../../sim/experiments/ensemble-run";
import { runJobs } from "../../sim/experiments/runner";
import type { UncertainParameter } from "../../sim/experiments/uncertainty";
import { BASELINE_SCENARIO } from "../helpers/paths";

const REFORM = fileURLToPath(new URL("../../scenarios/differential-reimbursement.yaml", import.meta.url));
const FAST = { years: 2, scale: 0.02 };

const row = (rows: ReturnType<typeof summarize>, period: string, id: string) => rows.find((r) => r.granularity === "year" && r.period === period && r.indicator === id)!;

describe("ensembles", () => {
  it("lays out scenarios × draws × seeds, baseline first, with shared seeds", () => {
    const jobs = ensembleJobs({ scenarios: [REFORM], baseline: BASELINE_SCENARIO, seeds: 3, firstSeed: 10, ...FAST });
    expect(jobs.map((j) => [j.scenarioFile === BASELINE_SCENARIO ? "b" : "r", j.seed])).toEqual([["b", 10], ["b", 11], ["b", 12], ["r", 10], ["r", 11], ["r", 12]]);
    const u: UncertainParameter[] = [{ path: "choice.quality", distribution: parseDistribution("normal(4.5, 0.4)"), text: "", unit: "", source: "", file: "" }];
    const drawn = ensembleJobs({ scenarios: [REFORM], baseline: BASELINE_SCENARIO, seeds: 2, draws: 2, uncertainty: { [REFORM]: u, [BASELINE_SCENARIO]: u }, ...FAST });
    expect(drawn.map((j) => j.seed)).toEqual([1, 2, 3, 4, 1, 2, 3, 4]); // seeds nested in draws
    expect(drawn[0].overrides).toEqual(drawn[4].overrides); // reform and baseline share each draw
    expect(drawn[0].overrides).toEqual(drawn[1].overrides);
    expect(drawn[0].overrides).not.toEqual(drawn[2].overrides);
  });

  it("held overrides go into every job (baseline too) and win over a parameter draw of the same leaf", () => {
    const u: UncertainParameter[] = [{ path: "choice.quality", distribution: parseDistribution("normal(4.5, 0.4)"), text: "", unit: "", source: "", file: "" }];
    const overrides = { "choice.quality": 4, "policy.insurance.bypass.enabled": true };
    const jobs = ensembleJobs({ scenarios: [REFORM], baseline: BASELINE_SCENARIO, seeds: 1, draws: 2, uncertainty: { [REFORM]: u, [BASELINE_SCENARIO]: u }, overrides, ...FAST });
    expect(jobs.map((j) => j.overrides)).toEqual([overrides, overrides, overrides, overrides]);
    expect(ensembleJobs({ scenarios: [REFORM], seeds: 1, overrides: {}, ...FAST })[0].overrides).toBeUndefined();
  });

  it("runEnsemble holds --set leaves in every run, leaves them out of the draws and reports them", async () => {
    const spec = { scenarios: [BASELINE_SCENARIO], seeds: 1, years: 1, scale: 0.02 };
    const plain = await runEnsemble(spec, { workers: 1 });
    const held = await runEnsemble({ ...spec, overrides: { "policy.insurance.resident.inpatient.rate.township": 0.95 } }, { workers: 1 });
    expect(held.report!.settings.overrides).toEqual({ "policy.insurance.resident.inpatient.rate.township": 0.95 });
    expect(held.results[0].key).not.toBe(plain.results[0].key);
    const share = (o: typeof plain) => o.report!.summary.find((r) => r.granularity === "year" && r.indicator === "primaryAdmissionShare")!.median!;
    expect(share(held)).toBeGreaterThan(share(plain));
    await expect(runEnsemble({ ...spec, overrides: { "policy.payment.regime": "weekly" } }, { workers: 1 })).rejects.toThrow(/overrides: policy\.payment\.regime = "weekly": must be one of: feeForService, capitation, perDisease, drg, perDiem/);
  });

  it("keeps each run's values compactly (no manifest, one Float64Array), with the summaries of the full results", async () => {
    const spec = { scenarios: [REFORM], baseline: BASELINE_SCENARIO, seeds: 2, years: 1, scale: 0.02 };
    const out = await runEnsemble(spec, { workers: 1 });
    const r = out.results[0];
    expect(Object.keys(r).sort()).toEqual(["ids", "job", "key", "months", "scenario", "values", "yearIds", "years"]);
    expect(r.values).toBeInstanceOf(Float64Array);
    expect(r.values.length).toBe((1 + 12) * r.ids.length); // 3 years: ≈ 10 KB a run
    expect(out.results[1].ids).toBe(r.ids); // labels shared between runs
    const full = await runJobs(ensembleJobs(spec), { workers: 1 });
    const base = full.filter((x) => x.job.scenarioFile === BASELINE_SCENARIO);
    const reform = full.filter((x) => x.job.scenarioFile === REFORM);
    expect(out.report!.summary).toEqual([...summarize("baseline-2018", base), ...summarize("differential-reimbursement", reform)]);
    expect(out.report!.differences).toEqual(pairedDifferences("differential-reimbursement", reform, base));
  });

  it("paired reform − baseline differences (common random numbers) spread far less than independent ones", async () => {
    const seeds = 6;
    const paired = ensembleJobs({ scenarios: [REFORM], baseline: BASELINE_SCENARIO, seeds, ...FAST });
    const independentBaseline = ensembleJobs({ scenarios: [BASELINE_SCENARIO], seeds, firstSeed: 1001, ...FAST });
    const results = await runJobs([...paired, ...independentBaseline], { workers: 2 });
    const base = results.slice(0, seeds);
    const reform = results.slice(seeds, 2 * seeds);
    const other = results.slice(2 * seeds);
    // the independent comparison: reform seeds 1… against baseline seeds 1001… (pairing by position)
    const relabelled = other.map((r, i) => ({ ...r, job: { ...r.job, seed: reform[i].job.seed } }));
    const crn = pairedDifferences("reform", reform, base, ["year"]);
    const indep = pairedDifferences("reform", reform, relabelled, ["year"]);
    for (const id of ["primaryVisitShare", "withinCountyVisitRate"]) {
      const a = row(crn, "2019", id);
      const b = row(indep, "2019", id);
      expect(a.n).toBe(seeds);
      expect(a.sd!).toBeLessThan(b.sd! / 3);
      // same expected effect: the medians agree within the independent noise
      expect(Math.abs(a.median! - b.median!)).toBeLessThan(3 * b.sd! + 1e-12);
    }
    // before the reform (2018) the policies are the same: paired differences are exactly zero
    expect(row(crn, "2018", "primaryVisitShare")).toMatchObject({ median: 0, p10: 0, p90: 0 });
    // the reform raises the primary-care share in every paired seed
    expect(row(crn, "2019", "primaryVisitShare").p10!).toBeGreaterThan(0);
    // ensemble summary: median inside the band, monthly rows too
    const s = summarize("baseline", base);
    const y = row(s, "2019", "primaryVisitShare");
    expect(y.p10!).toBeLessThanOrEqual(y.median!);
    expect(y.median!).toBeLessThanOrEqual(y.p90!);
    expect(s.filter((r) => r.granularity === "month" && r.indicator === "primaryVisitShare")).toHaveLength(24);
  });

  it("attributes spread to parameters only when the draws differ (law of total variance)", async () => {
    const mk = (text: string): UncertainParameter[] => [{ path: "choice.quality", distribution: parseDistribution(text), text, unit: "", source: "", file: "" }];
    const spec = { scenarios: [BASELINE_SCENARIO], seeds: 2, draws: 3, years: 1, scale: 0.02 };
    const noneJobs = ensembleJobs({ ...spec, uncertainty: { [BASELINE_SCENARIO]: mk("normal(4.502, 0)") } });
    const wideJobs = ensembleJobs({ ...spec, uncertainty: { [BASELINE_SCENARIO]: mk("uniform(0, 9)") } });
    const all = await runJobs([...noneJobs, ...wideJobs], { workers: 2 });
    const v0 = varianceByIndicator("b", all.slice(0, noneJobs.length)).find((r) => r.indicator === "primaryVisitShare")!;
    const v1 = varianceByIndicator("b", all.slice(noneJobs.length)).find((r) => r.indicator === "primaryVisitShare")!;
    expect(v0.draws).toBe(3);
    expect(v0.seedsPerDraw).toBe(2);
    expect(v0.seeds).toBeGreaterThan(0);
    // a zero-width distribution leaves only seed noise in the between-draw estimate;
    // a wide one dominates it
    expect(v0.parameters).toBeLessThan(v1.parameters / 50);
    expect(v0.total).toBeLessThan(v1.total / 20);
    expect(v1.parameterShare!).toBeGreaterThan(0.9);
  });
});

/**
 * `solve` (sim/study/solve.ts): the question parsed; the choice of the cheapest setting,
 * the closest one and the frontier on hand-made settings; the narrowed box; and a tiny
 * county end to end — a goal between the settings' values is reached by the cheapest
 * setting that reaches it, an unreachable goal is reported with the closest setting, the
 * held levers reach every executor alike, and a second solve on the same store runs
 * nothing again and gives the same answer.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadScenario } from "../../sim/scenario/load";
import { cheapest, closest, costOf, frontierOf, narrowed, parseConstraint, parseGoal, settingOverrides, solve, type SolveGoal, type SolvePoint, type SolveSpec } from "../../sim/study/solve";
import { runStudy } from "../../sim/study/study";
import { quantileBand } from "../../sim/study/summary";
import { inputProblems } from "../helpers/input-error";
import { REPO_ROOT } from "../helpers/paths";
import { removeTempDirs, tempDir } from "../cli/cli";

afterAll(removeTempDirs);

describe("the question", () => {
  it("parses a goal and constraints, and says what is wrong with a bad one", () => {
    expect(parseGoal("primaryVisitShare>=0.65")).toEqual({ indicator: "primaryVisitShare", comparison: ">=", value: 0.65 });
    expect(parseGoal("oopShare ≤ 0.3")).toEqual({ indicator: "oopShare", comparison: "<=", value: 0.3 });
    expect(parseGoal("primaryVisitShare>=65%")).toEqual({ indicator: "primaryVisitShare", comparison: ">=", value: 0.65 });
    expect(parseConstraint("siphon<high")).toEqual({ kind: "siphonBelow", level: "high" });
    expect(parseConstraint("benefitsNotLower")).toEqual({ kind: "benefitsNotLower" });
    expect(parseConstraint("insurerFundBalance>=0")).toEqual({ kind: "indicator", indicator: "insurerFundBalance", comparison: ">=", value: 0 });
    expect(inputProblems(() => parseGoal("primaryVisitShare"))[0]).toMatch(/quote it/);
    expect(inputProblems(() => parseGoal("primaryVisits>=0.6"))[0]).toMatch(/unknown indicator primaryVisits; indicators: primaryVisitShare/);
    expect(inputProblems(() => parseConstraint("siphon<low"))[0]).toMatch(/siphon<high .* or siphon<moderate/);
  });

  it("holds each lever for the run, or from a month on, over the leaves set at every setting", () => {
    const levers = [{ path: "policy.insurance.resident.outpatient.rate.village", low: 0.5, high: 0.9, steps: 3 }];
    expect(settingOverrides(levers, [0.7], undefined, { "policy.payment.regime": "capitation" })).toEqual({ "policy.payment.regime": "capitation", "policy.insurance.resident.outpatient.rate.village": 0.7 });
    expect(settingOverrides(levers, [0.7], { year: 2019, month: 1 }, undefined)).toEqual({ "policy.insurance.resident.outpatient.rate.village": { "2019-01": 0.7 } });
  });
});

/** A setting as judged, by hand: goal median and probability, cost median, feasibility. */
function point(index: number, goal: number, probability: number, cost: number, feasible = true, reached = probability >= 0.8): SolvePoint {
  const band = (v: number) => ({ ...quantileBand([v]) });
  return { round: 0, index, values: [index], overrides: {}, goal: { band: band(goal), probability, reached }, constraints: [], feasible, cost: band(cost), frontier: false };
}
const UP: SolveGoal = { indicator: "primaryVisitShare", comparison: ">=", value: 0.65 };

describe("choosing among settings", () => {
  const points = [
    point(0, 0.6, 0, 800), // cheap, short
    point(1, 0.66, 0.875, 900), // reaches
    point(2, 0.67, 1, 850, false), // cheaper and reaching, but breaks a constraint
    point(3, 0.68, 1, 950), // reaches, dearer
    point(4, 0.64, 0.5, 920), // dearer than #1 and worse: off the frontier
  ];
  it("offers the cheapest feasible setting that reaches the goal", () => {
    expect(cheapest(points, UP)?.index).toBe(1);
  });
  it("without one, the feasible setting closest to the goal", () => {
    const short = points.filter((p) => !p.goal.reached || !p.feasible);
    expect(cheapest(short, UP)).toBeNull();
    expect(closest(short, UP)?.index).toBe(4); // probability 0.5 beats 0
    expect(closest([point(0, 0.6, 0, 1, false)], UP)).toBeNull();
  });
  it("puts on the frontier only feasible settings that no cheaper one matches, cheapest first", () => {
    expect(frontierOf(points, UP).map((p) => p.index)).toEqual([0, 1, 3]);
    // for a goal read downwards (≤), lower is better
    const down: SolveGoal = { indicator: "oopShare", comparison: "<=", value: 0.3 };
    expect(frontierOf([point(0, 0.4, 0, 800), point(1, 0.35, 0, 900), point(2, 0.38, 0, 950)], down).map((p) => p.index)).toEqual([0, 1]);
  });
  it("narrows the box to half its width around the best setting, inside the original ranges", () => {
    const r = [{ path: "policy.insurance.resident.outpatient.rate.village", low: 0.4, high: 0.8, steps: 5 }];
    expect(narrowed(r, r, [0.6])).toEqual([{ ...r[0], low: 0.5, high: 0.7 }]);
    expect(narrowed(r, r, [0.8])).toEqual([{ ...r[0], low: 0.7000000000000001, high: 0.8 }]);
  });
});

describe("solve on a tiny county", () => {
  const scenario = loadScenario(join(REPO_ROOT, "scenarios/differential-reimbursement.yaml"));
  const baseline = loadScenario(join(REPO_ROOT, "scenarios/baseline-2018.yaml"));
  const lever = "policy.insurance.resident.outpatient.rate.village";
  const base: SolveSpec = {
    scenario,
    baseline,
    levers: [{ path: lever, low: 0.3, high: 0.95, steps: 3 }],
    from: { year: 2019, month: 1 },
    goal: UP,
    probability: 0.5,
    constraints: [{ kind: "indicator", indicator: "insurerFundBalance", comparison: ">=", value: 0 }],
    seeds: [1, 2],
    scale: 0.02,
    years: 2,
  };
  const store = tempDir("yigongti-solve-");

  it("reaches a goal set between the settings' values with the cheapest setting that reaches it", async () => {
    // first the goal's values at the three settings, then a goal only the upper ones reach
    const probe = await solve({ ...base, goal: { ...UP, value: 0 } }, { executor: "store", store });
    const medians = probe.points.map((p) => p.goal.band.median!);
    expect(medians[2]).toBeGreaterThan(medians[0]); // a higher village rate draws visits to primary care
    const value = (medians[0] + medians[2]) / 2;
    const r = await solve({ ...base, goal: { ...UP, value } }, { executor: "store", store });
    expect(r.points).toHaveLength(3);
    const reaching = r.points.filter((p) => p.goal.reached && p.feasible);
    expect(reaching.length).toBeGreaterThan(0);
    expect(r.best).not.toBeNull();
    expect(r.best!.cost.median).toBe(Math.min(...reaching.map((p) => p.cost.median!)));
    expect(r.points[0].goal.reached).toBe(false);
    // the probability is the share of runs meeting the goal
    for (const p of r.points) expect([0, 0.5, 1]).toContain(p.goal.probability);
    // the frontier is cheapest first with the goal improving along it
    const f = r.frontier.map((p) => [p.cost.median!, p.goal.band.median!]);
    for (let i = 1; i < f.length; i++) {
      expect(f[i][0]).toBeGreaterThanOrEqual(f[i - 1][0]);
      expect(f[i][1]).toBeGreaterThan(f[i - 1][1]);
    }
    expect(r.runs).toBe(4 * 2);
  }, 120_000);

  it("says so when no setting reaches the goal, with the closest setting", async () => {
    const r = await solve({ ...base, goal: { ...UP, value: 0.99 } }, { executor: "store", store });
    expect(r.best).toBeNull();
    expect(r.bestReachable).not.toBeNull();
    const best = Math.max(...r.points.map((p) => p.goal.band.median!));
    expect(r.bestReachable!.goal.band.median).toBe(best);
  }, 120_000);

  it("runs nothing again on the same store, and a held lever reaches every executor alike", async () => {
    const runsBefore = readdirSync(join(store, "runs"), { recursive: true }).length;
    const again = await solve({ ...base, goal: { ...UP, value: 0.99 } }, { executor: "store", store });
    expect(readdirSync(join(store, "runs"), { recursive: true }).length).toBe(runsBefore);
    const inThread = await runStudy(
      { scenarios: [baseline, { ...scenario, name: "s" }], overrides: [undefined, again.points[1].overrides], baseline: baseline.name, seeds: [1, 2], scale: 0.02, years: 2 },
      { executor: "in-thread" },
    );
    const r = inThread.scenarios[1].runs;
    expect(quantileBand(r.map((x) => x.yearly.at(-1)!.values.primaryVisitShare.value))).toEqual(again.points[1].goal.band);
    expect(quantileBand(r.map((x) => costOf(x, "2019"))).median).toBe(again.points[1].cost.median);
  }, 120_000);

  it("names the setting that reaches the goal but breaks a constraint, and what broke it", async () => {
    // a township outpatient rate far below the baseline's lowers benefits; a goal any setting meets
    const r = await solve(
      { ...base, levers: [{ path: "policy.insurance.resident.outpatient.rate.township", low: 0.05, high: 0.1, steps: 2 }], goal: { ...UP, value: 0 }, constraints: [{ kind: "benefitsNotLower" }] },
      { executor: "store", store },
    );
    expect(r.best).toBeNull();
    expect(r.reachedInfeasible).not.toBeNull();
    const broken = r.reachedInfeasible!.constraints.find((c) => c.id === "benefitsNotLower")!;
    expect(broken.holds).toBe(false);
    expect(broken.detail?.[0]).toMatch(/resident scheme.*reimbursement ratio -\d+\.\d pts vs baseline-2018 \(2019\)/);
  }, 120_000);

  it("refuses a baseline on another county, a bad probability and no levers", async () => {
    const wuhua = loadScenario(join(REPO_ROOT, "scenarios/wuhua-baseline.yaml"));
    const problems = await solve({ ...base, baseline: wuhua, probability: 1.5, levers: [] }).then(() => [], (e) => (e as { problems: string[] }).problems);
    expect(problems.join("\n")).toMatch(/probability = 1.5/);
    expect(problems.join("\n")).toMatch(/at least one lever/);
    expect(problems.join("\n")).toMatch(/must describe the same county/);
  });
});

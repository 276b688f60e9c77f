/**
 * The override language (sim/scenario/overrides.ts): one walker's messages, hand-worked
 * for each form; how a held policy leaf meets the timeline; and that an override of a
 * policy lever gives exactly the run of the same change written in a scenario file.
 */
import { afterAll, describe, expect, it } from "vitest";
import { executeJob } from "../../sim/experiments/execute";
import { jobKey, withOverrides } from "../../sim/experiments/jobs";
import { InputError } from "../../sim/scenario/errors";
import { loadScenario, policyByMonth } from "../../sim/scenario/load";
import { canonicalOverrides, canonicalPath, checkOverrides, leafValue, splitRoot, withoutHeld } from "../../sim/scenario/overrides";
import { BASELINE_SCENARIO } from "../helpers/paths";
import { baseline } from "../helpers/scenarios";
import { tempDir } from "../helpers/tmp";

const tmp = tempDir("yigongti-overrides-");
afterAll(() => tmp.cleanup());

const problems = (over: Record<string, unknown>, where = "x.yaml") => checkOverrides(over, { where }).problems;
const CHOICE_KEYS =
  "quality, oopPer100Yuan, referenceMonthlyIncome, travelWithinHour, travelPerHour, habit, familyDoctorContract, bundleHospital, ownTownshipCentre, crowding, referralHassle, inpatientOopScale, tierConstant, tierConstantInpatient, perceivedQuality";
const RATE = "policy.insurance.resident.inpatient.rate";

describe("paths and roots", () => {
  it("a bare path is a parameter; parameters. and policy. name their root", () => {
    expect(splitRoot("choice.quality")).toEqual({ root: "parameters", path: "choice.quality", explicit: false });
    expect(splitRoot("parameters.choice.quality")).toEqual({ root: "parameters", path: "choice.quality", explicit: true });
    expect(splitRoot(`${RATE}.township`)).toEqual({ root: "policy", path: "insurance.resident.inpatient.rate.township", explicit: true });
    expect(splitRoot("payment.regime", "policy")).toEqual({ root: "policy", path: "payment.regime", explicit: false });
    expect(canonicalPath("choice.quality")).toBe("parameters.choice.quality");
    expect(canonicalOverrides({ "choice.quality": 4, "policy.payment.regime": "capitation" })).toEqual({ "parameters.choice.quality": 4, "policy.payment.regime": "capitation" });
  });
});

describe("the one walker's messages", () => {
  it("unknown path: the keys allowed at the deepest level that exists", () => {
    expect(problems({ "choice.qualiti": 1 })).toEqual([`x.yaml: choice.qualiti: unknown field; allowed here: ${CHOICE_KEYS}`]);
    expect(problems({ "policy.insurance.resident.inpatient.ratez.township": 1 })).toEqual([
      "x.yaml: policy.insurance.resident.inpatient.ratez.township: unknown field; allowed here: deductible, rate, annualCap",
    ]);
    expect(problems({ "polcy.payment.regime": "capitation" })).toEqual([
      "x.yaml: polcy.payment.regime: unknown field; allowed here: choice, careSeeking, capability, incidence, costs, capacity, referral, gatekeeping, leadHospital, staff, quality, casePayment, providerResponse, caseMix, fundGuard, benefitsCheck, siphonCheck, population, simulation",
    ]);
  });

  it("a bare path that names a policy lever says how to write it", () => {
    expect(problems({ "payment.regime": "capitation" })[0]).toMatch(/^x\.yaml: payment\.regime: unknown field; allowed here: choice, .*, simulation; payment\.regime is a policy lever: write policy\.payment\.regime$/);
  });

  it("a group is not a leaf: name its leaves", () => {
    expect(problems({ [RATE]: 0.9 })).toEqual([
      `x.yaml: ${RATE} = 0.9: a group, not a single value; name one of its leaves: ${RATE}.village, ${RATE}.township, ${RATE}.county, ${RATE}.outOfCounty`,
    ]);
    expect(problems({ policy: 1 })[0]).toMatch(/^x\.yaml: policy: a group, not a single value; name one of its leaves: policy\.insurance, policy\.familyDoctor, policy\.payment, policy\.workforce$/);
  });

  it("wrong type and out of range: what is allowed", () => {
    expect(problems({ "policy.payment.regime": 3 })).toEqual(["x.yaml: policy.payment.regime = 3: must be one of: feeForService, capitation, perDisease, drg, perDiem"]);
    expect(problems({ "policy.insurance.bypass.enabled": "yes" })).toEqual(['x.yaml: policy.insurance.bypass.enabled = "yes": must be true or false']);
    expect(problems({ [`${RATE}.township`]: 1.2 })).toEqual([`x.yaml: ${RATE}.township = 1.2: must be a number between 0 and 1`]);
    expect(problems({ "choice.habit": "high" })).toEqual(['x.yaml: choice.habit = "high": must be a number between -20 and 20 (utility)']);
    expect(problems({ "policy.familyDoctor.longPrescriptionMonths": 1.5 })).toEqual(["x.yaml: policy.familyDoctor.longPrescriptionMonths = 1.5: must be an integer between 1 and 2 (months)"]);
  });

  it("without a where, problems start with the path (for command-line options)", () => {
    expect(checkOverrides({ "choice.habit": 99 }, { where: "" }).problems).toEqual(["choice.habit = 99: must be a number between -20 and 20 (utility)"]);
    expect(checkOverrides({ "choice.qualiti": 1 }, { where: "" }).problems[0]).toMatch(/^choice\.qualiti: unknown field; allowed here: quality,/);
    expect(checkOverrides(5, { where: "f.yaml", what: "parameters" }).problems).toEqual(["f.yaml: parameters = 5: must be a mapping of dotted.path: value"]);
  });

  it("a group given a mapping sets each of its leaves; every leaf is returned rooted", () => {
    const r = checkOverrides({ "choice.tierConstant": { township: -1, county: 0.5 }, "policy.payment.capitation.communities": ["renmin"] }, { where: "x" });
    expect(r.problems).toEqual([]);
    expect(r.leaves.map((l) => [l.full, l.value])).toEqual([
      ["parameters.choice.tierConstant.township", -1],
      ["parameters.choice.tierConstant.county", 0.5],
      ["policy.payment.capitation.communities", ["renmin"]],
    ]);
    expect(problems({ "choice.tierConstant": { townshp: -1 } })[0]).toBe("x.yaml: choice.tierConstant.townshp: unknown field; allowed here: village, township, county, outOfCounty");
  });

  it("reports every problem at once, before anything is applied", () => {
    expect(problems({ "choice.qualiti": 1, "choice.habit": 99, [`${RATE}.township`]: 2 })).toHaveLength(3);
  });
});

describe("a held policy leaf and the timeline", () => {
  it("withoutHeld drops the held leaf, prunes it from a group, and keeps everything else (hand-worked)", () => {
    const set = { "insurance.resident.inpatient.rate": { township: 0.9, county: 0.7 }, "payment.regime": "capitation" };
    expect(withoutHeld(set, ["insurance.resident.inpatient.rate.township"])).toEqual({ "insurance.resident.inpatient.rate": { county: 0.7 }, "payment.regime": "capitation" });
    expect(withoutHeld(set, ["payment.regime"])).toEqual({ "insurance.resident.inpatient.rate": { township: 0.9, county: 0.7 } });
    expect(withoutHeld({ "policy.payment.regime": "capitation" }, ["payment.regime"])).toEqual({});
    expect(withoutHeld(set, ["workforce.pooledQuota"])).toBe(set); // nothing held here: the same object
    expect(withoutHeld(set, [])).toBe(set);
  });

  it("an override holds for the whole run: later timeline settings of that leaf are overridden, the rest still apply", () => {
    // baseline-2018: premiumPerCapita 710, raised to 770 in 2019-01 and 830 in 2020-01.
    const s = baseline();
    const months = policyByMonth(s, 36).map((p) => p.insurance.resident.premiumPerCapita);
    expect([months[0], months[12], months[24]]).toEqual([710, 770, 830]);
    const held = withOverrides(s, { "policy.insurance.resident.premiumPerCapita": 700 });
    expect(new Set(policyByMonth(held, 36).map((p) => p.insurance.resident.premiumPerCapita))).toEqual(new Set([700]));
    expect(held.timeline).toHaveLength(2); // entries stay (with empty set:), their source and date kept
    expect(held.timeline.map((t) => t.set)).toEqual([{}, {}]);
    expect(s.timeline[0].set).toEqual({ "insurance.resident.premiumPerCapita": 770 }); // the loaded scenario is not changed

    // another leaf: the timeline still raises the premium
    const other = withOverrides(s, { "policy.insurance.resident.inpatient.rate.township": 0.95 });
    expect(policyByMonth(other, 36).map((p) => [p.insurance.resident.premiumPerCapita, p.insurance.resident.inpatient.rate.township]).filter((_, m) => m % 12 === 0)).toEqual([
      [710, 0.95],
      [770, 0.95],
      [830, 0.95],
    ]);
    expect(leafValue(other, "policy.insurance.resident.inpatient.rate.township")).toBe(0.95);
    expect(leafValue(other, "choice.quality")).toBe(4.502);
  });

  it("a timeline set: that names a group keeps its other leaves when one is held", () => {
    const f = tmp.write(
      "group-timeline.yaml",
      `extends: ${JSON.stringify(BASELINE_SCENARIO)}\nparameters:\n  policy.insurance.resident.inpatient.rate.township: 0.8\ntimeline:\n  - from: 2018-07\n    source: test\n    set:\n      insurance.resident.inpatient.rate: {township: 0.95, county: 0.8, outOfCounty: 0.6}\n`,
    );
    const s = loadScenario(f);
    const rates = policyByMonth(s, 12).map((p) => p.insurance.resident.inpatient.rate);
    expect(rates[0]).toEqual({ village: 0, township: 0.8, county: 0.72, outOfCounty: 0.55 });
    expect(rates[6]).toEqual({ village: 0, township: 0.8, county: 0.8, outOfCounty: 0.6 });
  });

  it("the checks of a scenario's policy run again after overrides", () => {
    expect(() => withOverrides(baseline(), { "policy.payment.regime": "capitation", "policy.payment.capitation.communities": ["nowhere"] })).toThrow(
      /policy\.payment\.capitation\.communities: "nowhere" is not a community of data\/counties\/qujing-like\.yaml/,
    );
  });
});

describe("scenario files speak the same language", () => {
  it("parameters: takes policy.* leaves and bare or rooted parameter paths", () => {
    const f = tmp.write("both.yaml", `extends: ${JSON.stringify(BASELINE_SCENARIO)}\nparameters:\n  choice.habit: 0.9\n  parameters.choice.crowding: -1.5\n  policy.insurance.bypass.enabled: true\n`);
    const s = loadScenario(f);
    expect([s.parameters.choice.habit, s.parameters.choice.crowding, s.basePolicy.insurance.bypass.enabled]).toEqual([0.9, -1.5, true]);
  });

  it("a scenario's parameters: problems name the file and the path as written", () => {
    const f = tmp.write("bad.yaml", `extends: ${JSON.stringify(BASELINE_SCENARIO)}\nparameters:\n  choice.habbit: 1\n  policy.payment.regime: weekly\n`);
    const err = (() => {
      try {
        loadScenario(f);
      } catch (e) {
        return e as InputError;
      }
    })()!;
    expect(err).toBeInstanceOf(InputError);
    expect(err.problems.some((m) => m.endsWith("bad.yaml: parameters.choice.habbit: unknown field; allowed here: " + CHOICE_KEYS))).toBe(true);
    expect(err.problems.some((m) => m.endsWith('bad.yaml: policy.payment.regime = "weekly": must be one of: feeForService, capitation, perDisease, drg, perDiem'))).toBe(true);
  });

  it("a timeline cannot set a parameter at a date yet, and says what to do instead", () => {
    const f = tmp.write("shock.yaml", `extends: ${JSON.stringify(BASELINE_SCENARIO)}\ntimeline:\n  - from: 2019-01\n    source: price shock\n    set:\n      parameters.costs.annualPriceGrowth: 0.2\n      policy.payment.regime: capitation\n`);
    expect(() => loadScenario(f)).toThrow(/shock\.yaml: timeline\[0\]\.set\.parameters\.costs\.annualPriceGrowth: parameters cannot change at a date yet .* under parameters:/);
    const bare = tmp.write("shock-bare.yaml", `extends: ${JSON.stringify(BASELINE_SCENARIO)}\ntimeline:\n  - from: 2019-01\n    source: price shock\n    set:\n      costs.annualPriceGrowth: 0.2\n`);
    expect(() => loadScenario(bare)).toThrow(/shock-bare\.yaml: timeline\[0\]\.set\.costs\.annualPriceGrowth: costs\.annualPriceGrowth is a parameter; parameters cannot change at a date yet/);
  });

  it("a timeline's policy. root is accepted and hashes like the bare path", () => {
    const bare = tmp.write("bare.yaml", `extends: ${JSON.stringify(BASELINE_SCENARIO)}\nname: t\ntimeline:\n  - from: 2019-01\n    source: s\n    set:\n      workforce.pooledQuota: true\n`);
    const rooted = tmp.write("rooted.yaml", `extends: ${JSON.stringify(BASELINE_SCENARIO)}\nname: t\ntimeline:\n  - from: 2019-01\n    source: s\n    set:\n      policy.workforce.pooledQuota: true\n`);
    expect(loadScenario(rooted).hash).toBe(loadScenario(bare).hash);
  });
});

describe("an override of a policy lever is the same change written in a scenario file", () => {
  const run = { seed: 3, years: 1, scale: 0.02 };
  const LEVER = `${RATE}.township`;

  it("override = policy: in a child scenario = parameters: policy.* in a child scenario; and it changes the run", () => {
    const viaPolicy = tmp.write(
      "via-policy.yaml",
      `extends: ${JSON.stringify(BASELINE_SCENARIO)}\npolicy:\n  insurance:\n    resident:\n      source: test\n      inpatient:\n        rate: {township: 0.95}\n`,
    );
    const viaParameters = tmp.write("via-parameters.yaml", `extends: ${JSON.stringify(BASELINE_SCENARIO)}\nparameters:\n  ${LEVER}: 0.95\n`);
    const plain = executeJob({ scenarioFile: BASELINE_SCENARIO, ...run });
    const over = executeJob({ scenarioFile: BASELINE_SCENARIO, ...run, overrides: { [LEVER]: 0.95 } });
    const a = executeJob({ scenarioFile: viaPolicy, ...run });
    const b = executeJob({ scenarioFile: viaParameters, ...run });
    expect(over.yearly).toEqual(a.yearly);
    expect(over.monthly).toEqual(a.monthly);
    expect(b.yearly).toEqual(a.yearly);
    expect(over.yearly[0].values.primaryAdmissionShare.value).not.toBe(plain.yearly[0].values.primaryAdmissionShare.value);
    // the baseline's own value (0.85) as an override changes nothing
    expect(executeJob({ scenarioFile: BASELINE_SCENARIO, ...run, overrides: { [LEVER]: 0.85 } }).monthly).toEqual(plain.monthly);
    // the manifest records the overridden policy
    expect(over.manifest.overrides).toEqual({ [LEVER]: 0.95 });
  });

  it("the store key includes policy overrides, and a bare parameter path keys like its rooted form", () => {
    const job = { scenarioFile: BASELINE_SCENARIO, ...run };
    const k = (overrides?: Record<string, number>) => jobKey("h", { ...job, ...(overrides ? { overrides } : {}) }, 1, "m");
    expect(k({ [LEVER]: 0.95 })).not.toBe(k());
    expect(k({ [LEVER]: 0.95 })).not.toBe(k({ [LEVER]: 0.9 }));
    expect(k({ "choice.quality": 4 })).toBe(k({ "parameters.choice.quality": 4 }));
  });
});

describe("dated overrides {path: {YYYY-MM: value}} (PolicyEngine's period keys)", () => {
  const PREMIUM = "policy.insurance.resident.premiumPerCapita";
  const premiums = (s: ReturnType<typeof baseline>) => policyByMonth(s, 36).map((p) => p.insurance.resident.premiumPerCapita);

  it("a value from a month on replaces the timeline's settings of that leaf from then on (hand-worked)", () => {
    // baseline: 710, 770 from 2019-01, 830 from 2020-01
    const p = premiums(withOverrides(baseline(), { [PREMIUM]: { "2019-07": 800 } }));
    expect([p[0], p[11], p[12], p[17], p[18], p[24], p[35]]).toEqual([710, 710, 770, 770, 800, 800, 800]);
    const two = premiums(withOverrides(baseline(), { [PREMIUM]: { "2019-07": 800, "2018-07": 700 } }));
    expect([two[5], two[6], two[12], two[18], two[30]]).toEqual([710, 700, 700, 800, 800]); // 2019-01's 770 and 2020-01's 830 are overridden
  });

  it("equals the same change written as a timeline entry", () => {
    const run = { seed: 2, years: 1, scale: 0.02 };
    const LEVER = `${RATE}.township`;
    const file = tmp.write("dated.yaml", `extends: ${JSON.stringify(BASELINE_SCENARIO)}\ntimeline:\n  - from: 2018-07\n    source: test\n    set:\n      insurance.resident.inpatient.rate.township: 0.95\n`);
    const over = executeJob({ scenarioFile: BASELINE_SCENARIO, ...run, overrides: { [LEVER]: { "2018-07": 0.95 } } });
    expect(over.monthly).toEqual(executeJob({ scenarioFile: file, ...run }).monthly);
    expect(over.monthly[2]).toEqual(executeJob({ scenarioFile: BASELINE_SCENARIO, ...run }).monthly[2]); // before July: as the baseline
  });

  it("is refused for parameters, in scenario files, in timelines, and before the start", () => {
    expect(problems({ "choice.habit": { "2019-01": 0.9 } })).toEqual(['x.yaml: choice.habit = {"2019-01":0.9}: parameters cannot change at a date yet (the engine reads them once, at the start); give one value for the whole run']);
    expect(problems({ [PREMIUM]: { "2019-01": -5 } })).toEqual([`x.yaml: ${PREMIUM} (from 2019-01) = -5: must be a number between 0 and 100000 (yuan per insured person per year)`]);
    const f = tmp.write("dated-in-file.yaml", `extends: ${JSON.stringify(BASELINE_SCENARIO)}\nparameters:\n  ${PREMIUM}: {2019-07: 800}\n`);
    expect(() => loadScenario(f)).toThrow(/in a scenario file, write a change at a date as a timeline entry/);
    expect(() => withOverrides(baseline(), { [PREMIUM]: { "2017-01": 800 } })).toThrow(/overrides: policy\.insurance\.resident\.premiumPerCapita \(from 2017-01\): before the scenario start 2018-01/);
  });
});

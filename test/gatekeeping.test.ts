/**
 * Gatekeeping as a rule (基层首诊, sim/gatekeeping.ts): the primary doctor's referral
 * probability and its directions, hand-worked routing on the homogeneous county, the
 * emergency exemption, and paired (common random numbers) runs of the rule's forms on
 * the default county.
 */
import { describe, expect, it } from "vitest";
import { FirstContactGate, firstContactTier, goesAnywayProbability, keepIncentive, logistic, referralProbability } from "../sim/gatekeeping";
import { yearlyIndicators } from "../sim/indicators";
import { join } from "node:path";
import { loadScenario, policyByMonth, type Scenario } from "../sim/scenario/load";
import { simulate, type SimulationResult } from "../sim/simulate";
import { COMMON, COUNTY, CRITICAL, INPATIENT, MINOR, N_SEVERITIES, N_TIERS, OUTPATIENT, SERIOUS, TOWNSHIP, VILLAGE } from "../sim/tier";
import { homogeneousScenario } from "./fixtures/homogeneous-county";
import { REPO_ROOT } from "./helpers/paths";
import { baseline, differingOutputs, sum, withParameters, withPolicy } from "./helpers/scenarios";

const P = baseline().parameters;
const G = P.gatekeeping;

describe("the primary doctor's referral probability", () => {
  it("is the base probability at the tier's quality and no incentive", () => {
    expect(referralProbability(0.3, 0, 0, G)).toBeCloseTo(0.3, 12);
    expect(referralProbability(0, 0.5, 1, G)).toBe(0);
    expect(referralProbability(1, 0.5, 1, G)).toBe(1);
  });

  it("falls as the facility's quality (its doctors' capability) rises: a more capable doctor keeps more", () => {
    const p = [-0.1, 0, 0.05, 0.1, 0.3].map((q) => referralProbability(0.3, q, 0, G));
    for (let k = 1; k < p.length; k++) expect(p[k]).toBeLessThan(p[k - 1]);
    // 4 log-odds per unit quality: +0.1 quality is 0.4 log-odds fewer referrals
    expect(Math.log(p[3] / (1 - p[3]))).toBeCloseTo(Math.log(0.3 / 0.7) - 0.1 * G.capabilityLogOdds, 12);
    expect(referralProbability(0.3, 0.3, 0, { ...G, capabilityLogOdds: 0 })).toBeCloseTo(0.3, 12);
  });

  it("a payment incentive to keep the case lowers it when its weight is > 0, and not when it is 0", () => {
    expect(referralProbability(0.3, 0, 1, G)).toBeLessThan(0.3);
    expect(referralProbability(0.3, 0, 1, G)).toBeCloseTo(logistic(Math.log(0.3 / 0.7) - G.incentiveLogOdds), 12);
    expect(referralProbability(0.3, 0, 1, { ...G, incentiveLogOdds: 0 })).toBeCloseTo(0.3, 12);
  });

  it("the incentive is the lead hospital's payment signal turned around: none under fee-for-service", () => {
    expect(keepIncentive(1)).toBe(0); // fee-for-service: volume pays
    expect(keepIncentive(0)).toBe(0); // before a year is observed
    expect(keepIncentive(-0.4)).toBeCloseTo(0.4, 12);
    expect(keepIncentive(-1)).toBe(1); // capitation with surplus retention
  });

  it("a refused patient goes anyway less often the more going without a referral costs", () => {
    expect(goesAnywayProbability(-1, -0.003, 0)).toBeCloseTo(logistic(-1), 12);
    expect(goesAnywayProbability(-1, -0.003, 1000)).toBeLessThan(goesAnywayProbability(-1, -0.003, 100));
  });

  it("first contact: minor illness at the village clinic, common and serious at the township centre, admissions at the township centre (000 §一)", () => {
    expect(firstContactTier(G, OUTPATIENT, MINOR)).toBe(VILLAGE);
    expect(firstContactTier(G, OUTPATIENT, COMMON)).toBe(TOWNSHIP);
    expect(firstContactTier(G, OUTPATIENT, SERIOUS)).toBe(TOWNSHIP);
    expect(firstContactTier(G, INPATIENT, MINOR)).toBe(TOWNSHIP);
    expect(firstContactTier({ ...G, firstContactTier: { minor: "township", common: "township", serious: "township" } }, OUTPATIENT, MINOR)).toBe(TOWNSHIP);
  });
});

describe("FirstContactGate: the month's table", () => {
  // facilities: 0 village clinic, 1 township centre (community 0), 2 county hospital
  const facTier = Int8Array.from([VILLAGE, TOWNSHIP, COUNTY]);
  const facCommunity = Int16Array.from([0, 0, 0]);
  const capable = new Int8Array(N_TIERS * 2);
  capable.set([COMMON, -1, COMMON, COMMON, SERIOUS, SERIOUS, CRITICAL, CRITICAL]); // the default capability table
  const at = (gate: FirstContactGate, f: number, care: number, sev: number) => gate.pRefer[f * 2 * N_SEVERITIES + care * N_SEVERITIES + sev];
  const gateFor = (params = P) => {
    const gate = new FirstContactGate(params, facTier, facCommunity, capable);
    gate.setPolicy(withPolicy(baseline(), { "insurance.firstContact.rule": "required" }).basePolicy);
    return gate;
  };
  const none = new Float64Array(3);

  it("refers every episode the facility cannot treat, and rises with severity", () => {
    const gate = gateFor();
    gate.setMonth(none, none, Float64Array.from([1]));
    expect(at(gate, 0, OUTPATIENT, MINOR)).toBeCloseTo(G.referralProbability.outpatient.minor, 12);
    expect(at(gate, 1, OUTPATIENT, COMMON)).toBeCloseTo(G.referralProbability.outpatient.common, 12);
    expect(at(gate, 1, OUTPATIENT, SERIOUS)).toBe(1); // a township centre cannot treat it
    expect(at(gate, 1, INPATIENT, SERIOUS)).toBe(1);
    expect(at(gate, 0, INPATIENT, COMMON)).toBe(1); // no beds
    expect(at(gate, 1, OUTPATIENT, MINOR)).toBeLessThan(at(gate, 1, OUTPATIENT, COMMON));
    expect(at(gate, 1, OUTPATIENT, COMMON)).toBeLessThan(at(gate, 1, OUTPATIENT, SERIOUS));
  });

  it("a township whose quality rose refers less; a capitation signal lowers it only with incentive weight > 0", () => {
    const gate = gateFor();
    gate.setMonth(none, Float64Array.from([0, 0.1, 0]), Float64Array.from([1]));
    expect(at(gate, 1, OUTPATIENT, COMMON)).toBeLessThan(G.referralProbability.outpatient.common);
    expect(at(gate, 0, OUTPATIENT, MINOR)).toBeCloseTo(G.referralProbability.outpatient.minor, 12); // the village clinic did not change
    gate.setMonth(none, none, Float64Array.from([-1]));
    expect(at(gate, 1, OUTPATIENT, COMMON)).toBeLessThan(G.referralProbability.outpatient.common);
    const flat = gateFor({ ...P, gatekeeping: { ...G, incentiveLogOdds: 0 } });
    flat.setMonth(none, none, Float64Array.from([-1]));
    expect(at(flat, 1, OUTPATIENT, COMMON)).toBeCloseTo(G.referralProbability.outpatient.common, 12);
  });

  it("is not computed while the rule is not required", () => {
    const gate = new FirstContactGate(P, facTier, facCommunity, capable);
    gate.setPolicy(baseline().basePolicy);
    expect(gate.required).toBe(false);
    gate.setMonth(none, none, Float64Array.from([1]));
    expect(gate.pRefer.every((p) => p === 0)).toBe(true);
  });
});

// ---- hand-worked routing on the homogeneous county: everyone wants the county hospital

const ONE_YEAR = { scale: 0.002, years: 1, seed: 3 } as const;
// the homogeneous county's outpatient costs (no deductible, no cap reached, no price growth in year 1)
const cost = (tier: "village" | "township" | "county", sev: "minor" | "common") => P.costs.outpatientPerVisit[tier] * P.costs.outpatientSeverityFactor[sev];
const rate = baseline().basePolicy.insurance.resident.outpatient.rate;
const reimbursed = (tier: "village" | "township" | "county", sev: "minor" | "common", r = rate[tier]) => r * cost(tier, sev) * P.costs.inPolicyShare[tier];

function wantsCounty(sev: "minor" | "common" | "critical", gate: Record<string, unknown>, policy: Record<string, unknown> = {}): Scenario {
  const s = homogeneousScenario(baseline(), { outpatientSeverity: { minor: 0, common: 0, serious: 0, critical: 0, [sev]: 1 } });
  return withPolicy(
    withParameters(s, {
      "choice.tierConstant": { village: -50, township: -50, county: 50, outOfCounty: -50 },
      ...Object.fromEntries(Object.entries(gate).map(([k, v]) => [`gatekeeping.${k}`, v])),
    }),
    { "insurance.firstContact.rule": "required", ...policy },
  );
}
const total = (r: SimulationResult, name: keyof SimulationResult["counters"]) => sum(r.counters[name]);

describe("a required first contact, worked by hand (homogeneous county, everyone chooses the county hospital)", () => {
  it("without the rule every minor episode is one county visit", () => {
    const r = simulate(withPolicy(wantsCounty("minor", {}), { "insurance.firstContact.rule": "none" }), ONE_YEAR);
    const n = total(r, "episodesOutpatient");
    expect(n).toBeGreaterThan(10_000);
    expect(total(r, "visitsCounty")).toBe(n);
    expect(total(r, "visitsVillage")).toBe(0);
  });

  it("referred (p = 1): a consultation at the village clinic, then the county hospital with referral status", () => {
    const r = simulate(wantsCounty("minor", { "referralProbability.outpatient.minor": 1 }), ONE_YEAR);
    const n = total(r, "episodesOutpatient");
    // the consultation that ends in a referral is a first stop, not a visit
    expect(total(r, "gatewayConsultations")).toBe(n);
    expect(total(r, "visitsVillage")).toBe(0);
    expect(total(r, "visitsCounty")).toBe(n);
    expect(total(r, "visitsTownship")).toBe(0);
    expect(total(r, "gatekeepingReferredMinor")).toBe(n);
    expect(total(r, "gatekeepingKeptMinor")).toBe(0);
    expect(total(r, "upwardReferrals")).toBe(n);
    // reimbursed normally: village consultation + county visit at their rates
    expect(total(r, "reimbursed") / n).toBeCloseTo(reimbursed("village", "minor") + reimbursed("county", "minor"), 9);
    const y = yearlyIndicators(r.counters, r.start, r.months)[0].values;
    expect(y.gatekeepingConsultations.value).toBe(n);
    expect(y.gatekeepingReferralRate.value).toBe(1);
  });

  it("kept (p = 0) and not going anyway: treated at the village clinic — the consultation is the treatment", () => {
    const r = simulate(wantsCounty("minor", { "referralProbability.outpatient.minor": 0, goesAnywayLogOdds: -50 }), ONE_YEAR);
    const n = total(r, "episodesOutpatient");
    expect(total(r, "visitsVillage")).toBe(n);
    expect(total(r, "visitsCounty")).toBe(0);
    expect(total(r, "gatekeepingKeptMinor")).toBe(n);
    expect(total(r, "upwardReferrals")).toBe(0);
    expect(total(r, "reimbursed") / n).toBeCloseTo(reimbursed("village", "minor"), 9);
    const y = yearlyIndicators(r.counters, r.start, r.months)[0].values;
    expect(y.gatekeepingReferralRate.value).toBe(0);
    expect(y.primaryVisitShare.value).toBe(1);
  });

  it("common illness goes through the township centre", () => {
    const r = simulate(wantsCounty("common", { "referralProbability.outpatient.common": 0, goesAnywayLogOdds: -50 }), ONE_YEAR);
    const n = total(r, "episodesOutpatient");
    expect(total(r, "visitsTownship")).toBe(n);
    expect(total(r, "gatekeepingKeptCommon")).toBe(n);
    expect(total(r, "reimbursed") / n).toBeCloseTo(reimbursed("township", "common"), 9);
  });

  it("kept but going anyway: consultation, then the county hospital unreimbursed (none) or at the bypass rate (reduced)", () => {
    const anyway = { "referralProbability.outpatient.minor": 0, goesAnywayLogOdds: 50 };
    const r = simulate(wantsCounty("minor", anyway), ONE_YEAR);
    const n = total(r, "episodesOutpatient");
    expect(total(r, "gatewayConsultations")).toBe(n);
    expect(total(r, "visitsVillage")).toBe(0);
    expect(total(r, "visitsCounty")).toBe(n);
    expect(total(r, "gatekeepingWentUnreferred")).toBe(n);
    expect(total(r, "upwardReferrals")).toBe(0);
    expect(total(r, "reimbursed") / n).toBeCloseTo(reimbursed("village", "minor"), 9);
    expect(yearlyIndicators(r.counters, r.start, r.months)[0].values.gatekeepingUnreferredShare.value).toBe(1);
    const reduced = simulate(wantsCounty("minor", anyway, { "insurance.firstContact.reimbursedWithoutReferral": "reduced" }), ONE_YEAR);
    const cut = rate.county - baseline().basePolicy.insurance.bypass.rateReduction.county;
    expect(total(reduced, "reimbursed") / n).toBeCloseTo(reimbursed("village", "minor") + reimbursed("county", "minor", cut), 9);
  });

  it("an episode the first-contact facility cannot treat is always referred", () => {
    const r = simulate(
      withParameters(wantsCounty("common", { "referralProbability.outpatient.common": 0, goesAnywayLogOdds: -50 }), { "capability.outpatient.township": "minor" }),
      ONE_YEAR,
    );
    const n = total(r, "episodesOutpatient");
    expect(total(r, "gatekeepingReferredCommon")).toBe(n);
    expect(total(r, "gatewayConsultations")).toBe(n);
    expect(total(r, "visitsTownship")).toBe(0);
    expect(total(r, "visitsCounty")).toBe(n);
  });

  it("emergencies (critical) are exempt: straight to the county hospital, reimbursed normally", () => {
    const r = simulate(wantsCounty("critical", { "referralProbability.outpatient.minor": 0 }), ONE_YEAR);
    const n = total(r, "episodesOutpatient");
    expect(total(r, "visitsCounty")).toBe(n);
    expect(total(r, "visitsVillage") + total(r, "visitsTownship")).toBe(0);
    expect(total(r, "gatekeepingEmergencyExempt")).toBe(n);
    expect(yearlyIndicators(r.counters, r.start, r.months)[0].values.gatekeepingConsultations.value).toBeNull();
  });
});

// ---- paired runs on the default county (common random numbers: same seed, same illness and choice draws)

const SMALL = { scale: 0.02, years: 2, seed: 7 } as const;
const base = baseline();
const rule = (r: string, s: Scenario = base) => withPolicy(s, { "insurance.firstContact.rule": r });
const lastYear = (r: SimulationResult) => yearlyIndicators(r.counters, r.start, r.months).at(-1)!.values;
const yearTotal = (r: SimulationResult, name: keyof SimulationResult["counters"]) => sum(r.counters[name], 12, 24);

describe("the rule's forms on the default county (paired runs)", () => {
  const none = simulate(base, SMALL);
  const incentive = simulate(rule("incentive"), SMALL);
  const required = simulate(rule("required"), SMALL);

  it('"incentive" is the bypass penalty: the same run as insurance.bypass.enabled', () => {
    expect(differingOutputs(incentive, simulate(withPolicy(base, { "insurance.bypass.enabled": true }), SMALL))).toEqual([]);
    expect(differingOutputs(none, incentive)).not.toEqual([]);
  });

  it("without the rule the gatekeeping parameters change nothing", () => {
    const changed = withParameters(base, { "gatekeeping.referralProbability.outpatient.common": 0.9, "gatekeeping.incentiveLogOdds": 5, "gatekeeping.goesAnywayLogOdds": 3 });
    expect(differingOutputs(none, simulate(changed, SMALL))).toEqual([]);
    expect(differingOutputs(incentive, simulate(rule("incentive", changed), SMALL))).toEqual([]);
    expect(yearTotal(incentive, "gatekeepingReferredCommon") + yearTotal(incentive, "gatekeepingKeptCommon")).toBe(0);
  });

  it("required raises the primary-care visit share and lowers county-hospital visits, against incentive", () => {
    expect(lastYear(required).primaryVisitShare.value!).toBeGreaterThan(lastYear(incentive).primaryVisitShare.value! + 0.05);
    expect(yearTotal(required, "visitsCounty")).toBeLessThan(yearTotal(incentive, "visitsCounty"));
    expect(yearTotal(required, "visitsTownship") + yearTotal(required, "visitsVillage")).toBeGreaterThan(yearTotal(incentive, "visitsTownship") + yearTotal(incentive, "visitsVillage"));
    expect(lastYear(required).patientSiphonShare.value!).toBeLessThan(lastYear(incentive).patientSiphonShare.value!);
  });

  it("critical episodes never pass the gate; every consultation is a decision on a minor, common or serious episode", () => {
    expect(yearTotal(required, "gatekeepingEmergencyExempt")).toBeGreaterThan(0);
    const decisions = ["Minor", "Common", "Serious"].reduce((a, s) => a + yearTotal(required, `gatekeepingReferred${s}` as never) + yearTotal(required, `gatekeepingKept${s}` as never), 0);
    expect(lastYear(required).gatekeepingConsultations.value).toBe(decisions);
    // township centres cannot treat serious episodes: every one is referred
    expect(yearTotal(required, "gatekeepingKeptSerious")).toBe(0);
    expect(yearTotal(required, "gatekeepingReferredSerious")).toBeGreaterThan(0);
  });

  it("the doctor refers more of the common than of the minor illness", () => {
    const rateOf = (s: string) => yearTotal(required, `gatekeepingReferred${s}` as never) / (yearTotal(required, `gatekeepingReferred${s}` as never) + yearTotal(required, `gatekeepingKept${s}` as never));
    expect(rateOf("Common")).toBeGreaterThan(rateOf("Minor"));
  });
});

describe("the payment incentive (paired runs under a required first contact)", () => {
  const capitation = (w: number) => simulate(withParameters(withPolicy(rule("required"), { "payment.regime": "capitation" }), { "gatekeeping.incentiveLogOdds": w }), SMALL);
  const ffs = (w: number) => simulate(withParameters(rule("required"), { "gatekeeping.incentiveLogOdds": w }), SMALL);
  const commonRate = (r: SimulationResult) => yearTotal(r, "gatekeepingReferredCommon") / (yearTotal(r, "gatekeepingReferredCommon") + yearTotal(r, "gatekeepingKeptCommon"));

  it("under a capitation package the primary doctor refers less when the incentive weight is > 0", () => {
    const [weighted, unweighted] = [capitation(G.incentiveLogOdds), capitation(0)];
    expect(commonRate(weighted)).toBeLessThan(commonRate(unweighted) - 0.02);
    expect(yearTotal(weighted, "visitsCounty")).toBeLessThan(yearTotal(unweighted, "visitsCounty"));
  });

  it("under fee-for-service the weight makes no difference (no pull either way)", () => {
    expect(differingOutputs(ffs(G.incentiveLogOdds), ffs(0))).toEqual([]);
  });
});

describe("capability (paired runs on the homogeneous county)", () => {
  // every township centre gains 0.3 in quality from shared diagnostics; everyone wants the county for common illness
  const s = (w: number) =>
    withParameters(withPolicy(wantsCounty("common", { "referralProbability.outpatient.common": 0.5, goesAnywayLogOdds: -50 }), { "workforce.sharedDiagnostics": true }), {
      "quality.sharedDiagnostics": 0.3,
      "gatekeeping.capabilityLogOdds": w,
    });

  it("a more capable primary doctor keeps more common illness at the township centre and refers fewer", () => {
    const [capable, indifferent] = [simulate(s(5), ONE_YEAR), simulate(s(0), ONE_YEAR)];
    expect(total(capable, "gatekeepingKeptCommon")).toBeGreaterThan(total(indifferent, "gatekeepingKeptCommon"));
    expect(total(capable, "visitsCounty")).toBeLessThan(total(indifferent, "visitsCounty"));
    const n = total(indifferent, "episodesOutpatient");
    // p = logistic(0 − 5 × 0.3) ≈ 0.18 against 0.5
    expect(total(capable, "gatekeepingReferredCommon") / n).toBeCloseTo(logistic(-1.5), 1);
    expect(total(indifferent, "gatekeepingReferredCommon") / n).toBeCloseTo(0.5, 1);
  });
});

describe("scenarios/strict-first-contact.yaml", () => {
  const s = loadScenario(join(REPO_ROOT, "scenarios/strict-first-contact.yaml"));
  const r = simulate(s, { scale: 0.02, seed: 2 });
  const years = yearlyIndicators(r.counters, r.start, r.months);

  it("the rule from January 2020 (000 §一: 基层首诊 in place by 2020), replacing the bypass penalty", () => {
    expect(years.map((y) => y.period)).toEqual(["2018", "2019", "2020"]);
    expect(years[0].values.gatekeepingConsultations.value).toBeNull();
    expect(years[1].values.gatekeepingConsultations.value).toBeNull();
    expect(years[2].values.gatekeepingConsultations.value).toBeGreaterThan(0);
    const p2020 = policyByMonth(s, 36)[24];
    expect(p2020.insurance.firstContact).toMatchObject({ rule: "required", reimbursedWithoutReferral: "none" });
    expect(p2020.insurance.bypass.enabled).toBe(false);
  });

  it("moves visits to primary care against its parent, full-package-qujing (paired)", () => {
    const parent = simulate(loadScenario(join(REPO_ROOT, "scenarios/full-package-qujing.yaml")), { scale: 0.02, seed: 2 });
    const before = yearlyIndicators(parent.counters, parent.start, parent.months);
    expect(years[1].values.primaryVisitShare.value).toBe(before[1].values.primaryVisitShare.value); // 2019: the same run
    expect(years[2].values.primaryVisitShare.value!).toBeGreaterThan(before[2].values.primaryVisitShare.value!);
    expect(sum(r.counters.visitsCounty, 24, 36)).toBeLessThan(sum(parent.counters.visitsCounty, 24, 36));
  });
});

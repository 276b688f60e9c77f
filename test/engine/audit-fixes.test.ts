/**
 * What the audit of issue 10 item 6 found wrong, each fix checked by hand or for its
 * direction: long prescriptions only for contracted patients (000 §三(二)); mutual
 * recognition of results downwards (004 §五(三)); a referred patient's first stop counted
 * apart from visits and admissions; …
 */
import { describe, expect, it } from "vitest";
import { yearlyIndicators, type Counters } from "../../sim/indicators";
import { simulate, type SimulationResult } from "../../sim/simulate";
import { baseline, differingOutputs, sum, withParameters, withPolicy } from "../helpers/scenarios";

const SMALL = { scale: 0.02, years: 1, seed: 5 } as const;
/** The first year's value of an indicator. */
const valueOf = (r: SimulationResult, id: string) => yearlyIndicators(r.counters, r.start, r.months)[0].values[id].value;

describe("长处方: two-month prescriptions only for contracted chronic patients (000 §三(二))", () => {
  const run = (coverage: { priority: number; general: number }, months: 1 | 2) =>
    simulate(withPolicy(baseline(), { "familyDoctor.coverage": coverage, "familyDoctor.longPrescriptionMonths": months }), SMALL);
  const oneMonth = run({ priority: 0, general: 0 }, 1);

  it("with nobody contracted, two-month prescriptions change nothing", () => {
    expect(differingOutputs(run({ priority: 0, general: 0 }, 2), oneMonth)).toEqual([]);
  });

  it("with every chronic patient contracted they halve the follow-up visits; with some, in proportion", () => {
    const all = sum(run({ priority: 1, general: 1 }, 2).counters.episodesChronic);
    const some = sum(run({ priority: 0.5, general: 0 }, 2).counters.episodesChronic);
    const none = sum(oneMonth.counters.episodesChronic);
    // Poisson(6/24) instead of Poisson(6/12) a month: half, within sampling noise
    expect(all / none).toBeGreaterThan(0.45);
    expect(all / none).toBeLessThan(0.55);
    // half of the chronic patients contracted: three quarters of the visits
    expect(some / none).toBeGreaterThan(0.7);
    expect(some / none).toBeLessThan(0.8);
  });
});

describe("检查检验结果互认 runs downwards (004 §五(三)): the township accepts the county hospital's results", () => {
  // quality effect of shared diagnostics off, so only the tests saved differ
  const run = (shared: boolean) =>
    simulate(withParameters(withPolicy(baseline(), { "workforce.sharedDiagnostics": shared }), { "quality.sharedDiagnostics": 0 }), SMALL);
  const off = run(false);
  const on = run(true);

  it("changes no choice and no referral: only the cost of downward-referred recovery stays", () => {
    const changed = differingOutputs(on, off).filter((d) => d.startsWith("counters."));
    expect(changed.length).toBeGreaterThan(0);
    for (const d of ["visitsTownship", "visitsCounty", "admissionsTownship", "admissionsCounty", "upwardReferrals", "downwardReferralsInpatient", "costOutpatient"]) expect(changed).not.toContain(`counters.${d}`);
  });

  it("saves repeatTestCostShare of every recovery stay, by hand; upward referrals are not discounted", () => {
    const P = baseline().parameters;
    const stay = P.costs.rehabilitationStayFactor * P.costs.inpatientPerAdmission.township * P.costs.inpatientSeverityFactor.common;
    const saved = P.quality.repeatTestCostShare * stay * sum(off.counters.downwardReferralsInpatient);
    expect(saved).toBeGreaterThan(0);
    expect(sum(off.counters.costInpatient) - sum(on.counters.costInpatient)).toBeCloseTo(saved, 6);
  });
});

describe("a referred patient's first stop is a gateway consultation or transfer stay, not a visit or admission", () => {
  const visits = (c: Counters) => sum(c.visitsVillage) + sum(c.visitsTownship) + sum(c.visitsCounty) + sum(c.visitsOutOfCounty);
  const admissions = (c: Counters) => sum(c.admissionsVillage) + sum(c.admissionsTownship) + sum(c.admissionsCounty) + sum(c.admissionsOutOfCounty);

  it("visits are the outpatient episodes, admissions the inpatient episodes plus recovery stays; first stops are the upward referrals", () => {
    for (const s of [baseline(), withPolicy(baseline(), { "insurance.referralRules": { ...baseline().basePolicy.insurance.referralRules, continuousDeductible: true, upwardPaysDifference: true, greenChannel: true } })]) {
      const c = simulate(s, SMALL).counters;
      expect(visits(c)).toBe(sum(c.episodesOutpatient) + sum(c.episodesChronic));
      expect(admissions(c)).toBe(sum(c.episodesInpatient) + sum(c.downwardReferralsInpatient));
      expect(sum(c.gatewayConsultations) + sum(c.transferStays)).toBe(sum(c.upwardReferrals));
      expect(sum(c.gatewayConsultations)).toBeGreaterThan(0);
      expect(sum(c.transferStays)).toBeGreaterThan(0);
    }
  });

  it("sending more patients through a first stop changes gateway consultations, not visits per resident", () => {
    const base = simulate(baseline(), SMALL);
    // village clinics that treat only minor illness refer common episodes up: same need, more first stops
    const narrow = simulate(withParameters(baseline(), { "capability.outpatient.village": "minor" }), SMALL);
    const per = (r: typeof base) => valueOf(r, "visitsPerResident");
    expect(per(narrow)).toBe(per(base));
    expect(sum(narrow.counters.gatewayConsultations)).toBeGreaterThan(1.5 * sum(base.counters.gatewayConsultations));
    // their cost is spending all the same
    const spendingOf = (c: Counters) => sum(c.costOutpatient) + sum(c.costInpatient) + sum(c.costGateway);
    expect(spendingOf(narrow.counters)).toBeGreaterThan(spendingOf(base.counters));
  });
});

import { describe, expect, it } from "vitest";
import { yearlyIndicators } from "../sim/indicators";
import { choiceCoefficients, logitProbabilities, neutralFacts, utility } from "../sim/choice";
import { countyFor, simulate, type SimulationResult } from "../sim/simulate";
import { policyByMonth, type Scenario } from "../sim/scenario/load";
import type { Policy } from "../sim/policy";
import { OUTPATIENT, SEVERITIES, TIERS, TOWNSHIP, VILLAGE, type Severity } from "../sim/tier";
import { homogeneousScenario } from "./fixtures/homogeneous-county";
import { baseline, differingCounters, differingOutputs, sum, withParameters, withPolicy } from "./helpers/scenarios";

const SMALL = { scale: 0.02, years: 2 } as const;

describe("simulate — determinism", () => {
  const s = baseline();
  const a = simulate(s, { ...SMALL, seed: 3 });
  const b = simulate(s, { ...SMALL, seed: 3 });
  const c = simulate(s, { ...SMALL, seed: 4 });

  it("same scenario and seed → bit-identical counters, facility series and accounts", () => {
    expect(differingOutputs(a, b)).toEqual([]);
    expect(b.accounts).toEqual(a.accounts);
    expect(a.months).toBe(24);
    expect(a.residents).toBe(12_000);
    expect(a.seed).toBe(3);
  });

  it("a different seed gives different outputs on the same county", () => {
    expect(c.residents).toBe(a.residents);
    const differ = differingCounters(a.counters, c.counters);
    for (const name of ["visitsVillage", "visitsCounty", "admissionsCounty", "episodesOutpatient", "episodesInpatient", "costOutpatient"]) expect(differ).toContain(name);
    expect(c.accounts["facility:renmin"]).not.toBe(a.accounts["facility:renmin"]);
  });

  it("the default seed is 1", () => {
    const d = simulate(s, { ...SMALL, years: 1 });
    const e = simulate(s, { ...SMALL, years: 1, seed: 1 });
    expect(d.seed).toBe(1);
    expect(differingOutputs(d, e)).toEqual([]);
  });

  it("rejects a scale outside (0, 1] and a horizon outside 1–50 years", () => {
    expect(() => simulate(s, { scale: 0 })).toThrow(RangeError);
    expect(() => simulate(s, { scale: 1.5 })).toThrow(RangeError);
    expect(() => simulate(s, { scale: 0.02, years: 0 })).toThrow(RangeError);
    expect(() => simulate(s, { scale: 0.02, years: 1.5 })).toThrow(RangeError);
  });

  it("records plausible magnitudes (sanity, not calibration)", () => {
    const y = yearlyIndicators(a.counters, a.start, a.months);
    expect(y).toHaveLength(2);
    const v = y[0].values;
    expect(v.visitsPerResident.value).toBeGreaterThan(3);
    expect(v.visitsPerResident.value).toBeLessThan(10);
    expect(v.admissionsPerResident.value).toBeGreaterThan(0.1);
    expect(v.admissionsPerResident.value).toBeLessThan(0.3);
    expect(v.primaryVisitShare.value).toBeGreaterThan(0.2);
    expect(v.primaryVisitShare.value).toBeLessThan(0.9);
    // every episode ends in exactly one treatment or is forgone (sim/care-seeking.ts):
    // visits + admissions = episodes − forgone (+ recovery stays after downward referral and
    // induced return visits); a referred patient's first stop is counted apart
    const visits = sum(a.counters.visitsVillage) + sum(a.counters.visitsTownship) + sum(a.counters.visitsCounty) + sum(a.counters.visitsOutOfCounty);
    const admissions = sum(a.counters.admissionsVillage) + sum(a.counters.admissionsTownship) + sum(a.counters.admissionsCounty) + sum(a.counters.admissionsOutOfCounty);
    const episodes = sum(a.counters.episodesOutpatient) + sum(a.counters.episodesInpatient) + sum(a.counters.episodesChronic);
    const forgone = sum(a.counters.forgoneOutpatient) + sum(a.counters.forgoneInpatient) + sum(a.counters.forgoneChronic);
    expect(visits + admissions).toBe(episodes - forgone + sum(a.counters.downwardReferralsInpatient) + sum(a.counters.inducedReturnVisits));
    expect(sum(a.counters.gatewayConsultations) + sum(a.counters.transferStays)).toBe(sum(a.counters.upwardReferrals));
    expect(sum(a.counters.admissionsVillage)).toBe(0); // village clinics have no beds
  });
});

/** Check the books of a finished run against its counters. */
function checkAccounts(r: SimulationResult, premiumsByMonth: number[], openingReserve: number): void {
  const acc = r.accounts;
  const names = Object.keys(acc);
  const total = (prefix: string) => names.filter((n) => n.startsWith(prefix)).reduce((a, n) => a + acc[n], 0);
  const C = r.counters;
  const scale = sum(C.premiums) + sum(C.costOutpatient) + sum(C.costInpatient) + sum(C.costGateway) + sum(C.costUpstreamTests);
  const close = (what: string, x: number, y: number) => expect(Math.abs(x - y), `${what}: ${x} vs ${y}`).toBeLessThanOrEqual(1e-9 * scale + 1e-6);

  // double entry: all accounts sum to zero
  close("sum of all accounts", names.reduce((a, n) => a + acc[n], 0), 0);
  // facility revenue = cost of care delivered in the recorded months (books reset at month 0)
  close("facility revenue = cost of care", total("facility:"), sum(C.costOutpatient) + sum(C.costInpatient) + sum(C.costGateway) + sum(C.costUpstreamTests));
  close("residents paid OOP", -acc["external:residents"], sum(C.oop));
  close("medical assistance", -acc["external:medicalAssistance"], sum(C.assistance));
  close("claims clearing empty", acc["clearing:claims"], 0);
  close("reimbursed = insurer + package claims", sum(C.reimbursed), sum(C.insurerClaims) + sum(C.packageClaims));
  // contributors: monthly premiums plus the opening reserve
  expect(premiumsByMonth).toHaveLength(r.months);
  for (let m = 0; m < r.months; m++) close(`premiums month ${m}`, C.premiums[m], premiumsByMonth[m]);
  const revenue = sum(premiumsByMonth) + openingReserve;
  close("contributors", -acc["external:contributors"], revenue);
  // the funds
  const funds = acc["insurer:resident"] + acc["insurer:employee"];
  close("fund balance counter", C.insurerFundBalance[r.months - 1], funds);
  close(
    "fund = revenue − claims − prepayments + returns − overspend",
    funds,
    revenue - sum(C.insurerClaims) - sum(C.prepayments) + sum(C.settlementReturned) - sum(C.settlementInsurerPays),
  );
  // packages settled at December; reserves and community funds follow the settlements
  close("packages empty after December", total("package:"), 0);
  // the reserve pays primary-staff bonuses and primary investment (sim/supply.ts)
  close("reserves", total("reserve:"), sum(C.settlementRetained) - sum(C.settlementFromReserve) - sum(C.staffBonuses) - sum(C.primaryInvestment));
  close("staff bonuses paid", acc["external:staffBonuses"], sum(C.staffBonuses));
  close("primary investment paid", acc["external:primaryInvestment"], sum(C.primaryInvestment));
  close("community funds", total("communityFunds:"), -sum(C.settlementCommunityBears));
  close("reserve counter", C.communityReserve[r.months - 1], total("reserve:"));
}

describe("simulate — accounting identities", () => {
  const s = baseline();
  const county = countyFor(s, SMALL.scale);
  let nEmployee = 0;
  for (let i = 0; i < county.residents.count; i++) nEmployee += county.residents.scheme[i];
  const nResident = county.residents.count - nEmployee;
  const monthlyPremiums = (p: Policy) => (p.insurance.resident.premiumPerCapita * nResident + p.insurance.employee.premiumPerCapita * nEmployee) / 12;
  /** Premium revenue of each recorded month, from the policy in force (the timeline raises it). */
  const premiumsFor = (sc: Scenario, months: number) => policyByMonth(sc, months).map(monthlyPremiums);
  /** Opening reserve: initialReserveMonths of the start month's premium revenue. */
  const openingFor = (sc: Scenario) => {
    const p = policyByMonth(sc, 1)[0];
    return p.insurance.initialReserveMonths * monthlyPremiums(p);
  };

  it("baseline (fee-for-service): books balance and match the counters", () => {
    const r = simulate(s, SMALL);
    checkAccounts(r, premiumsFor(s, r.months), openingFor(s));
    // the resident premium follows the national standard: 2019 above 2018
    expect(r.counters.premiums[12]).toBeGreaterThan(r.counters.premiums[0]);
    expect(sum(r.counters.prepayments)).toBe(0);
    expect(sum(r.counters.packageClaims)).toBe(0);
    expect(yearlyIndicators(r.counters, r.start, r.months)[0].values.capitationBalance.value).toBeNull();
  });

  it("capitation (Qujing terms): prepayments are 90% of premiums and settle each December", () => {
    const cap = withPolicy(s, { "payment.regime": "capitation" });
    const r = simulate(cap, SMALL);
    const premiums = premiumsFor(cap, r.months);
    checkAccounts(r, premiums, openingFor(cap));
    // every township is in a community and the package covers both schemes
    for (let m = 0; m < r.months; m++) expect(r.counters.prepayments[m]).toBeCloseTo(0.9 * premiums[m], 4);
    expect(sum(r.counters.insurerClaims)).toBe(0);
    expect(r.counters.capitationEnrolled[0]).toBe(r.residents);
    // the yearly package balance = prepaid − claims over the year
    const y = yearlyIndicators(r.counters, r.start, r.months);
    y.forEach((p, k) => {
      const balance = sum(r.counters.prepayments, 12 * k, 12 * k + 12) - sum(r.counters.packageClaims, 12 * k, 12 * k + 12);
      expect(p.values.capitationBalance.value!).toBeCloseTo(balance, 2);
    });
    // Qujing: no overspend sharing, so the insurer never pays a deficit
    expect(sum(r.counters.settlementInsurerPays)).toBe(0);
    expect(sum(r.counters.settlementReturned)).toBe(0);
  });

  it("capitation with 50/50 overspend sharing, fund floor and poverty OOP cap: books still balance", () => {
    const cap = withPolicy(s, {
      "payment.regime": "capitation",
      "payment.capitation.shareOfPremium": 0.7,
      "payment.capitation.overspendInsurerShare": 0.5,
      "payment.capitation.surplusRetainedShare": 0.5,
      "payment.capitation.fundNeverNegative": true,
      "insurance.poverty.annualOopCap": 1500,
    });
    const r = simulate(cap, SMALL);
    checkAccounts(r, premiumsFor(cap, r.months), openingFor(cap));
    expect(sum(r.counters.assistance)).toBeGreaterThan(0);
    // a 70% package overspends: the insurer shares the deficit
    expect(sum(r.counters.settlementInsurerPays)).toBeGreaterThan(0);
    expect(sum(r.counters.settlementCommunityBears)).toBeGreaterThan(0);
  });

  it("a run ending mid-year settles the partial year and flags it", () => {
    const cap = { ...withPolicy(s, { "payment.regime": "capitation" }), start: { year: 2018, month: 7 } };
    const r = simulate(cap, { scale: 0.02, years: 1 });
    expect(r.counters.settlementPartialYear[11]).toBe(1);
    expect(r.counters.settlementPartialYear[5]).toBe(0); // December 2018, a full settlement
    const acc = r.accounts;
    expect(Math.abs(Object.keys(acc).filter((n) => n.startsWith("package:")).reduce((a, n) => a + acc[n], 0))).toBeLessThan(1e-3);
  });

  it("the opening reserve follows a timeline change dated at the start month, with or without burn-in", () => {
    // A timeline entry dated at the scenario start is in force from the first month, so
    // setting initialReserveMonths: 0 there must equal setting it in the base policy.
    for (const burnIn of [0, 2]) {
      const b = withParameters(s, { "simulation.burnInMonths": burnIn });
      const inBase = simulate(withPolicy(b, { "insurance.initialReserveMonths": 0 }), { scale: 0.02, years: 1 });
      const viaTimeline = simulate(
        { ...b, timeline: [...b.timeline, { from: b.start, source: "test", set: { "insurance.initialReserveMonths": 0 }, file: "test" }] },
        { scale: 0.02, years: 1 },
      );
      expect(viaTimeline.counters.insurerFundBalance[0], `burnInMonths ${burnIn}`).toBe(inBase.counters.insurerFundBalance[0]);
    }
  });
});

describe("simulate — logit shares in a homogeneous county match hand-computed probabilities", () => {
  const base = baseline();

  /** Expected systematic utility of each option (in choice-set order) for one severity. */
  function expectedUtilities(s: Scenario, sev: Severity): { tiers: number[]; v: number[] } {
    const county = countyFor(s, 0.02);
    const P = s.parameters;
    const coefficients = choiceCoefficients(P);
    const pol = s.basePolicy.insurance.resident.outpatient;
    const income = county.residents.monthlyIncome[0];
    const o0 = county.optionStart[0];
    const o1 = county.optionStart[1];
    const oopAt = (tier: number, severity: Severity) => {
      const t = TIERS[tier];
      const cost = P.costs.outpatientPerVisit[t] * P.costs.outpatientSeverityFactor[severity];
      return cost - pol.rate[t] * cost * P.costs.inPolicyShare[t]; // no deductible, cap not reached
    };
    const tiers: number[] = [];
    const v: number[] = [];
    const capable = P.capability.outpatient;
    for (let k = o0; k < o1; k++) {
      const f = county.facilities[county.optionFacility[k]];
      const t = TIERS[f.tier];
      const treats = SEVERITIES.indexOf(sev) <= SEVERITIES.indexOf(capable[t] as Severity);
      tiers.push(f.tier);
      if (treats) {
        v.push(utility(neutralFacts({ care: OUTPATIENT, severity: SEVERITIES.indexOf(sev), tier: f.tier, treatedTier: f.tier, treatedQualityOffset: f.qualityOffset, oopYuan: oopAt(f.tier, sev), monthlyIncome: income, minutes: county.optionMinutes[k], isOwnTownshipCentre: k - o0 === 1, isOwnClinicOrCentre: k - o0 < 2 }), coefficients));
      } else {
        // only the village clinic refers in these cases: gateway visit (minor) + township visit
        expect(f.tier).toBe(VILLAGE);
        const minutes = county.optionMinutes[k] + county.optionMinutes[o0 + 1];
        expect(minutes).toBeLessThan(60);
        // (the homogeneous county's facilities have no quality offset)
        v.push(utility(neutralFacts({ care: OUTPATIENT, severity: SEVERITIES.indexOf(sev), tier: f.tier, treatedTier: TOWNSHIP, oopYuan: oopAt(VILLAGE, "minor") + oopAt(TOWNSHIP, sev), monthlyIncome: income, minutes: county.optionMinutes[k], onwardMinutes: county.optionMinutes[o0 + 1], isOwnTownshipCentre: k - o0 === 1, isOwnClinicOrCentre: k - o0 < 2, mustRefer: true }), coefficients));
      }
    }
    return { tiers, v };
  }

  it("all tiers capable, mixed severities: visit shares by tier within 4 standard errors", () => {
    const mix = { minor: 0.62, common: 0.31, serious: 0.07, critical: 0 };
    const s = homogeneousScenario(base, { outpatientSeverity: mix });
    const r = simulate(s, { scale: 0.02, years: 1, seed: 5 });
    const C = r.counters;
    const counts = [sum(C.visitsVillage), sum(C.visitsTownship), sum(C.visitsCounty), sum(C.visitsOutOfCounty)];
    const N = sum(C.episodesOutpatient);
    expect(N).toBeGreaterThan(100_000);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(N); // no referrals, no gateway visits
    expect(sum(C.upwardReferrals)).toBe(0);
    expect(sum(C.episodesInpatient) + sum(C.episodesChronic)).toBe(0);
    const expected = [0, 0, 0, 0];
    for (const sev of SEVERITIES) {
      const w = mix[sev];
      if (!w) continue;
      const { tiers, v } = expectedUtilities(s, sev);
      expect(tiers).toEqual([0, 1, 2, 3]);
      logitProbabilities(v).forEach((p, j) => (expected[tiers[j]] += w * p));
    }
    expected.forEach((p, t) => {
      const se = Math.sqrt((p * (1 - p)) / N);
      expect(Math.abs(counts[t] / N - p), `${TIERS[t]}: simulated ${counts[t] / N}, logit ${p}`).toBeLessThan(4 * se);
    });
    // the test has power: shares are far from uniform
    expect(Math.max(...expected) - Math.min(...expected)).toBeGreaterThan(0.1);
  });

  it("serious episodes the village clinic must refer: its utility carries both legs and the hassle", () => {
    const s = homogeneousScenario(base, { outpatientSeverity: { minor: 0, common: 0, serious: 1, critical: 0 }, villageOutpatient: "common" });
    const r = simulate(s, { scale: 0.02, years: 1, seed: 6 });
    const C = r.counters;
    const N = sum(C.episodesOutpatient);
    // choosing the village clinic = one gateway consultation there (not a visit) + one referred visit at the township
    expect(sum(C.visitsVillage)).toBe(0);
    const village = sum(C.gatewayConsultations);
    expect(sum(C.upwardReferrals)).toBe(village);
    const chosen = [village, sum(C.visitsTownship) - village, sum(C.visitsCounty), sum(C.visitsOutOfCounty)];
    expect(chosen.reduce((a, b) => a + b, 0)).toBe(N);
    const { v } = expectedUtilities(s, "serious");
    const p = logitProbabilities(v);
    p.forEach((pj, j) => {
      const se = Math.sqrt((pj * (1 - pj)) / N);
      expect(Math.abs(chosen[j] / N - pj), `${TIERS[j]}: simulated ${chosen[j] / N}, logit ${pj}`).toBeLessThan(4 * se);
    });
    expect(p[0]).toBeGreaterThan(0.01); // the referral path is chosen often enough to be tested
  });
});

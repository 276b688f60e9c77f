/**
 * What the audit of issue 10 item 6 found wrong, each fix checked by hand or for its
 * direction: long prescriptions only for contracted patients (000 §三(二)); mutual
 * recognition of results downwards (004 §五(三)); a referred patient's first stop counted
 * apart from visits and admissions; tests upstream for a township inpatient reimbursed at
 * the township's rate (004 §五(六)); "1+1+1" as a bundle (002 §7).
 */
import { describe, expect, it } from "vitest";
import { yearlyIndicators, type Counters } from "../../sim/indicators";
import { TESTS, TREATMENT, type Encounter, type EncounterSink } from "../../sim/engine/encounter";
import { withOverrides } from "../../sim/experiments/jobs";
import { loadScenario, type Scenario } from "../../sim/scenario/load";
import { countyFor, simulate, type SimulationResult } from "../../sim/simulate";
import { COUNTY, INPATIENT, OUTPATIENT, OUT_OF_COUNTY, TOWNSHIP } from "../../sim/tier";
import { REPO_ROOT } from "../helpers/paths";
import { baseline, differingOutputs, sum, withParameters, withPolicy } from "../helpers/scenarios";

const SMALL = { scale: 0.02, years: 1, seed: 5 } as const;
/** A year's value of an indicator (the first by default). */
const valueOf = (r: SimulationResult, id: string, year = 0) => yearlyIndicators(r.counters, r.start, r.months)[year].values[id].value;

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

  it("visits are the outpatient episodes taken to a facility, admissions the inpatient episodes taken plus recovery stays; first stops are the upward referrals", () => {
    for (const s of [baseline(), withPolicy(baseline(), { "insurance.referralRules": { ...baseline().basePolicy.insurance.referralRules, continuousDeductible: true, upwardPaysDifference: true, greenChannel: true } })]) {
      const c = simulate(s, SMALL).counters;
      // episodes not taken to any facility (sim/care-seeking.ts) are neither; induced return visits are visits
      expect(sum(c.forgoneOutpatient)).toBeGreaterThan(0);
      expect(visits(c)).toBe(sum(c.episodesOutpatient) + sum(c.episodesChronic) - sum(c.forgoneOutpatient) - sum(c.forgoneChronic) + sum(c.inducedReturnVisits));
      expect(admissions(c)).toBe(sum(c.episodesInpatient) - sum(c.forgoneInpatient) + sum(c.downwardReferralsInpatient));
      expect(sum(c.gatewayConsultations) + sum(c.transferStays)).toBe(sum(c.upwardReferrals));
      expect(sum(c.gatewayConsultations)).toBeGreaterThan(0);
      expect(sum(c.transferStays)).toBeGreaterThan(0);
    }
  });

  it("sending more patients through a first stop changes gateway consultations, not visits per resident", () => {
    // with the outside option off: a narrower clinic also changes what seeking care offers, and
    // so how many episodes reach a facility (sim/care-seeking.ts) — the counting is what is tested here
    const off = { "careSeeking.enabled": false };
    const base = simulate(withParameters(baseline(), off), SMALL);
    // village clinics that treat only minor illness refer common episodes up: same need, more first stops
    const narrow = simulate(withParameters(baseline(), { ...off, "capability.outpatient.village": "minor" }), SMALL);
    const per = (r: typeof base) => valueOf(r, "visitsPerResident");
    expect(per(narrow)).toBe(per(base));
    expect(sum(narrow.counters.gatewayConsultations)).toBeGreaterThan(1.5 * sum(base.counters.gatewayConsultations));
    // their cost is spending all the same
    const spendingOf = (c: Counters) => sum(c.costOutpatient) + sum(c.costInpatient) + sum(c.costGateway);
    expect(spendingOf(narrow.counters)).toBeGreaterThan(spendingOf(base.counters));
  });
});

describe("tests upstream for a township inpatient reimbursed at the township's rate (004 §五(六))", () => {
  /** every TESTS encounter with the claim of the stay it belongs to (emitted just before it) */
  class TestsSink implements EncounterSink {
    rows: { resident: number; care: number; cost: number; oop: number; reimbursed: number; stayCost: number; stayTier: number }[] = [];
    private last = { resident: -1, cost: 0, tier: -1 };
    encounter(e: Encounter): void {
      if (e.kind === TESTS) this.rows.push({ resident: e.resident, care: e.care, cost: e.cost, oop: e.oop, reimbursed: e.reimbursed, stayCost: this.last.resident === e.resident ? this.last.cost : NaN, stayTier: this.last.tier });
      else this.last = { resident: e.resident, cost: e.cost, tier: e.tier };
    }
  }
  // every township admission needs tests at the county hospital
  const scenario = (inBill: boolean) => withParameters(withPolicy(baseline(), { "insurance.referralRules.upstreamTestsAtLowerRate": inBill }), { "costs.upstreamTestShare": 1 });
  const run = (inBill: boolean) => {
    const sink = new TestsSink();
    const r = simulate(scenario(inBill), { ...SMALL, sinks: [sink] });
    return { r, rows: sink.rows };
  };
  const off = run(false);
  const on = run(true);
  const s = baseline();
  const county = countyFor(s, SMALL.scale);
  const plain = (i: number) => county.residents.scheme[i] === 0 && county.residents.poor[i] === 0;
  const P = s.parameters;
  const ins = s.basePolicy.insurance.resident;

  it("every township admission but a recovery stay gets them; choices barely move", () => {
    const c = off.r.counters;
    expect(sum(c.upstreamTests)).toBe(sum(c.admissionsTownship) - sum(c.downwardReferralsInpatient));
    expect(sum(c.upstreamTestsInBill)).toBe(0);
    expect(sum(on.r.counters.upstreamTestsInBill)).toBe(sum(on.r.counters.upstreamTests));
    expect(sum(on.r.counters.upstreamTests)).toBe(sum(on.r.counters.admissionsTownship) - sum(on.r.counters.downwardReferralsInpatient));
    // patients do not anticipate the tests: choices move only through annual state (the outpatient cap the tests no longer use)
    for (const d of ["visitsTownship", "visitsCounty", "admissionsTownship", "admissionsCounty", "upwardReferrals"] as const) {
      expect(Math.abs(sum(on.r.counters[d]) / sum(c[d]) - 1), d).toBeLessThan(0.002);
    }
    // at the lead hospital, after the township stay
    expect(off.rows.every((x) => x.stayTier === TOWNSHIP && x.stayCost > 0)).toBe(true);
  });

  it("by hand: a county-hospital outpatient claim without the rule, the township's inpatient rate with it", () => {
    const tests = P.costs.upstreamTestCostFactor * P.costs.outpatientPerVisit.county * P.costs.outpatientSeverityFactor.common;
    // resident scheme, not poor (contract benefits are zero in the baseline), first year's prices
    const offRows = off.rows.filter((x) => plain(x.resident));
    const onRows = on.rows.filter((x) => plain(x.resident));
    expect(offRows.length).toBeGreaterThan(50);
    for (const x of [...offRows, ...onRows]) expect(x.cost).toBeCloseTo(tests, 9);
    // without: outpatient at the county hospital — its rate on its catalogue share, no deductible (the annual cap may bind)
    const oopOff = tests - ins.outpatient.rate.county * tests * P.costs.inPolicyShare.county;
    expect(offRows.every((x) => x.care === OUTPATIENT && x.oop >= oopOff - 1e-9)).toBe(true);
    expect(offRows.filter((x) => Math.abs(x.oop - oopOff) < 1e-9).length).toBeGreaterThan(0.9 * offRows.length);
    // with: in the township's bill, its inpatient rate on its catalogue share, its deductible met by the stay
    const oopOn = tests - ins.inpatient.rate.township * tests * P.costs.inPolicyShare.township;
    expect(onRows.every((x) => x.care === INPATIENT && Math.abs(x.oop - oopOn) < 1e-9)).toBe(true);
    expect(oopOn).toBeLessThan(0.3 * oopOff);
  });

  it("residents pay less and the insurer more; the rest of the books is unchanged", () => {
    expect(sum(on.r.counters.oop)).toBeLessThan(sum(off.r.counters.oop));
    expect(sum(on.r.counters.reimbursed)).toBeGreaterThan(sum(off.r.counters.reimbursed));
    expect(sum(on.r.counters.costUpstreamTests)).toBeCloseTo(sum(off.r.counters.costUpstreamTests), 6);
  });
});

describe('"1+1+1" (002 §7): a bundle of one primary, one county and one city facility, chosen freely with contract benefits', () => {
  const fdc = loadScenario(`${REPO_ROOT}/scenarios/family-doctor-contracting.yaml`);
  const county = countyFor(fdc, SMALL.scale);
  const lead = (v: number) => county.communities[county.townships[county.villages[v].township].community]?.lead ?? -1;
  /** the village's nearest out-of-county option */
  const city = (v: number) => {
    let best = -1;
    for (let k = county.optionStart[v]; k < county.optionStart[v + 1]; k++) if (county.facilities[county.optionFacility[k]].tier === OUT_OF_COUNTY && (best < 0 || county.optionMinutes[k] < county.optionMinutes[best])) best = k;
    return county.optionFacility[best];
  };
  /** hospital visits and admissions inside and outside each resident's bundle, and admissions at each hospital with their claims */
  class BundleSink implements EncounterSink {
    recording = false;
    inBundle = 0;
    outside = 0;
    encounter(e: Encounter): void {
      if (!this.recording || e.kind !== TREATMENT || e.tier < COUNTY) return;
      const v = county.residents.village[e.resident];
      if (e.facility === lead(v) || e.facility === city(v)) this.inBundle++;
      else this.outside++;
    }
  }
  const run = (s: Scenario) => {
    const sink = new BundleSink();
    const r = simulate(s, { ...SMALL, years: 2, sinks: [sink], plan: (p) => p.insert({ label: "rec", module: "test", doc: "", run: (st) => void (sink.recording = st.recording) }, { before: "policy" }) });
    return { r, sink };
  };
  const oneOneOne = run(fdc);
  const primary = run(withOverrides(fdc, { "policy.familyDoctor.model": "primary" }));

  it("differs from model primary in its own scenario: residents use their bundle's hospitals more, others less", () => {
    expect(differingOutputs(oneOneOne.r, primary.r).length).toBeGreaterThan(0);
    expect(oneOneOne.sink.inBundle).toBeGreaterThan(primary.sink.inBundle);
    expect(oneOneOne.sink.outside).toBeLessThan(primary.sink.outside);
    // the bundle is a pull towards its hospitals, the county one included: less primary care, not more
    expect(valueOf(oneOneOne.r, "primaryVisitShare", 1)!).toBeLessThan(valueOf(primary.r, "primaryVisitShare", 1)!);
  });

  it("by hand: with the bypass penalty on, a contracted resident's unreferred admission is penalised outside the bundle, not inside it", () => {
    // everyone contracted under 1+1+1, the bypass penalty on; the provincial hospital is outside every village's bundle
    const s = withPolicy(baseline(), { "familyDoctor.model": "1+1+1", "familyDoctor.coverage": { priority: 1, general: 1 }, "insurance.bypass.enabled": true });
    const rows: { f: number; cost: number; reimbursed: number; resident: number }[] = [];
    const sink: EncounterSink = { encounter: (e) => void (e.kind === TREATMENT && e.care === INPATIENT && e.tier === OUT_OF_COUNTY && rows.push({ f: e.facility, cost: e.cost, reimbursed: e.reimbursed, resident: e.resident })) };
    simulate(s, { ...SMALL, sinks: [sink] });
    const P = s.parameters;
    const ins = s.basePolicy.insurance;
    const plain = rows.filter((x) => county.residents.scheme[x.resident] === 0 && county.residents.poor[x.resident] === 0);
    const ratio = (x: (typeof rows)[number], rate: number) => x.reimbursed / Math.max(1e-9, rate * (x.cost * P.costs.inPolicyShare.outOfCounty - ins.resident.inpatient.deductible.outOfCounty));
    const inside = plain.filter((x) => x.f === city(county.residents.village[x.resident]));
    const outside = plain.filter((x) => x.f !== city(county.residents.village[x.resident]));
    expect(inside.length).toBeGreaterThan(20);
    expect(outside.length).toBeGreaterThan(5);
    // inside: the full rate (0.55); outside: the rate less the penalty (0.55 − 0.20); the annual cap rarely binds
    const full = ins.resident.inpatient.rate.outOfCounty;
    const penalised = full - ins.bypass.rateReduction.outOfCounty;
    expect(inside.filter((x) => Math.abs(ratio(x, full) - 1) < 1e-9).length).toBeGreaterThan(0.95 * inside.length);
    expect(outside.filter((x) => Math.abs(ratio(x, penalised) - 1) < 1e-9).length).toBeGreaterThan(0.95 * outside.length);
  });
});

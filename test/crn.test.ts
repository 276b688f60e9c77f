/**
 * Common random numbers (CRN): every draw is keyed by (seed, stream, resident, month,
 * slot), so two scenarios run with one seed see the same illnesses and the same choice
 * noise. A reform that changes nothing anybody faces must reproduce the baseline bit for
 * bit; a real reform must move only the residents it touches.
 */
import { describe, expect, it } from "vitest";
import { residentDifferences } from "../sim/differences";
import { simulate, type SimulationResult } from "../sim/simulate";
import { N_TIERS, TIERS } from "../sim/tier";
import { baseline, differingCounters, differingOutputs, sameBits, sum, withParameters, withPolicy } from "./helpers/scenarios";

const OPTS = { scale: 0.02, years: 2, seed: 11, traceResidents: true } as const;
const base = baseline();
const ref = simulate(base, OPTS);
const TOWNSHIP_RATE = withPolicy(base, { "insurance.resident.inpatient.rate.township": 0.95 });
const CAPITATION = withPolicy(base, { "payment.regime": "capitation" });
const runs = new Map<object, SimulationResult>();
/** One traced run per scenario object (several tests look at the same reform). */
const run = (s: typeof base) => {
  let r = runs.get(s);
  if (!r) runs.set(s, (r = simulate(s, OPTS)));
  return r;
};

/** Residents whose encounters by tier differ between two traced runs. */
function movedResidents(a: SimulationResult, b: SimulationResult): number[] {
  const out: number[] = [];
  for (let i = 0; i < a.residents; i++) {
    for (let t = 0; t < N_TIERS; t++) {
      if (a.trace!.encounters[i * N_TIERS + t] !== b.trace!.encounters[i * N_TIERS + t]) {
        out.push(i);
        break;
      }
    }
  }
  return out;
}

describe("CRN — a reform nobody is affected by gives bit-identical output", () => {
  it.each([
    ["employee inpatient annual cap 300,000 → 400,000 (nobody reaches it)", { "insurance.employee.inpatient.annualCap": 400_000 }],
    ["bypass rate reduction changed while bypass is disabled", { "insurance.bypass.rateReduction": { village: 0, township: 0.05, county: 0.3, outOfCounty: 0.5 } }],
    ["capitation settlement terms changed under fee-for-service", { "payment.capitation.overspendInsurerShare": 0.5, "payment.capitation.shareOfPremium": 0.6 }],
  ])("%s", (_name, changes) => {
    const r = simulate(withPolicy(base, changes), OPTS);
    expect(r.trace).toBeDefined();
    expect(differingOutputs(ref, r)).toEqual([]);
  });

  it("a capitation-only behavioural parameter under fee-for-service", () => {
    const r = simulate(withParameters(base, { "referral.downward.inpatientCapitation": 0.5, "referral.downward.chronicCapitation": 0.5 }), OPTS);
    expect(differingOutputs(ref, r)).toEqual([]);
  });
});

describe("CRN — a real reform moves a minority of residents, and only them", () => {
  const reform = run(TOWNSHIP_RATE);
  const moved = movedResidents(ref, reform);

  it("changes the outputs", () => {
    expect(differingOutputs(ref, reform)).toContain("trace.encounters");
    expect(differingCounters(ref.counters, reform.counters)).toContain("admissionsTownship");
  });

  it("the residents whose encounters differ can be listed and are a minority", () => {
    expect(moved.length).toBeGreaterThan(0);
    expect(moved.length / ref.residents).toBeLessThan(0.1);
    // the listing is consistent: everyone not listed has identical encounters at every tier
    const listed = new Set(moved);
    let same = 0;
    let mismatched = 0;
    for (let i = 0; i < ref.residents; i++) {
      if (listed.has(i)) continue;
      for (let t = 0; t < N_TIERS; t++) if (reform.trace!.encounters[i * N_TIERS + t] !== ref.trace!.encounters[i * N_TIERS + t]) mismatched++;
      same++;
    }
    expect(mismatched).toBe(0);
    expect(same).toBe(ref.residents - moved.length);
  });

  it("residentDifferences lists the same moved residents", () => {
    const d = residentDifferences(ref, reform);
    expect(d.moved).toBe(moved.length);
    const listed = d.differences.filter((x) => Object.values(x.encounters).some((n) => n !== 0)).map((x) => x.resident);
    expect(listed).toEqual(moved);
    let oopChanged = 0;
    for (let i = 0; i < ref.residents; i++) if (reform.trace!.oop[i] !== ref.trace!.oop[i]) oopChanged++;
    expect(d.changed).toBeGreaterThanOrEqual(Math.max(oopChanged, moved.length));
    expect(residentDifferences(ref, ref).changed).toBe(0);
  });

  it("cheaper township admissions move admissions to township centres and bring deferred ones back", () => {
    // Only admissions are asserted: a changed admission also changes the resident's last
    // facility, and that habit ripples into later outpatient choices in either direction.
    const townshipGain = sum(reform.counters.admissionsTownship) - sum(ref.counters.admissionsTownship);
    expect(townshipGain).toBeGreaterThan(0);
    // the county hospitals lose patients to the townships but win back some deferred admissions
    // (a cheaper admission in the choice set lowers its expected price, sim/care-seeking.ts)
    expect(sum(reform.counters.admissionsCounty) - sum(ref.counters.admissionsCounty)).toBeLessThan(townshipGain);
    // the same illnesses: the number of admissions needed does not change; fewer are deferred
    expect(sum(reform.counters.episodesInpatient)).toBe(sum(ref.counters.episodesInpatient));
    expect(sum(reform.counters.forgoneInpatient)).toBeLessThan(sum(ref.counters.forgoneInpatient));
    const admissions = (r: SimulationResult) => sum(r.counters.admissionsTownship) + sum(r.counters.admissionsCounty) + sum(r.counters.admissionsOutOfCounty);
    const taken = (r: SimulationResult) => sum(r.counters.episodesInpatient) - sum(r.counters.forgoneInpatient);
    // admissions move with those taken (transfer stays aside)
    expect(Math.abs(admissions(reform) - admissions(ref) - (taken(reform) - taken(ref)))).toBeLessThan(0.02 * admissions(ref));
  });

  it("OOP changes only for residents who moved or used a township centre", () => {
    const township = TIERS.indexOf("township");
    const listed = new Set(moved);
    let changed = 0;
    let unexplained = 0;
    for (let i = 0; i < ref.residents; i++) {
      if (reform.trace!.oop[i] === ref.trace!.oop[i]) continue;
      changed++;
      if (!listed.has(i) && ref.trace!.encounters[i * N_TIERS + township] === 0) unexplained++;
    }
    expect(changed).toBeGreaterThan(moved.length); // stayers at township pay less too
    expect(unexplained).toBe(0);
  });

  it("capitation with an inert lead hospital (responsiveness 0) moves nobody; a responsive one refers down and moves residents", () => {
    // inert: neither the lead hospital's strategy nor the providers' service intensity responds (sim/provider-response.ts)
    const inertProviders = { "leadHospital.responsiveness": 0, "providerResponse.responsiveness.capitation": 0 };
    const inert = simulate(withParameters(CAPITATION, inertProviders), OPTS);
    const inertRef = simulate(withParameters(base, inertProviders), OPTS);
    // the package changes who pays, not where anyone is treated
    expect(movedResidents(inertRef, inert)).toHaveLength(0);
    const cap = run(CAPITATION);
    const m = movedResidents(ref, cap);
    expect(m.length).toBeGreaterThan(0);
    expect(m.length).toBeLessThan(ref.residents);
    const down = (r: SimulationResult) => sum(r.counters.downwardReferralsInpatient) + sum(r.counters.downwardReferralsChronic);
    // FFS 3% → capitation 3% + 0.6 × (12% − 3%) = 8.4% of eligible inpatients
    expect(down(cap)).toBeGreaterThan(1.5 * down(ref));
  });
});

describe("CRN — illness draws do not depend on policy", () => {
  it.each([
    ["township inpatient rate raised", TOWNSHIP_RATE],
    ["capitation", CAPITATION],
    ["bypass penalty on", withPolicy(base, { "insurance.bypass.enabled": true })],
    ["all starting-line rules on", withPolicy(base, { "insurance.referralRules": { continuousDeductible: true, upwardPaysDifference: true, downwardWaivesDeductible: true, greenChannel: true } })],
  ])("%s: episode counters identical to the baseline", (_name, s) => {
    const r = run(s);
    for (const name of ["episodesOutpatient", "episodesInpatient", "episodesChronic", "residents"] as const) {
      expect(sameBits(r.counters[name], ref.counters[name]), name).toBe(true);
    }
    // …while where people were treated did change
    expect(differingCounters(ref.counters, r.counters).length).toBeGreaterThan(0);
  });

  it("a reform dated 2019-01 leaves 2018 bit-identical and changes 2019", () => {
    const s = {
      ...base,
      timeline: [...base.timeline, { from: { year: 2019, month: 1 }, source: "test", set: { "insurance.resident.inpatient.rate.township": 0.95 }, file: "test" }],
    };
    const r = simulate(s, OPTS);
    const firstYear = (a: Float64Array) => a.subarray(0, 12);
    for (const [name, series] of Object.entries(r.counters)) {
      expect(sameBits(firstYear(series), firstYear(ref.counters[name as keyof typeof ref.counters])), name).toBe(true);
    }
    expect(sameBits(r.counters.admissionsTownship.subarray(12), ref.counters.admissionsTownship.subarray(12))).toBe(false);
  });
});

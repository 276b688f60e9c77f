/**
 * The siphon (虹吸) indicators (sim/siphon.ts) on hand-built volumes: the patient siphon is
 * the change in the share of primary-treatable episodes treated at county hospitals, the
 * staff siphon the net doctors moved primary → county, and the risk flag follows its
 * explicit three-part rule.
 */
import { describe, expect, it } from "vitest";
import { COUNTER_NAMES, type Totals } from "../sim/indicators";
import { runIdentity } from "../sim/engine/snapshot";
import { scenarioContentHash } from "../sim/scenario/load";
import { SIPHON_RULE, siphonVerdict, siphonVolumes, type SiphonVolumes } from "../sim/siphon";
import { baseline, withParameters } from "./helpers/scenarios";

/** Reference year: 1,000 county and 2,000 primary encounters, 100 primary doctors, 100 of 500 treatable episodes at the county (20%). */
const REF: SiphonVolumes = { county: 1000, primary: 2000, primaryDoctors: 100, treatable: 500, treatableAtCounty: 100, staffSiphon: 0 };
const v = (changes: Partial<SiphonVolumes>): SiphonVolumes => ({ ...REF, ...changes });
/** the rule's threshold: data/parameters.yaml siphonCheck.minimumChange (1%) */
const M = 0.01;

describe("siphonVolumes — from a year's counter totals", () => {
  it("adds visits and admissions by tier and nets the staff flows", () => {
    const t = Object.fromEntries(COUNTER_NAMES.map((n) => [n, 0])) as Totals;
    Object.assign(t, {
      visitsVillage: 400, visitsTownship: 300, visitsCounty: 500, visitsOutOfCounty: 90,
      admissionsVillage: 1, admissionsTownship: 20, admissionsCounty: 60, admissionsOutOfCounty: 9,
      doctorsVillage: 35, doctorsTownship: 44, doctorsCounty: 48,
      primaryTreatable: 800, primaryTreatableAtCounty: 240,
      staffPrimaryToCounty: 7, staffCountyToPrimary: 10,
    });
    expect(siphonVolumes(t)).toEqual({
      county: 560, // 500 + 60; out-of-county care is neither
      primary: 721, // 400 + 300 + 1 + 20
      primaryDoctors: 79, // 35 + 44
      treatable: 800,
      treatableAtCounty: 240,
      staffSiphon: -3, // 7 up − 10 down
    });
  });
});

describe("siphonVerdict — hand-built cases", () => {
  it("high: county volume up, primary volume down and primary doctors down", () => {
    const now = v({ county: 1100, primary: 1900, primaryDoctors: 95, treatableAtCounty: 150, staffSiphon: 7 });
    const r = siphonVerdict(now, REF, "baseline-2018", M);
    // treatable share 150/500 = 0.30 against 100/500 = 0.20 → +0.10
    expect(r.patientSiphon).toBeCloseTo(0.1, 14);
    expect(r.patientSiphonShare).toBeCloseTo(0.3, 14);
    expect(r.staffSiphon).toBe(7);
    expect(r.against).toBe("baseline-2018");
    expect(r.siphonRisk.level).toBe("high");
    expect(r.siphonRisk.flag).toBe(true);
    expect(r.siphonRisk.countyVolumeChange).toBeCloseTo(0.1, 14); // 1100/1000 − 1
    expect(r.siphonRisk.primaryVolumeChange).toBeCloseTo(-0.05, 14); // 1900/2000 − 1
    expect(r.siphonRisk.primaryStaffChange).toBeCloseTo(-0.05, 14); // 95/100 − 1
    expect(r.siphonRisk.rule).toBe(SIPHON_RULE);
  });

  it.each([
    ["county up, primary down, doctors unchanged", { county: 1100, primary: 1900 }],
    ["county up, doctors down, primary unchanged", { county: 1100, primaryDoctors: 90 }],
    ["primary down, doctors down, county unchanged", { primary: 1800, primaryDoctors: 90 }],
  ])("moderate (two of three, no flag): %s", (_name, changes) => {
    const r = siphonVerdict(v(changes), REF, "ref", M);
    expect(r.siphonRisk.level).toBe("moderate");
    expect(r.siphonRisk.flag).toBe(false);
  });

  it.each([
    ["nothing changed", {}],
    ["only county volume up", { county: 1200 }],
    ["only primary doctors down", { primaryDoctors: 80 }],
    ["the reverse of a siphon: county down, primary up, doctors up", { county: 900, primary: 2200, primaryDoctors: 110 }],
  ])("low: %s", (_name, changes) => {
    const r = siphonVerdict(v(changes), REF, "ref", M);
    expect(r.siphonRisk.level).toBe("low");
    expect(r.siphonRisk.flag).toBe(false);
  });

  it("a change counts only beyond the threshold: just under 1% is not a signal, just over is; a policy that changes nothing is low", () => {
    // the three changes just under 1% (+0.99%, −0.995%, −0.9%) → none counts
    expect(siphonVerdict(v({ county: 1009.9, primary: 1980.1, primaryDoctors: 99.1 }), REF, "ref", M).siphonRisk.level).toBe("low");
    // exactly 1% (1010/1000, 1980/2000, 99/100 — as ratios 1010/1000 − 1 rounds above 0.01) → none counts
    expect(siphonVerdict(v({ county: 1010, primary: 1980, primaryDoctors: 99 }), REF, "ref", M).siphonRisk.level).toBe("low");
    // just beyond it → all three count
    expect(siphonVerdict(v({ county: 1010.5, primary: 1979, primaryDoctors: 98.9 }), REF, "ref", M).siphonRisk.level).toBe("high");
    // twin runs of a policy that moves nothing: differences of 0.002% (as compare saw for starting-line-rules)
    const tiny = siphonVerdict(v({ county: 1000.02, primary: 1999.96, primaryDoctors: 100 }), REF, "ref", M);
    expect(tiny.siphonRisk.level).toBe("low");
    expect(tiny.siphonRisk.minimumChange).toBe(M);
    // with no threshold the same noise reads as two signals: what the rule did before siphonCheck
    expect(siphonVerdict(v({ county: 1000.02, primary: 1999.96, primaryDoctors: 100 }), REF, "ref", 0).siphonRisk.level).toBe("moderate");
  });

  it("patientSiphon is the difference of the two shares, negative when care moves down", () => {
    // now 60/400 = 0.15, reference 100/500 = 0.20 → −0.05
    const r = siphonVerdict(v({ treatable: 400, treatableAtCounty: 60 }), REF, "ref", M);
    expect(r.patientSiphonShare).toBeCloseTo(0.15, 14);
    expect(r.patientSiphon).toBeCloseTo(-0.05, 14);
    expect(siphonVerdict(REF, REF, "ref", M).patientSiphon).toBe(0);
  });

  it("staffSiphon is the scenario's own net flow, negative when doctors move down", () => {
    expect(siphonVerdict(v({ staffSiphon: -8 }), v({ staffSiphon: 4 }), "ref", M).staffSiphon).toBe(-8);
  });

  it("no treatable episodes in the reference → patientSiphon null, the scenario's own share still given", () => {
    const r = siphonVerdict(v({ treatableAtCounty: 50 }), v({ treatable: 0, treatableAtCounty: 0 }), "ref", M);
    expect(r.patientSiphon).toBeNull();
    expect(r.patientSiphonShare).toBeCloseTo(0.1, 14);
  });

  it("no treatable episodes in the scenario → share and patientSiphon null", () => {
    const r = siphonVerdict(v({ treatable: 0, treatableAtCounty: 0 }), REF, "ref", M);
    expect(r.patientSiphonShare).toBeNull();
    expect(r.patientSiphon).toBeNull();
  });

  it("a zero reference volume gives a null change that never counts towards the risk", () => {
    const zero = { county: 0, primary: 0, primaryDoctors: 0 };
    const r = siphonVerdict(v({ county: 5000, primary: 10, primaryDoctors: 1 }), v(zero), "ref", M);
    expect(r.siphonRisk.countyVolumeChange).toBeNull();
    expect(r.siphonRisk.primaryVolumeChange).toBeNull();
    expect(r.siphonRisk.primaryStaffChange).toBeNull();
    expect(r.siphonRisk.level).toBe("low");
    expect(r.siphonRisk.flag).toBe(false);
    // two of three known and siphoning → still moderate
    const two = siphonVerdict(v({ county: 1100, primary: 1900 }), v({ primaryDoctors: 0 }), "ref", M);
    expect(two.siphonRisk.primaryStaffChange).toBeNull();
    expect(two.siphonRisk.level).toBe("moderate");
  });
});

describe("the threshold is a verdict's, not the run's", () => {
  it("leaves the scenario hash and the fork identity as they are; any other parameter changes both", () => {
    const b = baseline();
    const settings = { seed: 1, months: 12, scale: 0.01, traceResidents: false, paymentSchemes: [] };
    const looser = withParameters(b, { "siphonCheck.minimumChange": 0.05 });
    expect(scenarioContentHash(looser)).toBe(scenarioContentHash(b));
    expect(runIdentity(looser, settings)).toEqual(runIdentity(b, settings));
    const habit = withParameters(b, { "choice.habit": b.parameters.choice.habit + 0.1 });
    expect(scenarioContentHash(habit)).not.toBe(scenarioContentHash(b));
    expect(runIdentity(habit, settings).parameters).not.toBe(runIdentity(b, settings).parameters);
  });
});

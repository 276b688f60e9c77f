/**
 * The supply side end to end (sim/supply.ts through simulate, small scale): the
 * fee-for-service expansion (siphon-risk) and the capitation package with staff sinking
 * (capitation-with-staff-sinking) against baseline-2018 with one seed, as `yigongti
 * compare` sets them side by side — opposite signs for the patient and the staff siphon,
 * with the mechanism (staff flows, doctor-days sent down, rotations, the lead hospital's
 * payment signal) visible in the counters; staff conserved and counted in whole doctors;
 * common random numbers for a change that touches nobody.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Totals } from "../sim/indicators";
import { loadScenario } from "../sim/scenario/load";
import { countyFor, simulate } from "../sim/simulate";
import type { ScenarioComparison } from "../sim/study/comparison";
import { runStudySync, seedRuns, type StudyRun } from "../sim/study/study";
import { OUT_OF_COUNTY } from "../sim/tier";
import { REPO_ROOT } from "./helpers/paths";
import { differingOutputs, withParameters, withPolicy } from "./helpers/scenarios";

// 2018–2020: the baseline year, the community formed / the pilot, the county-wide package
const SETTINGS = { seed: 1, scale: 0.03, years: 3 } as const;
const scenario = (name: string) => loadScenario(join(REPO_ROOT, "scenarios", `${name}.yaml`));
const study = runStudySync({ scenarios: ["baseline-2018", "siphon-risk", "capitation-with-staff-sinking"].map(scenario), seeds: [SETTINGS.seed], scale: SETTINGS.scale, years: SETTINGS.years, traceResidents: true });
const [base, siphon, cap] = seedRuns(study);
const entry: Record<string, ScenarioComparison> = { base: base.entry, siphon: siphon.entry, cap: cap.entry };
const final = (r: StudyRun): Totals => r.yearTotals[r.yearTotals.length - 1];
const yearSum = (r: StudyRun, counter: keyof Totals) => r.yearTotals.reduce((a, t) => a + t[counter], 0);

describe("supply side — the siphon between fee-for-service expansion and the capitation package", () => {
  it("all three runs end in 2020 on the same county and residents", () => {
    for (const e of Object.values(entry)) expect(e.year).toBe("2020");
    expect(siphon.residents).toBe(base.residents);
    expect(cap.residents).toBe(base.residents);
    expect(entry.siphon.baseline).toBe("baseline-2018");
    expect(entry.cap.baseline).toBe("baseline-2018");
  });

  it("siphon-risk draws primary-treatable patients to the county hospital: share up against the baseline", () => {
    expect(entry.siphon.patientSiphonShare!).toBeGreaterThan(entry.base.patientSiphonShare!);
    expect(entry.siphon.patientSiphon!).toBeGreaterThan(0);
    expect(entry.siphon.patientSiphon!).toBeCloseTo(entry.siphon.patientSiphonShare! - entry.base.patientSiphonShare!, 12);
  });

  it("siphon-risk draws doctors up: net primary → county moves above the baseline's, and positive", () => {
    expect(entry.siphon.staffSiphon!).toBeGreaterThan(entry.base.staffSiphon!);
    expect(entry.siphon.staffSiphon!).toBeGreaterThan(0);
    // the mechanism: more township doctors taking county posts each year of the community
    expect(final(siphon).staffPrimaryToCounty).toBeGreaterThan(final(base).staffPrimaryToCounty);
    expect(siphon.yearTotals[1].staffPrimaryToCounty).toBeGreaterThan(base.yearTotals[1].staffPrimaryToCounty);
    expect(entry.siphon.primaryDoctorsPer10k!).toBeLessThan(entry.base.primaryDoctorsPer10k!);
  });

  it("capitation-with-staff-sinking keeps primary-treatable patients at primary care: share down against the baseline", () => {
    expect(entry.cap.patientSiphonShare!).toBeLessThan(entry.base.patientSiphonShare!);
    expect(entry.cap.patientSiphon!).toBeLessThan(0);
  });

  it("capitation-with-staff-sinking moves doctors down: net staff siphon negative", () => {
    expect(entry.cap.staffSiphon!).toBeLessThan(0);
    expect(final(cap).staffCountyToPrimary).toBeGreaterThan(final(cap).staffPrimaryToCounty);
    expect(entry.cap.primaryDoctorsPer10k!).toBeGreaterThan(entry.siphon.primaryDoctorsPer10k!);
  });

  it("opposite signs for the patient and the staff siphon between the two", () => {
    expect(Math.sign(entry.siphon.patientSiphon!)).toBe(1);
    expect(Math.sign(entry.cap.patientSiphon!)).toBe(-1);
    expect(Math.sign(entry.siphon.staffSiphon!)).toBe(1);
    expect(Math.sign(entry.cap.staffSiphon!)).toBe(-1);
    // and the risk rule rates the expansion at least as risky as the package
    const rank = { low: 0, moderate: 1, high: 2 } as const;
    expect(rank[entry.siphon.siphonRisk.level]).toBeGreaterThan(rank[entry.cap.siphonRisk.level]);
    expect(entry.cap.siphonRisk.flag).toBe(false);
  });

  it("the scenarios' residents moved up or down a tier against the baseline are listed (common random numbers)", () => {
    expect(entry.siphon.residentsMovedUp!).toBeGreaterThan(0);
    expect(entry.cap.residentsMovedDown!).toBeGreaterThan(0);
    expect(entry.base.residentsMovedUp).toBe(0);
    expect(entry.base.residentsMovedDown).toBe(0);
  });
});

describe("supply side — the mechanism in the counters", () => {
  it("the lead hospitals' payment signal: +1 under fee-for-service, −1 once the package is county-wide", () => {
    for (const t of base.yearTotals) expect(t.leadSignal).toBe(1);
    for (const t of siphon.yearTotals) expect(t.leadSignal).toBe(1);
    // in January 2019 the pilot has not started (2019-03): fee-for-service still
    expect(cap.yearTotals[1].leadSignal).toBe(1);
    expect(final(cap).leadSignal).toBe(-1);
  });

  it("doctor-days are sent down only in the capitation scenario, at the hand-computed rate", () => {
    expect(yearSum(base, "sendDownDoctorDays")).toBe(0);
    expect(yearSum(siphon, "sendDownDoctorDays")).toBe(0);
    expect(entry.cap.indicators.sendDownDoctorDays.value!).toBeGreaterThan(0);
    const s = cap.scenario;
    const townships = countyFor(s, SETTINGS.scale).townships.filter((t) => t.community >= 0).length;
    const L = s.parameters.leadHospital;
    // 2019: the scenario's floor of 4 doctor-days per township per month (signal +1: the lead sends none of its own accord)
    expect(cap.yearTotals[1].sendDownDoctorDays).toBeCloseTo(4 * townships * 12, 9);
    // 2020: signal −1 → max(4, responsiveness × maxSendDownDays) per township per month
    // (defaults: max(4, 0.6 × 8) = 4.8 → 4.8 × 12 townships × 12 months = 691.2)
    expect(final(cap).sendDownDoctorDays).toBeCloseTo(Math.max(4, L.responsiveness * L.maxSendDownDays) * townships * 12, 9);
  });

  it("grassroots rotations and postings happen only under the capitation package's rules", () => {
    expect(yearSum(base, "staffRotations")).toBe(0);
    expect(yearSum(siphon, "staffRotations")).toBe(0);
    expect(yearSum(cap, "staffRotations")).toBeGreaterThan(0);
    expect(yearSum(base, "staffPostedDown")).toBe(0);
    expect(yearSum(siphon, "staffPostedDown")).toBe(0);
    // postings need pooled quotas and a lead hospital that wants care moved down (signal −1, 2020)
    expect(cap.yearTotals[1].staffPostedDown).toBe(0);
    expect(final(cap).staffPostedDown).toBeGreaterThan(0);
  });

  it("the lead hospital stops adding beds under the package", () => {
    expect(final(cap).countyBeds).toBeLessThan(final(base).countyBeds);
    expect(final(cap).countyBeds).toBeLessThanOrEqual(cap.yearTotals[1].countyBeds);
  });
});

describe("supply side — staff are conserved and counted in whole doctors", () => {
  const STOCKS = ["doctorsVillage", "doctorsTownship", "doctorsCounty", "gpAll", "gpPrimary"] as const;
  const FLOWS = ["staffPrimaryToCounty", "staffCountyToPrimary", "staffPostedDown", "staffRotations", "staffExits", "staffRecruitsCounty", "staffRecruitsPrimary"] as const;

  it.each([["baseline-2018", base], ["siphon-risk", siphon], ["capitation-with-staff-sinking", cap]] as const)("%s: every monthly stock and flow is a whole number", (_n, r) => {
    const c = r.result!.counters;
    for (const name of [...STOCKS, ...FLOWS]) for (let m = 0; m < r.result!.months; m++) expect(Number.isInteger(c[name][m]), `${name}[${m}] = ${c[name][m]}`).toBe(true);
    for (let m = 0; m < r.result!.months; m++) expect(c.gpPrimary[m]).toBeLessThanOrEqual(c.gpAll[m]);
  });

  it.each([["baseline-2018", base], ["siphon-risk", siphon], ["capitation-with-staff-sinking", cap]] as const)(
    "%s: doctors in post change each year by recruits − exits, from the county's starting staff",
    (_n, r) => {
      const county = countyFor(r.scenario, SETTINGS.scale);
      let prev = county.facilities.reduce((a, f) => a + (f.tier === OUT_OF_COUNTY ? 0 : Math.max(f.doctors > 0 ? 1 : 0, Math.round(f.doctors / county.scale))), 0);
      for (const t of r.yearTotals) {
        const now = t.doctorsVillage + t.doctorsTownship + t.doctorsCounty;
        expect(now).toBe(prev + t.staffRecruitsCounty + t.staffRecruitsPrimary - t.staffExits);
        prev = now;
      }
    },
  );
});

describe("supply side — common random numbers", () => {
  const OPTS = { ...SETTINGS, traceResidents: true } as const;

  it("a workforce setting that is inactive (the recruitment cap while recruitment is free) gives bit-identical output, staff counters included", () => {
    const r = simulate(withPolicy(base.scenario, { "workforce.recruitmentCapShare": 0.5 }), OPTS);
    expect(differingOutputs(base.result!, r)).toEqual([]);
  });

  it("the lead hospital's capitation-side maxima under fee-for-service (signal +1) change nothing", () => {
    const r = simulate(
      withParameters(base.scenario, { "leadHospital.maxSendDownDays": 20, "leadHospital.maxPostingShare": 0.2, "leadHospital.maxInvestmentShare": 0.9, "leadHospital.maxBedReduction": 0.1 }),
      OPTS,
    );
    expect(differingOutputs(base.result!, r)).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import { INDICATORS, INDICATOR_IDS, judge, monthlyIndicators, newCounters, totals, yearlyIndicators, type Counters } from "../sim/indicators";

/**
 * Two years of hand-made counters. Year 1 puts everything in January; year 2 splits it
 * between January and December to check that months are summed.
 *
 * Year 1: visits 300 / 200 / 400 / 100 (village / township / county / out), admissions
 * 0 / 20 / 60 / 20, downward referrals 8 + 2 = 10, outpatient cost 150,000 (150/visit),
 * inpatient cost 800,000 (8,000/admission), in-policy inpatient 100,000 of which
 * 72,000 reimbursed, residents 1000 at year end.
 * Year 2: visits 400 / 300 / 250 / 50, admissions 0 / 30 / 60 / 10, downward 12 + 1 = 13,
 * outpatient cost 170,000 (170/visit), inpatient cost 880,000 (8,800/admission),
 * in-policy 100,000 with 68,000 reimbursed, residents 1100; a capitation package:
 * prepayments 1,000,000, settlement: 20,000 from reserve, 30,000 insurer, 50,000 community.
 */
function handCounters(): Counters {
  const c = newCounters(24);
  const set = (m: number, v: Partial<Record<keyof Counters, number>>) => {
    for (const [k, x] of Object.entries(v)) c[k as keyof Counters][m] = x!;
  };
  set(0, {
    visitsVillage: 300, visitsTownship: 200, visitsCounty: 400, visitsOutOfCounty: 100,
    admissionsTownship: 20, admissionsCounty: 60, admissionsOutOfCounty: 20,
    downwardReferralsInpatient: 8, downwardReferralsChronic: 2,
    costOutpatient: 150_000, costInpatient: 800_000, oop: 400_000,
    inpatientInPolicyCost: 100_000, inpatientReimbursed: 72_000,
  });
  set(12, {
    visitsVillage: 200, visitsTownship: 100, visitsCounty: 150, visitsOutOfCounty: 20,
    admissionsTownship: 10, admissionsCounty: 30, admissionsOutOfCounty: 4,
    downwardReferralsInpatient: 6, downwardReferralsChronic: 1,
    costOutpatient: 80_000, costInpatient: 400_000,
    inpatientInPolicyCost: 50_000, inpatientReimbursed: 30_000, prepayments: 500_000,
  });
  set(23, {
    visitsVillage: 200, visitsTownship: 200, visitsCounty: 100, visitsOutOfCounty: 30,
    admissionsTownship: 20, admissionsCounty: 30, admissionsOutOfCounty: 6,
    downwardReferralsInpatient: 6, downwardReferralsChronic: 0,
    costOutpatient: 90_000, costInpatient: 480_000,
    inpatientInPolicyCost: 50_000, inpatientReimbursed: 38_000, prepayments: 500_000,
    settlementFromReserve: 20_000, settlementInsurerPays: 30_000, settlementCommunityBears: 50_000,
  });
  for (let m = 0; m < 24; m++) c.residents[m] = m < 12 ? 990 + (m === 11 ? 10 : 0) : 1050 + (m === 23 ? 50 : 0);
  return c;
}

const years = yearlyIndicators(handCounters(), { year: 2018, month: 1 }, 24);
const y1 = years[0].values;
const y2 = years[1].values;

describe("the indicator list", () => {
  it("names every indicator once (modules defined apart must not reuse an id)", () => {
    const ids = INDICATORS.map((d) => d.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });
});

describe("yearlyIndicators on hand-made counters", () => {
  it("labels calendar years", () => {
    expect(years.map((y) => y.period)).toEqual(["2018", "2019"]);
    // without case-based payment the run has the core indicators only (sim/indicators.ts OPTIONAL_MODULES)
    expect(Object.keys(y1).sort()).toEqual(INDICATORS.filter((d) => !d.module).map((d) => d.id).sort());
    expect(INDICATOR_IDS.length).toBeGreaterThan(Object.keys(y1).length);
  });

  it("primaryVisitShare = village + township visits ÷ all visits, judged ≥ 65%", () => {
    // year 1: 500 / 1000 = 0.5 → not met, gap −0.15; year 2: 700 / 1000 = 0.7 → met
    expect(y1.primaryVisitShare).toMatchObject({ target: 0.65, comparison: ">=", met: false });
    expect(y1.primaryVisitShare.value).toBeCloseTo(0.5, 12);
    expect(y1.primaryVisitShare.gap).toBeCloseTo(-0.15, 12);
    expect(y2.primaryVisitShare.value).toBeCloseTo(0.7, 12);
    expect(y2.primaryVisitShare.met).toBe(true);
  });

  it("withinCountyVisitRate counts visits and admissions", () => {
    // year 1: (1000 − 100 + 100 − 20) / 1100 = 980/1100; year 2: (950 + 90) / 1100
    expect(y1.withinCountyVisitRate.value).toBeCloseTo(980 / 1100, 12);
    expect(y1.withinCountyVisitRate.met).toBe(false);
    expect(y2.withinCountyVisitRate.value).toBeCloseTo(1040 / 1100, 12);
    expect(y2.withinCountyVisitRate.met).toBe(true);
    expect(y1.withinCountyOutpatientRate.value).toBeCloseTo(0.9, 12);
    expect(y1.withinCountyAdmissionRate.value).toBeCloseTo(0.8, 12);
  });

  it("downwardReferralGrowth is null in the first year and 13/10 − 1 in the second", () => {
    expect(y1.downwardReferrals.value).toBe(10);
    expect(y1.downwardReferralGrowth).toMatchObject({ value: null, met: null, gap: null, target: 0.1 });
    expect(y2.downwardReferrals.value).toBe(13);
    expect(y2.downwardReferralGrowth.value).toBeCloseTo(0.3, 12);
    expect(y2.downwardReferralGrowth.met).toBe(true);
    // inpatient downward-referral rate: 12 / 60 county admissions
    expect(y2.inpatientDownwardReferralRate.value).toBeCloseTo(0.2, 12);
  });

  it("costPerVisitGrowth compares cost per visit with the previous year (target < 8%)", () => {
    expect(y1.costPerVisit.value).toBeCloseTo(150, 12);
    expect(y1.costPerVisitGrowth.value).toBeNull();
    // 170 / 150 − 1 = 0.1333 → not met, gap 0.0533
    expect(y2.costPerVisit.value).toBeCloseTo(170, 12);
    expect(y2.costPerVisitGrowth.value).toBeCloseTo(170 / 150 - 1, 12);
    expect(y2.costPerVisitGrowth).toMatchObject({ comparison: "<", met: false });
    expect(y2.costPerVisitGrowth.gap).toBeCloseTo(170 / 150 - 1 - 0.08, 12);
    // cost per admission 8000 → 8800: +10% ≥ 7% → not met; total spending 950k → 1050k
    expect(y2.costPerAdmissionGrowth.value).toBeCloseTo(0.1, 12);
    expect(y2.costPerAdmissionGrowth.met).toBe(false);
    expect(y2.totalSpendingGrowth.value).toBeCloseTo(1_050_000 / 950_000 - 1, 12);
  });

  it("capitationBalance is null without prepayments and prepaid-minus-claims at settlement otherwise", () => {
    expect(y1.capitationBalance).toMatchObject({ value: null, met: null });
    expect(y1.packageOutsideShare.value).toBeNull();
    // 0 retained + 0 returned − 20,000 − 30,000 − 50,000 = −100,000 → target ≥ 0 not met
    expect(y2.capitationBalance).toMatchObject({ value: -100_000, met: false, comparison: ">=" });
  });

  it("insurerShareInpatient is judged 'about 75%' within ±5 points", () => {
    // 72,000 / 100,000 = 0.72 → met; 68,000 / 100,000 = 0.68 → not met
    expect(y1.insurerShareInpatient).toMatchObject({ comparison: "about", met: true });
    expect(y1.insurerShareInpatient.value).toBeCloseTo(0.72, 12);
    expect(y2.insurerShareInpatient.value).toBeCloseTo(0.68, 12);
    expect(y2.insurerShareInpatient.met).toBe(false);
  });

  it("takes stocks at the last month of the period", () => {
    // residents: 1000 at the end of year 1, 1100 at the end of year 2
    expect(y1.visitsPerResident.value).toBeCloseTo(1000 / 1000, 12);
    expect(y2.visitsPerResident.value).toBeCloseTo(1000 / 1100, 12);
    expect(y2.admissionsPerResident.value).toBeCloseTo(100 / 1100, 12);
  });

  it("OOP share = OOP ÷ medical spending", () => {
    expect(y1.oopShare.value).toBeCloseTo(400_000 / 950_000, 12);
    expect(y2.oopShare.value).toBe(0); // no OOP recorded in year 2
  });

  it("treats an empty period as null, not NaN", () => {
    const empty = yearlyIndicators(newCounters(12), { year: 2020, month: 1 }, 12)[0].values;
    for (const id of ["primaryVisitShare", "withinCountyVisitRate", "costPerVisit", "oopShare", "insurerShareInpatient"]) {
      expect(empty[id].value, id).toBeNull();
      expect(empty[id].met, id).toBeNull();
    }
  });

  it("labels periods that do not start in January and handles a partial last period", () => {
    const y = yearlyIndicators(handCounters(), { year: 2018, month: 7 }, 18);
    expect(y.map((p) => p.period)).toEqual(["2018-07+12m", "2019-07+12m"]);
    // the partial period covers months 12..17 only: visits of month 12 = 470
    expect(y[1].values.primaryVisitShare.value).toBeCloseTo(300 / 470, 12);
  });
});

describe("totals", () => {
  it("sums flows and takes stocks at the last month", () => {
    const c = handCounters();
    const t = totals(c, 12, 24);
    expect(t.visitsVillage).toBe(400);
    expect(t.residents).toBe(1100);
    expect(totals(c, 12, 23).residents).toBe(1050);
  });
});

describe("monthlyIndicators", () => {
  it("scales per-resident rates to a year and compares growth with the same month a year earlier", () => {
    const m = monthlyIndicators(handCounters(), { year: 2018, month: 1 }, 24);
    expect(m[0].period).toBe("2018-01");
    expect(m[23].period).toBe("2019-12");
    // January 2018: 1000 visits by 990 residents, × 12 for a yearly rate
    expect(m[0].values.visitsPerResident.value).toBeCloseTo((1000 / 990) * 12, 10);
    // January 2019 vs January 2018: 470 visits cost 80,000 vs 150 per visit
    expect(m[12].values.costPerVisitGrowth.value).toBeCloseTo(80_000 / 470 / 150 - 1, 12);
    expect(m[11].values.costPerVisitGrowth.value).toBeNull();
  });
});

describe("judge", () => {
  const def = (id: string) => INDICATORS.find((d) => d.id === id)!;
  it("'>=' is met at the target", () => {
    expect(judge(def("primaryVisitShare"), 0.65).met).toBe(true);
    expect(judge(def("primaryVisitShare"), 0.6499).met).toBe(false);
  });
  it("'<' is not met at the target", () => {
    expect(judge(def("costPerVisitGrowth"), 0.08).met).toBe(false);
    expect(judge(def("costPerVisitGrowth"), 0.0799).met).toBe(true);
    expect(judge(def("costPerVisitGrowth"), -0.2)).toMatchObject({ met: true, gap: -0.28 });
  });
  it("'about' is met within ±0.05 of the target", () => {
    expect(judge(def("insurerShareInpatient"), 0.799).met).toBe(true);
    expect(judge(def("insurerShareInpatient"), 0.70001).met).toBe(true);
    expect(judge(def("insurerShareInpatient"), 0.81).met).toBe(false);
    expect(judge(def("insurerShareInpatient"), 0.69).met).toBe(false);
  });
  it("indicators without a target or value are not judged", () => {
    expect(judge(def("costPerVisit"), 150)).toEqual({ value: 150, target: null, comparison: null, met: null, gap: null });
    expect(judge(def("primaryVisitShare"), null)).toEqual({ value: null, target: 0.65, comparison: ">=", met: null, gap: null });
  });
  it("every target cites a source", () => {
    for (const d of INDICATORS) if (d.target) expect(d.target.source, d.id).toMatch(/\S/);
  });
});

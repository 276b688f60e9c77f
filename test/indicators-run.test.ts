/**
 * Indicator definitions checked on a real (small) run against an independent tally: the
 * per-facility visit and admission series, grouped by each facility's tier, must give the
 * same primary-care share and within-county rates as the indicator module's counters.
 */
import { describe, expect, it } from "vitest";
import { yearlyIndicators } from "../sim/indicators";
import { simulate } from "../sim/simulate";
import { baseline } from "./helpers/scenarios";

describe("indicators agree with a tally of the per-facility series", () => {
  const r = simulate(baseline(), { seed: 9, scale: 0.02, years: 2 });
  const F = r.facilities.length;
  const tally = (series: Float64Array, year: number, tiers: string[]) => {
    let s = 0;
    for (let m = year * 12; m < year * 12 + 12; m++) for (let f = 0; f < F; f++) if (tiers.includes(r.facilities[f].tier)) s += series[m * F + f];
    return s;
  };
  const all = ["village", "township", "county", "outOfCounty"];
  const inCounty = ["village", "township", "county"];
  const years = yearlyIndicators(r.counters, r.start, r.months);

  for (const year of [0, 1]) {
    it(`year ${2018 + year}: primary-care visit share and within-county rates`, () => {
      const v = years[year].values;
      const visits = tally(r.facilityVisits, year, all);
      const admissions = tally(r.facilityAdmissions, year, all);
      expect(visits).toBeGreaterThan(0);
      expect(v.primaryVisitShare.value).toBeCloseTo(tally(r.facilityVisits, year, ["village", "township"]) / visits, 12);
      expect(v.withinCountyOutpatientRate.value).toBeCloseTo(tally(r.facilityVisits, year, inCounty) / visits, 12);
      expect(v.withinCountyAdmissionRate.value).toBeCloseTo(tally(r.facilityAdmissions, year, inCounty) / admissions, 12);
      expect(v.withinCountyVisitRate.value).toBeCloseTo(
        (tally(r.facilityVisits, year, inCounty) + tally(r.facilityAdmissions, year, inCounty)) / (visits + admissions),
        12,
      );
      expect(v.visitsPerResident.value).toBeCloseTo(visits / r.residents, 12);
      expect(v.primaryVisitShare.met).toBe(v.primaryVisitShare.value! >= 0.65);
      expect(v.primaryVisitShare.gap).toBeCloseTo(v.primaryVisitShare.value! - 0.65, 12);
    });
  }
});

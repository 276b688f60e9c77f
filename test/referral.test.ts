import { describe, expect, it } from "vitest";
import { generateCounty } from "../sim/county/generate";
import { capabilityIndex } from "../sim/parameters";
import { canTreat, downwardReferralProbability, referralDirectory } from "../sim/referral";
import { COMMON, COUNTY, CRITICAL, INPATIENT, MINOR, N_SEVERITIES, N_TIERS, OUTPATIENT, OUT_OF_COUNTY, SERIOUS, TIERS, TOWNSHIP, VILLAGE } from "../sim/tier";
import { baseline } from "./helpers/scenarios";

const s = baseline();
const county = generateCounty(s.county, 0.02);
const capable = new Int8Array(N_TIERS * 2);
TIERS.forEach((t, ti) => {
  capable[ti * 2 + OUTPATIENT] = capabilityIndex(s.parameters.capability.outpatient[t]);
  capable[ti * 2 + INPATIENT] = capabilityIndex(s.parameters.capability.inpatient[t]);
});
const dir = referralDirectory(county, capable);
const dest = (f: number, care: number, sev: number) => dir[f * 2 * N_SEVERITIES + care * N_SEVERITIES + sev];
const byId = (id: string) => county.facilities.findIndex((f) => f.id === id);

describe("canTreat (default capability table)", () => {
  it("follows 小病不出村、常见病不出乡、大病不出县", () => {
    expect(canTreat(capable, VILLAGE, OUTPATIENT, COMMON)).toBe(true);
    expect(canTreat(capable, VILLAGE, OUTPATIENT, SERIOUS)).toBe(false);
    expect(canTreat(capable, VILLAGE, INPATIENT, MINOR)).toBe(false); // no beds
    expect(canTreat(capable, TOWNSHIP, INPATIENT, COMMON)).toBe(true);
    expect(canTreat(capable, TOWNSHIP, INPATIENT, SERIOUS)).toBe(false);
    expect(canTreat(capable, COUNTY, INPATIENT, SERIOUS)).toBe(true);
    expect(canTreat(capable, COUNTY, INPATIENT, CRITICAL)).toBe(false);
    expect(canTreat(capable, OUT_OF_COUNTY, INPATIENT, CRITICAL)).toBe(true);
  });
});

describe("referralDirectory", () => {
  it("sends a village clinic's serious outpatient to the lead hospital of its own community", () => {
    // t01 is in the renmin community, t08 in the tcm community (data/counties/qujing-like.yaml)
    expect(county.facilities[dest(byId("t01-v01"), OUTPATIENT, SERIOUS)].id).toBe("renmin");
    expect(county.facilities[dest(byId("t08-v01"), OUTPATIENT, SERIOUS)].id).toBe("tcm");
  });

  it("keeps what a facility can treat at that facility", () => {
    const v = byId("t03-v02");
    expect(dest(v, OUTPATIENT, MINOR)).toBe(v);
    expect(dest(v, OUTPATIENT, COMMON)).toBe(v);
    const t = byId("t03");
    expect(dest(t, INPATIENT, COMMON)).toBe(t);
    expect(dest(byId("renmin"), INPATIENT, SERIOUS)).toBe(byId("renmin"));
  });

  it("sends a village clinic's admissions to its own township centre when that can treat them", () => {
    expect(county.facilities[dest(byId("t05-v03"), INPATIENT, COMMON)].id).toBe("t05");
    // serious admissions skip the township (cannot treat) to the community's lead hospital
    expect(county.facilities[dest(byId("t10-v03"), INPATIENT, SERIOUS)].id).toBe("tcm");
  });

  it("sends a township centre's critical inpatient to the first out-of-county hospital", () => {
    expect(county.facilities[dest(byId("t02"), INPATIENT, CRITICAL)].id).toBe("city");
    expect(county.facilities[dest(byId("t11"), INPATIENT, CRITICAL)].id).toBe("city");
    expect(county.facilities[dest(byId("tcm"), INPATIENT, CRITICAL)].id).toBe("city");
  });

  it("sends a township's serious admission to its lead hospital, not the other county hospital", () => {
    expect(county.facilities[dest(byId("t09"), INPATIENT, SERIOUS)].id).toBe("tcm");
    expect(county.facilities[dest(byId("t04"), INPATIENT, SERIOUS)].id).toBe("renmin");
  });

  it("refers to a capable facility for every facility, care type and severity", () => {
    for (let f = 0; f < county.facilities.length; f++)
      for (const care of [OUTPATIENT, INPATIENT])
        for (let sev = 0; sev < N_SEVERITIES; sev++) {
          const d = dest(f, care, sev);
          expect(canTreat(capable, county.facilities[d].tier, care, sev)).toBe(true);
          // never refers down
          expect(county.facilities[d].tier).toBeGreaterThanOrEqual(county.facilities[f].tier);
        }
  });

  it("uses the first county hospital for a township outside any community", () => {
    const d = structuredClone(s.county);
    d.communities = d.communities.map((c) => ({ ...c, townships: c.townships.filter((t) => t !== "t12") }));
    const c2 = generateCounty(d, 0.02);
    const dir2 = referralDirectory(c2, capable);
    const t12 = c2.facilities.findIndex((f) => f.id === "t12");
    expect(c2.facilities[dir2[t12 * 2 * N_SEVERITIES + INPATIENT * N_SEVERITIES + SERIOUS]].id).toBe(s.county.countyHospitals[0].id);
  });
});

describe("downwardReferralProbability", () => {
  it("interpolates between the fee-for-service and capitation probabilities by the lead hospital's effort", () => {
    // FFS 0.03, capitation 0.12
    expect(downwardReferralProbability(0.03, 0.12, 0)).toBeCloseTo(0.03, 15);
    expect(downwardReferralProbability(0.03, 0.12, 1)).toBeCloseTo(0.12, 15);
    expect(downwardReferralProbability(0.03, 0.12, 0.6)).toBeCloseTo(0.03 + 0.6 * 0.09, 15); // 0.084
  });
});

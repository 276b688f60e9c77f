/**
 * The month-start OOP table (ClaimPricer.oopFresh) is a shortcut: wherever `isFresh`
 * says a resident's annual state cannot bind, the table must equal pricing the option
 * from the resident's state, bit for bit; where it says not, pricing must be used.
 */
import { describe, expect, it } from "vitest";
import { countyFor } from "../../sim/simulate";
import { ClaimPricer, N_GROUPS } from "../../sim/insurance/claims";
import { referralDirectory } from "../../sim/referral";
import { capabilityIndex } from "../../sim/parameters";
import { INPATIENT, N_SEVERITIES, N_TIERS, OUTPATIENT, TIERS } from "../../sim/tier";
import { fmix32 } from "../../sim/random";
import { baseline, withPolicy } from "../helpers/scenarios";

function pricerFor(policyChanges: Record<string, unknown>) {
  const s = withPolicy(baseline(), policyChanges);
  const county = countyFor(s, 0.02);
  const capable = new Int8Array(N_TIERS * 2);
  TIERS.forEach((t, ti) => {
    capable[ti * 2 + OUTPATIENT] = capabilityIndex(s.parameters.capability.outpatient[t]);
    capable[ti * 2 + INPATIENT] = capabilityIndex(s.parameters.capability.inpatient[t]);
  });
  const facTier = Int8Array.from(county.facilities, (f) => f.tier);
  const pricer = new ClaimPricer(facTier, referralDirectory(county, capable), s.parameters);
  pricer.prepare(s.basePolicy, 1.04);
  pricer.buildFreshTable();
  return { pricer, F: facTier.length };
}

describe("ClaimPricer fresh-state table", () => {
  // A policy where every state can bind: outpatient deductibles, low caps, a poverty OOP cap.
  const { pricer, F } = pricerFor({
    "insurance.resident.outpatient.deductible": { village: 50, township: 80, county: 200, outOfCounty: 300 },
    "insurance.resident.outpatient.annualCap": 300,
    "insurance.resident.inpatient.annualCap": 20_000,
    "insurance.poverty.annualOopCap": 3_000,
  });

  it("equals per-resident pricing wherever isFresh holds, and isFresh is false where it would not", () => {
    let fresh = 0;
    let stale = 0;
    for (let k = 0; k < 20_000; k++) {
      const h = fmix32(k + 99);
      const g = h % N_GROUPS;
      const care = (h >>> 3) & 1;
      const sev = (h >>> 4) % N_SEVERITIES;
      const f = (h >>> 8) % F;
      // annual states from untouched to nearly exhausted
      const opPaid = (h >>> 12) % 4 === 0 ? 0 : ((h >>> 14) % 400);
      const opReimb = ((h >>> 16) % 8) * 40;
      const ipReimb = ((h >>> 19) % 8) * 2_800;
      const oopYear = ((h >>> 22) % 8) * 400;
      const row = (g * 2 + care) * N_SEVERITIES + sev;
      const exact = pricer.optionOop(g, f, care, sev, opPaid, opReimb, ipReimb, oopYear);
      if (pricer.isFresh(g, row, opPaid, opReimb, ipReimb, oopYear)) {
        fresh++;
        expect(pricer.oopFresh[row * F + f]).toBe(exact);
      } else stale++;
    }
    // both branches are exercised
    expect(fresh).toBeGreaterThan(1000);
    expect(stale).toBeGreaterThan(1000);
  });

  it("a resident with nothing used this year is always fresh", () => {
    for (let g = 0; g < N_GROUPS; g++) {
      for (const care of [OUTPATIENT, INPATIENT]) {
        for (let sev = 0; sev < N_SEVERITIES; sev++) {
          const row = (g * 2 + care) * N_SEVERITIES + sev;
          // unless even a fresh resident's worst option exceeds the poverty OOP cap
          const poorCapped = (g & 2) !== 0 && pricer.maxPathOop[row] > pricer.poorOopCap;
          expect(pricer.isFresh(g, row, 0, 0, 0, 0)).toBe(!poorCapped);
        }
      }
    }
  });
});

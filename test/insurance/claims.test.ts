/**
 * The month-start OOP table (ClaimPricer.oopFresh) is a shortcut: wherever `isFresh`
 * says a resident's annual state cannot bind, the table must equal pricing the option
 * from the resident's state, bit for bit; where it says not, pricing must be used.
 * The path of choosing a facility (gateway + referred destination) is one definition,
 * read by the OOP of choosing and by the kernel posting the claims.
 */
import { describe, expect, it } from "vitest";
import { countyFor } from "../../sim/simulate";
import { ClaimPricer, N_GROUPS } from "../../sim/insurance/claims";
import { referralDirectory } from "../../sim/referral";
import { capabilityIndex } from "../../sim/parameters";
import { INPATIENT, MINOR, N_SEVERITIES, N_TIERS, OUTPATIENT, TIERS, TOWNSHIP, VILLAGE } from "../../sim/tier";
import { NOT_REFERRED, REFERRED_UP } from "../../sim/insurance/deductible";
import { CLAIM_DEDUCTIBLE_PAID, CLAIM_OOP, CLAIM_REIMBURSED } from "../../sim/insurance/reimbursement";
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

describe("ClaimPricer path (beginPath, priceFirstLeg, priceReferredLeg): the one definition of what choosing a facility prices", () => {
  const s = withPolicy(baseline(), {
    "insurance.resident.outpatient.deductible": { village: 10, township: 30, county: 100, outOfCounty: 200 },
    "insurance.referralRules.continuousDeductible": true,
    "insurance.referralRules.upwardPaysDifference": true,
  });
  const county = countyFor(s, 0.02);
  const capable = new Int8Array(N_TIERS * 2);
  TIERS.forEach((t, ti) => {
    capable[ti * 2 + OUTPATIENT] = capabilityIndex(s.parameters.capability.outpatient[t]);
    capable[ti * 2 + INPATIENT] = capabilityIndex(s.parameters.capability.inpatient[t]);
  });
  const facTier = Int8Array.from(county.facilities, (f) => f.tier);
  const refDir = referralDirectory(county, capable);
  const pricer = new ClaimPricer(facTier, refDir, s.parameters);
  pricer.prepare(s.basePolicy, 1.04);
  const F = facTier.length;
  const claimOf = () => Array.from(pricer.claim);

  it("legs: the own treatment, or a gateway (consultation, or a stay ending in transfer where f has beds) then the referred treatment at the directory's destination", () => {
    let referred = 0;
    let stays = 0;
    for (const g of [0, 3, 6]) // resident scheme; poor and contracted; employee scheme, poor
      for (const care of [OUTPATIENT, INPATIENT])
        for (let sev = 0; sev < N_SEVERITIES; sev++)
          for (let f = 0; f < F; f++) {
            const dest = refDir[f * 2 * N_SEVERITIES + care * N_SEVERITIES + sev];
            const costs = care === OUTPATIENT ? pricer.costOutpatient : pricer.costInpatient;
            pricer.beginPath(g, f, care, sev);
            expect([pricer.pathFirst, pricer.pathDest]).toEqual([f, dest]);
            const oop0 = pricer.priceFirstLeg(pricer.firstCost, 0, 0, 0, 0);
            const leg0 = claimOf();
            if (dest === f) {
              expect([pricer.firstCare, pricer.firstCost]).toEqual([care, costs[facTier[f] * N_SEVERITIES + sev]]);
              pricer.price(g, f, care, costs[facTier[f] * N_SEVERITIES + sev], NOT_REFERRED, 0, 0, 0, 0, 0, 0);
              expect(leg0).toEqual(claimOf());
              expect(pricer.optionOop(g, f, care, sev, 0, 0, 0, 0)).toBe(oop0);
              continue;
            }
            referred++;
            const stay = care === INPATIENT && facTier[f] !== VILLAGE;
            if (stay) stays++;
            const gwCare = stay ? INPATIENT : OUTPATIENT;
            const gwCost = stay ? s.parameters.costs.transferStayFactor * pricer.costInpatient[facTier[f] * N_SEVERITIES + sev] : pricer.costOutpatient[facTier[f] * N_SEVERITIES + MINOR];
            expect([pricer.firstCare, pricer.firstCost]).toEqual([gwCare, gwCost]);
            pricer.price(g, f, gwCare, gwCost, NOT_REFERRED, 0, 0, 0, 0, 0, 0);
            expect(leg0).toEqual(claimOf());
            // the referred leg, priced at a later annual state, carries the gateway stay's deductible paid and the township standard
            const oop1 = pricer.priceReferredLeg(pricer.referredCost, 5, 7, 11, 13);
            expect(pricer.referredCost).toBe(costs[facTier[dest] * N_SEVERITIES + sev]);
            const leg1 = claimOf();
            const paid = stay ? leg0[CLAIM_DEDUCTIBLE_PAID] : 0;
            const std = stay && facTier[f] === TOWNSHIP ? pricer.ipDeductible[g * N_TIERS + TOWNSHIP] : 0;
            pricer.price(g, dest, care, costs[facTier[dest] * N_SEVERITIES + sev], REFERRED_UP, paid, std, 5, 7, 11, 13);
            expect(leg1).toEqual(claimOf());
            expect(oop1).toBe(leg1[CLAIM_OOP]);
          }
    expect(referred).toBeGreaterThan(100);
    expect(stays).toBeGreaterThan(10);
  });

  it("optionOop is the path with every leg at the state when choosing", () => {
    for (let k = 0; k < 5_000; k++) {
      const h = fmix32(k + 7);
      const g = h % N_GROUPS;
      const care = (h >>> 3) & 1;
      const sev = (h >>> 4) % N_SEVERITIES;
      const f = (h >>> 8) % F;
      const st = [((h >>> 12) % 4) * 10, ((h >>> 14) % 8) * 40, ((h >>> 17) % 8) * 2_800, ((h >>> 20) % 8) * 400] as const;
      const oop = pricer.optionOop(g, f, care, sev, ...st);
      const op = pricer.pathOpReimb;
      const ip = pricer.pathIpReimb;
      pricer.beginPath(g, f, care, sev);
      let sum = pricer.priceFirstLeg(pricer.firstCost, ...st);
      let opSum = pricer.firstCare === OUTPATIENT ? pricer.claim[CLAIM_REIMBURSED] : 0;
      let ipSum = pricer.firstCare === INPATIENT ? pricer.claim[CLAIM_REIMBURSED] : 0;
      if (pricer.pathDest !== f) {
        sum += pricer.priceReferredLeg(pricer.referredCost, ...st);
        if (care === OUTPATIENT) opSum += pricer.claim[CLAIM_REIMBURSED];
        else ipSum += pricer.claim[CLAIM_REIMBURSED];
      }
      expect([oop, op, ip]).toEqual([sum, opSum, ipSum]);
    }
  });

  it("a gated path (required first contact): the primary doctor's consultation, then the treatment where the wanted facility treats it, with or without the referral", () => {
    for (const without of ["none", "reduced"] as const) {
      const gp = new ClaimPricer(facTier, refDir, s.parameters);
      gp.prepare(withPolicy(s, { "insurance.firstContact": { rule: "required", reimbursedWithoutReferral: without } }).basePolicy, 1.04);
      const primary = Array.from(facTier.keys()).filter((f) => facTier[f] === VILLAGE || facTier[f] === TOWNSHIP).slice(0, 12);
      const upper = Array.from(facTier.keys()).filter((f) => facTier[f] > TOWNSHIP);
      let n = 0;
      for (const g of [0, 3, 6])
        for (const care of [OUTPATIENT, INPATIENT])
          for (let sev = 0; sev < N_SEVERITIES; sev++)
            for (const gw of primary)
              for (const wanted of upper) {
                const dest = refDir[wanted * 2 * N_SEVERITIES + care * N_SEVERITIES + sev];
                const costs = care === OUTPATIENT ? gp.costOutpatient : gp.costInpatient;
                gp.beginGatedPath(g, gw, dest, care, sev);
                expect([gp.pathFirst, gp.pathDest, gp.firstCare, gp.pathCare]).toEqual([gw, dest, OUTPATIENT, care]);
                expect([gp.firstCost, gp.referredCost]).toEqual([gp.costOutpatient[facTier[gw] * N_SEVERITIES + MINOR], costs[facTier[dest] * N_SEVERITIES + sev]]);
                // the referred leg carries nothing from a consultation: the same priced before the first leg or after it
                const before = gp.priceReferredLeg(gp.referredCost * 1.1, 5, 7, 11, 13);
                const legBefore = Array.from(gp.claim);
                gp.price(g, dest, care, gp.referredCost * 1.1, REFERRED_UP, 0, 0, 5, 7, 11, 13);
                expect(legBefore).toEqual(Array.from(gp.claim));
                const consult = gp.priceFirstLeg(gp.firstCost, 0, 0, 0, 0);
                const first = Array.from(gp.claim);
                gp.price(g, gw, OUTPATIENT, gp.firstCost, NOT_REFERRED, 0, 0, 0, 0, 0, 0);
                expect(first).toEqual(Array.from(gp.claim));
                expect(consult).toBe(first[CLAIM_OOP]);
                expect(gp.priceReferredLeg(gp.referredCost * 1.1, 5, 7, 11, 13)).toBe(before);
                // without the referral: priceWithoutReferral at the destination
                const unreferred = gp.priceReferredLegWithoutReferral(gp.referredCost, 5, 7, 11, 13);
                const leg = Array.from(gp.claim);
                gp.priceWithoutReferral(g, dest, care, gp.referredCost, 5, 7, 11, 13);
                expect(leg).toEqual(Array.from(gp.claim));
                expect(unreferred).toBe(leg[CLAIM_OOP]);
                if (without === "none") expect(leg[CLAIM_REIMBURSED]).toBe(0);
                n++;
              }
      expect(n).toBeGreaterThan(500);
    }
  });
});

/**
 * The lead county hospital's yearly strategy (sim/strategy/leadHospital.ts): the payment
 * signal on hand-worked cases, and every lever moving in opposite directions under
 * fee-for-service (signal +1) and a capitation package with surplus retention (signal −1).
 */
import { describe, expect, it } from "vitest";
import { CapitationPackage, type PackageTerms } from "../../sim/payment/capitation-package";
import { FeeForService } from "../../sim/payment/fee-for-service";
import { leadHospitalLevers, NEUTRAL_LEVERS, paymentSignal, type LeadLevers, type PaymentSituation, type StrategyParameters } from "../../sim/strategy/leadHospital";

// explicit values (the defaults live in data/parameters.yaml; maxBedReduction > 0 here so trimming shows)
const P: StrategyParameters = {
  responsiveness: 0.6,
  margin: 0.15,
  maxBedGrowth: 0.08,
  maxBedReduction: 0.02,
  expansionOccupancy: 0.85,
  opennessUtility: 0.5,
  maxSendDownDays: 8,
  maxPostingShare: 0.03,
  maxInvestmentShare: 0.3,
};

const terms = (surplusRetainedShare: number): PackageTerms => ({
  communities: "all", basis: "premium", shareOfPremium: 0.9, growthAllowance: 0, coversEmployeeScheme: false,
  surplusRetainedShare, overspendInsurerShare: 0.5, fundNeverNegative: true, reserveCoversDeficits: true,
});

/** County encounter: fee 1,000 yuan, claim 700; township claim 200 → margin 150, claim gap 500. */
const situation = (capitated: boolean, surplusRetainedShare: number): PaymentSituation => ({
  payment: capitated ? new CapitationPackage(terms(surplusRetainedShare)) : new FeeForService(),
  countyCostPerEncounter: 1000,
  countyClaimPerEncounter: 700,
  townshipClaimPerEncounter: 200,
});

/** −0 and +0 are the same lever setting. */
const plain = (l: LeadLevers) => Object.fromEntries(Object.entries(l).map(([k, v]) => [k, v === 0 ? 0 : v]));

describe("paymentSignal", () => {
  it("+1 under fee-for-service, whatever the retention or the claims", () => {
    expect(paymentSignal(situation(false, 0), 0.15)).toBe(1);
    expect(paymentSignal(situation(false, 1), 0.15)).toBe(1);
    expect(paymentSignal({ ...situation(false, 1), townshipClaimPerEncounter: 0 }, 0.05)).toBe(1);
  });

  it("clipped to −1 under capitation with full retention", () => {
    // value = 0.15 × 1000 − 1 × (700 − 200) = 150 − 500 = −350 → −350 / 150 = −2.33 → −1
    expect(paymentSignal(situation(true, 1), 0.15)).toBe(-1);
  });

  it("intermediate values when little surplus is retained", () => {
    // retention 0.2: 150 − 0.2 × 500 = 50 → 50 / 150 = +1/3 (volume still pays, less)
    expect(paymentSignal(situation(true, 0.2), 0.15)).toBeCloseTo(1 / 3, 14);
    // retention 0.5: 150 − 0.5 × 500 = −100 → −100 / 150 = −2/3
    expect(paymentSignal(situation(true, 0.5), 0.15)).toBeCloseTo(-2 / 3, 14);
    // retention 0.3: 150 − 150 = 0 → indifferent
    expect(paymentSignal(situation(true, 0.3), 0.15)).toBeCloseTo(0, 14);
    // capitated without retention: the claim gap costs the hospital nothing → +1
    expect(paymentSignal(situation(true, 0), 0.15)).toBe(1);
  });

  it("falls as more of the surplus is retained", () => {
    const r = [0, 0.1, 0.2, 0.3, 0.4, 0.5];
    const s = r.map((x) => paymentSignal(situation(true, x), 0.15));
    for (let i = 1; i < s.length; i++) expect(s[i]).toBeLessThan(s[i - 1]);
  });

  it("with no fee observed: +1 under fee-for-service, −1 under capitation with retention", () => {
    const none = { ...situation(false, 0.5), countyCostPerEncounter: 0 };
    expect(paymentSignal(none, 0.15)).toBe(1);
    expect(paymentSignal({ ...situation(true, 0.5), countyCostPerEncounter: 0 }, 0.15)).toBe(-1);
    expect(paymentSignal({ ...situation(true, 0), countyCostPerEncounter: 0 }, 0.15)).toBe(1);
  });
});

describe("leadHospitalLevers — opposite directions under fee-for-service and capitation", () => {
  const ffs = leadHospitalLevers(1, 0.95, P, true);
  const cap = leadHospitalLevers(-1, 0.95, P, true);

  it("fee-for-service (signal +1), beds 95% full, integrated: hand values", () => {
    // crowding (0.95 − 0.85) / (1 − 0.85) = 2/3 → bed growth 0.6 × 2/3 × 0.08 = 0.032
    expect(ffs.bedGrowth).toBeCloseTo(0.032, 14);
    expect(ffs.openness).toBeCloseTo(0.6, 14);
    expect(plain(ffs)).toMatchObject({ signal: 1, downwardEffort: 0, sendDownDays: 0, postingShare: 0, recruitFromMembers: 1, investmentShare: 0 });
  });

  it("capitation (signal −1): hand values", () => {
    // every lever moves by responsiveness × 1 = 0.6 of its maximum towards primary care
    expect(cap.bedGrowth).toBeCloseTo(-0.012, 14); // −0.6 × 0.02
    expect(cap.openness).toBeCloseTo(-0.6, 14);
    expect(cap.downwardEffort).toBeCloseTo(0.6, 14);
    expect(cap.sendDownDays).toBeCloseTo(4.8, 14); // 0.6 × 8
    expect(cap.postingShare).toBeCloseTo(0.018, 14); // 0.6 × 0.03
    expect(cap.recruitFromMembers).toBeCloseTo(0.4, 14); // 1 − 0.6
    expect(cap.investmentShare).toBeCloseTo(0.18, 14); // 0.6 × 0.3
  });

  it("each lever moves the other way", () => {
    expect(ffs.bedGrowth).toBeGreaterThanOrEqual(0);
    expect(cap.bedGrowth).toBeLessThanOrEqual(0);
    expect(ffs.openness).toBeGreaterThanOrEqual(0);
    expect(cap.openness).toBeLessThan(0);
    expect(ffs.downwardEffort).toBe(0);
    expect(cap.downwardEffort).toBeGreaterThan(0);
    expect(ffs.sendDownDays).toBe(0);
    expect(cap.sendDownDays).toBeGreaterThan(0);
    expect(ffs.postingShare).toBe(0);
    expect(cap.postingShare).toBeGreaterThan(0);
    expect(ffs.recruitFromMembers).toBe(1);
    expect(cap.recruitFromMembers).toBeLessThan(1);
    expect(ffs.investmentShare).toBe(0);
    expect(cap.investmentShare).toBeGreaterThan(0);
  });

  it("bed growth under fee-for-service needs crowding; none below the expansion occupancy, the maximum when full", () => {
    expect(leadHospitalLevers(1, 0.7, P, true).bedGrowth).toBe(0);
    expect(leadHospitalLevers(1, 0.85, P, true).bedGrowth).toBe(0);
    expect(leadHospitalLevers(1, 1.2, P, true).bedGrowth).toBeCloseTo(0.6 * 0.08, 14);
    // capitation trims beds whatever the occupancy
    expect(leadHospitalLevers(-1, 0.5, P, true).bedGrowth).toBeCloseTo(-0.012, 14);
  });

  it("levers are monotone in the signal from −1 to +1", () => {
    const signals = [-1, -0.75, -0.5, -0.25, 0, 0.25, 0.5, 0.75, 1];
    const l = signals.map((s) => leadHospitalLevers(s, 1, P, true));
    for (let i = 1; i < l.length; i++) {
      expect(l[i].bedGrowth).toBeGreaterThanOrEqual(l[i - 1].bedGrowth);
      expect(l[i].openness).toBeGreaterThan(l[i - 1].openness);
      expect(l[i].recruitFromMembers).toBeGreaterThanOrEqual(l[i - 1].recruitFromMembers);
      expect(l[i].downwardEffort).toBeLessThanOrEqual(l[i - 1].downwardEffort);
      expect(l[i].sendDownDays).toBeLessThanOrEqual(l[i - 1].sendDownDays);
      expect(l[i].postingShare).toBeLessThanOrEqual(l[i - 1].postingShare);
      expect(l[i].investmentShare).toBeLessThanOrEqual(l[i - 1].investmentShare);
    }
  });

  it("openness is 0 under fee-for-service when the lead hospital does not manage its members; negative under capitation either way", () => {
    expect(leadHospitalLevers(1, 0.95, P, false).openness).toBe(0);
    expect(leadHospitalLevers(0.4, 0.95, P, false).openness).toBe(0);
    expect(leadHospitalLevers(-1, 0.95, P, false).openness).toBeCloseTo(-0.6, 14);
  });

  it("responsiveness 0 → every lever neutral, whatever the signal", () => {
    const inert = { ...P, responsiveness: 0 };
    for (const signal of [-1, -0.3, 0, 0.5, 1])
      for (const integrated of [false, true]) {
        const l = leadHospitalLevers(signal, 1.1, inert, integrated);
        expect(plain(l)).toEqual({ ...NEUTRAL_LEVERS, signal: signal === 0 ? 0 : signal });
      }
  });

  it("full responsiveness reaches each maximum under capitation", () => {
    const full = leadHospitalLevers(-1, 0.9, { ...P, responsiveness: 1 }, true);
    expect(plain(full)).toEqual({ signal: -1, bedGrowth: -0.02, openness: -1, downwardEffort: 1, sendDownDays: 8, postingShare: 0.03, recruitFromMembers: 0, investmentShare: 0.3 });
  });

  it("NEUTRAL_LEVERS: the do-nothing hospital, frozen", () => {
    expect(NEUTRAL_LEVERS).toEqual({ signal: 0, bedGrowth: 0, openness: 0, downwardEffort: 0, sendDownDays: 0, postingShare: 0, recruitFromMembers: 1, investmentShare: 0 });
    expect(Object.isFrozen(NEUTRAL_LEVERS)).toBe(true);
  });
});

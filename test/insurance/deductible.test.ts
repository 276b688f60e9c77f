import { describe, expect, it } from "vitest";
import {
  NOT_REFERRED, REFERRED_DOWN, REFERRED_UP, inpatientDeductibleDue, inpatientDeductibleDueFast, outpatientDeductibleDue,
  type DeductibleRules, type InpatientDeductibleContext,
} from "../../sim/insurance/deductible";
import { CLAIM_DEDUCTIBLE_PAID, CLAIM_OOP, CLAIM_REIMBURSED, CLAIM_SIZE, settleClaim } from "../../sim/insurance/reimbursement";

const NONE: DeductibleRules = { continuousDeductible: false, upwardPaysDifference: false, downwardWaivesDeductible: false };
const CONTINUOUS: DeductibleRules = { ...NONE, continuousDeductible: true };
const UP_DIFF: DeductibleRules = { ...NONE, upwardPaysDifference: true };
const DOWN_WAIVE: DeductibleRules = { ...NONE, downwardWaivesDeductible: true };
const ALL: DeductibleRules = { continuousDeductible: true, upwardPaysDifference: true, downwardWaivesDeductible: true };

const ctx = (standard: number, referral: InpatientDeductibleContext["referral"], paidEarlier = 0, referringTownshipStandard = 0): InpatientDeductibleContext =>
  ({ standard, referral, paidEarlier, referringTownshipStandard });

describe("inpatientDeductibleDue — no rules", () => {
  it("charges the admitting tier's full standard whatever the referral", () => {
    // county standard 600; the patient already paid 150 at the township: still 600.
    expect(inpatientDeductibleDue(ctx(600, "up", 150, 150), NONE)).toBe(600);
    expect(inpatientDeductibleDue(ctx(150, "down", 0, 0), NONE)).toBe(150);
    expect(inpatientDeductibleDue(ctx(600, "none"), NONE)).toBe(600);
  });
  it("applies no referral rule to an unreferred admission even when all rules are on", () => {
    expect(inpatientDeductibleDue(ctx(600, "none", 150, 150), ALL)).toBe(600);
  });
});

describe("inpatientDeductibleDue — 连续计算起付线 (002 §9)", () => {
  it("charges only the rest of the standard after what was paid earlier in the episode", () => {
    // county 600 − 150 already paid at the township = 450
    expect(inpatientDeductibleDue(ctx(600, "up", 150), CONTINUOUS)).toBe(450);
    // out of county 1200 − 600 paid at the county hospital = 600
    expect(inpatientDeductibleDue(ctx(1200, "up", 600), CONTINUOUS)).toBe(600);
  });
  it("charges nothing when the earlier payment already exceeds the standard", () => {
    // transferred down from the county (paid 600) to a township with standard 150: 150 − 600 < 0 → 0
    expect(inpatientDeductibleDue(ctx(150, "down", 600), CONTINUOUS)).toBe(0);
  });
  it("also counts earlier payments for downward referrals when no waiver applies", () => {
    expect(inpatientDeductibleDue(ctx(150, "down", 100), CONTINUOUS)).toBe(50);
  });
});

describe("inpatientDeductibleDue — 上转补交差额 (004 §五(六))", () => {
  it("charges an upward transfer from a township only the difference of the standards", () => {
    // county 600 − township 150 = 450, whatever was actually paid at the township
    expect(inpatientDeductibleDue(ctx(600, "up", 0, 150), UP_DIFF)).toBe(450);
    // out of county 1200 − township 150 = 1050
    expect(inpatientDeductibleDue(ctx(1200, "up", 37, 150), UP_DIFF)).toBe(1050);
  });
  it("does not apply when the referring facility was not a township centre (standard 0)", () => {
    expect(inpatientDeductibleDue(ctx(600, "up", 0, 0), UP_DIFF)).toBe(600);
  });
  it("charges nothing when the township standard is the higher one", () => {
    expect(inpatientDeductibleDue(ctx(600, "up", 0, 700), UP_DIFF)).toBe(0);
  });
  it("does not apply to downward referrals", () => {
    expect(inpatientDeductibleDue(ctx(150, "down", 0, 600), UP_DIFF)).toBe(150);
  });
});

describe("inpatientDeductibleDue — 下转免起付线 (004 §五(六))", () => {
  it("waives the lower tier's deductible for a downward referral", () => {
    expect(inpatientDeductibleDue(ctx(150, "down"), DOWN_WAIVE)).toBe(0);
  });
  it("does not waive it for upward or unreferred admissions", () => {
    expect(inpatientDeductibleDue(ctx(600, "up", 150, 150), DOWN_WAIVE)).toBe(600);
    expect(inpatientDeductibleDue(ctx(150, "none"), DOWN_WAIVE)).toBe(150);
  });
});

describe("inpatientDeductibleDue — combinations: the lowest applies", () => {
  it("continuous (1200 − 400 = 800) beats difference (1200 − 300 = 900)", () => {
    expect(inpatientDeductibleDue(ctx(1200, "up", 400, 300), { ...CONTINUOUS, upwardPaysDifference: true })).toBe(800);
  });
  it("difference (1200 − 300 = 900) beats continuous (1200 − 100 = 1100)", () => {
    // paid only 100 at the township because the transfer stay's eligible cost was small
    expect(inpatientDeductibleDue(ctx(1200, "up", 100, 300), { ...CONTINUOUS, upwardPaysDifference: true })).toBe(900);
  });
  it("the waiver wins outright for downward referrals", () => {
    expect(inpatientDeductibleDue(ctx(150, "down", 20, 0), ALL)).toBe(0);
  });
  it("with all rules on an upward transfer still pays the lower of the two reductions", () => {
    // continuous: 600 − 150 = 450; difference: 600 − 150 = 450 → 450 (not 300: rules do not stack)
    expect(inpatientDeductibleDue(ctx(600, "up", 150, 150), ALL)).toBe(450);
  });
});

describe("inpatientDeductibleDueFast", () => {
  it("agrees with the object form on a grid of cases", () => {
    const referrals = [["none", NOT_REFERRED], ["up", REFERRED_UP], ["down", REFERRED_DOWN]] as const;
    const bools = [false, true];
    let n = 0;
    for (const [kind, code] of referrals)
      for (const standard of [0, 150, 600, 1200])
        for (const paid of [0, 100, 600, 2000])
          for (const refStd of [0, 150, 700])
            for (const c of bools) for (const u of bools) for (const d of bools) {
              const slow = inpatientDeductibleDue(ctx(standard, kind, paid, refStd), { continuousDeductible: c, upwardPaysDifference: u, downwardWaivesDeductible: d });
              expect(inpatientDeductibleDueFast(standard, code, paid, refStd, c, u, d)).toBe(slow);
              expect(slow).toBeGreaterThanOrEqual(0);
              expect(slow).toBeLessThanOrEqual(standard);
              n++;
            }
    expect(n).toBe(3 * 4 * 4 * 3 * 8);
  });
});

describe("outpatientDeductibleDue — one annual deductible across visits", () => {
  it("is counted down by what each visit paid towards it", () => {
    // Annual outpatient deductible 200, rate 50%, all in policy.
    const claim = new Float64Array(CLAIM_SIZE);
    let paid = 0;
    const visit = (cost: number) => {
      const due = outpatientDeductibleDue(200, paid);
      settleClaim(cost, 1, due, 0.5, Infinity, Infinity, claim);
      paid += claim[CLAIM_DEDUCTIBLE_PAID];
      return { due, deductible: claim[CLAIM_DEDUCTIBLE_PAID], reimbursed: claim[CLAIM_REIMBURSED], oop: claim[CLAIM_OOP] };
    };
    // visit 1: 80 yuan, 200 due → all 80 towards the deductible, nothing reimbursed.
    expect(visit(80)).toEqual({ due: 200, deductible: 80, reimbursed: 0, oop: 80 });
    // visit 2: 150 yuan, 120 due → 120 deductible, 50% of the remaining 30 = 15 reimbursed.
    expect(visit(150)).toEqual({ due: 120, deductible: 120, reimbursed: 15, oop: 135 });
    // visit 3: deductible met → 50% of 60 reimbursed.
    expect(visit(60)).toEqual({ due: 0, deductible: 0, reimbursed: 30, oop: 30 });
    expect(paid).toBe(200);
  });
  it("never goes negative", () => {
    expect(outpatientDeductibleDue(200, 0)).toBe(200);
    expect(outpatientDeductibleDue(200, 199.5)).toBe(0.5);
    expect(outpatientDeductibleDue(200, 250)).toBe(0);
    expect(outpatientDeductibleDue(0, 0)).toBe(0);
  });
});

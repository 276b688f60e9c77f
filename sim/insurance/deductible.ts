/**
 * Starting-line (起付线) rules.
 *
 * Outpatient: one annual deductible per resident (门诊统筹), counted across visits.
 * Inpatient: a deductible per admission, with the seeds' referral rules:
 *  - 连续计算起付线 (002_cfc78cb0d70fb95d.txt §9): a referred inpatient's deductible counts
 *    what was already paid in the same episode — they pay max(0, D − paid so far);
 *  - 上转补交差额 (004_95fd1871afdd6e42.txt §五(六)): a patient transferred up from a township
 *    centre pays only the difference between the two tiers' standard deductibles;
 *  - 下转免起付线 (same clause): a downward-referred patient pays no deductible below.
 */

export type ReferralKind = "none" | "up" | "down";

export interface DeductibleRules {
  continuousDeductible: boolean;
  upwardPaysDifference: boolean;
  downwardWaivesDeductible: boolean;
}

export interface InpatientDeductibleContext {
  /** standard deductible of the admitting tier (after poverty adjustment), yuan */
  standard: number;
  referral: ReferralKind;
  /** deductible actually paid earlier in this episode (at the referring facility), yuan */
  paidEarlier: number;
  /** standard deductible of the referring tier, when it was a township centre; else 0 */
  referringTownshipStandard: number;
}

/** Deductible due for one admission. Where several rules apply the patient gets the lowest. */
export function inpatientDeductibleDue(ctx: InpatientDeductibleContext, rules: DeductibleRules): number {
  const referral = ctx.referral === "up" ? REFERRED_UP : ctx.referral === "down" ? REFERRED_DOWN : NOT_REFERRED;
  return inpatientDeductibleDueFast(
    ctx.standard, referral, ctx.paidEarlier, ctx.referringTownshipStandard,
    rules.continuousDeductible, rules.upwardPaysDifference, rules.downwardWaivesDeductible,
  );
}

export const NOT_REFERRED = 0;
export const REFERRED_UP = 1;
export const REFERRED_DOWN = 2;

/** The same rule with positional arguments, for the allocation-free hot loop. */
export function inpatientDeductibleDueFast(
  standard: number,
  referral: number,
  paidEarlier: number,
  referringTownshipStandard: number,
  continuous: boolean,
  upwardPaysDifference: boolean,
  downwardWaives: boolean,
): number {
  if (referral === REFERRED_DOWN && downwardWaives) return 0;
  let due = standard;
  if (referral !== NOT_REFERRED && continuous) {
    const rest = standard - paidEarlier;
    if (rest < due) due = rest > 0 ? rest : 0;
  }
  if (referral === REFERRED_UP && upwardPaysDifference && referringTownshipStandard > 0) {
    const diff = standard - referringTownshipStandard;
    if (diff < due) due = diff > 0 ? diff : 0;
  }
  return due;
}

/** Remaining annual outpatient deductible given what the resident has paid this year. */
export function outpatientDeductibleDue(annualStandard: number, paidThisYear: number): number {
  return Math.max(0, annualStandard - paidThisYear);
}

/**
 * Per-diem payment (按床日付费; 002_cfc78cb0d70fb95d.txt §18 按人头付费、按床日付费、总额预付等
 * 多种付费方式相结合; 000_d976d86ac1f892b7.txt §二(二) 探索实行按人头、按床日、按单病种、
 * 按疾病诊断相关分组（DRGs）等多种付费方式相结合): an admission at a tier the scheme pays earns
 * a rate per bed-day. Its bed-days are the condition group's stay at the tier
 * (caseMix.lengthOfStay) × the severity weight; the insurer pays bed-days × the tier's
 * rate (payment.perDiem.ratePerBedDay, 2018 yuan grown by costs.annualPriceGrowth) less
 * what the resident and medical assistance pay, never less than nothing. Everything else
 * is paid as a claim.
 *
 * Providers respond: stays lengthen by casePayment.lengthOfStayChange.perDiem (a payment
 * per day rewards days), the cost of care with them (× dailyCostShare).
 */
import type { Encounter } from "../engine/encounter";
import type { Policy } from "../policy";
import { N_TIERS } from "../tier";
import { CASE_TIER_INDEX, CASE_TIERS } from "./case-mix";
import { InsurerPaidCases } from "./insurer-cases";
import type { SchemeEnvironment } from "./scheme";

export type PerDiemTerms = NonNullable<Policy["payment"]["perDiem"]>;

export class PerDiem extends InsurerPaidCases {
  readonly name: string = "perDiem";
  /** this year's rate per bed-day, yuan: [tier] */
  readonly rate = new Float64Array(N_TIERS);

  constructor(terms: PerDiemTerms, env: SchemeEnvironment) {
    super(terms.tiers, env, "perDiem");
    for (const t of CASE_TIERS) this.rate[CASE_TIER_INDEX[t]] = terms.ratePerBedDay[t] * env.priceIndex;
  }

  casePayment(e: Encounter): number {
    if (e.caseKind === 0) return e.reimbursed;
    e.bedDays = this.mix.stay(e.group, e.severity, e.tier) * this.stayFactor;
    e.standard = e.bedDays * this.rate[e.tier];
    return Math.max(0, e.standard - e.oop - e.assistance);
  }
}

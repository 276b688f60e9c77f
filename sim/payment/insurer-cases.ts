/**
 * What the three case-based schemes (DRG points, per diem, per disease) share: the
 * insurer pays their cases (nothing comes from a package, nothing is charged to the
 * community, nothing is prepaid), they pay admissions only at their tiers, and their
 * providers change stays — and the cost of care with them — by the scheme's
 * lengthOfStayChange (sim/payment/case-mix.ts stayResponse). Each scheme says what a case
 * earns (casePayment) and may narrow which cases it pays (caseCost).
 */
import type { Encounter } from "../engine/encounter";
import type { Parameters } from "../parameters";
import { stayResponse, tierMask, type CaseMix, type CaseTier } from "./case-mix";
import { CASE_PAID, type PaymentScheme, type SchemeEnvironment } from "./scheme";

export abstract class InsurerPaidCases implements PaymentScheme {
  abstract readonly name: string;
  readonly paidFromPackage = false;
  readonly chargesCommunity = false;
  /** 1 for the tiers whose admissions it pays */
  readonly inScope: Uint8Array;
  protected readonly mix: CaseMix;
  /** a paid case's stay and cost of care, relative to fee-for-service */
  protected readonly stayFactor: number;
  protected readonly costFactor: number;

  constructor(tiers: Record<CaseTier, boolean>, env: SchemeEnvironment, scheme: keyof Parameters["casePayment"]["lengthOfStayChange"]) {
    this.mix = env.caseMix;
    this.inScope = tierMask(tiers);
    ({ stayFactor: this.stayFactor, costFactor: this.costFactor } = stayResponse(env.parameters.casePayment, scheme));
  }

  monthlyPrepayment(): null {
    return null;
  }

  /** The insurer pays the cases, not the community: one more county case costs it nothing (as fee-for-service). */
  countyCaseCost(): number {
    return 0;
  }

  /** Every admission at the scheme's tiers is its case, at the changed cost of care. */
  caseCost(e: Encounter, cost: number): number {
    if (this.inScope[e.tier] === 0) return cost;
    e.caseKind = CASE_PAID;
    return cost * this.costFactor;
  }

  abstract casePayment(e: Encounter): number;
}

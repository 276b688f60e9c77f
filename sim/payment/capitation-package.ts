/**
 * The capitation package (按人头总额打包付费) as a payment scheme: the insurer pre-allocates
 * the package monthly, the package pays every claim of its enrolled residents wherever
 * they are treated, and the year-end balance is settled by the package's rules — the
 * arithmetic is in sim/payment/capitation.ts. Under surplus retention (结余留用) one more
 * county-hospital case costs the community the retained share of its extra claim over a
 * township's.
 */
import type { Policy } from "../policy";
import { monthlyPrepayment, monthlyPrepaymentFromClaims, settleYear, type Settlement } from "./capitation";
import type { PaymentScheme, PrepaymentBasis } from "./scheme";

export type PackageTerms = Policy["payment"]["capitation"];

export class CapitationPackage implements PaymentScheme {
  readonly name: string = "capitation";
  readonly paidFromPackage = true;
  readonly chargesCommunity: boolean;
  /** a yuan of care not delivered to the community's own package patient stays in the package, of which it keeps the retained share */
  readonly keptShareOfSaving: number;

  constructor(readonly terms: PackageTerms) {
    this.chargesCommunity = terms.surplusRetainedShare > 0;
    this.keptShareOfSaving = terms.surplusRetainedShare;
  }

  monthlyPrepayment(b: PrepaymentBasis): number {
    const t = this.terms;
    if (t.basis === "premium") return monthlyPrepayment(t.shareOfPremium, b.premiumPerCapita, b.enrolled);
    if (b.lastYearComplete) return monthlyPrepaymentFromClaims(b.lastYearClaims, t.growthAllowance);
    throw new RangeError("payment.capitation.basis = lastYearClaims needs a full calendar year of claims before the package starts: set simulation.burnInMonths ≥ 12 or start the package a year later");
  }

  settle(balance: number, reserve: number, insurerFundBalance: number): Settlement {
    return settleYear(balance, reserve, insurerFundBalance, this.terms);
  }

  countyCaseCost(c: { countyClaimPerEncounter: number; townshipClaimPerEncounter: number }): number {
    return this.terms.surplusRetainedShare * (c.countyClaimPerEncounter - c.townshipClaimPerEncounter);
  }
}

/**
 * Capitation package (按人头总额打包付费; 000_d976d86ac1f892b7.txt §二(二), 002 §18, 003 §三).
 *
 * The insurer pre-allocates each month one twelfth of the package to the medical community
 * (总额预拨): shareOfPremium × premium × enrolled insured, or last year's claims of the
 * enrolled × (1 + growthAllowance) when the package is sized on spending. The package pays every claim of
 * its enrolled residents wherever they are treated, including out of the county (县外就医
 * 从打包基金中扣除). At year end (年终结算) the balance is settled:
 *  - surplus: the community keeps surplusRetainedShare (结余留用) in its reserve, the rest
 *    returns to the fund;
 *  - deficit: the community's retained reserve covers it first (if reserveCoversDeficits,
 *    "结余部分可用于弥补历年或以后医保资金总额不足"), then the insurer pays
 *    overspendInsurerShare of the rest (合理超支分担), limited to the fund's balance (net of
 *    claims it has deferred) when fundNeverNegative (基金不穿底, 003 §三); the community
 *    bears the remainder (超支自付). The cap is step 5 of the fund guard; the monthly steps
 *    (deferred claims first, prepayment cut, direct claims deferred) are in
 *    sim/payment/fund-guard.ts and sim/books.ts.
 */

export interface SettlementRules {
  surplusRetainedShare: number;
  overspendInsurerShare: number;
  fundNeverNegative: boolean;
  reserveCoversDeficits: boolean;
}

export interface Settlement {
  /** surplus kept by the community (into its reserve) */
  retained: number;
  /** surplus returned to the insurer */
  returned: number;
  /** deficit covered from the community's earlier retained reserve */
  fromReserve: number;
  /** deficit paid by the insurer */
  insurerPays: number;
  /** deficit borne by the community's own funds */
  communityBears: number;
}

/** Monthly pre-allocation for one community and scheme, sized on premium revenue. */
export function monthlyPrepayment(shareOfPremium: number, premiumPerCapita: number, enrolled: number): number {
  return (shareOfPremium * premiumPerCapita * enrolled) / 12;
}

/** Monthly pre-allocation sized on last calendar year's claims of the enrolled residents. */
export function monthlyPrepaymentFromClaims(lastYearClaims: number, growthAllowance: number): number {
  return (lastYearClaims * (1 + growthAllowance)) / 12;
}

/** Year-end settlement of a package balance (prepaid − claims). Pure; amounts ≥ 0. */
export function settleYear(balance: number, reserve: number, insurerFundBalance: number, rules: SettlementRules): Settlement {
  const s: Settlement = { retained: 0, returned: 0, fromReserve: 0, insurerPays: 0, communityBears: 0 };
  if (balance >= 0) {
    s.retained = balance * rules.surplusRetainedShare;
    s.returned = balance - s.retained;
    return s;
  }
  let deficit = -balance;
  if (rules.reserveCoversDeficits) {
    s.fromReserve = Math.min(deficit, Math.max(0, reserve));
    deficit -= s.fromReserve;
  }
  let insurer = deficit * rules.overspendInsurerShare;
  if (rules.fundNeverNegative) insurer = Math.min(insurer, Math.max(0, insurerFundBalance));
  s.insurerPays = insurer;
  s.communityBears = deficit - insurer;
  return s;
}

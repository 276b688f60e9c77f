/**
 * Payment schemes (支付方式) as plug-ins: how a medical community is paid for the care
 * of the insured residents it covers, one scheme per community × insurance scheme,
 * chosen each month from the policy in force (sim/payment/registry.ts).
 *
 * A scheme answers four questions, and the engine asks nothing else about payment:
 *   - who pays for an encounter — the insurer of the resident's scheme, or the
 *     community's package (the books post it there; sim/books.ts) — and how much: the
 *     claim, or (a case-based scheme: per disease, DRG) its own payment for the case;
 *   - what it moves each month: a pre-allocation to the package (总额预拨), or nothing;
 *   - how its part of a package balance is settled at year end (年终结算);
 *   - what one more county-hospital case instead of a township case costs the community
 *     out of its own money — the lead hospital's strategy weighs it against its margin
 *     on the fee (sim/strategy/leadHospital.ts).
 * The books' identity does not depend on the scheme: facility revenue = scheme payments
 * + out-of-pocket + medical assistance.
 */
import type { Encounter } from "../engine/encounter";
import type { CountyCaseCharge } from "../strategy/leadHospital";
import type { Settlement } from "./capitation";

/** What a monthly pre-allocation may be sized on. */
export interface PrepaymentBasis {
  /** premium revenue per insured person per year of the insurance scheme, yuan */
  premiumPerCapita: number;
  /** insured persons of the scheme enrolled with the community */
  enrolled: number;
  /** last calendar year's claims of those enrolled, and whether that year was observed in full */
  lastYearClaims: number;
  lastYearComplete: boolean;
}

export interface PaymentScheme extends CountyCaseCharge {
  /** the registry name (sim/payment/registry.ts) */
  readonly name: string;
  /** claims of the residents it covers are paid from the community's package (else by their insurer) */
  readonly paidFromPackage: boolean;
  /** this month's pre-allocation from the insurer to the community's package, yuan; null = none */
  monthlyPrepayment(b: PrepaymentBasis): number | null;
  /**
   * Year-end settlement of this scheme's part of the package: its share of the balance
   * (prepaid − claims) and of the community's earlier reserve, with the insurer's fund
   * balance (基金不穿底). Only schemes that prepay a package have one.
   */
  settle?(balance: number, reserve: number, insurerFundBalance: number): Settlement;
  /**
   * A case-based scheme's payment to the facility for this encounter, yuan (the resident
   * still pays `e.oop` by the benefit rules). Without it the payer pays the claim,
   * `e.reimbursed`. Called from the hot path: must not allocate.
   */
  casePayment?(e: Encounter): number;
}

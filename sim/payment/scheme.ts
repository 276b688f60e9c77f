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
 *
 * A case-based scheme (per-disease, DRG points, per-diem: sim/payment/per-disease.ts,
 * drg.ts, per-diem.ts) also answers, for each inpatient case (an encounter with a
 * condition group, sim/payment/case-mix.ts):
 *   - how its providers deliver the case when paid this way (caseCost: a shorter stay
 *     under a fixed price, a longer one per bed-day) and how it pays it (e.caseKind);
 *   - what it pays for it (casePayment: the case's standard revenue less what the
 *     resident and medical assistance pay, or the claim for a case off its list);
 *   - and, for a scheme under a budget (DRG points), its monthly share of the year's
 *     budget and the point value that spends exactly that budget (年终清算).
 * The resident's OOP stays what the benefit rules charge on the cost of care.
 */
import type { Encounter } from "../engine/encounter";
import type { Parameters } from "../parameters";
import type { CountyCaseCharge } from "../strategy/leadHospital";
import type { Settlement } from "./capitation";
import type { CaseMix } from "./case-mix";

/** Encounter.caseKind flags: how a case-based scheme paid a case. */
export const CASE_PAID = 1;
/** a case within the scheme's tiers paid as a claim: its disease is not on the tier's list, or providers recorded it off the list */
export const CASE_OFF_LIST = 2;
/** recorded one group heavier than it is (DRG upcoding) */
export const CASE_UPCODED = 4;

/** What a scheme is made with each month, besides the policy. */
export interface SchemeEnvironment {
  readonly parameters: Parameters;
  readonly caseMix: CaseMix;
  /** unit costs this year ÷ 2018 (costs.annualPriceGrowth): list prices and bed-day rates grow with it */
  readonly priceIndex: number;
}

/** What a budget for case payments may be sized on (one community × insurance scheme). */
export interface CaseBudgetBasis {
  premiumPerCapita: number;
  enrolled: number;
  /** what the insurer paid last calendar year for the enrolled's admissions (inpatient cases), by tier of the facility: [tier] */
  lastYearCaseClaims: ArrayLike<number>;
  lastYearComplete: boolean;
}

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
   * `e.reimbursed`. It may record what it paid by in `e.points`, `e.bedDays` and
   * `e.standard` (a fixed standard: the facility's revenue for the case), and reads
   * `e.caseKind` as `caseCost` set it (the kernel sets points, bedDays and standard to 0
   * first). Called for every encounter of the residents it covers, from the hot path:
   * must not allocate.
   */
  casePayment?(e: Encounter): number;
  /**
   * An inpatient case (e.group ≥ 0; e.facility, e.tier, e.severity, e.caseKey set) as the
   * scheme's providers deliver it: the cost of care given its cost under fee-for-service,
   * with how the case is paid in `e.caseKind` (CASE_* flags; 0 = not by this scheme).
   * Called before the claim is priced, so the resident's OOP follows the cost delivered.
   * Without it the cost is unchanged. Must not allocate.
   */
  caseCost?(e: Encounter, cost: number): number;
  /**
   * A scheme paid under a budget (DRG points, 区域总额预算): this month's share of the
   * year's budget for the cases it pays, yuan. The books settle it at year end with
   * `pointValue`.
   */
  monthlyCaseBudget?(b: CaseBudgetBasis): number;
  /**
   * The year's point value (yuan per point) that spends exactly `budget` on cases whose
   * patients paid `patientPayments` (OOP + medical assistance) and earned `points`:
   * each case's revenue is points × value, of which the insurer pays what the patient did not.
   */
  pointValue?(budget: number, points: number, patientPayments: number): number;
}

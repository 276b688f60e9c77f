/**
 * DRG / DIP points under a budget (按疾病诊断相关分组付费 / 按病种分值付费; 001_ca634c5edf7b7e03.txt
 * item 16 (§六(六)) 扩大DRGs付费试点范围 … 进一步调整完善总额控制付费结算办法, 坚持以收定支;
 * 002_cfc78cb0d70fb95d.txt §18 鼓励实行按疾病诊断相关组付费（DRGs）… 可将点数法与预算管理、
 * 按病种付费等相结合).
 *
 * Each admission at a tier the scheme pays earns points:
 *   points = 100 × relativeWeight(group) × severity weight × tierCoefficient(tier)
 * (a common-severity county case of average weight = 100 points). The year's budget for
 * these cases is set in advance (basis lastYearClaims: what the insurer paid for the same
 * tiers' admissions of the enrolled last calendar year × (1 + growthAllowance), 总额控制;
 * basis premium: shareOfPremium × the enrolled's premium revenue, 以收定支) and accrues
 * monthly. During the year the insurer pays each case's claim as an interim payment
 * (月度预付); at year end (年终清算) the point value is set so the cases' total revenue,
 * points × value, equals the budget plus what their patients paid:
 *   value = (budget + OOP + medical assistance) ÷ points
 * and each facility is paid (or pays back) the difference between its points × value −
 * its patients' payments and its interim payments. So the insurer pays exactly the
 * budget — the identity the books check at settlement (sim/books.ts).
 *
 * Providers respond: stays shorten by casePayment.lengthOfStayChange.drg (cost with them,
 * × dailyCostShare); upcodingShare of the cases are recorded one group heavier (the next
 * severity of their condition group, 高套分组), which raises points per case and, under a
 * fixed budget, lowers the point value.
 */
import type { Encounter } from "../engine/encounter";
import type { Policy } from "../policy";
import { CRITICAL, N_TIERS } from "../tier";
import { CASE_DRAW, CASE_TIER_INDEX, CASE_TIERS, caseUniform } from "./case-mix";
import { InsurerPaidCases } from "./insurer-cases";
import { CASE_UPCODED, type CaseBudgetBasis, type SchemeEnvironment } from "./scheme";

export type DrgTerms = NonNullable<Policy["payment"]["drg"]>;

/** Points of a case: 100 × cost weight × severity weight × tier coefficient. */
export function casePoints(relativeWeight: number, severityWeight: number, tierCoefficient: number): number {
  return 100 * relativeWeight * severityWeight * tierCoefficient;
}

/** The budget-neutral point value: (budget + patients' payments) ÷ points (0 when no points). */
export function budgetNeutralPointValue(budget: number, points: number, patientPayments: number): number {
  return points > 0 ? (budget + patientPayments) / points : 0;
}

export class DrgPoints extends InsurerPaidCases {
  readonly name: string = "drg";
  /** points multiplier: [tier] */
  readonly coefficient = new Float64Array(N_TIERS);
  private readonly upcoding: number;

  constructor(readonly terms: DrgTerms, env: SchemeEnvironment) {
    super(terms.tiers, env, "drg");
    for (const t of CASE_TIERS) this.coefficient[CASE_TIER_INDEX[t]] = terms.tierCoefficient[t];
    this.upcoding = env.parameters.casePayment.upcodingShare;
  }

  casePayment(e: Encounter): number {
    if (e.caseKind === 0) return e.reimbursed;
    let recorded = e.severity;
    if (recorded < CRITICAL && caseUniform(e.caseKey, CASE_DRAW.upcoding) < this.upcoding) {
      recorded++;
      e.caseKind |= CASE_UPCODED;
    }
    const m = this.mix;
    e.points = casePoints(m.relativeWeight[e.group], m.severityWeight[recorded], this.coefficient[e.tier]);
    e.bedDays = m.stay(e.group, e.severity, e.tier) * this.stayFactor;
    // interim payment: the claim; the year-end settlement brings the year to the budget
    return e.reimbursed;
  }

  monthlyCaseBudget(b: CaseBudgetBasis): number {
    const t = this.terms;
    if (t.basis === "premium") return (t.shareOfPremium * b.premiumPerCapita * b.enrolled) / 12;
    if (!b.lastYearComplete) throw new RangeError("payment.drg.basis = lastYearClaims needs a full calendar year of claims before the scheme starts: set simulation.burnInMonths ≥ 12 or start it a year later");
    let last = 0;
    for (let k = 0; k < N_TIERS; k++) if (this.inScope[k]) last += b.lastYearCaseClaims[k];
    return (last * (1 + t.growthAllowance)) / 12;
  }

  pointValue(budget: number, points: number, patientPayments: number): number {
    return budgetNeutralPointValue(budget, points, patientPayments);
  }
}

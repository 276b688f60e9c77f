/**
 * What case-based payment (per-disease, DRG points, per-diem; sim/payment/) records, and
 * the indicators defined on it — declared by the payment module that owns them, listed in
 * the one indicator registry (sim/indicators.ts). They appear in a run's results only
 * when a case-based scheme paid some case in it (OPTIONAL_MODULES there), so the runs of
 * every other scenario are unchanged by their existence.
 *
 * A "case" is an admission that treats an inpatient episode at a tier a case-based scheme
 * pays, of a resident whose community × insurance scheme it covers (Encounter.caseKind ≠ 0):
 * on the list and paid per case, or off it and paid as a claim.
 */
import type { IndicatorDefinition, Totals } from "../indicators";

export const CASE_PAYMENT_COUNTERS = [
  // cases: all, off the list (paid as claims), recorded one group heavier (DRG)
  "caseCases", "caseOffList", "caseUpcoded",
  // cost of care as delivered, OOP, medical assistance, the claim under the benefit rules, what the schemes paid (DRG: interim + settlement), bed-days
  "caseCost", "caseOop", "caseAssistance", "caseClaims", "casePayments", "caseBedDays",
  // DRG: points, what their patients paid, what the insurer paid (interim + settlement), the budget accrued, the year-end settlement (+ paid to facilities, − paid back)
  "drgPoints", "drgPatientPayments", "drgPayments", "drgBudget", "drgSettlement",
] as const;

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);
const X = "004_95fd1871afdd6e42.txt";
const W = "001_ca634c5edf7b7e03.txt";

export const CASE_PAYMENT_INDICATORS: IndicatorDefinition[] = [
  {
    id: "caseOffListShare",
    label: { en: "Cases off the per-disease list", zh: "按病种付费目录外病例占比" },
    unit: "share",
    module: "casePayment",
    compute: (t) => ratio(t.caseOffList, t.caseCases),
    definition: `admissions at the tiers a case-based scheme pays that were paid as claims (disease not on the tier's list, or recorded off it by providers — cost shifting, 出径) ÷ all such admissions (per-disease: ${X} §五(六)); 0 under DRG and per-diem`,
  },
  {
    id: "caseCostPerCase",
    label: { en: "Cost per case (case-based payment)", zh: "按病种/DRG/床日付费例均费用" },
    unit: "yuan",
    module: "casePayment",
    compute: (t) => ratio(t.caseCost, t.caseCases),
    definition: "cost of care of the admissions at the tiers a case-based scheme pays, as delivered (after the providers' length-of-stay response) ÷ those admissions",
  },
  {
    id: "caseOopPerCase",
    label: { en: "Out-of-pocket per case (case-based payment)", zh: "按病种/DRG/床日付费例均自付" },
    unit: "yuan",
    module: "casePayment",
    compute: (t) => ratio(t.caseOop, t.caseCases),
    definition: "residents' out-of-pocket payments for the admissions at the tiers a case-based scheme pays (by the benefit rules on the cost of care) ÷ those admissions",
  },
  {
    id: "casePaymentPerCase",
    label: { en: "Insurer payment per case (case-based payment)", zh: "按病种/DRG/床日付费例均医保支付" },
    unit: "yuan",
    module: "casePayment",
    compute: (t) => ratio(t.casePayments, t.caseCases),
    definition: "what the insurer paid for the admissions at the tiers a case-based scheme pays (list prices, claims off the list, DRG interim payments and year-end settlement, bed-day payments) ÷ those admissions",
  },
  {
    id: "caseRevenueToCost",
    label: { en: "Facility revenue ÷ cost of cases", zh: "按病种/DRG/床日付费病例收入成本比" },
    unit: "index",
    module: "casePayment",
    compute: (t) => ratio(t.casePayments + t.caseOop + t.caseAssistance, t.caseCost),
    definition: "facilities' revenue from those admissions (insurer payments + OOP + medical assistance) ÷ their cost of care: above 1, case-based payment pays the facilities more than the care costs",
  },
  {
    id: "caseLengthOfStay",
    label: { en: "Length of stay (case-based payment)", zh: "按病种/DRG/床日付费平均住院日" },
    unit: "index",
    module: "casePayment",
    compute: (t) => ratio(t.caseBedDays, t.caseCases),
    definition: "bed-days of those admissions ÷ the admissions, days (caseMix.lengthOfStay × severity weight, changed by the providers' response casePayment.lengthOfStayChange)",
  },
  {
    id: "drgPointsPerCase",
    label: { en: "DRG points per case", zh: "DRG例均点数" },
    unit: "index",
    module: "casePayment",
    compute: (t) => (t.drgPoints > 0 ? ratio(t.drgPoints, t.caseCases) : null),
    definition: "points recorded for the admissions paid by DRG points ÷ those admissions (a common-severity county case of average weight = 100; upcoding raises it)",
  },
  {
    id: "drgPointValue",
    label: { en: "DRG point value", zh: "DRG点值" },
    unit: "yuan",
    module: "casePayment",
    compute: (t) => (t.drgPoints > 0 ? (t.drgBudget + t.drgPatientPayments) / t.drgPoints : null),
    definition: `yuan per point: (the DRG budget + what the cases' patients paid) ÷ the points — yearly, the value settled at year end so the insurer pays exactly the budget (${W} item 16, 总额控制; null without DRG cases)`,
  },
  {
    id: "drgBudgetUse",
    label: { en: "DRG payments ÷ budget", zh: "DRG基金支付占预算比例" },
    unit: "index",
    module: "casePayment",
    compute: (t) => (t.drgBudget > 0 ? t.drgPayments / t.drgBudget : null),
    definition: "what the insurer paid for DRG cases (interim claims + year-end settlement) ÷ the DRG budget: 1 for a settled year (budget neutrality); monthly values before December show the interim payments against the month's budget",
  },
];

/** Whether a run's totals show case-based payment (some case paid by a case-based scheme). */
export const casePaymentRan = (t: Pick<Totals, "caseCases">) => t.caseCases > 0;

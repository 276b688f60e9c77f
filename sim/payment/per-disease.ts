/**
 * Per-disease payment (按病种付费; 004_95fd1871afdd6e42.txt §五(六): 以临床路径为基础的按病种付费,
 * ≥100 diseases at county hospitals, ≥50 at township centres; 002_cfc78cb0d70fb95d.txt §18
 * 以按病种付费为主): each tier has a list of diseases, each listed disease a fixed price
 * (病种定额) per case at that tier, whatever the case's severity and stay.
 *
 * An admission at a tier the scheme pays is on the list when its case draw is below the
 * group's list coverage at the tier (caseMix.listCoverage). A listed case earns its
 * price: the insurer pays the price less what the resident (OOP by the benefit rules on
 * the cost of care) and medical assistance pay, never less than nothing. Off the list it
 * is paid as a claim (fee-for-service), as is every visit and every admission outside the
 * scheme's tiers or out of the county.
 *
 * Providers respond (casePayment parameters, 0 = none): a listed case's stay shortens by
 * lengthOfStayChange.perDisease, and its cost with it (× dailyCostShare); of the listed
 * cases that cost more than their price, offListShift are recorded off the list (出径) and
 * billed item by item — cost shifting outside the list.
 */
import { N_TIERS } from "../tier";
import type { Encounter } from "../engine/encounter";
import type { Policy } from "../policy";
import { CASE_DRAW, caseUniform } from "./case-mix";
import { InsurerPaidCases } from "./insurer-cases";
import { CASE_OFF_LIST, CASE_PAID, type SchemeEnvironment } from "./scheme";

export type PerDiseaseTerms = NonNullable<Policy["payment"]["perDisease"]>;

export class PerDisease extends InsurerPaidCases {
  readonly name: string = "perDisease";
  /** this year's list price, yuan: [group * N_TIERS + tier] */
  readonly price: Float64Array;
  private readonly offListShift: number;

  constructor(terms: PerDiseaseTerms, env: SchemeEnvironment) {
    super(terms.tiers, env, "perDisease");
    const k = terms.priceFactor * env.priceIndex;
    this.price = Float64Array.from(env.caseMix.price, (p) => p * k);
    this.offListShift = env.parameters.casePayment.offListShift;
  }

  /** A listed case is paid its price; off the list (or shifted off it, 出径) it is a claim. */
  override caseCost(e: Encounter, cost: number): number {
    if (this.inScope[e.tier] === 0) return cost;
    const j = e.group * N_TIERS + e.tier;
    const listed = caseUniform(e.caseKey, CASE_DRAW.list) < this.mix.listCoverage[j];
    // 出径: a listed case that would lose money at its price may be billed item by item instead
    if (listed && !(cost > this.price[j] && caseUniform(e.caseKey, CASE_DRAW.offList) < this.offListShift)) {
      e.caseKind = CASE_PAID;
      return cost * this.costFactor;
    }
    e.caseKind = CASE_OFF_LIST;
    return cost;
  }

  casePayment(e: Encounter): number {
    if (e.caseKind === 0) return e.reimbursed;
    const stay = this.mix.stay(e.group, e.severity, e.tier);
    if (e.caseKind !== CASE_PAID) {
      e.bedDays = stay;
      return e.reimbursed;
    }
    e.bedDays = stay * this.stayFactor;
    e.standard = this.price[e.group * N_TIERS + e.tier];
    return Math.max(0, e.standard - e.oop - e.assistance);
  }
}

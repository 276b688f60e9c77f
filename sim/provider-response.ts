/**
 * Provider responses to payment: the service intensity (服务强度) a facility's providers
 * give a patient, from how that patient's care is paid (issue 10 item 3; ../shared/domain.md §6).
 *
 * Intensity 1 is care as the unit costs (data/parameters.yaml `costs`) assume — the
 * tests, drugs and time per encounter observed under the fee-for-service of the
 * calibration years. A provider's marginal incentive moves it:
 *
 *   - a patient whose claims the facility's *own* community's package pays (按人头总额打包,
 *     sim/payment/capitation-package.ts): each yuan of care not delivered stays in the
 *     package, of which the community keeps the retained share of the surplus (结余留用,
 *     `keptShareOfSaving` of the scheme) —
 *         intensity = max(minIntensity, 1 − responsiveness.capitation × keptShareOfSaving);
 *   - any other patient (fee-for-service; a package paying a facility outside its
 *     community; a case-based scheme's visits and off-list cases): the facility earns its
 *     margin on each yuan billed (leadHospital.margin) —
 *         intensity = min(maxIntensity, 1 + responsiveness.feeForService × margin);
 *   - an admission a case-based scheme pays per case keeps that scheme's own response
 *     (the length-of-stay response, sim/payment/case-mix.ts stayResponse): it is recorded
 *     here, not changed again.
 *
 * What intensity does (each encounter, in the kernel; nothing allocated):
 *   - cost: the cost of care delivered = intensity × the cost at intensity 1, before the
 *     claim is priced, so the resident's OOP, the claim and the package follow it;
 *   - perceived quality: qualityPerIntensity × (intensity − 1) is added to the facility's
 *     perceived quality in the choice (sim/engine/options.ts) for the village's residents
 *     of the resident scheme — patients of an under-providing community turn elsewhere,
 *     out of the county when its hospitals are the alternative;
 *   - repeat visits: a visit treated at intensity I is followed, in the same month and at
 *     the same facility, by a repeat visit with probability repeatPerShortfall × (1 − I)
 *     when I < 1 (the problem not solved the first time) and inducedReturnPerExcess × (I − 1)
 *     when I > 1 (supplier-induced return visits) — drawn from the stream
 *     "provider.repeatVisit", so no other draw moves. A repeat visit is a visit (priced,
 *     paid and counted like one) but not an episode.
 *
 * With both responsivenesses 0 every intensity is 1, no repeat visit is drawn and the
 * outputs are those of a model without this module (its indicators are absent: the
 * optional module "providerResponse" runs only where some encounter's intensity ≠ 1).
 * The under-provision indicator supervisors would watch (服务缩水, 000 §五(四)) is the
 * share of the cost of care at intensity 1 that was not delivered (underProvisionShare).
 */
import type { IndicatorDefinition, Totals } from "./indicators";
import type { Parameters } from "./parameters";
import type { CommunityPayments } from "./payment/registry";

export type ProviderResponseParameters = Parameters["providerResponse"];

/** Intensity for a patient of the facility's own community's package, which keeps `keptShareOfSaving` of each yuan saved. */
export function packageIntensity(keptShareOfSaving: number, p: ProviderResponseParameters): number {
  return Math.max(p.minIntensity, Math.min(1, 1 - p.responsiveness.capitation * keptShareOfSaving));
}

/** Intensity for a patient billed item by item to a payer outside the community, at `margin` per yuan of fee. */
export function feeIntensity(margin: number, p: ProviderResponseParameters): number {
  return Math.min(p.maxIntensity, Math.max(1, 1 + p.responsiveness.feeForService * margin));
}

/** The change in perceived treatment quality (0–1 scale) at intensity `intensity`. */
export function perceivedQualityShift(intensity: number, p: ProviderResponseParameters): number {
  return p.qualityPerIntensity * (intensity - 1);
}

/** The probability that a visit treated at `intensity` is followed by a repeat visit. */
export function repeatVisitProbability(intensity: number, p: ProviderResponseParameters): number {
  const x = intensity < 1 ? p.repeatPerShortfall * (1 - intensity) : p.inducedReturnPerExcess * (intensity - 1);
  return Math.min(1, x);
}

/** Index into the facility tables: the patient's claims are paid from the facility's own community's package (1) or not (0). */
export const OWN_PACKAGE = 1;
export const OTHER_PAYER = 0;

/**
 * Each facility's service intensity this month, for its own package's patients and for
 * everyone else, with what it implies for perceived quality and repeat visits — the
 * tables the kernel reads. Layout [f * 2 + OWN_PACKAGE | OTHER_PAYER].
 */
export class ServiceIntensity {
  readonly intensity: Float64Array;
  readonly qualityShift: Float64Array;
  readonly repeatProbability: Float64Array;
  /** the payer slot (sim/books.ts: 2 + c) of the facility's own community's package; −1 outside any community */
  readonly ownPayer: Int16Array;
  /** 1 where community c's package pays its resident-scheme members' claims this month */
  readonly residentPackage: Uint8Array;

  constructor(
    private readonly p: ProviderResponseParameters,
    /** what a facility keeps of a fee-for-service yuan (leadHospital.margin) */
    private readonly margin: number,
    private readonly facCommunity: Int16Array,
    communities: number,
  ) {
    const F = facCommunity.length;
    this.intensity = new Float64Array(F * 2).fill(1);
    this.qualityShift = new Float64Array(F * 2);
    this.repeatProbability = new Float64Array(F * 2);
    this.ownPayer = Int16Array.from(facCommunity, (c) => (c >= 0 ? 2 + c : -1));
    this.residentPackage = new Uint8Array(communities);
  }

  /** The month's tables from the payment schemes in force. */
  setMonth(payment: CommunityPayments): void {
    const p = this.p;
    const fee = feeIntensity(this.margin, p);
    for (let c = 0; c < this.residentPackage.length; c++) this.residentPackage[c] = payment.packageFlag(c, 0);
    for (let f = 0; f < this.facCommunity.length; f++) {
      const c = this.facCommunity[f];
      let own = fee;
      if (c >= 0) {
        const s = payment.packageFlag(c, 0) ? payment.scheme(c, 0) : payment.packageFlag(c, 1) ? payment.scheme(c, 1) : null;
        if (s) own = packageIntensity(s.keptShareOfSaving ?? 0, p);
      }
      this.set(f * 2 + OTHER_PAYER, fee);
      this.set(f * 2 + OWN_PACKAGE, own);
    }
  }

  /** The perceived-quality shift of facility f for a village of community cv (−1 = none), as its resident-scheme patients meet it. */
  perceivedShift(f: number, cv: number): number {
    const own = cv >= 0 && this.facCommunity[f] === cv && this.residentPackage[cv] === 1;
    return this.qualityShift[f * 2 + (own ? OWN_PACKAGE : OTHER_PAYER)];
  }

  private set(j: number, intensity: number): void {
    this.intensity[j] = intensity;
    this.qualityShift[j] = perceivedQualityShift(intensity, this.p);
    this.repeatProbability[j] = repeatVisitProbability(intensity, this.p);
  }
}

// ---- what the module records, and the indicators defined on it (sim/indicators.ts lists them)

export const PROVIDER_RESPONSE_COUNTERS = [
  // cost of care at intensity 1 and as delivered, by tier of the facility (every encounter: visits, admissions, first stops, tests)
  "serviceNeutralVillage", "serviceNeutralTownship", "serviceNeutralCounty", "serviceNeutralOutOfCounty",
  "serviceDeliveredVillage", "serviceDeliveredTownship", "serviceDeliveredCounty", "serviceDeliveredOutOfCounty",
  // care not delivered (Σ neutral − delivered where below) and delivered beyond it (Σ delivered − neutral where above)
  "serviceShortfall", "serviceExcess",
  // repeat visits after a visit at intensity < 1, supplier-induced return visits after one > 1, and their cost
  "repeatVisitsShortfall", "repeatVisitsInduced", "repeatVisitCost",
] as const;

type PRTotals = Record<(typeof PROVIDER_RESPONSE_COUNTERS)[number], number> & Totals;
const ratio = (a: number, b: number) => (b > 0 ? a / b : null);
const neutral = (t: PRTotals) => t.serviceNeutralVillage + t.serviceNeutralTownship + t.serviceNeutralCounty + t.serviceNeutralOutOfCounty;
const delivered = (t: PRTotals) => t.serviceDeliveredVillage + t.serviceDeliveredTownship + t.serviceDeliveredCounty + t.serviceDeliveredOutOfCounty;
const intensityOf = (t: PRTotals) => ratio(delivered(t), neutral(t));
const visitsAll = (t: Totals) => t.visitsVillage + t.visitsTownship + t.visitsCounty + t.visitsOutOfCounty;
const Q = "000_d976d86ac1f892b7.txt";
const TIER_LABELS = [
  ["Village", "village clinics", "村卫生室"],
  ["Township", "township centres", "乡镇卫生院"],
  ["County", "county hospitals", "县级医院"],
  ["OutOfCounty", "out-of-county hospitals", "县外医院"],
] as const;

export const PROVIDER_RESPONSE_INDICATORS: IndicatorDefinition[] = [
  {
    id: "serviceIntensity",
    label: { en: "Service intensity", zh: "服务强度" },
    unit: "index",
    module: "providerResponse",
    compute: (t) => intensityOf(t as PRTotals),
    definition: "cost of care delivered ÷ its cost at intensity 1 (care as the unit costs assume), over every encounter: below 1, providers gave less care per encounter than before the reform (a package's own patients, a case paid per case with shorter stays); above 1, more (fee-for-service margin, per-diem)",
  },
  ...TIER_LABELS.map(([k, en, zh]): IndicatorDefinition => ({
    id: `serviceIntensity${k}`,
    label: { en: `Service intensity, ${en}`, zh: `服务强度（${zh}）` },
    unit: "index",
    module: "providerResponse",
    compute: (t) => ratio((t as PRTotals)[`serviceDelivered${k}`], (t as PRTotals)[`serviceNeutral${k}`]),
    definition: `serviceIntensity of the encounters at ${en}`,
  })),
  {
    id: "underProvisionShare",
    label: { en: "Under-provision (care not delivered)", zh: "服务缩水（未提供服务占比）" },
    unit: "share",
    module: "providerResponse",
    compute: (t) => ratio((t as PRTotals).serviceShortfall, neutral(t as PRTotals)),
    reference: { value: 0, source: `${Q} §五(四) (防止出现医疗服务缩水情况): supervisors watch it; no target value` },
    definition: `the cost at intensity 1 of the care not delivered (Σ over encounters delivered below intensity 1 of the shortfall) ÷ the cost at intensity 1 of all care — 服务缩水, which ${Q} §五(四) tells supervisors to prevent; 0 when no provider responds`,
  },
  {
    id: "repeatVisitShare",
    label: { en: "Repeat visits after under-provision", zh: "服务缩水导致的重复就诊占比" },
    unit: "share",
    module: "providerResponse",
    compute: (t) => ratio((t as PRTotals).repeatVisitsShortfall, visitsAll(t)),
    definition: "repeat visits within the month after a visit delivered below intensity 1 ÷ all visits (the repeat visits are visits: they are in the visit counts)",
  },
  {
    id: "intensityReturnVisitShare",
    label: { en: "Return visits after over-provision", zh: "过度服务后的诱导性复诊占比" },
    unit: "share",
    module: "providerResponse",
    compute: (t) => ratio((t as PRTotals).repeatVisitsInduced, visitsAll(t)),
    definition: "return visits induced after a visit delivered above intensity 1 (fee-for-service margin) ÷ all visits",
  },
  {
    id: "repeatVisitCostShare",
    label: { en: "Repeat visits' cost ÷ care not delivered", zh: "重复就诊费用占缩水服务比例" },
    unit: "index",
    module: "providerResponse",
    compute: (t) => ratio((t as PRTotals).repeatVisitCost, (t as PRTotals).serviceShortfall),
    definition: "cost of the repeat and return visits ÷ the cost of the care not delivered: how much of the saving from under-provision the repeat visits take back (all repeat and return visits, over the shortfall)",
  },
  {
    id: "spendingGrowthFromIntensity",
    label: { en: "Spending growth from service intensity", zh: "服务强度变化带来的费用增长" },
    unit: "growth",
    module: "providerResponse",
    compute: (t, p) => {
      const now = intensityOf(t as PRTotals);
      const before = p ? intensityOf(p as PRTotals) : null;
      return now !== null && before !== null && before > 0 ? now / before - 1 : null;
    },
    definition: "serviceIntensity this year ÷ last year − 1; with spendingGrowthFromPriceAndMix it decomposes totalSpendingGrowth exactly: (1 + total) = (1 + this) × (1 + that)",
  },
  {
    id: "spendingGrowthFromPriceAndMix",
    label: { en: "Spending growth from prices, mix and volume", zh: "价格、结构与数量带来的费用增长" },
    unit: "growth",
    module: "providerResponse",
    compute: (t, p) => {
      const now = neutral(t as PRTotals);
      const before = p ? neutral(p as PRTotals) : 0;
      return before > 0 ? now / before - 1 : null;
    },
    definition: "the cost at intensity 1 of all care this year ÷ last year − 1: unit-cost growth (costs.annualPriceGrowth), where care is given (tier mix), the case mix and the volume of encounters (repeat visits included)",
  },
];

/** Whether a run's totals show a provider response (some encounter delivered at an intensity ≠ 1). */
export const providerResponseRan = (t: Pick<PRTotals, "serviceShortfall" | "serviceExcess">) => t.serviceShortfall > 0 || t.serviceExcess > 0;

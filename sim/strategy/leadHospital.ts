/**
 * The lead county hospital's yearly strategy (牵头医院的经营策略).
 *
 * Each January the lead hospital of a medical community asks one question: is one more
 * patient treated here, who could have been treated at a township centre, worth money to
 * us? Under fee-for-service it is — the hospital keeps its margin on the fee. Under a
 * capitation package with surplus retention (结余留用) the community pays that patient's
 * claim out of its own package, so the extra claim over the township's costs it the
 * retained share of the difference:
 *
 *   value = margin × county cost per encounter − what the payment scheme charges the
 *           community for the case (sim/payment/: fee-for-service 0; capitation
 *           surplusRetainedShare × (county claim − township claim))
 *
 * The signal is value ÷ (margin × county cost), clipped to [−1, 1]: +1 under
 * fee-for-service, −1 when the package makes shifting care down clearly pay, in between
 * when little surplus is retained. Every lever then moves by responsiveness × signal
 * (0 = inert … 1 = fully responsive, domain.md §4): towards volume (beds, open admission,
 * recruiting members' doctors) when the signal is positive, towards the cheapest adequate
 * tier (downward referral, doctors sent down and posted to townships, investment in
 * primary capacity) when it is negative.
 */
import type { Parameters } from "../parameters";

/** The lead hospital's strategy parameters, declared with their ranges, units and meanings in sim/parameters.ts (`leadHospital`). */
export type StrategyParameters = Parameters["leadHospital"];

/**
 * What a payment scheme (sim/payment/scheme.ts) charges the community for one more
 * county-hospital case instead of a township case.
 */
export interface CountyCaseCharge {
  /** yuan out of the community's own money (0 when the insurer pays the claims): capitation: surplusRetainedShare × (county claim − township claim) */
  countyCaseCost(s: { countyClaimPerEncounter: number; townshipClaimPerEncounter: number }): number;
  /** it charges the community anything at all (the sign when last year's fee is unknown) */
  readonly chargesCommunity: boolean;
}

export interface PaymentSituation {
  /** how the community is paid this year (its resident-scheme members) */
  payment: CountyCaseCharge;
  /** last year's average cost (fee) of a county-hospital encounter, yuan */
  countyCostPerEncounter: number;
  /** last year's average insurance claim of a county-hospital encounter, yuan */
  countyClaimPerEncounter: number;
  /** last year's average insurance claim of a township-centre encounter, yuan */
  townshipClaimPerEncounter: number;
}

/** The payment signal in [−1, 1]: + volume pays, − treating at the cheapest adequate tier pays. */
export function paymentSignal(s: PaymentSituation, margin: number): number {
  const fee = margin * s.countyCostPerEncounter;
  if (!(fee > 0)) return s.payment.chargesCommunity ? -1 : 1;
  const value = fee - s.payment.countyCaseCost(s);
  return Math.max(-1, Math.min(1, value / fee));
}

export interface LeadLevers {
  signal: number;
  /** beds × (1 + bedGrowth) this year */
  bedGrowth: number;
  /**
   * −1 … 1: how readily the hospital takes primary-treatable patients (outpatient
   * marketing, easy admission, referrals from members), relative to the fee-for-service
   * behaviour of an independent hospital the tier constants were calibrated under (0).
   * Positive only when it also manages its members (integrated community) and volume pays —
   * the patient siphon 004 §五(六) warns of; negative steers them to the patient's own
   * village clinic and township centre (普通门诊要下沉到基层, 000 §三(一)).
   */
  openness: number;
  /** 0 … 1: how far downward referral moves from its fee-for-service towards its capitation probability */
  downwardEffort: number;
  /** doctor-days per member township per month */
  sendDownDays: number;
  /** share of its doctors posted to member townships this year */
  postingShare: number;
  /** 0 … 1: how actively it recruits doctors from its member townships */
  recruitFromMembers: number;
  /** share of the community's retained reserve invested in primary capacity this year */
  investmentShare: number;
}

/**
 * The levers for a signal, last year's bed occupancy and whether the lead hospital manages
 * its members (an integrated community with pooled staff quotas).
 */
export function leadHospitalLevers(signal: number, occupancy: number, p: StrategyParameters, integrated: boolean): LeadLevers {
  const r = p.responsiveness;
  const up = Math.max(signal, 0);
  const down = Math.max(-signal, 0);
  const crowded = p.expansionOccupancy < 1 ? Math.max(0, Math.min(1, (occupancy - p.expansionOccupancy) / (1 - p.expansionOccupancy))) : occupancy >= 1 ? 1 : 0;
  return {
    signal,
    bedGrowth: r * (up * crowded * p.maxBedGrowth - down * p.maxBedReduction),
    openness: signal < 0 || integrated ? r * signal : 0,
    downwardEffort: r * down,
    sendDownDays: r * down * p.maxSendDownDays,
    postingShare: r * down * p.maxPostingShare,
    recruitFromMembers: 1 - r * down,
    investmentShare: r * down * p.maxInvestmentShare,
  };
}

/** Levers of a hospital that does not respond (responsiveness 0, or before any year is observed). */
export const NEUTRAL_LEVERS: LeadLevers = Object.freeze({
  signal: 0, bedGrowth: 0, openness: 0, downwardEffort: 0, sendDownDays: 0, postingShare: 0, recruitFromMembers: 1, investmentShare: 0,
});

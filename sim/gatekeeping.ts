/**
 * Gatekeeping as a rule (基层首诊, 000_d976d86ac1f892b7.txt §一, §三(三);
 * 002_cfc78cb0d70fb95d.txt §8; 004_95fd1871afdd6e42.txt §五(四)).
 *
 * The policy lever `insurance.firstContact.rule` (sim/policy.ts) has three forms:
 *   none      — no rule: unreferred care is priced as `insurance.bypass` says;
 *   incentive — the bypass penalty: unreferred county and out-of-county care loses
 *               `insurance.bypass.rateReduction` points (sim/insurance/claims.ts);
 *   required  — the rule, here. A resident whose choice for a non-critical episode is a
 *               county or out-of-county facility is seen first by their own primary
 *               doctor, at the first-contact facility:
 *                 minor → the village clinic, common and serious → the township centre
 *                 (“小病不出村、常见病不出乡”, 000 §一; parameter gatekeeping.firstContactTier),
 *                 inpatient episodes → the township centre (village clinics have no beds).
 *               The doctor refers the patient up with probability
 *                 p = 1                                   if the facility cannot treat the episode
 *                 p = logistic(logit(p₀[care][severity])
 *                              − capabilityLogOdds × q_f  (q_f: the facility's perceived quality
 *                                                          above its tier's: its qualityOffset plus
 *                                                          the shift that follows its staff,
 *                                                          visiting doctors, investment and shared
 *                                                          diagnostics, sim/staff/capacity.ts)
 *                              − incentiveLogOdds × k_c)  (k_c ∈ [0, 1]: how strongly the community's
 *                                                          payment makes keeping the case pay)
 *               Directions (tested): p rises with severity at the defaults; a more capable
 *               primary doctor keeps more and refers less; a capitation package with
 *               surplus retention lowers p when incentiveLogOdds > 0 and not when it is 0;
 *               under fee-for-service k = 0 (no pull either way).
 *               Referred: a consultation (an outpatient visit at the first-contact facility),
 *               then treatment where the chosen facility treats the episode, with referral
 *               status: reimbursed normally (no bypass penalty); nothing was paid towards an
 *               inpatient deductible at the consultation, so a referred admission pays the
 *               admitting tier's deductible in full.
 *               Not referred: treated at the first-contact facility — the consultation is the
 *               treatment (for an admission, the admission there) — or, with probability
 *                 logistic(goesAnywayLogOdds + w_oop × (OOP without referral − OOP with one))
 *               (w_oop: the choice's income-adjusted OOP weight, sim/choice.ts), the patient
 *               goes anyway after the consultation and pays as unreferred care:
 *               `insurance.firstContact.reimbursedWithoutReferral` "none" (not reimbursed)
 *               or "reduced" (the bypass penalty).
 *               Emergencies (critical episodes) are exempt: they go straight to their choice,
 *               priced as `insurance.bypass` says (急慢分治, 000 §三(三); 004 §五(四) 急诊、急救).
 *
 * The incentive k_c is the lead hospital's payment signal turned around (sim/strategy/
 * leadHospital.ts: + volume pays, − treating at the cheapest adequate tier pays):
 * k_c = max(0, −signal_c). Under a capitation package a referral out costs the community
 * its retained share of the extra claim, so k is up to 1; under fee-for-service the signal
 * is positive and k = 0 — the lead hospital's pull on referrals under fee-for-service is
 * its openness (sim/engine/options.ts), not the primary doctor's decision.
 *
 * What is not modelled: the choice does not anticipate the gate (a resident chooses the
 * facility they want and meets the rule afterwards); residents with a "1+1+1" contract
 * (002 §7) pass the gate like everyone else; a referral goes to the facility the patient
 * chose, not one the doctor picks.
 *
 * The doctor's draws come from their own counter-based stream (sim/random.ts
 * STREAMS.gatekeeping), so runs without the rule are bit for bit what they were.
 */
import type { Parameters } from "./parameters";
import type { Policy } from "./policy";
import { canTreat } from "./referral";
import { CRITICAL, INPATIENT, MINOR, N_SEVERITIES, OUTPATIENT, SERIOUS, TOWNSHIP, VILLAGE } from "./tier";

export type GatekeepingParameters = Parameters["gatekeeping"];
export type FirstContactRule = Policy["insurance"]["firstContact"]["rule"];

const GATED = ["minor", "common", "serious"] as const;

export function logistic(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/**
 * Probability the primary doctor refers up an episode the facility could treat: the base
 * probability p₀ moved on the log-odds scale by the facility's quality above its tier's
 * (`capability`) and the community's payment incentive to keep the case (`incentive`, 0…1).
 */
export function referralProbability(base: number, capability: number, incentive: number, g: Pick<GatekeepingParameters, "capabilityLogOdds" | "incentiveLogOdds">): number {
  if (base <= 0) return 0;
  if (base >= 1) return 1;
  return logistic(Math.log(base / (1 - base)) - g.capabilityLogOdds * capability - g.incentiveLogOdds * incentive);
}

/** The community's incentive to keep a case at primary care, 0…1, from its payment signal (−1 … 1; sim/strategy/leadHospital.ts). */
export function keepIncentive(paymentSignal: number): number {
  return paymentSignal < 0 ? Math.min(1, -paymentSignal) : 0;
}

/**
 * Probability a patient the doctor did not refer still goes to the facility they chose:
 * `oopWeight` (utility per yuan, ≤ 0) times what going without a referral costs them
 * over going with one (yuan, ≥ 0) lowers the odds.
 */
export function goesAnywayProbability(logOdds: number, oopWeight: number, extraOop: number): number {
  return logistic(logOdds + oopWeight * extraOop);
}

/** The tier of the first-contact facility for an episode: the village clinic or the township centre. */
export function firstContactTier(g: GatekeepingParameters, care: number, sev: number): typeof VILLAGE | typeof TOWNSHIP {
  if (care === INPATIENT || sev > SERIOUS) return TOWNSHIP;
  return g.firstContactTier[GATED[sev]] === "village" ? VILLAGE : TOWNSHIP;
}

/** The rule's month: whether it applies, and each primary facility's referral probabilities. */
export class FirstContactGate {
  /** insurance.firstContact.rule is "required" this month */
  required = false;
  /**
   * probability the doctor at facility f refers up, [f * 2 * N_SEVERITIES + care * N_SEVERITIES + sev]
   * (primary facilities; 1 where the facility cannot treat the episode)
   */
  readonly pRefer: Float64Array;
  private readonly g: GatekeepingParameters;

  constructor(
    P: Parameters,
    private readonly facTier: Int8Array,
    private readonly facCommunity: Int16Array,
    /** highest severity each tier treats, [tier * 2 + care] (sim/engine/state.ts) */
    private readonly capable: Int8Array,
  ) {
    this.g = P.gatekeeping;
    this.pRefer = new Float64Array(facTier.length * 2 * N_SEVERITIES);
  }

  setPolicy(p: Policy): void {
    this.required = p.insurance.firstContact.rule === "required";
  }

  /** The first-contact facility of a resident for an episode: their village clinic or own township centre. */
  facility(care: number, sev: number, villageClinic: number, ownCentre: number): number {
    return firstContactTier(this.g, care, sev) === VILLAGE ? villageClinic : ownCentre;
  }

  /**
   * The month's referral probabilities from each primary facility's quality above its
   * tier's (`quality`: the county's offset plus the supply side's shift) and each
   * community's payment signal. Computed only while the rule is required.
   */
  setMonth(qualityOffset: Float64Array, qualityShift: Float64Array, paymentSignal: Float64Array): void {
    if (!this.required) return;
    const { g, facTier, facCommunity, capable, pRefer } = this;
    for (let f = 0; f < facTier.length; f++) {
      const t = facTier[f];
      if (t !== VILLAGE && t !== TOWNSHIP) continue;
      const c = facCommunity[f];
      const incentive = c >= 0 ? keepIncentive(paymentSignal[c]) : 0;
      const q = qualityOffset[f] + qualityShift[f];
      for (let care = 0; care < 2; care++) {
        const base = care === OUTPATIENT ? g.referralProbability.outpatient : g.referralProbability.inpatient;
        for (let sev = MINOR; sev < N_SEVERITIES; sev++) {
          pRefer[f * 2 * N_SEVERITIES + care * N_SEVERITIES + sev] =
            sev === CRITICAL || !canTreat(capable, t, care, sev) ? 1 : referralProbability(base[GATED[sev]], q, incentive, g);
        }
      }
    }
  }
}

/**
 * Patient choice of facility: multinomial logit (MNL).
 *
 * Utility of facility j for one episode (all coefficients in data/parameters.yaml, `choice`):
 *
 *   V_j = tierConstant[tier_j]
 *       + quality      × (perceivedQuality[tier_d][severity] + qualityOffset_d)
 *       + oopPer100Yuan × OOP_j / 100 × referenceMonthlyIncome / monthlyIncome
 *       + travelWithinHour × [minutes_j < 60] + travelPerHour × hours_j
 *       + habit        × [j was the resident's last facility]
 *       + familyDoctorContract × [contracted and j is the resident's own village clinic or township centre]
 *       + bundleHospital × [contracted under "1+1+1" and j is the county or city hospital of the bundle]
 *       + ownTownshipCentre × [j is the resident's own township centre]
 *       + crowding     × max(0, lastMonthLoad_d / capacity_d − 1)
 *       + referralHassle × [j cannot treat the episode and must refer on]
 *
 * where d is j itself when j can treat the episode, else the facility j refers to (a
 * patient who starts below the right tier expects to be sent up, paying both legs).
 *
 * Sampling uses the Gumbel-max trick with one uniform per (episode, facility): choosing
 * argmax(V_j + G_j) has exactly the logit probabilities, and because each facility has its
 * own noise, a reform that changes only facility j's utility moves patients only to or
 * from j — the cleanest common-random-numbers coupling.
 */
import type { Parameters } from "./parameters";
import { gumbel } from "./random";

export interface UtilityTerms {
  tierConstant: number;
  quality: number;
  oopYuan: number;
  monthlyIncome: number;
  minutes: number;
  isLastFacility: boolean;
  isContracted: boolean;
  isOwnTownshipCentre: boolean;
  crowding: number;
  mustRefer: boolean;
}

/** The coefficients `utility` uses (data/parameters.yaml `choice`). */
export type ChoiceCoefficients = Pick<
  Parameters["choice"],
  "quality" | "oopPer100Yuan" | "referenceMonthlyIncome" | "travelWithinHour" | "travelPerHour" | "habit" | "familyDoctorContract" | "ownTownshipCentre" | "crowding" | "referralHassle"
>;

/** Systematic utility of one option (documented above). */
export function utility(t: UtilityTerms, c: ChoiceCoefficients): number {
  return (
    t.tierConstant +
    c.quality * t.quality +
    (c.oopPer100Yuan * t.oopYuan * c.referenceMonthlyIncome) / (100 * t.monthlyIncome) +
    (t.minutes < 60 ? c.travelWithinHour : 0) +
    (c.travelPerHour * t.minutes) / 60 +
    (t.isLastFacility ? c.habit : 0) +
    (t.isContracted ? c.familyDoctorContract : 0) +
    (t.isOwnTownshipCentre ? c.ownTownshipCentre : 0) +
    c.crowding * t.crowding +
    (t.mustRefer ? c.referralHassle : 0)
  );
}

/** Analytic logit shares exp(V_j) / Σ exp(V_k) (numerically stable). */
export function logitProbabilities(v: ArrayLike<number>): number[] {
  let max = -Infinity;
  for (let i = 0; i < v.length; i++) if (v[i] > max) max = v[i];
  const e = Array.from(v, (x) => Math.exp(x - max));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
}

/**
 * Gumbel-max draw: index of the option with the largest V_j + G_j, where G_j comes from
 * the uniform `uniforms[j]`. Options with V = −Infinity are never chosen.
 */
export function gumbelMaxChoice(v: ArrayLike<number>, uniforms: ArrayLike<number>, n = v.length): number {
  let best = -1;
  let bestScore = -Infinity;
  for (let j = 0; j < n; j++) {
    if (v[j] === -Infinity) continue;
    const score = v[j] + gumbel(uniforms[j]);
    if (score > bestScore) {
      bestScore = score;
      best = j;
    }
  }
  return best;
}

/**
 * Referral (分级诊疗, 双向转诊).
 *
 * Upward: a facility that cannot treat an episode's severity (data/parameters.yaml
 * `capability`) refers the patient to the lowest capable facility on the referral
 * directory (转诊目录, 000_d976d86ac1f892b7.txt §三(三)): village clinic → own township centre
 * → the lead hospital of the township's medical community → the nearest out-of-county
 * hospital. The referred patient is treated there with referral status.
 *
 * Downward: a county hospital refers recovering inpatients and stable chronic patients
 * back to primary care. How often depends on how it is paid: under a capitation package
 * with surplus retention treating at the cheapest adequate tier pays, under
 * fee-for-service keeping the patient does. The lead hospital's strategy
 * (sim/strategy/leadHospital.ts) sets how far it acts on that incentive.
 */
import { COUNTY, INPATIENT, N_SEVERITIES, OUTPATIENT, OUT_OF_COUNTY, TOWNSHIP, VILLAGE } from "./tier";
import type { County } from "./county/generate";

/** capable[tier * 2 + care] = highest severity index treated (−1 = none). */
export function canTreat(capable: Int8Array, tier: number, care: number, severity: number): boolean {
  return severity <= capable[tier * 2 + care];
}

/**
 * For every facility, care type and severity: the facility it refers to, or its own index
 * when it can treat the episode. Indexed [f * 2 * N_SEVERITIES + care * N_SEVERITIES + severity].
 */
export function referralDirectory(county: County, capable: Int8Array): Int32Array {
  const { facilities } = county;
  const out = new Int32Array(facilities.length * 2 * N_SEVERITIES);
  const firstOut = facilities.findIndex((f) => f.tier === OUT_OF_COUNTY);
  const firstCounty = facilities.findIndex((f) => f.tier === COUNTY);
  facilities.forEach((f, fi) => {
    for (const care of [OUTPATIENT, INPATIENT]) {
      for (let s = 0; s < N_SEVERITIES; s++) {
        const path: number[] = [fi];
        if (f.tier === VILLAGE) path.push(county.townships[f.township].centre);
        if (f.tier === VILLAGE || f.tier === TOWNSHIP) {
          const c = county.townships[f.township].community;
          path.push(c >= 0 ? county.communities[c].lead : firstCounty);
        }
        if (f.tier !== OUT_OF_COUNTY) path.push(firstOut);
        const dest = path.find((d) => canTreat(capable, facilities[d].tier, care, s)) ?? firstOut;
        out[fi * 2 * N_SEVERITIES + care * N_SEVERITIES + s] = dest;
      }
    }
  });
  return out;
}

/**
 * Probability that an eligible county-hospital patient is referred down, interpolating
 * between the fee-for-service and capitation probabilities by the lead hospital's
 * downward-referral effort (0 … 1; sim/strategy/leadHospital.ts — its responsiveness times
 * how strongly the payment regime rewards treating at the cheapest adequate tier).
 */
export function downwardReferralProbability(feeForService: number, capitation: number, effort: number): number {
  return feeForService + effort * (capitation - feeForService);
}

/**
 * Reimbursement of one encounter and the resulting out-of-pocket cost.
 *
 *   eligible    = cost × inPolicyShare                   (目录内费用)
 *   deductible  = min(deductibleDue, eligible)
 *   reimbursed  = min(rate × (eligible − deductible), capRemaining)
 *   oop         = cost − reimbursed
 *   assistance  = max(0, oop − oopCapRemaining)           (医疗救助 for the registered poor)
 *   oop        -= assistance
 *
 * Written into a caller-owned Float64Array so the hot loop allocates nothing.
 * Indices of the result: see CLAIM_*.
 */
export const CLAIM_REIMBURSED = 0;
export const CLAIM_OOP = 1;
export const CLAIM_DEDUCTIBLE_PAID = 2;
export const CLAIM_ASSISTANCE = 3;
export const CLAIM_SIZE = 4;

export function settleClaim(
  cost: number,
  inPolicyShare: number,
  deductibleDue: number,
  rate: number,
  capRemaining: number,
  oopCapRemaining: number,
  out: Float64Array,
): Float64Array {
  const eligible = cost * inPolicyShare;
  const deductible = deductibleDue < eligible ? deductibleDue : eligible;
  let reimbursed = rate * (eligible - deductible);
  if (reimbursed > capRemaining) reimbursed = capRemaining > 0 ? capRemaining : 0;
  let oop = cost - reimbursed;
  let assistance = 0;
  if (oop > oopCapRemaining) {
    assistance = oop - (oopCapRemaining > 0 ? oopCapRemaining : 0);
    oop -= assistance;
  }
  out[CLAIM_REIMBURSED] = reimbursed;
  out[CLAIM_OOP] = oop;
  out[CLAIM_DEDUCTIBLE_PAID] = deductible;
  out[CLAIM_ASSISTANCE] = assistance;
  return out;
}

/** Rate after the bypass rule: unreferred care at a higher tier loses `reduction` points. */
export function bypassRate(rate: number, referred: boolean, bypassEnabled: boolean, reduction: number): number {
  if (referred || !bypassEnabled) return rate;
  return rate > reduction ? rate - reduction : 0;
}

/** Registered-poor protection: deductible scaled down, rate raised (capped at 100%). */
export function povertyAdjusted(deductible: number, rate: number, factor: number, bonus: number): [number, number] {
  return [deductible * factor, Math.min(1, rate + bonus)];
}

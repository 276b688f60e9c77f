/**
 * Why doctors move (人才流动): pay, workload and the rules of the post.
 *
 * A doctor's yearly chance of taking a post elsewhere is a logistic function of the log
 * pay ratio between the two posts and their workload difference — the form used for
 * health-worker job choice in discrete-choice studies — with an intercept per kind of
 * move (township → county is common, county → township rare). Policy acts through the
 * inputs: pay reform changes pay (002 §26; 000 §二(三)), pooled quotas remove the transfer
 * friction between members of one medical community (000 §二(四)), recruitment rules cap
 * who the lead hospital may hire.
 */
import type { Parameters } from "../parameters";

export const logistic = (x: number): number => 1 / (1 + Math.exp(-x));

/** A logistic yearly move probability: intercept, pay and workload elasticities (declared in sim/parameters.ts). */
export type MoveParameters = Parameters["staff"]["upward"];

/** Yearly probability that a doctor leaves a post for another. Rises with the pay gap towards the other post and with the workload gap away from this one. */
export function moveProbability(m: MoveParameters, payHere: number, payThere: number, workloadHere: number, workloadThere: number): number {
  if (!(payHere > 0 && payThere > 0)) throw new RangeError(`pay must be positive (here ${payHere}, there ${payThere})`);
  return logistic(m.intercept + m.payElasticity * Math.log(payThere / payHere) + m.workloadElasticity * (workloadHere - workloadThere));
}

/**
 * Pay per doctor-year at a post: base pay for the tier raised by the pay reform's uplift
 * (两个允许: pay may exceed the public-institution scale, 000 §二(三)), plus the bonus paid
 * from the community's retained surplus (002 §26: ≥60% of last year's surplus as bonus).
 */
export function annualPay(basePay: number, uplift: number, bonusPerDoctor: number): number {
  return basePay * (1 + uplift) + bonusPerDoctor;
}

/** Workload of a facility: last year's load ÷ its capacity (1 = at capacity); 1 when unknown. */
export function workload(load: number, capacity: number): number {
  return capacity > 0 && Number.isFinite(capacity) && load > 0 ? load / capacity : 1;
}

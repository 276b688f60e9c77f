/**
 * Capacity and quality follow staff.
 *
 * A facility's outpatient capacity is its doctors (own staff, plus county doctors on a
 * grassroots rotation, plus doctor-days sent down) times visits per doctor; its inpatient
 * capacity is the beds it can staff — beds, but no more than its doctors can cover at the
 * doctor-to-bed ratio it started with. Perceived quality at a township centre moves with
 * its staffing, visiting specialists, investment and shared imaging/lab.
 */
import type { Parameters } from "../parameters";

/** Working days per month used to turn doctor-days sent down into full-time doctors. */
export const WORKING_DAYS_PER_MONTH = 22;

/**
 * Waiting/crowding felt by a patient at a facility: the excess of last month's demand over
 * capacity, max(0, load ÷ capacity − 1). Zero while there is slack; rises without bound
 * (linearly) as demand outruns capacity — a queue that grows with unmet demand. Never
 * falls when load rises.
 */
export function waiting(load: number, capacity: number): number {
  const x = load / capacity - 1;
  return x > 0 ? x : 0;
}

/**
 * The load residents expect at a facility: each month the expectation closes a share
 * `adjustment` (0–1] of the gap to the load just met — adaptive expectations. With
 * adjustment 1 (expect last month's load) a crowded facility is shunned the next month,
 * empty, then crowded again: a two-month cobweb. A partial adjustment damps it. The first
 * observed month sets the expectation.
 */
export function perceivedLoad(expected: number, observed: number, adjustment: number, first: boolean): number {
  return first ? observed : expected + adjustment * (observed - expected);
}

/** Outpatient visits a facility can give in a month. Infinity when the tier has no norm (out of county). */
export function outpatientCapacity(doctorFte: number, visitsPerDoctorPerMonth: number): number {
  return visitsPerDoctorPerMonth > 0 ? Math.max(1e-9, doctorFte * visitsPerDoctorPerMonth) : Infinity;
}

/** Admissions a facility can take in a month: staffed beds × 30.4 ÷ length of stay. */
export function inpatientCapacity(beds: number, doctorFte: number, bedsPerDoctor: number, averageLengthOfStay: number): number {
  if (!(averageLengthOfStay > 0)) return Infinity;
  const staffed = bedsPerDoctor > 0 ? Math.min(beds, doctorFte * bedsPerDoctor) : beds;
  return Math.max(1e-9, (staffed * 30.4) / averageLengthOfStay);
}

/** How township quality follows staff and support, declared in sim/parameters.ts (`quality`). */
export type QualityParameters = Omit<Parameters["quality"], "repeatTestCostShare">;

/** Change in a township centre's perceived quality (on the 0–1 quality scale) from its staff and support. */
export function townshipQualityShift(q: QualityParameters, doctors: number, doctorsAtStart: number, visitingFte: number, investedYuan: number, sharedDiagnostics: boolean): number {
  const base = Math.max(doctorsAtStart, 1e-9);
  return (
    q.staffing * Math.log(Math.max(0.25, doctors / base)) +
    q.visitingSpecialists * (visitingFte / base) +
    (q.investmentPerMillion * investedYuan) / 1e6 +
    (sharedDiagnostics ? q.sharedDiagnostics : 0)
  );
}

/**
 * What one encounter produces, and who hears of it.
 *
 * The episode kernel (sim/engine/kernel.ts) fills one reused `Encounter` record per
 * encounter — nothing is allocated per episode — and hands it to its sinks: the books
 * (sim/books.ts: who pays, facility revenue), the supply side's observation
 * (sim/supply.ts: cost and claims by tier for the lead hospital's strategy), the counters
 * and the per-resident trace (sim/engine/recording.ts). Each sink keeps its own
 * accumulators; the kernel writes none of them.
 */

/** What an encounter is (Encounter.kind). */
/** the care that treats the episode (a visit, an admission, a recovery stay after downward referral) */
export const TREATMENT = 0;
/**
 * the first stop of a patient referred up (转诊前首诊): a consultation, or a stay ending in
 * transfer where the facility has beds — paid and priced like any encounter, but not a
 * visit or an admission (the episode's visit or admission is where it is treated)
 */
export const GATEWAY = 1;
/**
 * tests, imaging or a teleconsultation at the lead county hospital for a township inpatient
 * (004 §五(六)): billed at the county hospital as an outpatient claim, or — under
 * referralRules.upstreamTestsAtLowerRate — as part of the township's inpatient bill; not a
 * visit or an admission
 */
export const TESTS = 2;

/** One encounter (a visit or an admission) as priced; fields are overwritten for each one. */
export class Encounter {
  /** TREATMENT, GATEWAY or TESTS */
  kind = TREATMENT;
  /** resident index */
  resident = 0;
  /** facility index and its tier */
  facility = 0;
  tier = 0;
  /** OUTPATIENT or INPATIENT (sim/tier.ts) */
  care = 0;
  /** cost of care (the fee), yuan */
  cost = 0;
  /** the claim: reimbursed by insurance under the benefit rules; paid by the resident; by medical assistance */
  reimbursed = 0;
  oop = 0;
  assistance = 0;
  /**
   * what the payer pays the facility for it: the claim, unless the resident's payment
   * scheme pays per case (sim/payment/scheme.ts casePayment)
   */
  payment = 0;
  /** who pays: 0, 1 = insurer of each scheme; 2 + c = package of community c (sim/books.ts) */
  payer = 0;
  /** the resident's community (−1 = none) and community × scheme slot (−1 = none) */
  community = -1;
  enrolSlot = -1;
  /** the township centre of the resident's own township */
  ownCentre = -1;
  // ---- an inpatient case (sim/payment/case-mix.ts); what a case-based scheme reads and records
  /** condition group of the admission that treats an inpatient episode; NO_GROUP (−1) for every other encounter (visits, stays ending in transfer, recovery stays) */
  group = -1;
  /** the case's severity (when group ≥ 0) */
  severity = 0;
  /** the case's key in the random stream "case": its per-case draws (caseUniform) */
  caseKey = 0;
  /** how a case-based scheme paid it: CASE_* flags (sim/payment/scheme.ts); 0 = not a case of a case-based scheme */
  caseKind = 0;
  /** DRG points recorded for the case (0 = none) */
  points = 0;
  /** bed-days of the case as delivered, when a case-based scheme paid it (0 otherwise) */
  bedDays = 0;
  /** a case paid at a fixed standard: the standard (list price, bed-days × rate), yuan — the facility's revenue for it (0 otherwise) */
  standard = 0;
}

/** Something that hears of every encounter. Must not allocate. */
export interface EncounterSink {
  encounter(e: Encounter): void;
}

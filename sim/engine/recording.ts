/**
 * The counters (sim/indicators.ts), per-facility series and the per-resident trace, as
 * sinks of the episode kernel: a treatment adds to visits or admissions by tier, a
 * referred patient's first stop (GATEWAY) to gateway consultations or transfer stays;
 * every encounter adds its cost, OOP and claims; an episode's events (primary-treatable,
 * referred up or down) add to their counters. Nothing is recorded during burn-in (month −1).
 */
import type { Counters } from "../indicators";
import { CASE_OFF_LIST, CASE_UPCODED } from "../payment/scheme";
import { COMMON, INPATIENT, MINOR, N_TIERS, OUTPATIENT, RESIDENT_SCHEME, TOWNSHIP, benefitGroup } from "../tier";
import { GATEWAY, TESTS, type Encounter, type EncounterSink } from "./encounter";

/** Encounters (visits + admissions) per resident per tier and OOP, for scenario differences (sim/differences.ts). */
export interface ResidentTrace {
  /** encounters per resident per tier — visits, admissions and a referred patient's first stops (where the resident was seen): [i * 4 + tier] */
  encounters: Uint16Array;
  /** total out-of-pocket per resident over the run, yuan */
  oop: Float64Array;
}

export class CounterSink implements EncounterSink {
  /** the recorded month index, −1 during burn-in */
  month = -1;
  private readonly visitsByTier: Float64Array[];
  private readonly admissionsByTier: Float64Array[];
  /** by benefit group (sim/tier.ts BENEFIT_GROUPS) */
  private readonly groupCost: Float64Array[];
  private readonly groupReimbursed: Float64Array[];
  private readonly groupOop: Float64Array[];
  private readonly groupEpisodes: Float64Array[];
  private readonly groupCostSq: Float64Array[];
  private readonly groupReimbursedSq: Float64Array[];
  private readonly groupReimbursedCost: Float64Array[];
  private readonly groupOopSq: Float64Array[];

  constructor(
    readonly counters: Counters,
    /** visits and admissions per facility per month: [month * F + f] */
    readonly facilityVisits: Float64Array,
    readonly facilityAdmissions: Float64Array,
    private readonly F: number,
    /** community of each facility */
    private readonly facCommunity: Int16Array,
    /** share of cost inside the insurance catalogue by tier (sim/insurance/claims.ts) */
    private readonly inPolicy: Float64Array,
    /** each resident's insurance scheme and registered-poor flag (county residents) */
    private readonly scheme: Uint8Array,
    private readonly poor: Uint8Array,
  ) {
    const c = counters;
    this.visitsByTier = [c.visitsVillage, c.visitsTownship, c.visitsCounty, c.visitsOutOfCounty];
    this.admissionsByTier = [c.admissionsVillage, c.admissionsTownship, c.admissionsCounty, c.admissionsOutOfCounty];
    this.groupCost = [c.groupCostResident, c.groupCostResidentPoor, c.groupCostEmployee];
    this.groupReimbursed = [c.groupReimbursedResident, c.groupReimbursedResidentPoor, c.groupReimbursedEmployee];
    this.groupOop = [c.groupOopResident, c.groupOopResidentPoor, c.groupOopEmployee];
    this.groupEpisodes = [c.groupEpisodesResident, c.groupEpisodesResidentPoor, c.groupEpisodesEmployee];
    this.groupCostSq = [c.groupCostSqResident, c.groupCostSqResidentPoor, c.groupCostSqEmployee];
    this.groupReimbursedSq = [c.groupReimbursedSqResident, c.groupReimbursedSqResidentPoor, c.groupReimbursedSqEmployee];
    this.groupReimbursedCost = [c.groupReimbursedCostResident, c.groupReimbursedCostResidentPoor, c.groupReimbursedCostEmployee];
    this.groupOopSq = [c.groupOopSqResident, c.groupOopSqResidentPoor, c.groupOopSqEmployee];
  }

  /** `count` episodes arose for a resident of this scheme and poverty status (待遇不降低 judges OOP per episode). */
  episodes(scheme: number, poor: number, count: number): void {
    if (this.month < 0) return;
    this.groupEpisodes[benefitGroup(scheme, poor)][this.month] += count;
  }

  encounter(e: Encounter): void {
    const mi = this.month;
    const k = this.counters;
    const f = e.facility;
    // a package's claim paid to a facility outside its own community (leakage)
    if (e.payer >= 2 && e.community >= 0 && this.facCommunity[f] !== e.community) {
      if (mi >= 0) k.packageOutsideClaims[mi] += e.payment;
    }
    if (mi < 0) return;
    const t = e.tier;
    if (e.kind === GATEWAY) {
      // a referred patient's first stop: its money counts, but it is not a visit or an admission
      if (e.care === OUTPATIENT) k.gatewayConsultations[mi]++;
      else k.transferStays[mi]++;
      k.costGateway[mi] += e.cost;
    } else if (e.kind === TESTS) {
      // a township inpatient's tests at the lead hospital: billed as an outpatient claim there, or in the township's inpatient bill
      k.upstreamTests[mi]++;
      k.costUpstreamTests[mi] += e.cost;
      if (e.care === INPATIENT) k.upstreamTestsInBill[mi]++;
    } else if (e.care === OUTPATIENT) {
      k.costOutpatient[mi] += e.cost;
      this.visitsByTier[t][mi]++;
      if (t === TOWNSHIP && f !== e.ownCentre) k.visitsOtherTownship[mi]++;
      this.facilityVisits[mi * this.F + f]++;
    } else {
      k.costInpatient[mi] += e.cost;
      this.admissionsByTier[t][mi]++;
      this.facilityAdmissions[mi * this.F + f]++;
    }
    k.oop[mi] += e.oop;
    k.reimbursed[mi] += e.reimbursed;
    k.assistance[mi] += e.assistance;
    const s = this.scheme[e.resident];
    const g = benefitGroup(s, this.poor[e.resident]);
    this.groupCost[g][mi] += e.cost;
    this.groupReimbursed[g][mi] += e.reimbursed;
    this.groupOop[g][mi] += e.oop;
    this.groupCostSq[g][mi] += e.cost * e.cost;
    this.groupReimbursedSq[g][mi] += e.reimbursed * e.reimbursed;
    this.groupReimbursedCost[g][mi] += e.reimbursed * e.cost;
    this.groupOopSq[g][mi] += e.oop * e.oop;
    if (e.care === INPATIENT) {
      // tests in a township's inpatient bill are priced under the township's catalogue
      k.inpatientInPolicyCost[mi] += e.cost * this.inPolicy[e.kind === TESTS ? TOWNSHIP : t];
      k.inpatientReimbursed[mi] += e.reimbursed;
      if (s === RESIDENT_SCHEME) {
        k.costInpatientResident[mi] += e.cost;
        k.reimbursedInpatientResident[mi] += e.reimbursed;
      }
      if (e.caseKind !== 0) this.casePaid(e, mi);
    }
  }

  /** An admission a case-based scheme paid (per case, or as a claim off its list): sim/payment/case-indicators.ts. */
  private casePaid(e: Encounter, mi: number): void {
    const k = this.counters;
    k.caseCases[mi]++;
    if (e.caseKind & CASE_OFF_LIST) k.caseOffList[mi]++;
    if (e.caseKind & CASE_UPCODED) k.caseUpcoded[mi]++;
    k.caseCost[mi] += e.cost;
    k.caseOop[mi] += e.oop;
    k.caseAssistance[mi] += e.assistance;
    k.caseClaims[mi] += e.reimbursed;
    k.casePayments[mi] += e.payment;
    k.caseBedDays[mi] += e.bedDays;
    if (e.points > 0) {
      k.drgPoints[mi] += e.points;
      k.drgPatientPayments[mi] += e.oop + e.assistance;
      k.drgPayments[mi] += e.payment;
    }
  }

  /** An episode a township centre could treat; `atCounty`: it was treated at a county hospital. */
  primaryTreatable(atCounty: boolean): void {
    if (this.month < 0) return;
    this.counters.primaryTreatable[this.month]++;
    if (atCounty) this.counters.primaryTreatableAtCounty[this.month]++;
  }

  /** Referred up from the facility chosen; `outOfCounty`: to a hospital outside the county. */
  referredUp(outOfCounty: boolean): void {
    if (this.month < 0) return;
    this.counters.upwardReferrals[this.month]++;
    if (outOfCounty) this.counters.outOfCountyReferrals[this.month]++;
  }

  /** A required first contact's decision (sim/gatekeeping.ts) on an episode of severity `sev` (minor, common or serious): referred up or kept. */
  firstContact(sev: number, referred: boolean): void {
    if (this.month < 0) return;
    const k = this.counters;
    const a = referred
      ? sev === MINOR ? k.gatekeepingReferredMinor : sev === COMMON ? k.gatekeepingReferredCommon : k.gatekeepingReferredSerious
      : sev === MINOR ? k.gatekeepingKeptMinor : sev === COMMON ? k.gatekeepingKeptCommon : k.gatekeepingKeptSerious;
    a[this.month]++;
  }

  /** A patient the primary doctor did not refer went to the facility chosen anyway, as unreferred care. */
  wentUnreferred(): void {
    if (this.month >= 0) this.counters.gatekeepingWentUnreferred[this.month]++;
  }

  /** An emergency (critical episode) went straight to the county or out-of-county facility chosen, exempt from a required first contact. */
  emergencyExempt(): void {
    if (this.month >= 0) this.counters.gatekeepingEmergencyExempt[this.month]++;
  }

  /** Referred down by a county hospital: a recovering inpatient to the township centre, or a chronic patient to the village clinic. */
  referredDown(inpatient: boolean): void {
    if (this.month < 0) return;
    if (inpatient) this.counters.downwardReferralsInpatient[this.month]++;
    else this.counters.downwardReferralsChronic[this.month]++;
  }
}

export class TraceSink implements EncounterSink {
  /** recording this month (not in burn-in) */
  recording = false;
  constructor(readonly trace: ResidentTrace) {}

  encounter(e: Encounter): void {
    if (!this.recording) return;
    this.trace.encounters[e.resident * N_TIERS + e.tier]++;
    this.trace.oop[e.resident] += e.oop;
  }
}

/**
 * The counters (sim/indicators.ts), per-facility series and the per-resident trace, as
 * sinks of the episode kernel: an encounter adds to visits or admissions by tier, cost,
 * OOP and claims; an episode's events (primary-treatable, referred up or down) add to
 * their counters. Nothing is recorded during burn-in (month −1).
 */
import type { Counters } from "../indicators";
import { INPATIENT, N_TIERS, OUTPATIENT, RESIDENT_SCHEME, TOWNSHIP, benefitGroup } from "../tier";
import type { Encounter, EncounterSink } from "./encounter";

/** Encounters (visits + admissions) per resident per tier and OOP, for scenario differences (sim/differences.ts). */
export interface ResidentTrace {
  /** encounters (visits + admissions) per resident per tier: [i * 4 + tier] */
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
    if (e.care === OUTPATIENT) {
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
      k.inpatientInPolicyCost[mi] += e.cost * this.inPolicy[t];
      k.inpatientReimbursed[mi] += e.reimbursed;
      if (s === RESIDENT_SCHEME) {
        k.costInpatientResident[mi] += e.cost;
        k.reimbursedInpatientResident[mi] += e.reimbursed;
      }
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

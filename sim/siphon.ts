/**
 * The siphon (虹吸) verdict: does a scenario draw patients and staff from primary care to
 * the lead county hospital? Defined once, here; README "Reading the siphon indicators".
 *
 *   patientSiphon  change, against the reference, of the share of primary-treatable
 *                  episodes treated at county hospitals (indicator patientSiphonShare);
 *                  + more such patients at the county hospital
 *   staffSiphon    net doctors moved from village/township posts to county hospitals in
 *                  the year (indicator staffSiphon); + towards the county
 *   siphonRisk     the explicit rule: against the reference, county-hospital encounters
 *                  rose, primary encounters fell and primary doctors fell → "high" (flag
 *                  true); two of the three → "moderate"; otherwise "low" — each change
 *                  counting only when larger than siphonCheck.minimumChange (parameters:
 *                  an assumption, 1%), so a policy that changes nothing is not a risk
 *
 * The reference is the baseline scenario in the same year with the same seed (common
 * random numbers, so the difference is the policy's); for the baseline itself it is its
 * own first simulated year (the trend without reform).
 */
import type { Totals } from "./indicators";

export interface SiphonVolumes {
  /** visits + admissions at county hospitals */
  county: number;
  /** visits + admissions at village clinics and township centres */
  primary: number;
  /** doctors at village clinics and township centres at the end of the year */
  primaryDoctors: number;
  /** primary-treatable episodes and those treated at county hospitals */
  treatable: number;
  treatableAtCounty: number;
  /** net doctors moved primary → county in the year */
  staffSiphon: number;
}

export function siphonVolumes(t: Totals): SiphonVolumes {
  return {
    county: t.visitsCounty + t.admissionsCounty,
    primary: t.visitsVillage + t.visitsTownship + t.admissionsVillage + t.admissionsTownship,
    primaryDoctors: t.doctorsVillage + t.doctorsTownship,
    treatable: t.primaryTreatable,
    treatableAtCounty: t.primaryTreatableAtCounty,
    staffSiphon: t.staffPrimaryToCounty - t.staffCountyToPrimary,
  };
}

export type SiphonLevel = "high" | "moderate" | "low";

export interface SiphonVerdict {
  /** what the scenario is compared with: a baseline scenario's name, or "<year> (own first year)" */
  against: string;
  /** change in the share of primary-treatable episodes treated at county hospitals (fraction; + = towards the county) */
  patientSiphon: number | null;
  patientSiphonShare: number | null;
  /** net doctors moved primary → county in the year (+ = towards the county) */
  staffSiphon: number;
  siphonRisk: {
    flag: boolean;
    level: SiphonLevel;
    /** relative changes against the reference */
    countyVolumeChange: number | null;
    primaryVolumeChange: number | null;
    primaryStaffChange: number | null;
    /** a relative change counts as a signal only beyond this (parameters siphonCheck.minimumChange) */
    minimumChange: number;
    rule: string;
  };
}

export const SIPHON_RULE =
  "high when, against the reference, county-hospital encounters rose AND primary encounters fell AND primary doctors fell, each by more than siphonCheck.minimumChange; moderate when two of the three; low otherwise";

const share = (v: SiphonVolumes) => (v.treatable > 0 ? v.treatableAtCounty / v.treatable : null);
const change = (now: number, ref: number) => (ref > 0 ? now / ref - 1 : null);

/**
 * The verdict for a scenario year against its reference year; a relative change is one
 * of the rule's signals only when larger than `minimumChange` (siphonCheck.minimumChange).
 */
export function siphonVerdict(now: SiphonVolumes, ref: SiphonVolumes, against: string, minimumChange: number): SiphonVerdict {
  const s = share(now);
  const r = share(ref);
  const county = change(now.county, ref.county);
  const primary = change(now.primary, ref.primary);
  const staff = change(now.primaryDoctors, ref.primaryDoctors);
  // on the differences, not the ratios: 1010/1000 − 1 is 0.010000000000000009, which would pass a 1% bar it only meets
  const beyond = (now: number, ref: number, sign: 1 | -1) => ref > 0 && sign * (now - ref) > minimumChange * ref;
  const signs = [beyond(now.county, ref.county, 1), beyond(now.primary, ref.primary, -1), beyond(now.primaryDoctors, ref.primaryDoctors, -1)].filter(Boolean).length;
  const level: SiphonLevel = signs === 3 ? "high" : signs === 2 ? "moderate" : "low";
  return {
    against,
    patientSiphon: s !== null && r !== null ? s - r : null,
    patientSiphonShare: s,
    staffSiphon: now.staffSiphon,
    siphonRisk: { flag: level === "high", level, countyVolumeChange: county, primaryVolumeChange: primary, primaryStaffChange: staff, minimumChange, rule: SIPHON_RULE },
  };
}

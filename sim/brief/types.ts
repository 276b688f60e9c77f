/** What the briefing reads from a comparison row (sim/study/comparison.ts ScenarioComparison); older model versions may lack the siphon fields. */
import type { Comparison } from "../indicators";

/** The siphon rule's outcome (sim/siphon.ts SiphonVerdict["siphonRisk"] plus what it is set against). */
export interface SiphonRiskLike {
  level: "high" | "moderate" | "low";
  flag: boolean;
  countyVolumeChange: number | null;
  primaryVolumeChange: number | null;
  primaryStaffChange: number | null;
  /** a change counts as a signal only beyond this (absent in model versions without siphonCheck) */
  minimumChange?: number;
  rule?: string;
  against?: string;
}

export interface CompareEntryLike {
  name: string;
  title: { zh: string; en: string };
  file: string;
  hash: string;
  year: string;
  seed: number;
  years: number;
  scale: number;
  residents: number;
  indicators: Record<string, { value: number | null; target: number | null; met: boolean | null; comparison?: Comparison | null }>;
  /** siphon verdict fields (absent in model versions without them) */
  baseline?: string;
  patientSiphon?: number | null;
  staffSiphon?: number | null;
  primaryDoctorsPer10k?: number | null;
  siphonRisk?: SiphonRiskLike;
  /** 待遇不降低 verdict (sim/benefits.ts; absent in model versions without it) */
  benefits?: BenefitsLike;
  /** OOP per resident of each township, final year (sim/protection.ts) */
  oopPerResidentByTownship?: { township: string; name: { zh: string; en: string }; value: number | null }[];
  /** forgone care by group, final year (sim/protection.ts ForgoneCare; modelled false in a run without the outside option) */
  forgoneCare?: { modelled: boolean; note: string; share?: number | null; byQuintile?: (number | null)[]; poor?: number | null; nonPoor?: number | null; bySeverity?: Record<string, number | null> };
}

/** The benefits verdict as the briefing reads it (sim/benefits.ts BenefitsVerdict). */
export interface BenefitsLike {
  notLower: boolean;
  baseline: string;
  falls: {
    group: "resident" | "residentPoor" | "employee";
    metric: "ratio" | "oopPerEpisode";
    period: string;
    against: "baseline" | "previousYear";
    reference: string;
    worsening: number;
  }[];
  rule?: string;
}

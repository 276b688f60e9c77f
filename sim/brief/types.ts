/** What the briefing reads from a comparison row (sim/study/comparison.ts ScenarioComparison); older model versions may lack the siphon fields. */
import type { Comparison } from "../indicators";

/** The siphon rule's outcome (sim/siphon.ts SiphonVerdict["siphonRisk"] plus what it is set against). */
export interface SiphonRiskLike {
  level: "high" | "moderate" | "low";
  flag: boolean;
  countyVolumeChange: number | null;
  primaryVolumeChange: number | null;
  primaryStaffChange: number | null;
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
}

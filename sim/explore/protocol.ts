/**
 * What the explorer page and its Web Workers say to each other, and what a worker hands
 * back for one seed: only the figures the page shows (plain data, structured-cloneable),
 * computed by the same modules as `yigongti run` (sim/study/study.ts runStudySync).
 */
import type { IndicatorValue } from "../indicators";
import type { SiphonVerdict } from "../siphon";
import type { ScenarioChanges } from "../scenario/load";

/** Indicators the page reports (final year table and the yearly figures behind the bands). */
export const SHOWN_INDICATORS = [
  "primaryVisitShare",
  "withinCountyVisitRate",
  "downwardReferralGrowth",
  "downwardReferrals",
  "insurerFundBalance",
  "capitationBalance",
  "oopShare",
  "staffSiphon",
] as const;

/** Indicators drawn as trajectories (trailing-12-month values at each month end), against their target lines. */
export const TRAJECTORY_INDICATORS = ["primaryVisitShare", "withinCountyVisitRate", "insurerFundBalance"] as const;

export interface InitMessage {
  type: "init";
  files: Record<string, string>;
  cwd: string;
}

export interface RunRequest {
  type: "run";
  id: number;
  /** the starting scenario's file (a path of the file map) */
  scenarioFile: string;
  /** the scenario the siphon verdict sets the setting against (the root of the starting scenario's extends chain) */
  baselineFile: string;
  /** extend()'s changes: the levers moved, as a scenario file's keys */
  changes: ScenarioChanges;
  seed: number;
  scale: number;
}

export interface SeedResult {
  seed: number;
  scale: number;
  years: number;
  name: string;
  /** the resolved scenario's content hash (as the CLI's manifest.json gives it) */
  hash: string;
  residents: number;
  yearly: { period: string; values: Record<string, IndicatorValue> }[];
  /** trailing-12-month values per month end, TRAJECTORY_INDICATORS only */
  rolling: { period: string; values: Record<string, number | null> }[];
  siphon: SiphonVerdict;
  ms: number;
}

export type WorkerReply =
  | { type: "ready" }
  | { type: "result"; id: number; result: SeedResult }
  | { type: "error"; id: number; problems: string[] };

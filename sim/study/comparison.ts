/**
 * A scenario's final year set against the targets and against its baseline — the row
 * `yigongti compare` prints and writes (compare.json holds these rows as they are), the
 * briefing summarises and the notebooks read as `run.entry`. Defined once, here: which
 * scenario is a run's baseline, the siphon verdict against it (sim/siphon.ts), and the
 * residents who moved tier (sim/differences.ts).
 */
import { benefitsVerdict, fallText, type BenefitsVerdict } from "../benefits";
import type { DifferenceSummary } from "../differences";
import { INDICATORS, type Comparison, type IndicatorDefinition, type PeriodIndicators, type Totals } from "../indicators";
import { forgoneCare, type ForgoneCare, type TownshipName } from "../protection";
import type { Scenario } from "../scenario/load";
import { siphonVerdict, siphonVolumes, type SiphonVerdict } from "../siphon";
import { formatValue } from "./format";

/** The reform's headline targets, shown first. */
export const KEY_INDICATORS = ["primaryVisitShare", "withinCountyVisitRate", "downwardReferralGrowth"];
/** The effects an answer shows against the baseline (compare's table, the briefing's page 1): the targets' shares, what patients pay, catastrophic spending. */
export const EFFECT_INDICATORS = ["primaryVisitShare", "withinCountyVisitRate", "oopShare", "catastrophicExpenditure10"];

/** Indicators in display order: the key targets first, then the rest as defined. */
export const ORDERED: IndicatorDefinition[] = [
  ...KEY_INDICATORS.map((id) => INDICATORS.find((d) => d.id === id)!).filter(Boolean),
  ...INDICATORS.filter((d) => !KEY_INDICATORS.includes(d.id)),
];

/**
 * One scenario's row of the comparison for one seed: its final simulated year against
 * the targets and against its baseline twin (same county and seed). Its fields, in this
 * order, are what compare.json holds.
 */
export interface ScenarioComparison {
  name: string;
  title: { zh: string; en: string };
  file: string;
  hash: string;
  /** the final simulated year (period label), whose values are shown */
  year: string;
  seed: number;
  scale: number;
  years: number;
  residents: number;
  /** every indicator in ORDERED order (an optional module's only in a run that uses it: sim/indicators.ts OPTIONAL_MODULES) */
  indicators: Record<string, { value: number | null; target: number | null; met: boolean | null; comparison: Comparison | null; gap: number | null }>;
  /** the baseline this scenario is compared with (same county and seed) */
  baseline: string;
  /** change vs the baseline in the share of primary-treatable episodes treated at county hospitals (fraction) */
  patientSiphon: number | null;
  patientSiphonShare: number | null;
  /** net doctors moved primary → county in the final year */
  staffSiphon: number | null;
  primaryDoctorsPer10k: number | null;
  siphonRisk: SiphonVerdict["siphonRisk"] & { against: string };
  /** residents (common random numbers) treated at a higher / lower mix of tiers than in the baseline */
  residentsMovedUp: number | null;
  residentsMovedDown: number | null;
  /** OOP per resident-year of each township in the final year (sim/protection.ts) */
  oopPerResidentByTownship: { township: string; name: { zh: string; en: string }; value: number | null }[];
  /** forgone care in the final year by group, or "not modelled" in a run without the outside option (sim/protection.ts forgoneCare) */
  forgoneCare: ForgoneCare;
  /** 待遇不降低: every year's benefits by scheme × poverty group against the baseline and the previous year (sim/benefits.ts) */
  benefits: BenefitsVerdict;
}

/** What picks a scenario's baseline: its name, county file and start year. */
export interface BaselineKey {
  name: string;
  countyFile: string;
  startYear: number;
}

/**
 * The baseline of scenario `i`: the one named `name` where it shares the county (and
 * start year), else the first on the same county and start year; a scenario may be its
 * own baseline.
 */
export function baselineIndex(keys: readonly BaselineKey[], i: number, name?: string): number {
  const same = (j: number) => keys[j].countyFile === keys[i].countyFile && keys[j].startYear === keys[i].startYear;
  if (name !== undefined) {
    const j = keys.findIndex((k, m) => k.name === name && same(m));
    if (j >= 0) return j;
  }
  return keys.findIndex((_k, j) => same(j));
}

/** What the siphon verdict reads of a run: each year's counter totals and the first year's label. */
export interface SiphonSource {
  yearTotals: readonly Totals[];
  yearly: readonly Pick<PeriodIndicators, "period">[];
}

/**
 * The siphon verdict of a run's final year: against its baseline twin's same year (or
 * its last, if shorter), named `baselineName`; a run that is its own baseline (`base`
 * null) is set against its own first simulated year, the trend without reform. A change
 * counts as a signal beyond `minimumChange` (the scenario's siphonCheck.minimumChange).
 */
export function siphonAgainst(run: SiphonSource, base: SiphonSource | null, baselineName: string, minimumChange: number): SiphonVerdict {
  const last = run.yearTotals.length - 1;
  return siphonVerdict(
    siphonVolumes(run.yearTotals[last]),
    siphonVolumes(base === null ? run.yearTotals[0] : base.yearTotals[Math.min(last, base.yearTotals.length - 1)]),
    base === null ? `${run.yearly[0].period} (own first year)` : baselineName,
    minimumChange,
  );
}

/** What a comparison row reads of a run. */
export interface ComparedRun extends SiphonSource {
  scenario: Pick<Scenario, "name" | "title" | "file" | "hash" | "parameters">;
  settings: { seed: number; scale: number; years: number };
  residents: number;
  yearly: readonly PeriodIndicators[];
  /** the county's townships, and each one's OOP per resident-year in each simulated year */
  townships: readonly TownshipName[];
  townshipOop: readonly (readonly (number | null)[])[];
}

/**
 * One scenario's row, set against its baseline twin (`base` null: it is its own
 * baseline); `differences` are the per-resident differences from the twin when both kept
 * traces (null otherwise: residents moved are then unknown).
 */
export function scenarioComparison(run: ComparedRun, base: ComparedRun | null, differences: DifferenceSummary | null): ScenarioComparison {
  const s = run.scenario;
  const final = run.yearly[run.yearly.length - 1];
  const indicators: ScenarioComparison["indicators"] = {};
  for (const d of ORDERED) {
    const v = final.values[d.id];
    if (!v) continue; // an optional module's indicator in a run without that module
    indicators[d.id] = { value: v.value, target: v.target, met: v.met, comparison: v.comparison, gap: v.gap };
  }
  const own = base === null;
  const baseline = base ?? run;
  const verdict = siphonAgainst(run, base, baseline.scenario.name, run.scenario.parameters.siphonCheck.minimumChange);
  const { seed, scale, years } = run.settings;
  return {
    name: s.name, title: s.title, file: s.file, hash: s.hash, year: final.period, seed, scale, years, residents: run.residents, indicators,
    baseline: baseline.scenario.name,
    // against itself the patient siphon is 0 by definition; the risk rule uses its own trend
    patientSiphon: own ? 0 : verdict.patientSiphon,
    patientSiphonShare: verdict.patientSiphonShare,
    staffSiphon: final.values.staffSiphon?.value ?? null,
    primaryDoctorsPer10k: final.values.primaryDoctorsPer10k?.value ?? null,
    siphonRisk: { ...verdict.siphonRisk, against: verdict.against },
    residentsMovedUp: differences ? differences.movedUp : null,
    residentsMovedDown: differences ? differences.movedDown : null,
    oopPerResidentByTownship: townshipOop(run),
    forgoneCare: forgoneCare(final.values),
    benefits: benefitsVerdict(
      { name: s.name, periods: run.yearly.map((p) => p.period), yearTotals: run.yearTotals, annualPriceGrowth: s.parameters.costs.annualPriceGrowth },
      { name: baseline.scenario.name, yearTotals: baseline.yearTotals },
      s.parameters.benefitsCheck,
    ),
  };
}

/** Each township's OOP per resident-year in the run's final simulated year. */
function townshipOop(run: ComparedRun): ScenarioComparison["oopPerResidentByTownship"] {
  const values = run.townshipOop[run.townshipOop.length - 1] ?? [];
  return run.townships.map((t, i) => ({ township: t.id, name: t.name, value: values[i] ?? null }));
}

/** The lowest and highest township's OOP per resident, "¥812–¥1,530 (t03–t01)". */
export function townshipRange(e: ScenarioComparison): string {
  const known = e.oopPerResidentByTownship.filter((x): x is typeof x & { value: number } => x.value !== null);
  if (!known.length) return "-";
  const lo = known.reduce((a, b) => (b.value < a.value ? b : a));
  const hi = known.reduce((a, b) => (b.value > a.value ? b : a));
  return `${formatValue("yuan", lo.value)}–${formatValue("yuan", hi.value)} (${lo.township}–${hi.township})`;
}

/** The benefits verdict in one cell: ✓, or ✗ and how many comparisons fell. */
export function benefitsCell(b: BenefitsVerdict): string {
  return b.notLower ? "✓ not lower" : `✗ ${b.falls.length} fell`;
}

/** Lines naming every benefit that fell, scenario by scenario (empty when none did). */
export function benefitFallLines(entries: readonly ScenarioComparison[]): string[] {
  return entries.flatMap((e) => e.benefits.falls.map((c) => `${e.name}: ${fallText(c)}`));
}

/**
 * From the model's outputs to the plain data the chart builders take: indicator
 * trajectories (yearly or monthly PeriodIndicators), compare entries (target bars),
 * counter totals (referral flows) and per-community package balances. Indicators are
 * looked up in sim/indicators.ts at call time, so ones added there chart without changes.
 */
import { INDICATORS, totals, type Counters, type PeriodIndicators } from "../indicators";
import type { Chart } from "./chart";
import { fundBalanceChart, type Series } from "./series";
import { referralFlows, type FlowLink } from "./flows";
import { pick, tierLabel, type Bilingual, type Lang } from "./labels";
import { targetBarsChart, type TargetIndicator } from "./targets";
import { trajectoryChart, type TrajectorySeries } from "./trajectory";
import type { Comparison, Unit } from "./format";
import { scenarioColours } from "./style";

/** An indicator's label, unit and target, from sim/indicators.ts. */
export function indicatorInfo(id: string): { id: string; label: Bilingual; unit: Unit; target: { value: number; comparison: Comparison } | null } {
  const d = INDICATORS.find((x) => x.id === id);
  if (!d) throw new Error(`unknown indicator ${JSON.stringify(id)}; known: ${INDICATORS.map((x) => x.id).join(", ")}`);
  return { id, label: d.label, unit: d.unit, target: d.target ? { value: d.target.value, comparison: d.target.comparison } : null };
}

/** Trailing 12-month indicators by month end — defined with the others in sim/indicators.ts. */
export { rollingIndicators } from "../indicators";

/** One trajectory series per scenario from its yearly or monthly indicators. */
export function indicatorSeries(runs: readonly { label: string; periods: readonly PeriodIndicators[] }[], id: string): TrajectorySeries[] {
  return runs.map((r) => ({ label: r.label, points: r.periods.map((p) => ({ period: p.period, value: p.values[id]?.value ?? null })) }));
}

/** Trajectory chart of one indicator across scenarios, with its target from sim/indicators.ts. */
export function indicatorTrajectory(
  lang: Lang,
  id: string,
  runs: readonly { label: string; periods: readonly PeriodIndicators[] }[],
  options: { name?: string; colours?: Readonly<Record<string, string>>; granularity?: string } = {},
): Chart {
  const info = indicatorInfo(id);
  return trajectoryChart({
    lang,
    name: options.name ?? `trajectory-${id}`,
    indicator: info,
    target: info.target,
    series: indicatorSeries(runs, id),
    colours: options.colours ?? scenarioColours(runs.map((r) => r.label)),
    granularity: options.granularity,
  });
}

/** The shape of a comparison row the charts need (sim/study/comparison.ts ScenarioComparison). */
export interface EntryLike {
  title: Bilingual;
  year: string;
  indicators: Record<string, { value: number | null }>;
}

/** Scenario-vs-target bars from compare entries, for the given targeted indicators. */
export function targetBarsFromEntries(lang: Lang, entries: readonly EntryLike[], ids: readonly string[]): Chart {
  const indicators: TargetIndicator[] = ids.map((id) => {
    const info = indicatorInfo(id);
    if (!info.target) throw new Error(`indicator ${id} has no target`);
    return { id, label: info.label, unit: info.unit, target: info.target };
  });
  return targetBarsChart({
    lang,
    year: entries[0]?.year ?? "",
    indicators,
    scenarios: entries.map((e) => ({ label: pick(e.title, lang), values: Object.fromEntries(ids.map((id) => [id, e.indicators[id]?.value ?? null])) })),
  });
}

/** Referral links over the last 12 recorded months (the final year). */
export function finalYearFlows(counters: Counters, months: number, options: { encounters?: boolean } = {}): FlowLink[] {
  return referralFlows(totals(counters, Math.max(0, months - 12), months), options);
}

function monthLabel(start: { year: number; month: number }, m: number): string {
  const k = start.year * 12 + start.month - 1 + m;
  return `${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, "0")}`;
}

/** What package series need from a SimulationResult. */
export interface PackageSource {
  start: { year: number; month: number };
  months: number;
  communities: { id: string; name: Bilingual }[];
  communityPackage: Float64Array;
}

/**
 * Monthly package balance of each community (one series per community, `label` as the
 * colour, the community as the dash). Months before any package was paid are left out;
 * a community never paid by package gives no series.
 */
export function packageSeries(lang: Lang, seriesLabel: string, r: PackageSource): Series[] {
  const C = r.communities.length;
  const out: Series[] = [];
  r.communities.forEach((c, ci) => {
    const points = [];
    let started = false;
    for (let m = 0; m < r.months; m++) {
      const v = r.communityPackage[m * C + ci];
      started ||= v !== 0;
      if (started) points.push({ period: monthLabel(r.start, m), value: v });
    }
    if (points.length) out.push({ label: seriesLabel, group: pick(c.name, lang), points });
  });
  return out;
}

/** Fund balance chart for several runs; null when no run paid any package. */
export function fundBalanceFromRuns(lang: Lang, runs: readonly { label: string; result: PackageSource }[], colours?: Readonly<Record<string, string>>): Chart | null {
  const series = runs.flatMap((r) => packageSeries(lang, r.label, r.result));
  // Colours by position among all runs, so a scenario keeps its colour when others have no package.
  return series.length ? fundBalanceChart({ lang, series, colours: colours ?? scenarioColours(runs.map((r) => r.label)) }) : null;
}

/** What staff series need from a SimulationResult: the monthly counters (staff stocks). */
export interface StaffSource {
  start: { year: number; month: number };
  months: number;
  counters: Counters;
}

/**
 * Doctors by tier at the end of each simulated year (stocks doctorsVillage,
 * doctorsTownship, doctorsCounty; full-size headcounts), one series per tier, `group`
 * naming the scenario. Empty when the model version has no staff counters.
 */
export function staffSeries(lang: Lang, scenarioLabel: string, r: StaffSource): Series[] {
  const c = r.counters as unknown as Record<string, Float64Array | undefined>;
  const tiers = [
    ["village", "doctorsVillage"],
    ["township", "doctorsTownship"],
    ["county", "doctorsCounty"],
  ] as const;
  if (!tiers.every(([, k]) => c[k])) return [];
  return tiers.map(([tier, key]) => ({
    label: tierLabel(tier, lang),
    group: scenarioLabel,
    points: Array.from({ length: Math.ceil(r.months / 12) }, (_, y) => {
      const last = Math.min(r.months, (y + 1) * 12) - 1;
      return { period: monthLabel(r.start, last).slice(0, 4), value: c[key]![last] };
    }),
  }));
}

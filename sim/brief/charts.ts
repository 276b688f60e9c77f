/**
 * The briefing's charts, built from the runs with the shared chart module: scenarios vs
 * the 2020 targets; primary-care share and within-county rate over a rolling year with
 * their target lines; referral flows in the final year; package balance per community; and,
 * when the model provides them, the siphon indicators year by year.
 */
import type { Chart } from "../charts/chart";
import { pick, type Lang } from "../charts/labels";
import { finalYearFlows, fundBalanceFromRuns, indicatorTrajectory, staffSeries, targetBarsFromEntries } from "../charts/from-model";
import { flowsChart } from "../charts/flows";
import { seriesChart, type Series } from "../charts/series";
import { tierLabel } from "../charts/labels";
import { scenarioColours } from "../charts/style";
import type { PeriodIndicators } from "../indicators";
import type { SimulationResult } from "../simulate";
import { KEY_INDICATORS, type ScenarioComparison } from "../study/comparison";
import type { StudyRun } from "../study/study";

export interface BriefChartSet {
  charts: Chart[];
  /** why an expected chart is absent (e.g. no scenario pays a package) */
  notes: string[];
}

/** What the charts read of a study run: the simulation itself (counters, package balances, staff) and the rolling indicators. */
type ChartedRun = StudyRun & { result: SimulationResult; rolling: PeriodIndicators[] };

/** The briefing's charts from a study's runs of one seed (each with its simulation: not runs read back from the results store). */
export function briefingCharts(lang: Lang, studyRuns: readonly StudyRun[]): BriefChartSet {
  const runs = studyRuns.map(charted);
  const entries = runs.map((r) => r.entry);
  const label = (r: StudyRun) => pick(r.scenario.title, lang);
  // Trailing 12-month values by month end: the annual definition, without monthly swings (computed once, by the study).
  const rolling = runs.map((r) => ({ label: label(r), periods: r.rolling }));
  const granularity = lang === "zh" ? "滚动12个月，按月末" : "rolling 12 months, by month end";
  const yearly = runs.map((r) => ({ label: label(r), periods: r.yearly }));
  const colours = scenarioColours(runs.map(label));
  const charts: Chart[] = [
    targetBarsFromEntries(lang, entries, KEY_INDICATORS),
    indicatorTrajectory(lang, "primaryVisitShare", rolling, { colours, granularity }),
    indicatorTrajectory(lang, "withinCountyVisitRate", rolling, { colours, granularity }),
    flowsChart({
      lang,
      what: lang === "zh" ? `${entries[0]?.year ?? ""}年转诊人次` : `Referrals in ${entries[0]?.year ?? "the final year"}`,
      scenarios: runs.map((r) => ({ label: label(r), links: finalYearFlows(r.result.counters, r.result.months) })),
    }),
  ];
  const notes: string[] = [];
  const fund = fundBalanceFromRuns(lang, runs.map((r) => ({ label: label(r), result: r.result })), colours);
  if (fund) charts.push(fund);
  else notes.push("noPackage");
  // Staff: doctors by tier, the baseline against the reform with the largest patient siphon.
  const staff = staffComparison(lang, runs, entries);
  if (staff) charts.push(staff);
  // Siphon indicators defined in sim/indicators.ts, year by year.
  for (const id of ["patientSiphonShare", "primaryDoctorsPer10k"]) {
    if (runs.some((r) => r.yearly.some((p) => p.values[id]?.value != null))) charts.push(indicatorTrajectory(lang, id, yearly, { colours }));
  }
  return { charts, notes };
}

function charted(r: StudyRun): ChartedRun {
  if (!r.result || !r.rolling) throw new Error(`${r.name}: the briefing's charts need each run's simulation (a run read back from the results store has none)`);
  return r as ChartedRun;
}

/** Doctors by tier for the first scenario and the reform with the largest patient siphon (null without staff counters). */
function staffComparison(lang: Lang, runs: readonly ChartedRun[], entries: readonly ScenarioComparison[]): Chart | null {
  const label = (r: StudyRun) => pick(r.scenario.title, lang);
  const siphon = (i: number) => (entries[i] as { patientSiphon?: number | null }).patientSiphon ?? null;
  let pick2 = -1;
  runs.forEach((_r, i) => {
    if (i > 0 && siphon(i) !== null && (pick2 < 0 || siphon(i)! > siphon(pick2)!)) pick2 = i;
  });
  const chosen = pick2 > 0 ? [0, pick2] : [0];
  const series = chosen.flatMap((i) => staffSeries(lang, label(runs[i]), runs[i].result));
  if (!series.length) return null;
  const primary = (i: number) => {
    const s = series.filter((x) => x.group === label(runs[i]) && x.label !== tierLabel("county", lang));
    const last = (x: Series) => x.points[x.points.length - 1]?.value ?? 0;
    return s.reduce((a, x) => a + last(x), 0);
  };
  const year = series[0].points[series[0].points.length - 1]?.period ?? "";
  const title =
    chosen.length === 2
      ? lang === "zh"
        ? `${year}年基层医生：${label(runs[0])} ${Math.round(primary(0)).toLocaleString("en-US")} 人，${label(runs[chosen[1]])} ${Math.round(primary(chosen[1])).toLocaleString("en-US")} 人`
        : `Primary-care doctors in ${year}: ${Math.round(primary(0)).toLocaleString("en-US")} under ${label(runs[0])}, ${Math.round(primary(chosen[1])).toLocaleString("en-US")} under ${label(runs[chosen[1]])}`
      : lang === "zh"
        ? `${year}年基层医生 ${Math.round(primary(0)).toLocaleString("en-US")} 人（${label(runs[0])}）`
        : `Primary-care doctors in ${year}: ${Math.round(primary(0)).toLocaleString("en-US")} (${label(runs[0])})`;
  return seriesChart({
    lang,
    name: "staff-by-tier",
    title,
    subtitle:
      lang === "zh"
        ? `各层级医生人数（年末，全县规模），实线为${label(runs[0])}${chosen.length === 2 ? `，虚线为患者虹吸最大的改革情景` : ""}`
        : `Doctors by tier at year end (full-county headcounts); solid: ${label(runs[0])}${chosen.length === 2 ? "; dashed: the reform with the largest patient siphon" : ""}`,
    yTitle: lang === "zh" ? "医生人数" : "Doctors",
    unit: "count",
    series,
    colourTitle: lang === "zh" ? "层级" : "Tier",
    groupTitle: lang === "zh" ? "情景" : "Scenario",
  });
}

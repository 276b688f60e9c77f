/**
 * The briefing's charts, built from the runs with the shared chart module: scenarios vs
 * the 2020 targets; primary-care share and within-county rate over a rolling year with
 * their target lines; referral flows in the final year; package balance per community; and,
 * when the model provides them, the siphon indicators year by year.
 */
import type { Chart } from "../charts/chart";
import { pick, type Lang } from "../charts/labels";
import { finalYearFlows, fundBalanceFromRuns, indicatorTrajectory, rollingIndicators, targetBarsFromEntries } from "../charts/from-model";
import { flowsChart } from "../charts/flows";
import { scenarioColours } from "../charts/style";
import { KEY_INDICATORS, type CompareEntry } from "../cli/compare";
import type { ScenarioRun } from "../cli/results";
import { SIPHON_IDS } from "./siphon";

export interface BriefChartSet {
  charts: Chart[];
  /** why an expected chart is absent (e.g. no scenario pays a package) */
  notes: string[];
}

export function briefingCharts(lang: Lang, runs: readonly ScenarioRun[], entries: readonly CompareEntry[]): BriefChartSet {
  const label = (r: ScenarioRun) => pick(r.scenario.title, lang);
  // Trailing 12-month values by month end: the annual definition, without monthly swings.
  const rolling = runs.map((r) => ({ label: label(r), periods: rollingIndicators(r.result.counters, r.result.start, r.result.months) }));
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
  // Siphon indicators, once the model has them (sim/indicators.ts).
  for (const id of SIPHON_IDS) {
    if (runs.some((r) => r.yearly.some((p) => p.values[id]?.value != null))) charts.push(indicatorTrajectory(lang, id, yearly, { colours }));
  }
  return { charts, notes };
}

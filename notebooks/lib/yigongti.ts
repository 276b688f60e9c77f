/**
 * The notebook-facing API: what a notebook cell imports as `from "yigongti"`.
 *
 * tslab cannot import the simulator's sources directly (it compiles cells with the
 * notebook folder as rootDir, and cannot require ESM-only packages such as vega), so
 * scripts/notebooks/build-lib.ts bundles this file, the simulator and the chart module
 * into one CommonJS file at notebooks/node_modules/yigongti/ (generated, not committed;
 * rebuilt before every notebook session and every notebook test).
 */
export { applyTimeline, extend, loadScenario, type ExtendOptions, type Scenario, type ScenarioChanges, type TimelineEntry, type YearMonth } from "../../sim/scenario/load";
export { simulate, type SimulationResult, type SimulateOptions } from "../../sim/simulate";
export {
  COUNTER_NAMES, INDICATORS, INDICATOR_IDS, TARGET_YEAR, meetsTarget, monthlyIndicators, rollingIndicators, totals, yearlyIndicators, yearsThroughTargetYear,
  type IndicatorDefinition, type IndicatorValue, type PeriodIndicators,
} from "../../sim/indicators";
export { SIPHON_RULE, type SiphonVerdict } from "../../sim/siphon";
/**
 * The study layer (sim/study): a set of scenarios over seeds with every comparison
 * computed once (`study(...)` below, or `runStudy` with loaded scenarios), and its
 * summaries across seeds.
 */
export {
  KEY_INDICATORS, ORDERED, indicatorBand, pairedDifference, quantileBand, runStudy, seedEntries, seedRange, seedRuns, siphonRiskShares, targetProbability, valueAt,
  formatPoints, formatTarget, formatValue,
  type PairedDifference, type QuantileBand, type ScenarioComparison, type Study, type StudyRun, type StudyScenario, type TargetProbability,
} from "../../sim/study";
export { modelVersion } from "../../sim/manifest";
export { PROJECT_ROOT, scenarioFile, shippedScenarios } from "./paths";
export { compare, indicator, resolveScenario, run, study, valueOf, yearlyRows, type CompareOptions, type Run, type RunOptions, type ScenarioRef, type StudyOptions } from "./runs";
export { formatCell, indicatorLabels, tableHtml, type ColumnFormat, type TableLike } from "./tables";
/** Tidy results (runs × periods × indicators) as danfojs DataFrames: filter, group, aggregate, print. */
export { danfojs, tidyFrame, tidyRows, wideRows, type TidyOptions, type TidyRow } from "./frames";
/**
 * The chart module (sim/charts): builders return a Chart (rows, Vega-Lite spec, Plotly
 * figure); `await charts.chartSvg(chart)` renders SVG headless for `tslab.display.html`,
 * `charts.plotlyHtml(chart.plotly)` draws it interactively with the offline plotly.js.
 */
export * as charts from "../../sim/charts";
export { chartHtml, provenanceOf } from "./display";
export { growthPct, listText, pct, points, verdict, yuan } from "./narrative";
/**
 * Experiments (sim/experiments): jobs, ensembles over seeds (and parameter draws), paired
 * reform − baseline differences, parameter uncertainty. `{ workers: 1 }` runs jobs in the
 * kernel's thread; more workers run the engine build's compiled worker (dist/engine,
 * built or rebuilt on first use when a source changed).
 */
export { runJobs, type Job, type JobResult } from "../../sim/experiments/runner";
export { ensembleJobs, pairedDifferences, summarize, varianceByIndicator, type EnsembleSpec, type SummaryRow } from "../../sim/experiments/ensemble";
export { loadUncertaintyFile, type UncertainParameter } from "../../sim/experiments/uncertainty";

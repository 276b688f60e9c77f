/**
 * The package's API: what `import { … } from "yigongti"` gives another project (built by
 * scripts/build/lib.mjs into dist/lib/, with type declarations; package.json `exports`).
 * The common tasks in one line each (Covasim's "common tasks should be simple"):
 *
 *     const base = loadScenario("node_modules/yigongti/scenarios/baseline-2018.yaml");
 *     const run = simulate(base, { seed: 1, years: 3, scale: 0.1 });
 *     const reform = extend(base, { timeline: [{ from: "2019-01", source: "…", set: { "payment.regime": "capitation" } }] });
 *
 * The chart module and the notebook helpers are not here: they load vega and friends
 * (see notebooks/lib/yigongti.ts for the notebook-facing API).
 */
export {
  applyTimeline, extend, loadCounty, loadParameters, loadScenario, policyByMonth,
  type ExtendOptions, type Scenario, type ScenarioChanges, type TimelineEntry, type YearMonth,
} from "./scenario/load";
export { InputError } from "./scenario/errors";
export { countyJsonSchema, jsonSchemaFiles, parametersJsonSchema, scenarioJsonSchema, type JsonSchema } from "./scenario/json-schema";
export { simulate, type SimulationResult, type SimulateOptions } from "./simulate";
export {
  COUNTER_NAMES, INDICATORS, INDICATOR_IDS, TARGET_YEAR, meetsTarget, monthlyIndicators, rollingIndicators, totals, yearlyIndicators, yearsThroughTargetYear,
  type IndicatorDefinition, type IndicatorValue, type PeriodIndicators,
} from "./indicators";
export { SIPHON_RULE, type SiphonVerdict } from "./siphon";
export * from "./study";
export { modelVersion, PACKAGE_ROOT } from "./manifest";
export { runJobs, type Job, type JobResult } from "./experiments/runner";
export { ensembleJobs, pairedDifferences, summarize, varianceByIndicator, type EnsembleSpec, type SummaryRow } from "./experiments/ensemble";
export { loadUncertaintyFile, type UncertainParameter } from "./experiments/uncertainty";

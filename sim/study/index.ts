/**
 * The study layer: run a set of scenarios (seeds, scale, years, baseline) on an executor
 * and get one result, the Study, with every run's yearly, monthly and rolling indicators
 * and its comparisons (targets, siphon verdict, residents moved) computed once — which
 * `yigongti compare`, `brief` and `run`, the briefing, its charts, the notebooks and the
 * README's figures only read. Layers: sim/ (model, indicators, siphon) → sim/study →
 * sim/brief, sim/charts, notebooks/lib, scripts → sim/cli (nothing outside sim/cli imports
 * from it; test/study/layers.test.ts holds this).
 *
 *   study.ts       Study, StudyRun, runStudy (workers | in-thread | store), runStudySync
 *   comparison.ts  ScenarioComparison (compare's row), baselineIndex, siphonAgainst, KEY_INDICATORS, ORDERED
 *   summary.ts     across seeds: quantileBand, indicatorBand, targetProbability, pairedDifference, siphonRiskShares
 *   format.ts      formatValue, formatTarget, formatPoints (the one percentage-point formatter)
 */
export * from "./study";
export * from "./comparison";
export * from "./summary";
export * from "./format";

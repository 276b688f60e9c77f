/**
 * Charts for notebooks, the command line and committee briefings — one module.
 *
 *   build (pure, plain data → Chart: rows + Vega-Lite spec + Plotly figure)
 *     trajectoryChart   indicator over time, uncertainty band, target line
 *     targetBarsChart   scenario values vs the 2020 targets, met / missed
 *     flowsChart        patient flows between tiers (Sankey in Plotly, bars in Vega-Lite)
 *     seriesChart, staffChart, fundBalanceChart   series over time (staff by tier, package balance)
 *     tornadoChart      one-way sensitivity
 *     prefectureCharts  a prefecture run: counties vs targets, trajectories, cross-county flows
 *     ensembleCharts, effectsChart, responseChart, sobolChart, effectTornado
 *                       the experiment commands' charts (sim/charts/experiments.ts)
 *   from the model (sim/charts/from-model.ts): indicatorTrajectory, targetBarsFromEntries,
 *     finalYearFlows, packageSeries, fundBalanceFromRuns
 *   render / save: chartSvg, svgToPng, saveChart (name.svg/png/csv/json), plotlyHtml
 *
 * Labels in Chinese or English (`lang: "zh" | "en"`). No top-level await: vega is
 * imported lazily when rendering.
 */
export * from "./chart";
export * from "./format";
export * from "./labels";
export * from "./style";
export * from "./text";
export * from "./trajectory";
export * from "./targets";
export * from "./flows";
export * from "./series";
export * from "./tornado";
export * from "./frontier";
export * from "./experiments";
export * from "./prefecture";
export * from "./from-model";
export * from "./render";
export * from "./save";

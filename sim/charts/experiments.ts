/**
 * Charts of the experiment commands, built from their summaries (plain data, no runs):
 *   ensembleCharts    each headline indicator over the years: median line and 10–90% band
 *                     per scenario, target line; with a baseline, the paired effects
 *   effectsChart      each reform − baseline in the final year, median and 10–90% band, zero line
 *   responseChart     a sweep: indicator against a swept parameter, band over the seeds, target line
 *   sobolChart        Sobol first-order and total indices with their confidence intervals
 *   effectTornado     a tornado of effects (change from the base point), shares in percentage points
 * Same look, colours and units as the briefing's charts (style.ts, format.ts); every
 * chart's CSV holds exactly the numbers drawn.
 */
import type { Chart, Row } from "./chart";
import { axisFormat, axisLabels, meets, scaleNote, scaleTag, targetText, valueText, type Unit } from "./format";
import { indicatorInfo, scaledIndicator } from "./from-model";
import { label, pick, type Lang } from "./labels";
import { CASE_COLOURS, ONE_ROW, referenceLineLayers, TARGET_COLOUR, WIDTH, HEIGHT, colourScale, percentFormat, plotlyLayout, scenarioColours, titleBlock, vegaConfig, wrappedLabels } from "./style";
import { largestEffect, tornadoChart } from "./tornado";
import { trajectoryChart } from "./trajectory";

/** The indicators every experiment charts: the three 2020 targets, the insurance fund and what patients pay. */
export const HEADLINE_INDICATORS = ["primaryVisitShare", "withinCountyVisitRate", "downwardReferralGrowth", "insurerFundBalance", "oopShare"] as const;

/** A summary row of an ensemble (sim/experiments/ensemble.ts SummaryRow): median and band of one indicator in one period. */
export interface BandRow {
  scenario: string;
  granularity: string;
  period: string;
  indicator: string;
  n: number;
  median: number | null;
  p10: number | null;
  p90: number | null;
}

/** A scenario as charted: its name (its colour) and its label in the chart's language. */
export interface ChartedScenario {
  name: string;
  label: string;
}

/** The unit of a difference: shares and growth rates differ in percentage points. */
export function effectUnit(unit: Unit): Unit {
  return unit === "share" || unit === "growth" ? "points" : unit;
}

const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

export interface EnsembleChartInput {
  lang: Lang;
  summary: readonly BandRow[];
  differences: readonly BandRow[];
  /** every scenario, the baseline first when there is one */
  scenarios: readonly ChartedScenario[];
  /** names of the scenarios compared with the baseline (empty without one) */
  reforms: readonly string[];
  baseline: string | null;
  runsPerScenario: number;
  scale?: number;
  indicators?: readonly string[];
}

/** The ensemble's charts: a yearly trajectory per headline indicator and, with ≥ 1 reform against a baseline, the paired effects. */
export function ensembleCharts(input: EnsembleChartInput): Chart[] {
  const { lang } = input;
  const ids = (input.indicators ?? HEADLINE_INDICATORS).filter((id) => input.summary.some((r) => r.indicator === id && r.granularity === "year"));
  const colours = scenarioColours(input.scenarios);
  const n = input.runsPerScenario;
  const charts: Chart[] = ids.map((id) => {
    const info = indicatorInfo(id);
    const series = input.scenarios.map((s) => ({
      label: s.label,
      points: input.summary
        .filter((r) => r.scenario === s.name && r.indicator === id && r.granularity === "year")
        .map((r) => ({ period: r.period, value: r.median, lo: n > 1 ? r.p10 : null, hi: n > 1 ? r.p90 : null })),
    }));
    return trajectoryChart({
      lang,
      name: `ensemble-${id}`,
      indicator: info,
      target: info.target,
      series,
      colours,
      scale: scaledIndicator(info.unit) ? input.scale : undefined,
      granularity: lang === "zh" ? `按年，${n}次运行的中位数` : `yearly, median of ${n} runs`,
      bandLabel: lang === "zh" ? `${n}次运行的10–90%区间` : `10–90% range of the ${n} runs`,
    });
  });
  if (input.baseline && input.reforms.length) {
    const e = effectsChart({ lang, differences: input.differences, scenarios: input.scenarios.filter((s) => input.reforms.includes(s.name)), colours, baseline: input.scenarios.find((s) => s.name === input.baseline)?.label ?? input.baseline, runs: n, scale: input.scale, indicators: ids });
    if (e) charts.push(e);
  }
  return charts;
}

export interface EffectsInput {
  lang: Lang;
  differences: readonly BandRow[];
  /** the reforms, in order */
  scenarios: readonly ChartedScenario[];
  /** label → colour (the ensemble's other charts' colours) */
  colours?: Readonly<Record<string, string>>;
  /** the baseline's label */
  baseline: string;
  runs: number;
  scale?: number;
  indicators?: readonly string[];
}

/**
 * Paired effects: one panel per indicator (each in its own unit), a row per reform with
 * the median of reform − baseline in its final simulated year and the 10–90% band of the
 * paired differences; the zero line is "no effect". Null when no difference has a value.
 */
export function effectsChart(input: EffectsInput): Chart | null {
  const { lang } = input;
  const labels = input.scenarios.map((s) => s.label);
  const colours = input.colours ?? scenarioColours(input.scenarios);
  const finalYear = (name: string) =>
    input.differences.filter((r) => r.scenario === name && r.granularity === "year").reduce((a, r) => (r.period > a ? r.period : a), "");
  const rows: Row[] = [];
  const ids = (input.indicators ?? HEADLINE_INDICATORS).filter((id) => input.differences.some((r) => r.indicator === id && r.median !== null));
  for (const id of ids) {
    const info = indicatorInfo(id);
    for (const s of input.scenarios) {
      const year = finalYear(s.name);
      const r = input.differences.find((x) => x.scenario === s.name && x.granularity === "year" && x.period === year && x.indicator === id);
      if (!r || r.median === null) continue;
      rows.push({ indicator: id, indicatorLabel: pick(info.label, lang), unit: effectUnit(info.unit), series: s.label, period: year, median: r.median, p10: r.p10, p90: r.p90, n: r.n });
    }
  }
  if (!rows.length) return null;
  const year = String(rows[0].period);
  const first = rows[0];
  const medianText = (r: Row) => valueText(String(r.unit), Number(r.median), lang);
  const bandText = (r: Row) => `${valueText(String(r.unit), Number(r.p10), lang)} – ${valueText(String(r.unit), Number(r.p90), lang)}`;
  const title =
    labels.length === 1
      ? lang === "zh"
        ? `${labels[0]}相对${input.baseline}：${year}年${first.indicatorLabel}${medianText(first)}`
        : `${labels[0]} vs ${input.baseline} in ${year}: ${first.indicatorLabel} ${medianText(first)}`
      : lang === "zh"
        ? `${labels.length}项改革相对${input.baseline}的效应（${year}年）`
        : `Effects of ${labels.length} reforms vs ${input.baseline} in ${year}`;
  const subtitle =
    (lang === "zh"
      ? `改革减基准，按种子配对（共同随机数）：点为${input.runs}对运行的中位数，横线为10–90%区间；竖线为零（无效应）；占比与增长率之差以百分点计`
      : `Reform − baseline, paired by seed (common random numbers): dot, median of ${input.runs} pairs; bar, 10–90% range; vertical line, zero (no effect); differences of shares and growth rates in percentage points`) +
    (input.scale !== undefined && input.scale < 1 && ids.some((id) => scaledIndicator(indicatorInfo(id).unit)) ? (lang === "zh" ? `；${scaleNote(input.scale, lang)}` : `; ${scaleNote(input.scale, lang)}`) : "");
  const color = { field: "series", type: "nominal", sort: labels, scale: colourScale(labels, colours), legend: null };
  const wrap = wrappedLabels(labels, 210);
  const panels = ids
    .filter((id) => rows.some((r) => r.indicator === id))
    .map((id) => {
      const mine = rows.filter((r) => r.indicator === id);
      const unit = String(mine[0].unit);
      const x = { field: "median", type: "quantitative", title: `${mine[0].indicatorLabel}${unit === "points" ? (lang === "zh" ? "（百分点）" : " (pp)") : scaledIndicator(indicatorInfo(id).unit) ? scaleTag(input.scale, lang) : ""}`, axis: { ...axisLabels(unit, lang), tickCount: 5 }, scale: { domain: effectDomain(mine), nice: true } };
      const y = { field: "series", type: "nominal", sort: labels, title: null, axis: { ...wrap } };
      return {
        width: WIDTH - 200,
        height: { step: 34 },
        transform: [{ filter: { field: "indicator", equal: id } }],
        layer: [
          { data: ONE_ROW, mark: { type: "rule", color: TARGET_COLOUR, strokeWidth: 1.5 }, encoding: { x: { datum: 0, type: "quantitative" } } },
          { mark: { type: "rule", strokeWidth: 4, opacity: 0.55 }, encoding: { y, x: { ...x, field: "p10" }, x2: { field: "p90" }, color } },
          { mark: { type: "point", filled: true, size: 110, opacity: 1 }, encoding: { y, x, color, tooltip: [{ field: "series" }, { field: "medianText", title: label("value", lang) }, { field: "bandText", title: label("band", lang) }] } },
        ],
      };
    });
  const vegaLite = {
    $schema: SCHEMA,
    title: titleBlock(title, subtitle, WIDTH),
    config: vegaConfig(),
    data: { values: rows.map((r) => ({ ...r, medianText: medianText(r), bandText: bandText(r) })) },
    vconcat: panels,
    spacing: 18,
  };
  const plotly = {
    data: input.scenarios.map((s) => {
      const mine = rows.filter((r) => r.series === s.label);
      return {
        type: "scatter",
        mode: "markers",
        name: s.label,
        y: mine.map((r) => r.indicatorLabel),
        x: mine.map((r) => (r.unit === "points" ? Number(r.median) * 100 : Number(r.median))),
        error_x: { type: "data", symmetric: false, array: mine.map((r) => (Number(r.p90) - Number(r.median)) * (r.unit === "points" ? 100 : 1)), arrayminus: mine.map((r) => (Number(r.median) - Number(r.p10)) * (r.unit === "points" ? 100 : 1)) },
        marker: { color: colours[s.label], size: 10 },
      };
    }),
    layout: { ...plotlyLayout(title, subtitle), xaxis: { zeroline: true, zerolinecolor: TARGET_COLOUR }, yaxis: { automargin: true } },
  };
  return { name: "ensemble-effects", lang, title, subtitle, columns: ["indicator", "series", "period", "unit", "n", "median", "p10", "p90"], rows, vegaLite, plotly };
}

/** An effects panel's x range: zero and every band edge. */
function effectDomain(rows: readonly Row[]): [number, number] {
  const v = rows.flatMap((r) => [r.median, r.p10, r.p90]).filter((x): x is number => typeof x === "number" && Number.isFinite(x));
  return [Math.min(0, ...v), Math.max(0, ...v)];
}

/** A sweep's summary row at one point (sim/experiments/sweep.ts SweepRow). */
export interface ResponseRow {
  point: number;
  values: readonly number[];
  period: string;
  indicator: string;
  mean: number | null;
  min: number | null;
  max: number | null;
  seeds: number;
}

export interface ResponseInput {
  lang: Lang;
  indicator: string;
  rows: readonly ResponseRow[];
  /** the swept parameters in order: their path, the label shown and, optionally, how a value is written and whether it is a share (a % axis) */
  parameters: readonly { path: string; label: string; text?: (v: number) => string; share?: boolean }[];
  period: string;
  seeds: number;
  /** a Latin hypercube: points, not a curve */
  scatter?: boolean;
  /** the swept scenario's name: its colour */
  scenario: string;
  scale?: number;
}

/** A label inside an English sentence starts in lower case ("… most sensitive to township centre …"). */
const inText = (label: string, lang: Lang) => (lang === "en" && !/^[A-Z]{2}/.test(label) ? label.charAt(0).toLowerCase() + label.slice(1) : label); // "OOP share" stays

/** "0.85" etc. for a legend: a swept value with 4 significant digits. */
const num = (v: number) => String(Number(v.toPrecision(4)));

/**
 * Response of one indicator in `period` to the first swept parameter: the mean over the
 * seeds, the seeds' min–max as a band (more than one seed), the target as a dashed line.
 * With several parameters on a grid, one line per combination of the others, told apart by
 * dashes: the colour stays the scenario's, as in every chart.
 */
export function responseChart(input: ResponseInput): Chart {
  const { lang } = input;
  const info = indicatorInfo(input.indicator);
  const unit = info.unit;
  const ind = pick(info.label, lang);
  const p0 = input.parameters[0];
  const others = input.parameters.slice(1);
  const text = (p: ResponseInput["parameters"][number], v: number) => (p.text ? p.text(v) : num(v));
  const seriesOf = (r: ResponseRow) => (others.length ? others.map((p, i) => `${p.label} ${text(p, r.values[i + 1])}`).join(lang === "zh" ? "，" : ", ") : ind);
  const inSentence = inText(p0.label, lang);
  const rows: Row[] = input.rows
    .filter((r) => r.indicator === input.indicator && r.period === input.period)
    .map((r) => ({ point: r.point, x: r.values[0], series: seriesOf(r), value: r.mean, lo: input.seeds > 1 ? r.min : null, hi: input.seeds > 1 ? r.max : null, seeds: r.seeds }))
    .sort((a, b) => Number(a.x) - Number(b.x));
  const hasBand = rows.some((r) => r.lo !== null && r.hi !== null);
  const target = info.target;
  const xs = rows.map((r) => Number(r.x));
  const vals = rows.filter((r) => r.value !== null);
  const lo = vals.reduce<Row | null>((a, r) => (!a || Number(r.x) < Number(a.x) ? r : a), null);
  const hi = vals.reduce<Row | null>((a, r) => (!a || Number(r.x) > Number(a.x) ? r : a), null);
  const met = target ? vals.filter((r) => meets(Number(r.value), target)).length : 0;
  const range = lo && hi ? `${valueText(unit, Number(lo.value), lang)} → ${valueText(unit, Number(hi.value), lang)}` : "—";
  const from = text(p0, Math.min(...xs));
  const to = text(p0, Math.max(...xs));
  const metText = !target || input.scatter || others.length ? "" : lang === "zh" ? (met ? `，${vals.length}个取值中${met}个达到目标` : "，均未达到目标") : met ? `; ${met} of ${vals.length} values meet the target` : "; none meets the target";
  const title = lang === "zh" ? `${input.period}年${ind}：${p0.label}从${from}到${to}时为 ${range}${metText}` : `${ind} in ${input.period}: ${range} as the ${inSentence} goes from ${from} to ${to}${metText}`;
  const subtitle =
    (lang === "zh" ? `${ind}（${input.period}年，${input.seeds}个种子的均值）` : `${ind} in ${input.period}, mean of ${input.seeds} seed${input.seeds === 1 ? "" : "s"}`) +
    (target ? (lang === "zh" ? `；虚线为目标 ${targetText(unit, target, lang)}` : `; dashed line: target ${targetText(unit, target, lang)}`) : "") +
    (hasBand ? (lang === "zh" ? "；阴影为各种子的最小–最大值" : "; shaded: min–max over the seeds") : "") +
    (scaledIndicator(unit) && scaleNote(input.scale, lang) ? (lang === "zh" ? `；${scaleNote(input.scale, lang)}` : `; ${scaleNote(input.scale, lang)}`) : "");
  const shown = [...rows.flatMap((r) => [r.value, r.lo, r.hi]), target?.value].filter((v): v is number => typeof v === "number");
  const fmt = unit === "share" || unit === "growth" ? percentFormat(shown, unit === "growth") : axisFormat(unit);
  const x = { field: "x", type: "quantitative", title: p0.label, scale: { zero: false, nice: false }, axis: { tickCount: 6, ...(p0.share ? { format: percentFormat(xs, false) } : {}) } };
  const y = { field: "value", type: "quantitative", title: `${ind}${scaledIndicator(unit) ? scaleTag(input.scale, lang) : ""}`, axis: unit === "share" || unit === "growth" ? { format: fmt } : axisLabels(unit, lang), scale: { zero: unit === "count" || unit === "yuan" } };
  const labels = [...new Set(rows.map((r) => String(r.series)))];
  // One scenario: its colour (SCENARIO_COLOURS, as in every other chart); the other swept parameters' values as dashes.
  const colour = scenarioColours([input.scenario])[input.scenario];
  const dashes = [[1, 0], [7, 4], [2, 3], [10, 3, 2, 3], [4, 2], [12, 4]];
  const dash = others.length
    ? { strokeDash: { field: "series", type: "nominal", title: null, sort: labels, scale: { domain: labels, range: labels.map((_, i) => dashes[i % dashes.length]) }, legend: { orient: "bottom", direction: "vertical", columns: labels.length > 4 ? 2 : 1, labelLimit: 600, symbolType: "stroke", symbolStrokeColor: colour, symbolStrokeWidth: 2.5, symbolSize: 500 } }, detail: { field: "series" } }
    : {};
  const layers: Record<string, unknown>[] = [];
  if (hasBand) layers.push({ mark: { type: input.scatter ? "rule" : "area", opacity: input.scatter ? 0.5 : 0.15, strokeWidth: 2, color: colour }, encoding: { x, y: { field: "lo", type: "quantitative" }, y2: { field: "hi" }, ...(others.length ? { detail: { field: "series" } } : {}) } });
  layers.push({
    mark: input.scatter ? { type: "point", filled: true, size: 50, color: colour } : { type: "line", point: { filled: true, color: colour }, strokeWidth: 2.5, color: colour },
    encoding: { x, y, ...dash, tooltip: [{ field: "x", title: p0.label }, { field: "value", format: fmt }, { field: "series" }] },
  });
  if (target) {
    const tt = `${label("target", lang)} ${targetText(unit, target, lang)}`;
    layers.push(...referenceLineLayers(target.value, tt));
  }
  const vegaLite = { $schema: SCHEMA, title: titleBlock(title, subtitle, WIDTH), width: WIDTH, height: HEIGHT, config: vegaConfig(), data: { values: rows }, layer: layers };
  const plotly = {
    data: labels.map((l) => {
      const mine = rows.filter((r) => r.series === l);
      return { type: "scatter", mode: input.scatter ? "markers" : "lines+markers", name: l, line: { color: colour }, marker: { color: colour }, x: mine.map((r) => r.x), y: mine.map((r) => r.value), ...(hasBand ? { error_y: { type: "data", symmetric: false, array: mine.map((r) => Number(r.hi) - Number(r.value)), arrayminus: mine.map((r) => Number(r.value) - Number(r.lo)) } } : {}) };
    }),
    layout: { ...plotlyLayout(title, subtitle), xaxis: { title: { text: p0.label } }, yaxis: { title: { text: ind }, tickformat: fmt }, ...(target ? { shapes: [{ type: "line", xref: "paper", x0: 0, x1: 1, y0: target.value, y1: target.value, line: { dash: "dash", color: TARGET_COLOUR, width: 2 } }] } : {}) },
  };
  return { name: `sweep-${input.indicator}`, lang, title, subtitle, columns: ["point", "x", "series", "value", "lo", "hi", "seeds"], rows, vegaLite, plotly };
}

export interface SobolChartInput {
  lang: Lang;
  indicator: string;
  period: string;
  parameters: readonly { path: string; label: string }[];
  /** per parameter, in the order of `parameters` */
  indices: readonly { first: number; total: number; firstInterval?: [number, number]; totalInterval?: [number, number] }[];
  samples: number;
  /** confidence of the intervals (0.95), null without bootstrap */
  confidence: number | null;
}

/**
 * Sobol indices as bars: per parameter, the first-order index (the share of the variance
 * it explains alone) and the total index (with its interactions), each with its
 * bootstrap interval; parameters by total index, largest on top.
 */
export function sobolChart(input: SobolChartInput): Chart {
  const { lang } = input;
  const info = indicatorInfo(input.indicator);
  const ind = pick(info.label, lang);
  const order = input.parameters.map((p, i) => ({ p, ix: input.indices[i] })).sort((a, b) => b.ix.total - a.ix.total);
  const kinds = lang === "zh" ? ["一阶指数 S1（单独）", "总指数 ST（含交互）"] : ["First order S1 (alone)", "Total ST (with interactions)"];
  const rows: Row[] = order.flatMap(({ p, ix }) => [
    { parameter: p.label, path: p.path, index: "first", kind: kinds[0], value: ix.first, lo: ix.firstInterval?.[0] ?? null, hi: ix.firstInterval?.[1] ?? null },
    { parameter: p.label, path: p.path, index: "total", kind: kinds[1], value: ix.total, lo: ix.totalInterval?.[0] ?? null, hi: ix.totalInterval?.[1] ?? null },
  ]);
  const top = order[0];
  const title = top
    ? lang === "zh"
      ? `${input.period}年${ind}的方差主要来自「${top.p.label}」：总指数 ${top.ix.total.toFixed(2)}`
      : `${ind} in ${input.period} varies most with ${inText(top.p.label, lang)}: total index ${top.ix.total.toFixed(2)}`
    : ind;
  const ci = input.confidence !== null && rows.some((r) => r.lo !== null);
  const subtitle =
    lang === "zh"
      ? `Sobol 方差分解（Saltelli 抽样，N = ${input.samples}），各参数在其范围内均匀分布${ci ? `；误差线为${Math.round((input.confidence ?? 0.95) * 100)}% bootstrap 置信区间` : ""}；指数为方差占比（0–1）`
      : `Sobol variance decomposition (Saltelli sampling, N = ${input.samples}), each parameter uniform over its range${ci ? `; whiskers: ${Math.round((input.confidence ?? 0.95) * 100)}% bootstrap intervals` : ""}; indices are shares of the variance (0–1)`;
  const sortParams = order.map((o) => o.p.label);
  const wrap = wrappedLabels(sortParams, 200);
  const y = { field: "parameter", type: "nominal", sort: sortParams, title: null, axis: { ...wrap } };
  const color = { field: "kind", type: "nominal", title: null, sort: kinds, scale: { domain: kinds, range: [...CASE_COLOURS] }, legend: { orient: "bottom", labelLimit: 600 } };
  const yOffset = { field: "kind", type: "nominal", sort: kinds };
  const values = rows.map((r) => [r.value, r.lo, r.hi]).flat().filter((v): v is number => typeof v === "number");
  const xMax = Math.max(1, ...values);
  const xMin = Math.min(0, ...values);
  const x = { field: "value", type: "quantitative", title: lang === "zh" ? "Sobol 指数（方差占比）" : "Sobol index (share of variance)", scale: { domain: [xMin, xMax] }, axis: { format: ".1f" } };
  const layers: Record<string, unknown>[] = [
    { mark: { type: "bar", height: { band: 1 } }, encoding: { y, yOffset, x, color, tooltip: [{ field: "parameter" }, { field: "path" }, { field: "kind" }, { field: "value", format: ".3f" }, { field: "lo", format: ".3f" }, { field: "hi", format: ".3f" }] } },
  ];
  if (ci) layers.push({ mark: { type: "rule", color: TARGET_COLOUR, strokeWidth: 1.5 }, encoding: { y, yOffset, x: { field: "lo", type: "quantitative" }, x2: { field: "hi" } } });
  layers.push({ data: ONE_ROW, mark: { type: "rule", color: TARGET_COLOUR, strokeWidth: 1 }, encoding: { x: { datum: 0, type: "quantitative" } } });
  const vegaLite = { $schema: SCHEMA, title: titleBlock(title, subtitle, WIDTH), width: WIDTH - 220, height: { step: 24 }, config: vegaConfig(), data: { values: rows }, layer: layers };
  const plotly = {
    data: (["first", "total"] as const).map((k, i) => {
      const mine = rows.filter((r) => r.index === k);
      return { type: "bar", orientation: "h", name: kinds[i], y: mine.map((r) => r.parameter), x: mine.map((r) => r.value), marker: { color: CASE_COLOURS[i] }, ...(ci ? { error_x: { type: "data", symmetric: false, array: mine.map((r) => Number(r.hi) - Number(r.value)), arrayminus: mine.map((r) => Number(r.value) - Number(r.lo)) } } : {}) };
    }),
    layout: { ...plotlyLayout(title, subtitle), barmode: "group", yaxis: { autorange: "reversed", automargin: true }, xaxis: { range: [xMin, xMax] } },
  };
  return { name: `sobol-${input.indicator}`, lang, title, subtitle, columns: ["parameter", "path", "index", "value", "lo", "hi"], rows, vegaLite, plotly };
}

/** A tornado bar of sim/experiments/tornado.ts: the effects of one parameter at each end of its range. */
export interface EffectBar {
  path: string;
  label: string;
  low: number;
  high: number;
  outputBase: number;
  effectLow: number;
  effectHigh: number;
}

/**
 * A tornado of effects: each parameter moved alone to the low and the high end of its
 * range, the change in the indicator from the base point (shares and growth rates in
 * percentage points, never "%").
 */
export function effectTornado(input: { lang: Lang; indicator: string; period: string; bars: readonly EffectBar[]; scale?: number }): Chart {
  const { lang } = input;
  const info = indicatorInfo(input.indicator);
  const unit = effectUnit(info.unit);
  const ind = pick(info.label, lang);
  const base = input.bars[0]?.outputBase ?? NaN;
  const baseText = valueText(info.unit, base, lang);
  const chart = tornadoChart({
    lang,
    name: `tornado-${input.indicator}`,
    outcome: lang === "zh" ? `${input.period}年${ind}的变化${unit === "points" ? "（百分点）" : scaledIndicator(info.unit) ? scaleTag(input.scale, lang) : ""}` : `Change in ${inText(ind, lang)} in ${input.period}${unit === "points" ? " (pp)" : scaledIndicator(info.unit) ? scaleTag(input.scale, lang) : ""}`,
    unit,
    base: 0,
    bars: input.bars.map((b) => ({ parameter: b.label, low: b.effectLow, high: b.effectHigh, lowSetting: num(b.low), highSetting: num(b.high) })),
  });
  // the parameter with the largest effect at either end (the chart's top bar), and its effect at each end
  const top = input.bars.map((b, i) => [b, i] as const).sort((a, b) => largestEffect({ low: b[0].effectLow, high: b[0].effectHigh }, 0) - largestEffect({ low: a[0].effectLow, high: a[0].effectHigh }, 0) || a[1] - b[1])[0]?.[0];
  const title = top
    ? lang === "zh"
      ? `${input.period}年${ind}对「${top.label}」最敏感：取低端时变化 ${valueText(unit, top.effectLow, lang)}，取高端时 ${valueText(unit, top.effectHigh, lang)}`
      : `${ind} in ${input.period} is most sensitive to ${inText(top.label, lang)}: ${valueText(unit, top.effectLow, lang)} at its low end, ${valueText(unit, top.effectHigh, lang)} at its high end`
    : ind;
  const subtitle =
    lang === "zh"
      ? `单因素敏感性：每次只把一个参数移到其范围的低端或高端，其余保持情景取值；相对基准点（${ind} ${baseText}）的变化${scaledIndicator(info.unit) && scaleNote(input.scale, lang) ? `；${scaleNote(input.scale, lang)}` : ""}`
      : `One at a time: each parameter moved alone to the low or high end of its range, the others at the scenario's values; change from the base point (${ind} ${baseText})${scaledIndicator(info.unit) && scaleNote(input.scale, lang) ? `; ${scaleNote(input.scale, lang)}` : ""}`;
  const spec = chart.vegaLite as { title: unknown; layer: { encoding?: { y?: { axis?: unknown } } }[] };
  spec.title = titleBlock(title, subtitle, WIDTH);
  // long lever labels wrap in the label column instead of being cut
  if (spec.layer[0]?.encoding?.y) spec.layer[0].encoding.y.axis = wrappedLabels(input.bars.map((b) => b.label), 200);
  // the CSV: the drawn effects with the parameter's settings and the base value
  const rows: Row[] = chart.rows.map((r) => ({ ...r, path: input.bars.find((b) => b.label === r.parameter)?.path ?? null, outputBase: base }));
  const plotly = { ...chart.plotly, layout: { ...chart.plotly.layout, title: plotlyLayout(title, subtitle).title } };
  return { ...chart, title, subtitle, rows, plotly, columns: ["parameter", "path", "case", "setting", "change", "outputBase"] };
}

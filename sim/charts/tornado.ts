/**
 * Tornado (one-way sensitivity): for each parameter, the outcome at its low and high
 * setting drawn as bars from the base value, widest swing on top.
 */
import type { Chart, Row } from "./chart";
import { axisFormat, axisLabels, valueText, type Unit } from "./format";
import { label, type Lang } from "./labels";
import { CASE_COLOURS, TARGET_COLOUR, WIDTH, plotlyLayout, vegaConfig, titleBlock, ONE_ROW } from "./style";

export interface TornadoBar {
  parameter: string;
  low: number;
  high: number;
  /** the parameter settings, e.g. "0.5" / "1.5" (shown in tooltips and the CSV) */
  lowSetting?: string;
  highSetting?: string;
}

export interface TornadoInput {
  lang: Lang;
  name?: string;
  outcome: string;
  unit: Unit;
  base: number;
  bars: TornadoBar[];
  title?: string;
}

export function tornadoChart(input: TornadoInput): Chart {
  const { lang, unit, base } = input;
  const sorted = [...input.bars].sort((a, b) => Math.abs(b.high - b.low) - Math.abs(a.high - a.low));
  const rows: Row[] = sorted.flatMap((b) => [
    { parameter: b.parameter, case: "low", setting: b.lowSetting ?? null, value: b.low, base, change: b.low - base },
    { parameter: b.parameter, case: "high", setting: b.highSetting ?? null, value: b.high, base, change: b.high - base },
  ]);
  const top = sorted[0];
  const title =
    input.title ??
    (top
      ? lang === "zh"
        ? `${input.outcome}对「${top.parameter}」最敏感：${valueText(unit, Math.min(top.low, top.high), lang)} 至 ${valueText(unit, Math.max(top.low, top.high), lang)}`
        : `${input.outcome} is most sensitive to ${top.parameter}: ${valueText(unit, Math.min(top.low, top.high), lang)} to ${valueText(unit, Math.max(top.low, top.high), lang)}`
      : input.outcome);
  const subtitle =
    lang === "zh"
      ? `单因素敏感性：各参数取低值/高值时的${input.outcome}；竖线为基准 ${valueText(unit, base, lang)}`
      : `One-way sensitivity: ${input.outcome} at each parameter's low and high setting; line: base ${valueText(unit, base, lang)}`;
  const caseLabels = [label("low", lang), label("high", lang)];
  const vegaLite = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: titleBlock(title, subtitle, WIDTH),
    width: WIDTH - 120,
    height: { step: 30 },
    config: vegaConfig(),
    data: { values: rows.map((r) => ({ ...r, caseLabel: r.case === "low" ? caseLabels[0] : caseLabels[1], valueText: valueText(unit, Number(r.value), lang) })) },
    layer: [
      {
        mark: { type: "bar", height: 20 },
        encoding: {
          y: { field: "parameter", type: "nominal", sort: sorted.map((b) => b.parameter), title: null },
          x: { field: "value", type: "quantitative", title: input.outcome, axis: axisLabels(unit, lang), scale: { zero: false } },
          x2: { datum: base },
          color: { field: "caseLabel", type: "nominal", title: label("parameter", lang), scale: { domain: caseLabels, range: [...CASE_COLOURS] }, legend: { orient: "bottom", labelLimit: 600 } },
          tooltip: [{ field: "parameter" }, { field: "caseLabel" }, { field: "setting" }, unit === "points" ? { field: "valueText", title: label("value", lang) } : { field: "value", format: axisFormat(unit) }],
        },
      },
      { data: ONE_ROW, mark: { type: "rule", strokeWidth: 2, color: TARGET_COLOUR }, encoding: { x: { datum: base, type: "quantitative" } } },
    ],
  };
  const y = sorted.map((b) => b.parameter);
  // Plotly has no label expression: percentage points are drawn on a ×100 axis with a suffix.
  const k = unit === "points" ? 100 : 1;
  const data = (["low", "high"] as const).map((c, i) => ({
    type: "bar",
    orientation: "h",
    name: caseLabels[i],
    y,
    base: sorted.map(() => base * k),
    x: sorted.map((b) => (b[c] - base) * k),
    marker: { color: CASE_COLOURS[i] },
  }));
  const layout = {
    ...plotlyLayout(title, subtitle),
    barmode: "overlay",
    yaxis: { autorange: "reversed" },
    xaxis: { title: { text: input.outcome }, ...(unit === "points" ? { tickformat: "+.1f", ticksuffix: lang === "zh" ? "个百分点" : " pp" } : { tickformat: axisFormat(unit) }) },
    shapes: [{ type: "line", yref: "paper", x0: base * k, x1: base * k, y0: 0, y1: 1, line: { color: TARGET_COLOUR, width: 2 } }],
  };
  return { name: input.name ?? "tornado", lang, title, subtitle, columns: ["parameter", "case", "setting", "value", "base", "change"], rows, vegaLite, plotly: { data, layout } };
}

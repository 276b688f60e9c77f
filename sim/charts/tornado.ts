/**
 * Tornado (one-way sensitivity): for each parameter, the outcome at its low and high
 * setting drawn as bars from the base value, the largest effect (the larger of
 * |low − base| and |high − base|) on top. Low and high sit side by side in the row, so a
 * parameter that moves the outcome the same way at both ends shows both bars; the axis
 * has a few round ticks labelled to the precision of their step, so labels never run
 * into each other.
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

/** The larger of a bar's two effects, |low − base| and |high − base|: what the bars are ordered by. */
export const largestEffect = (b: { low: number; high: number }, base: number): number => Math.max(Math.abs(b.low - base), Math.abs(b.high - base));

/**
 * At most `max` round ticks (1, 2, 2.5 or 5 × 10^k apart, the finest that fits) covering
 * [lo, hi], and the decimals that step needs once multiplied by `k` (×100 for
 * percentage points). Few ticks with labels to their step's precision never collide.
 */
export function roundTicks(lo: number, hi: number, max = 7, k = 1): { values: number[]; decimals: number } {
  if (!(hi > lo)) {
    const pad = Math.abs(lo) > 0 ? Math.abs(lo) * 0.1 : 0.01 / k;
    return roundTicks(lo - pad, hi + pad, max, k);
  }
  const mag = 10 ** Math.floor(Math.log10((hi - lo) / max));
  const span = (step: number) => [Math.floor(lo / step + 1e-9), Math.ceil(hi / step - 1e-9)] as const;
  const step = [1, 2, 2.5, 5, 10, 20].map((m) => m * mag).find((x) => span(x)[1] - span(x)[0] + 1 <= max)!;
  const [first, last] = span(step);
  // integer multiples of the step: no float drift (0.30000000000000004) in the labels
  const values = Array.from({ length: last - first + 1 }, (_, i) => Number(((first + i) * step).toPrecision(12)));
  let decimals = 0;
  while (decimals < 12 && Math.abs(Math.round(step * k * 10 ** decimals) - step * k * 10 ** decimals) > 1e-6) decimals++;
  return { values, decimals };
}

export function tornadoChart(input: TornadoInput): Chart {
  const { lang, unit, base } = input;
  // stable: equal effects keep the order given
  const sorted = input.bars.map((b, i) => [b, i] as const).sort((a, b) => largestEffect(b[0], base) - largestEffect(a[0], base) || a[1] - b[1]).map(([b]) => b);
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
  // Plotly has no label expression: percentage points are drawn on a ×100 axis with a suffix.
  const k = unit === "points" ? 100 : 1;
  const all = [base, ...sorted.flatMap((b) => [b.low, b.high])].filter(Number.isFinite);
  const ticks = roundTicks(Math.min(...all), Math.max(...all), 7, k);
  const suffix = lang === "zh" ? "个百分点" : " pp";
  const d = unit === "points" ? Math.max(1, ticks.decimals) : ticks.decimals;
  const fmt = unit === "points" ? `+.${d}f` : unit === "share" ? `.${Math.max(0, d - 2)}%` : unit === "growth" ? `+.${Math.max(0, d - 2)}%` : axisFormat(unit);
  const axis =
    unit === "points"
      ? { labelExpr: `datum.value == 0 ? '0' : format(datum.value * 100, '${fmt}') + '${suffix}'` }
      : unit === "share" || unit === "growth"
        ? { format: fmt }
        : axisLabels(unit, lang);
  const vegaLite = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: titleBlock(title, subtitle, WIDTH),
    width: WIDTH - 120,
    // with yOffset the step is one bar's band: two bars (low, high) a row
    height: { step: 16 },
    config: vegaConfig(),
    data: { values: rows.map((r) => ({ ...r, caseLabel: r.case === "low" ? caseLabels[0] : caseLabels[1], valueText: valueText(unit, Number(r.value), lang) })) },
    layer: [
      {
        mark: { type: "bar" },
        encoding: {
          y: { field: "parameter", type: "nominal", sort: sorted.map((b) => b.parameter), title: null },
          // low above high within the row: neither bar can hide the other
          yOffset: { field: "caseLabel", type: "nominal", sort: caseLabels, scale: { paddingInner: 0.1 } },
          x: {
            field: "value",
            type: "quantitative",
            title: input.outcome,
            axis: { ...axis, values: ticks.values, labelOverlap: true },
            scale: { zero: false, nice: false, domain: [ticks.values[0], ticks.values[ticks.values.length - 1]] },
          },
          x2: { datum: base },
          color: { field: "caseLabel", type: "nominal", title: label("parameter", lang), scale: { domain: caseLabels, range: [...CASE_COLOURS] }, legend: { orient: "bottom", labelLimit: 600 } },
          tooltip: [{ field: "parameter" }, { field: "caseLabel" }, { field: "setting" }, unit === "points" ? { field: "valueText", title: label("value", lang) } : { field: "value", format: axisFormat(unit) }],
        },
      },
      { data: ONE_ROW, mark: { type: "rule", strokeWidth: 2, color: TARGET_COLOUR }, encoding: { x: { datum: base, type: "quantitative" } } },
    ],
  };
  const y = sorted.map((b) => b.parameter);
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
    barmode: "group",
    yaxis: { autorange: "reversed" },
    xaxis: {
      title: { text: input.outcome },
      tickvals: ticks.values.map((v) => Number((v * k).toPrecision(12))),
      range: [ticks.values[0] * k, ticks.values[ticks.values.length - 1] * k],
      ...(unit === "points" ? { tickformat: fmt, ticksuffix: suffix } : { tickformat: fmt }),
    },
    shapes: [{ type: "line", yref: "paper", x0: base * k, x1: base * k, y0: 0, y1: 1, line: { color: TARGET_COLOUR, width: 2 } }],
  };
  return { name: input.name ?? "tornado", lang, title, subtitle, columns: ["parameter", "case", "setting", "value", "base", "change"], rows, vegaLite, plotly: { data, layout } };
}

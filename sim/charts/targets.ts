/**
 * Scenario vs target: for each targeted indicator, one bar per scenario (its value in the
 * target year), the target as a dashed line, bars coloured met / missed, and the value
 * with ✓ / × written (Noto Sans CJK has no ✗) at the bar's end. The title counts the scenarios meeting every target.
 */
import type { Chart, Row } from "./chart";
import { axisFormat, meets, targetText, valueText, type Comparison, type Unit } from "./format";
import { label, pick, type Bilingual, type Lang } from "./labels";
import { STATUS_COLOURS, TARGET_COLOUR, plotlyLayout, vegaConfig, titleBlock, wrappedLabels, ONE_ROW } from "./style";
import { wrapText } from "./text";

export interface TargetIndicator {
  id: string;
  label: Bilingual | string;
  unit: Unit;
  target: { value: number; comparison: Comparison };
}

export interface TargetBarsInput {
  lang: Lang;
  name?: string;
  /** the year the values are for (e.g. "2020") */
  year: string;
  indicators: TargetIndicator[];
  /** one entry per scenario: legend label and value of each indicator id */
  scenarios: { label: string; values: Record<string, number | null | undefined> }[];
  title?: string;
}

export function targetBarsChart(input: TargetBarsInput): Chart {
  const { lang, year } = input;
  const rows: Row[] = [];
  for (const d of input.indicators) {
    const ind = `${pick(d.label, lang)} ${targetText(d.unit, d.target, lang)}`;
    for (const s of input.scenarios) {
      const v = s.values[d.id] ?? null;
      const met = meets(v, d.target);
      const status = met === null ? "noValue" : met ? "met" : "missed";
      rows.push({
        scenario: s.label,
        indicator: d.id,
        indicatorLabel: ind,
        unit: d.unit,
        value: v,
        target: d.target.value,
        comparison: d.target.comparison,
        met,
        status: label(status, lang),
        text: `${valueText(d.unit, v, lang)}${met === null ? "" : met ? " ✓" : " ×"}`,
      });
    }
  }
  const allMet = input.scenarios.filter((s) => input.indicators.every((d) => meets(s.values[d.id], d.target) === true)).length;
  const n = input.scenarios.length;
  const k = input.indicators.length;
  const title =
    input.title ??
    (lang === "zh"
      ? `${year}年：${n}个情景中${allMet === 0 ? "没有一个" : `${allMet}个`}达到全部${k}项目标`
      : `${year}: ${allMet === 0 ? "no scenario meets" : `${allMet} of ${n} scenario${n === 1 ? "" : "s"} meet${allMet === 1 ? "s" : ""}`} all ${k} target${k === 1 ? "" : "s"}`);
  const subtitle =
    lang === "zh"
      ? `各情景${year}年数值；虚线为目标；蓝色=达标 ✓，橙红=未达标 ×，灰色=无数据（如首年增长率）`
      : `Each scenario's value in ${year}; dashed line: target; blue = met ✓, vermillion = missed ×, grey = no value (e.g. growth in the first year)`;

  const statusDomain = [label("met", lang), label("missed", lang), label("noValue", lang)];
  const scenarioOrder = input.scenarios.map((s) => s.label);
  // Scenario names wrapped to a 200-pixel column, so the chart prints at full size on A4.
  const lines = Math.max(1, ...scenarioOrder.map((l) => wrapText(l, 200, 12).length));
  const barHeight = Math.max(26, 15 * lines + 6);
  const facets = input.indicators.map((d) => {
    const data = rows.filter((r) => r.indicator === d.id);
    const fmt = axisFormat(d.unit);
    // Room on the right for the value labels; zero and the target always in view.
    const vals = [0, d.target.value, ...data.map((r) => r.value).filter((v): v is number => typeof v === "number")];
    const lo = Math.min(...vals);
    const hi = Math.max(...vals);
    const domain = [lo, hi + (hi - lo) * 0.45];
    const x = { field: "value", type: "quantitative", title: null, axis: { format: fmt, tickCount: 4 }, scale: { domain, nice: false } };
    return {
      // wrapped to the panel's width: a wider title would widen the whole chart past an A4 page
      title: { text: wrapText(String(data[0]?.indicatorLabel ?? d.id), 160, 13, true), fontSize: 13, anchor: "middle", subtitle: "", lineHeight: 16 },
      width: 140,
      height: Math.max(60, barHeight * input.scenarios.length),
      data: { values: data.map((r) => ({ ...r, labelAt: Math.max(typeof r.value === "number" ? r.value : 0, d.target.value) })) },
      layer: [
        {
          mark: { type: "bar", height: Math.min(18, barHeight - 8) },
          encoding: {
            y: { field: "scenario", type: "nominal", sort: scenarioOrder, title: null, axis: wrappedLabels(scenarioOrder, 200) },
            x,
            color: { field: "status", type: "nominal", title: null, scale: { domain: statusDomain, range: [STATUS_COLOURS.met, STATUS_COLOURS.missed, STATUS_COLOURS.noValue] }, legend: null },
          },
        },
        { data: ONE_ROW, mark: { type: "rule", strokeDash: [6, 3], strokeWidth: 2, color: TARGET_COLOUR }, encoding: { x: { datum: d.target.value, type: "quantitative" } } },
        {
          mark: { type: "text", align: "left", dx: 3, fontSize: 11, color: "#222222" },
          encoding: { y: { field: "scenario", type: "nominal", sort: scenarioOrder }, x: { field: "labelAt", type: "quantitative" }, text: { field: "text" } },
        },
      ],
    };
  });
  // Only the first panel names the scenarios; the others share its rows.
  facets.forEach((f, i) => {
    if (i > 0) (f.layer[0].encoding as unknown as Record<string, Record<string, unknown>>).y.axis = null;
  });
  const vegaLite = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: titleBlock(title, subtitle, 640),
    config: { ...vegaConfig(), concat: { spacing: 14 } },
    hconcat: facets,
    resolve: { scale: { x: "independent", color: "shared" } },
  };

  // Plotly: one subplot per indicator.
  const data: Record<string, unknown>[] = [];
  const layout: Record<string, unknown> = { ...plotlyLayout(title, subtitle), showlegend: false, margin: { l: 220, r: 30, t: 110, b: 40 } };
  const shapes: Record<string, unknown>[] = [];
  const annotations: Record<string, unknown>[] = [];
  input.indicators.forEach((d, i) => {
    const ax = i === 0 ? "" : String(i + 1);
    const part = rows.filter((r) => r.indicator === d.id);
    data.push({
      type: "bar",
      orientation: "h",
      x: part.map((r) => r.value),
      y: part.map((r) => r.scenario),
      text: part.map((r) => r.text),
      textposition: "outside",
      marker: { color: part.map((r) => (r.met === null ? STATUS_COLOURS.noValue : r.met ? STATUS_COLOURS.met : STATUS_COLOURS.missed)) },
      xaxis: `x${ax}`,
      yaxis: `y${ax}`,
    });
    const lo = i / k + 0.02;
    const hi = (i + 1) / k - 0.02;
    layout[`xaxis${ax}`] = { domain: [lo, hi], tickformat: axisFormat(d.unit) === "~s" ? "~s" : axisFormat(d.unit), anchor: `y${ax}` };
    layout[`yaxis${ax}`] = { anchor: `x${ax}`, autorange: "reversed", showticklabels: i === 0, categoryorder: "array", categoryarray: scenarioOrder };
    shapes.push({ type: "line", xref: `x${ax}`, yref: "paper", x0: d.target.value, x1: d.target.value, y0: 0, y1: 1, line: { dash: "dash", color: TARGET_COLOUR, width: 2 } });
    annotations.push({ xref: "paper", yref: "paper", x: (lo + hi) / 2, y: 1.04, showarrow: false, text: `<b>${String(part[0]?.indicatorLabel ?? d.id)}</b>` });
  });
  layout.shapes = shapes;
  layout.annotations = annotations;
  return {
    name: input.name ?? "scenarios-vs-targets",
    lang,
    title,
    subtitle,
    columns: ["scenario", "indicator", "indicatorLabel", "unit", "value", "target", "comparison", "met"],
    rows,
    vegaLite,
    plotly: { data, layout },
  };
}

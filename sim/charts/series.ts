/**
 * Plain series over time — staff by tier, a community's package balance, anything with
 * (series, period, value) — as lines, optionally stacked areas, with an optional second
 * grouping drawn as dash patterns (e.g. colour = scenario, dash = community) and an
 * optional reference line (zero for balances).
 */
import type { Chart, Row } from "./chart";
import { axisFormat, axisLabels, scaleNote, scaleTag, valueText, type Unit } from "./format";
import { TIER_KEYS, label, tierLabel, type Lang } from "./labels";
import { TIER_COLOURS, TARGET_COLOUR, HEIGHT, WIDTH, plotlyLayout, vegaConfig, titleBlock, bottomLegend, colourScale, referenceLineLayers } from "./style";

export interface SeriesPoint {
  period: string;
  value: number | null;
}

export interface Series {
  /** colour: e.g. tier or scenario */
  label: string;
  /** dash pattern: e.g. community (optional) */
  group?: string;
  points: SeriesPoint[];
}

export interface SeriesInput {
  lang: Lang;
  name: string;
  title: string;
  subtitle: string;
  /** y-axis title */
  yTitle: string;
  unit: Unit;
  series: Series[];
  /** legend titles for colour and dash */
  colourTitle?: string;
  groupTitle?: string;
  stacked?: boolean;
  /** a horizontal reference line (e.g. 0 for a balance) and its label */
  reference?: { value: number; label: string };
  /** fixed colour per series label (keeps a scenario's colour across charts) */
  colours?: Readonly<Record<string, string>>;
}

const MONTH = /^\d{4}-\d{2}$/;

export function seriesChart(input: SeriesInput): Chart {
  const { lang, unit } = input;
  const rows: Row[] = input.series.flatMap((s) => s.points.map((p) => ({ series: s.label, group: s.group ?? null, period: p.period, value: p.value ?? null })));
  const monthly = rows.length > 0 && rows.every((r) => MONTH.test(String(r.period)));
  const hasGroup = input.series.some((s) => s.group !== undefined);
  const colourOrder = [...new Set(input.series.map((s) => s.label))];
  const x = monthly
    ? { field: "date", type: "temporal", title: label("month", lang), axis: { format: "%Y-%m", labelAngle: 0, tickCount: 8 } }
    : { field: "period", type: "ordinal", title: label("year", lang), axis: { labelAngle: 0 } };
  const y = { field: "value", type: "quantitative", title: input.yTitle, axis: axisLabels(unit, lang), ...(input.stacked ? { stack: "zero" } : { stack: null }) };
  const encoding: Record<string, unknown> = {
    x,
    y,
    color: { field: "series", type: "nominal", sort: colourOrder, title: input.colourTitle ?? label("series", lang), scale: colourScale(colourOrder, input.colours), legend: bottomLegend(colourOrder.length) },
    tooltip: [{ field: "series" }, ...(hasGroup ? [{ field: "group" }] : []), { field: "period" }, { field: "value", format: "," }],
  };
  // dash legend drawn as line segments (not the points' circles), groups in the order given (e.g. tiers village → county)
  const groupOrder = [...new Set(input.series.map((s) => s.group).filter((g): g is string => g !== undefined))];
  if (hasGroup)
    encoding.strokeDash = {
      field: "group",
      type: "nominal",
      sort: groupOrder,
      title: input.groupTitle ?? label("community", lang),
      legend: { orient: "bottom", direction: "vertical", labelLimit: 600, symbolType: "stroke", symbolStrokeWidth: 2.5, symbolSize: 500, symbolStrokeColor: "#444444" },
    };
  const layers: Record<string, unknown>[] = [
    { mark: input.stacked ? { type: "area", opacity: 0.85 } : { type: "line", point: !monthly, strokeWidth: 2.5 }, encoding },
  ];
  if (input.reference) {
    layers.push(...referenceLineLayers(input.reference.value, input.reference.label, { strokeWidth: 1.5, fontSize: 12 }));
  }
  const vegaLite = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: titleBlock(input.title, input.subtitle, WIDTH),
    width: WIDTH,
    height: HEIGHT,
    config: vegaConfig(),
    data: { values: rows.map((r) => ({ ...r, date: monthly ? `${r.period}-01` : null })) },
    layer: layers,
  };
  const dashes = ["solid", "dash", "dot", "dashdot", "longdash"];
  const groups = [...new Set(input.series.map((s) => s.group ?? ""))];
  const scale = colourScale(colourOrder, input.colours);
  const data = input.series.map((s) => ({
    type: "scatter",
    mode: monthly ? "lines" : "lines+markers",
    name: s.group ? `${s.label} — ${s.group}` : s.label,
    x: s.points.map((p) => p.period),
    y: s.points.map((p) => p.value),
    line: { color: scale.range[colourOrder.indexOf(s.label)], dash: dashes[groups.indexOf(s.group ?? "") % dashes.length], width: 2.5 },
    ...(input.stacked ? { stackgroup: "one" } : {}),
    hovertemplate: `%{x}: %{y}<extra>${s.label}</extra>`,
  }));
  const layout: Record<string, unknown> = {
    ...plotlyLayout(input.title, input.subtitle),
    xaxis: { title: { text: monthly ? label("month", lang) : label("year", lang) }, type: monthly ? "date" : "category" },
    yaxis: { title: { text: input.yTitle }, tickformat: axisFormat(unit) },
  };
  if (input.reference) layout.shapes = [{ type: "line", xref: "paper", x0: 0, x1: 1, y0: input.reference.value, y1: input.reference.value, line: { dash: "dash", color: TARGET_COLOUR } }];
  return {
    name: input.name,
    lang,
    title: input.title,
    subtitle: input.subtitle,
    columns: hasGroup ? ["series", "group", "period", "value"] : ["series", "period", "value"],
    rows,
    vegaLite,
    plotly: { data, layout },
  };
}

/**
 * Staff over time, one line per tier (`by: "tier"`, default: grey by tier, never a
 * scenario's colour; the title states the change in the first tier's share of the total)
 * or one line per scenario (`by: "scenario"`: each in its scenario colour, legend
 * "Scenario"; the title names the highest and lowest in the last period).
 */
export function staffChart(input: { lang: Lang; name?: string; series: Series[]; what?: string; stacked?: boolean; title?: string; by?: "tier" | "scenario"; colours?: Readonly<Record<string, string>> }): Chart {
  const { lang } = input;
  const by = input.by ?? "tier";
  const what = input.what ?? label("staff", lang);
  const periods = [...new Set(input.series.flatMap((s) => s.points.map((p) => p.period)))];
  const first = periods[0];
  const last = periods[periods.length - 1];
  const at = (s: Series, period: string) => s.points.find((p) => p.period === period)?.value ?? null;
  let title = input.title;
  if (title === undefined && by === "scenario") {
    const ends = input.series.map((s) => ({ s, v: at(s, last) })).filter((x): x is { s: Series; v: number } => x.v !== null);
    const sorted = [...ends].sort((a, b) => b.v - a.v);
    const n = (v: number) => Math.round(v).toLocaleString("en-US");
    title =
      sorted.length > 1
        ? lang === "zh"
          ? `${last}年${what}：${sorted[0].s.label}最多（${n(sorted[0].v)}），${sorted[sorted.length - 1].s.label}最少（${n(sorted[sorted.length - 1].v)}）`
          : `${what} in ${last}: most under ${sorted[0].s.label} (${n(sorted[0].v)}), fewest under ${sorted[sorted.length - 1].s.label} (${n(sorted[sorted.length - 1].v)})`
        : what;
  }
  if (title === undefined) {
    const total = (period: string) => input.series.reduce((a, s) => a + (at(s, period) ?? 0), 0);
    const share = (s: Series, period: string) => {
      const t = total(period);
      return t > 0 ? (at(s, period) ?? 0) / t : null;
    };
    const s0 = input.series[0];
    const a = s0 ? share(s0, first) : null;
    const b = s0 ? share(s0, last) : null;
    title =
      a !== null && b !== null && s0
        ? lang === "zh"
          ? `${s0.label}占${what}比例：${first} ${valueText("share", a)} → ${last} ${valueText("share", b)}`
          : `Share of ${what.toLowerCase()} in ${s0.label.toLowerCase()}: ${valueText("share", a)} in ${first} → ${valueText("share", b)} in ${last}`
        : what;
  }
  const tierColours = Object.fromEntries(TIER_KEYS.map((k) => [tierLabel(k, lang), TIER_COLOURS[k]]));
  return seriesChart({
    lang,
    name: input.name ?? (by === "tier" ? "staff-by-tier" : "staff-by-scenario"),
    title,
    subtitle: by === "tier" ? (lang === "zh" ? `${what}，按层级` : `${what} by tier`) : lang === "zh" ? `${what}，按情景` : `${what} by scenario`,
    yTitle: what,
    unit: "count",
    series: input.series,
    colourTitle: label(by === "tier" ? "tier" : "scenario", lang),
    stacked: input.stacked ?? false,
    colours: by === "tier" ? { ...tierColours, ...input.colours } : input.colours,
  });
}

/** Package (capitation fund) balance per community over time, with the zero line; title counts deficits at the end. */
export function fundBalanceChart(input: { lang: Lang; name?: string; series: Series[]; title?: string; subtitle?: string; colours?: Readonly<Record<string, string>>; scale?: number }): Chart {
  const { lang } = input;
  // Finding: how many community series run a deficit at some month end, and the lowest point.
  let lowest: { v: number; s: Series; period: string } | null = null;
  for (const s of input.series) for (const p of s.points) if (p.value !== null && (lowest === null || p.value < lowest.v)) lowest = { v: p.value, s, period: p.period };
  const everNegative = input.series.filter((s) => s.points.some((p) => p.value !== null && p.value < 0)).length;
  const n = input.series.length;
  const where = lowest ? `${lowest.s.label}${lowest.s.group ? (lang === "zh" ? "，" : ", ") + lowest.s.group : ""}, ${lowest.period}` : "";
  const title =
    input.title ??
    (everNegative === 0
      ? lang === "zh"
        ? `打包基金结余始终为正（${n}条医共体曲线）`
        : `Package balance stays positive in all ${n} community series`
      : lang === "zh"
        ? `打包基金：${n}条医共体曲线中${everNegative}条出现赤字，最低 ${valueText("yuan", lowest!.v, lang)}（${where}）`
        : `Package balance: ${everNegative} of ${n} community series run a deficit; lowest ${valueText("yuan", lowest!.v, lang)} (${where})`);
  return seriesChart({
    lang,
    name: input.name ?? "fund-balance",
    title,
    subtitle:
      input.subtitle ??
      (lang === "zh" ? "打包基金结余（预拨 − 参保居民医疗费用），每月末、年终结算前；虚线为零" : "Package balance (prepaid − claims of the enrolled) at each month end, before year-end settlement; dashed: zero") +
        (scaleNote(input.scale, lang) ? (lang === "zh" ? `；${scaleNote(input.scale, lang)}` : `; ${scaleNote(input.scale, lang)}`) : ""),
    yTitle: `${label("packageBalance", lang)}${scaleTag(input.scale, lang)}`,
    unit: "yuan",
    series: input.series,
    colourTitle: label("scenario", lang),
    groupTitle: label("community", lang),
    reference: { value: 0, label: lang === "zh" ? "收支平衡" : "break-even" },
    colours: input.colours,
  });
}

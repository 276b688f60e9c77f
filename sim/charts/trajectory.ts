/**
 * Indicator trajectory: one line per scenario (or ensemble median) over months or years,
 * an optional uncertainty band (lo–hi, e.g. the 10–90% range of an ensemble) and the
 * target as a dashed line. The title says how many scenarios reach the target by the
 * last period.
 */
import type { Chart, Row } from "./chart";
import { axisFormat, axisLabels, meets, monthText, scaleNote, scaleTag, targetText, valueText, type Comparison, type Unit } from "./format";
import { label, pick, type Bilingual, type Lang } from "./labels";
import { TARGET_COLOUR, HEIGHT, WIDTH, escapeHtml, plotlyLayout, vegaConfig, titleBlock, bottomLegend, colourScale, percentFormat, referenceLineLayers } from "./style";

export interface TrajectoryPoint {
  /** "2019" (year) or "2019-03" (month) */
  period: string;
  value: number | null;
  /** lower and upper edge of the uncertainty band, when there is one */
  lo?: number | null;
  hi?: number | null;
}

export interface TrajectorySeries {
  /** legend text (e.g. the scenario title in the chart's language) */
  label: string;
  points: TrajectoryPoint[];
}

export interface TrajectoryInput {
  lang: Lang;
  name?: string;
  indicator: { id: string; label: Bilingual | string; unit: Unit };
  series: TrajectorySeries[];
  target?: { value: number; comparison: Comparison } | null;
  /** overrides the generated finding */
  title?: string;
  /** the legend's title (default "Scenario"; e.g. "Area" when the series are counties) */
  seriesTitle?: string;
  /** what the band is (default "10–90% band") */
  bandLabel?: string;
  /** fixed colour per series label (keeps a scenario's colour across charts) */
  colours?: Readonly<Record<string, string>>;
  /** how periods are read, for the subtitle (default "monthly" / "yearly") */
  granularity?: string;
  /** monthly points are trailing 12-month values (December's is the year's), so the finding may name the year; otherwise it names the month */
  rolling?: boolean;
  /** the runs' scale: below 1, a count or money axis says so (scaleNote, scaleTag) */
  scale?: number;
}

const MONTH = /^\d{4}-\d{2}$/;

/** The other indicator units (sim/indicators.ts) in words, so a Chinese subtitle is all Chinese. */
const UNIT_WORDS: Record<string, Bilingual> = {
  "per 10k": { zh: "每万人", en: "per 10k" },
  "per resident": { zh: "人均", en: "per resident" },
  index: { zh: "指数", en: "index" },
  count: { zh: "数量", en: "count" },
};

/** Months as dates on a time axis; years (or other labels) as ordered categories. */
function isMonthly(rows: readonly { period: string }[]): boolean {
  return rows.length > 0 && rows.every((r) => MONTH.test(r.period));
}

function finding(input: TrajectoryInput, lang: Lang): string {
  const name = pick(input.indicator.label, lang);
  const lasts = input.series.map((s) => [...s.points].reverse().find((p) => p.value !== null && p.value !== undefined));
  const lastPeriod = lasts.find((p) => p)?.period ?? "";
  // A monthly value is the month's, not the year's: name the month, unless the points are trailing 12 months.
  const lastYear = MONTH.test(lastPeriod) && !input.rolling ? monthText(lastPeriod, lang) : lastPeriod.slice(0, 4);
  if (input.target) {
    const t = targetText(input.indicator.unit, input.target, lang);
    const met = lasts.filter((p) => p && meets(p.value, input.target!) === true).length;
    const n = input.series.length;
    if (lang === "zh") {
      const when = /月$/.test(lastYear) ? lastYear : `${lastYear}年`;
      if (n === 1) return `${name}：${when}${met ? "达到" : "未达到"}${t}目标（${valueText(input.indicator.unit, lasts[0]?.value, lang)}）`;
      return `${name}：${n}个情景中${met === 0 ? "无一" : `${met}个`}在${when}达到${t}目标`;
    }
    if (n === 1) return `${name} ${met ? "reaches" : "stays short of"} the ${t} target in ${lastYear} (${valueText(input.indicator.unit, lasts[0]?.value, lang)})`;
    return `${name}: ${met === 0 ? "no scenario reaches" : `${met} of ${n} scenarios reach${met === 1 ? "es" : ""}`} the ${t} target in ${lastYear}`;
  }
  const first = input.series[0]?.points.find((p) => p.value !== null && p.value !== undefined);
  const unit = input.indicator.unit;
  const withLast = input.series.map((s, i) => ({ s, p: lasts[i] })).filter((x) => x.p && x.p.value !== null && x.p.value !== undefined);
  if (withLast.length > 1) {
    const sorted = [...withLast].sort((a, b) => b.p!.value! - a.p!.value!);
    const hi = sorted[0];
    const lo = sorted[sorted.length - 1];
    return lang === "zh"
      ? `${name}：${lastPeriod}最高为${hi.s.label}（${valueText(unit, hi.p!.value, lang)}），最低为${lo.s.label}（${valueText(unit, lo.p!.value, lang)}）`
      : `${name} in ${lastPeriod}: highest under ${hi.s.label} (${valueText(unit, hi.p!.value, lang)}), lowest under ${lo.s.label} (${valueText(unit, lo.p!.value, lang)})`;
  }
  if (first && withLast.length === 1)
    return lang === "zh"
      ? `${name}：${first.period} ${valueText(unit, first.value, lang)} → ${lastPeriod} ${valueText(unit, withLast[0].p!.value, lang)}`
      : `${name}: ${valueText(unit, first.value, lang)} in ${first.period} → ${valueText(unit, withLast[0].p!.value, lang)} in ${lastPeriod}`;
  return name;
}

export function trajectoryChart(input: TrajectoryInput): Chart {
  const { lang, indicator, target } = input;
  const unit = indicator.unit;
  const rows: Row[] = input.series.flatMap((s) =>
    s.points.map((p) => ({ series: s.label, period: p.period, value: p.value ?? null, lo: p.lo ?? null, hi: p.hi ?? null })),
  );
  const hasBand = rows.some((r) => r.lo !== null && r.hi !== null);
  const monthly = isMonthly(rows as { period: string }[]);
  const ind = pick(indicator.label, lang);
  const title = input.title ?? finding(input, lang);
  const unitWord = unit === "share" || unit === "growth" ? "%" : unit === "yuan" ? label("yuan", lang) : (UNIT_WORDS[unit]?.[lang] ?? unit);
  const subtitle =
    (lang === "zh" ? `${ind}（${unitWord}），${input.granularity ?? (monthly ? "按月" : "按年")}` : `${ind} (${unitWord}), ${input.granularity ?? (monthly ? "monthly" : "yearly")}`) +
    (target ? (lang === "zh" ? `；虚线为目标 ${targetText(unit, target, lang)}` : `; dashed line: target ${targetText(unit, target, lang)}`) : "") +
    (hasBand ? (lang === "zh" ? `；阴影为${input.bandLabel ?? label("band", lang)}` : `; shaded: ${input.bandLabel ?? label("band", lang)}`) : "") +
    (scaleNote(input.scale, lang) ? (lang === "zh" ? `；${scaleNote(input.scale, lang)}` : `; ${scaleNote(input.scale, lang)}`) : "");

  const x = monthly
    ? { field: "date", type: "temporal", title: label("month", lang), axis: { format: "%Y-%m", labelAngle: 0, tickCount: 8 } }
    : { field: "period", type: "ordinal", title: label("year", lang), axis: { labelAngle: 0 } };
  const shown = [...rows.flatMap((r) => [r.value, r.lo, r.hi]), target?.value].filter((v): v is number => typeof v === "number");
  const fmt = unit === "share" || unit === "growth" ? percentFormat(shown, unit === "growth") : axisFormat(unit);
  const y = { field: "value", type: "quantitative", title: `${ind}${scaleTag(input.scale, lang)}`, axis: unit === "share" || unit === "growth" ? { format: fmt } : axisLabels(unit, lang), scale: { zero: unit === "count" || unit === "yuan" } };
  const labels = input.series.map((s) => s.label);
  const color = { field: "series", type: "nominal", title: input.seriesTitle ?? label("scenario", lang), sort: labels, scale: colourScale(labels, input.colours), legend: { ...bottomLegend(labels.length), ...(rows.some((r) => r.lo !== null && r.hi !== null) ? { symbolOpacity: 1 } : {}) } }; // a band's pale area would otherwise set the legend's symbols
  const layers: Record<string, unknown>[] = [];
  if (hasBand) layers.push({ mark: { type: "area", opacity: 0.18 }, encoding: { x, y: { field: "lo", type: "quantitative" }, y2: { field: "hi" }, color } });
  layers.push({
    mark: { type: "line", point: !monthly, strokeWidth: 2.5 },
    encoding: { x, y, color, tooltip: [{ field: "series" }, { field: "period" }, { field: "value", format: fmt }] },
  });
  if (target) {
    const tt = `${label("target", lang)} ${targetText(unit, target, lang)}`;
    layers.push(...referenceLineLayers(target.value, tt));
  }
  const vegaLite = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: titleBlock(title, subtitle, WIDTH),
    width: WIDTH,
    height: HEIGHT,
    config: vegaConfig(),
    data: { values: rows.map((r) => ({ ...r, date: monthly ? `${r.period}-01` : null })) },
    layer: layers,
  };

  // Plotly: one trace per series, the band as a filled pair of edges, the target as a shape.
  const traces: Record<string, unknown>[] = [];
  input.series.forEach((s, i) => {
    const c = color.scale.range[i];
    const xs = s.points.map((p) => p.period);
    if (s.points.some((p) => p.lo != null && p.hi != null)) {
      traces.push({ type: "scatter", mode: "lines", x: xs, y: s.points.map((p) => p.lo ?? null), line: { width: 0, color: c }, showlegend: false, hoverinfo: "skip" });
      traces.push({ type: "scatter", mode: "lines", x: xs, y: s.points.map((p) => p.hi ?? null), line: { width: 0, color: c }, fill: "tonexty", fillcolor: hexAlpha(c, 0.18), name: `${s.label} — ${input.bandLabel ?? label("band", lang)}`, hoverinfo: "skip" });
    }
    traces.push({ type: "scatter", mode: monthly ? "lines" : "lines+markers", name: s.label, x: xs, y: s.points.map((p) => p.value ?? null), line: { color: c, width: 2.5 } });
  });
  const layout: Record<string, unknown> = {
    ...plotlyLayout(title, subtitle),
    xaxis: { title: { text: monthly ? label("month", lang) : label("year", lang) }, type: monthly ? "date" : "category" },
    yaxis: { title: { text: ind }, tickformat: fmt },
  };
  if (target) {
    layout.shapes = [{ type: "line", xref: "paper", x0: 0, x1: 1, y0: target.value, y1: target.value, line: { dash: "dash", color: TARGET_COLOUR, width: 2 } }];
    layout.annotations = [{ xref: "paper", x: 0, y: target.value, yanchor: "bottom", xanchor: "left", showarrow: false, text: `<b>${escapeHtml(`${label("target", lang)} ${targetText(unit, target, lang)}`)}</b>` }];
  }
  return {
    name: input.name ?? `trajectory-${indicator.id}`,
    lang,
    title,
    subtitle,
    columns: ["series", "period", "value", "lo", "hi"],
    rows,
    vegaLite,
    plotly: { data: traces, layout },
  };
}

/** "#0072B2" → "rgba(0,114,178,0.18)". */
export function hexAlpha(hex: string, alpha: number): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${alpha})`;
}

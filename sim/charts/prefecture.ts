/**
 * Charts of `yigongti prefecture`, from its results (sim/prefecture/results.ts), so a
 * committee sees the counties side by side rather than in a wide table:
 *   prefecture-targets            each county and the prefecture in the target year against
 *                                 the two 2020 visit targets: median, 10–90% band across seeds,
 *                                 dashed target, pilots marked ★
 *   prefecture-trajectory-<id>    the prefecture's median and band by year, one line per county,
 *                                 target line (trajectoryChart)
 *   prefecture-flows              where each county's residents were treated in the final year:
 *                                 own county, other counties, the city's and outside hospitals
 * Pure builders of plain data, as the other chart modules; the CLI renders and saves them.
 */
import { INDICATORS } from "../indicators";
import type { Chart, Row } from "./chart";
import { meets, targetText, valueText } from "./format";
import { label, pick } from "./labels";
import { STATUS_COLOURS, TARGET_COLOUR, ONE_ROW, escapeHtml, plotlyLayout, titleBlock, vegaConfig } from "./style";
import { trajectoryChart } from "./trajectory";
import { AREA, areaAxis, areaLabels, prefectureTargetYear, type PrefectureChartInput } from "./prefecture-areas";
import { prefectureSiphonChart } from "./prefecture-siphon";

export { prefectureTargetYear, type PrefectureChartInput };

/** The two visit targets a prefecture is judged on per county (003 §三: ≥ 65% primary, ≥ 90% within county). */
export const PREFECTURE_TARGET_IDS = ["primaryVisitShare", "withinCountyVisitRate"] as const;

const defOf = (id: string) => {
  const d = INDICATORS.find((x) => x.id === id);
  if (!d?.target) throw new Error(`prefecture charts: indicator ${id} has no target`);
  return d as typeof d & { target: NonNullable<typeof d.target> };
};

/** A share as text, with a second decimal when one would print a miss as the target itself (64.98% shown as "65.0% ×"). */
function closeText(v: number | null, target: { value: number }, met: boolean | null): string {
  if (v === null) return valueText("share", v);
  const one = `${(v * 100).toFixed(1)}%`;
  return met === false && one === `${(target.value * 100).toFixed(1)}%` ? `${(v * 100).toFixed(2)}%` : one;
}

export function prefectureTargetsChart(input: PrefectureChartInput): Chart {
  const { results: r, lang } = input;
  const year = prefectureTargetYear(r);
  const areas = areaLabels(input);
  const order = areas.map((a) => a.label);
  const rows: Row[] = [];
  for (const id of PREFECTURE_TARGET_IDS) {
    const d = defOf(id);
    for (const a of areas) {
      const res = a.prefecture ? r.prefecture : r.counties.find((c) => c.id === a.id)!;
      const cell = res.indicators[id][year];
      const met = meets(cell.band.median, d.target);
      rows.push({
        area: a.id,
        areaLabel: a.label,
        pilot: a.pilot,
        indicator: id,
        indicatorLabel: pick(d.label, lang),
        period: year,
        median: cell.band.median,
        lo: cell.band.lo,
        hi: cell.band.hi,
        target: d.target.value,
        comparison: d.target.comparison,
        pMeet: cell.pMeet,
        met,
        status: met === null ? label("noValue", lang) : met ? label("met", lang) : label("missed", lang),
        text: `${closeText(cell.band.median, d.target, met)}${met === null ? "" : met ? " ✓" : " ×"}`,
      });
    }
  }
  const countiesMeetingBoth = r.counties.filter((c) => PREFECTURE_TARGET_IDS.every((id) => meets(c.indicators[id][year].band.median, defOf(id).target) === true)).length;
  const n = r.counties.length;
  const title =
    lang === "zh"
      ? `${year}年：${n}个县区中${countiesMeetingBoth === 0 ? "没有一个" : `${countiesMeetingBoth}个`}同时达到基层就诊占比和县域内就诊率目标`
      : `${year}: ${countiesMeetingBoth === 0 ? "no county meets" : `${countiesMeetingBoth} of ${n} counties meet`} both the primary-care and the within-county target`;
  const seeds = r.seeds.length;
  const subtitle =
    lang === "zh"
      ? `各县区及全市${year}年数值：点为${seeds}个随机种子的中位数，横线为10–90%区间；虚线为目标；蓝色=达标，橙红=未达标；★=试点县；全市按各县计数合计`
      : `Each county and the prefecture in ${year}: dot = median of ${seeds} seeds, whisker = 10–90% band; dashed line: target; blue = met ✓, vermillion = missed ×; ★ = pilot county; the prefecture from the counties' summed counts`;
  const statusDomain = [label("met", lang), label("missed", lang), label("noValue", lang)];
  const yAxis = areaAxis(order, lang, 190);
  const facets = PREFECTURE_TARGET_IDS.map((id, i) => {
    const d = defOf(id);
    const data = rows.filter((x) => x.indicator === id);
    const vals = [d.target.value, ...data.flatMap((x) => [x.median, x.lo, x.hi]).filter((v): v is number => typeof v === "number")];
    const lo = Math.min(...vals);
    const hi = Math.max(...vals);
    const pad = Math.max(hi - lo, 0.02);
    // room on the right for the value labels; the target always in view
    const domain = [Math.max(0, lo - pad * 0.1), hi + pad * 0.55];
    // ticks every 10 points, none past 100% (the room right of it is for the labels)
    const ticks: number[] = [];
    for (let t = Math.ceil(domain[0] * 10) / 10; t <= Math.min(1, domain[1]) + 1e-9; t += 0.1) ticks.push(Math.round(t * 10) / 10);
    const x = { field: "median", type: "quantitative", title: null, axis: { format: ".0%", values: ticks }, scale: { domain, nice: false, zero: false } };
    const y = { field: "areaLabel", type: "nominal", sort: order, title: null, axis: i === 0 ? yAxis : null };
    const tt = `${label("target", lang)} ${targetText(d.unit, d.target, lang)}`;
    return {
      title: { text: `${pick(d.label, lang)} ${targetText(d.unit, d.target, lang)}`, fontSize: 13, anchor: "middle", subtitle: "" },
      width: 230,
      height: 26 * order.length,
      data: { values: data },
      layer: [
        { data: ONE_ROW, mark: { type: "rule", strokeDash: [7, 4], strokeWidth: 2, color: TARGET_COLOUR }, encoding: { x: { datum: d.target.value, type: "quantitative" } } },
        { mark: { type: "rule", strokeWidth: 2 }, encoding: { y, x: { field: "lo", type: "quantitative" }, x2: { field: "hi" }, color: { field: "status", type: "nominal", scale: { domain: statusDomain, range: [STATUS_COLOURS.met, STATUS_COLOURS.missed, STATUS_COLOURS.noValue] }, legend: null } } },
        { mark: { type: "point", filled: true, size: 90, opacity: 1 }, encoding: { y, x, color: { field: "status", type: "nominal", legend: null }, shape: { condition: { test: "datum.area === " + JSON.stringify(r.prefecture.id), value: "square" }, value: "circle" } } },
        // the values as a column at the panel's right edge, clear of the points and the target line
        { mark: { type: "text", align: "right", fontSize: 11, color: "#222222" }, encoding: { y, x: { datum: domain[1], type: "quantitative" }, text: { field: "text" } } },
        ...[true, false].map((halo) => ({
          data: ONE_ROW,
          mark: { type: "text", align: "center", baseline: "bottom", dy: -2, fontSize: 12, fontWeight: "bold", ...(halo ? { stroke: "#ffffff", strokeWidth: 4, strokeJoin: "round", color: "#ffffff" } : { color: TARGET_COLOUR }) },
          encoding: { x: { datum: d.target.value, type: "quantitative" }, y: { value: 0 }, text: { value: tt } },
        })),
      ],
    };
  });
  const vegaLite = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: titleBlock(title, subtitle, 700),
    config: { ...vegaConfig(), concat: { spacing: 18 } },
    hconcat: facets,
    resolve: { scale: { x: "independent", color: "shared" } },
  };

  // Plotly: a subplot per indicator, error bars for the band, the target as a dashed shape.
  const data: Record<string, unknown>[] = [];
  const layout: Record<string, unknown> = { ...plotlyLayout(title, subtitle), showlegend: false, margin: { l: 220, r: 30, t: 120, b: 40 }, height: 160 + 30 * order.length };
  const shapes: Record<string, unknown>[] = [];
  const annotations: Record<string, unknown>[] = [];
  PREFECTURE_TARGET_IDS.forEach((id, i) => {
    const d = defOf(id);
    const ax = i === 0 ? "" : String(i + 1);
    const part = rows.filter((x) => x.indicator === id);
    const num = (v: unknown) => (typeof v === "number" ? v : 0);
    data.push({
      type: "scatter",
      mode: "markers+text",
      x: part.map((x) => x.median),
      y: part.map((x) => x.areaLabel),
      text: part.map((x) => x.text),
      textposition: "middle right",
      error_x: { type: "data", symmetric: false, array: part.map((x) => num(x.hi) - num(x.median)), arrayminus: part.map((x) => num(x.median) - num(x.lo)), thickness: 2, width: 0 },
      marker: { size: 10, color: part.map((x) => (x.met === null ? STATUS_COLOURS.noValue : x.met ? STATUS_COLOURS.met : STATUS_COLOURS.missed)) },
      xaxis: `x${ax}`,
      yaxis: `y${ax}`,
    });
    const lo = i / 2 + 0.02;
    const hi = (i + 1) / 2 - 0.02;
    layout[`xaxis${ax}`] = { domain: [lo, hi], tickformat: ".0%", anchor: `y${ax}` };
    layout[`yaxis${ax}`] = { anchor: `x${ax}`, autorange: "reversed", showticklabels: i === 0, categoryorder: "array", categoryarray: order };
    shapes.push({ type: "line", xref: `x${ax}`, yref: "paper", x0: d.target.value, x1: d.target.value, y0: 0, y1: 1, line: { dash: "dash", color: TARGET_COLOUR, width: 2 } });
    annotations.push({ xref: "paper", yref: "paper", x: (lo + hi) / 2, y: 1.04, showarrow: false, text: `<b>${escapeHtml(`${pick(d.label, lang)} ${targetText(d.unit, d.target, lang)}`)}</b>` });
  });
  layout.shapes = shapes;
  layout.annotations = annotations;
  return {
    name: "prefecture-targets",
    lang,
    title,
    subtitle,
    columns: ["area", "areaLabel", "pilot", "indicator", "period", "median", "lo", "hi", "target", "comparison", "pMeet", "met"],
    rows,
    vegaLite,
    plotly: { data, layout },
  };
}

/** The prefecture's band by year with one line per county, per target indicator (trajectoryChart). */
export function prefectureTrajectoryCharts(input: PrefectureChartInput): Chart[] {
  const { results: r, lang } = input;
  const areas = areaLabels(input);
  // the prefecture in blue (its band shaded), each county its own hue — no yellow, which vanishes on white
  const colours = Object.fromEntries(areas.map((a, i) => [a.label, AREA_COLOURS[i % AREA_COLOURS.length]]));
  return PREFECTURE_TARGET_IDS.map((id) => {
    const d = defOf(id);
    const series = areas.map((a) => {
      const res = a.prefecture ? r.prefecture : r.counties.find((c) => c.id === a.id)!;
      // the band only for the prefecture: ten overlapping bands would hide the lines
      return { label: a.label, points: r.periods.map((p) => ({ period: p, value: res.indicators[id][p].band.median, ...(a.prefecture ? { lo: res.indicators[id][p].band.lo, hi: res.indicators[id][p].band.hi } : {}) })) };
    });
    const last = r.periods[r.periods.length - 1];
    const v = r.prefecture.indicators[id][last].band.median;
    const k = r.counties.filter((c) => meets(c.indicators[id][last].band.median, d.target) === true).length;
    const name = pick(d.label, lang);
    const t = targetText(d.unit, d.target, lang);
    const met = meets(v, d.target) === true;
    const title =
      lang === "zh"
        ? `${name}：全市${last}年${closeText(v, d.target, met)}，${met ? "达到" : "未达到"}${t}目标；${r.counties.length}个县区中${k}个达标`
        : `${name}: the prefecture ${met ? "reaches" : "stays short of"} the ${t} target in ${last} (${closeText(v, d.target, met)}); ${k} of ${r.counties.length} counties reach it`;
    const chart = trajectoryChart({
      lang,
      colours,
      name: `prefecture-trajectory-${id}`,
      indicator: { id, label: d.label, unit: d.unit },
      series,
      target: d.target,
      title,
      seriesTitle: AREA[lang],
      bandLabel: lang === "zh" ? `全市${r.seeds.length}个随机种子的10–90%区间；粗线为全市，细线为各县区中位数` : `the prefecture's 10–90% band across ${r.seeds.length} seeds; thick line: the prefecture, thin lines: the counties' medians`,
    });
    // the prefecture's line drawn again, thicker, over the counties' (trajectoryChart draws every series alike)
    const layers = chart.vegaLite.layer as Record<string, unknown>[];
    const line = layers.find((l) => (l.mark as { type?: string }).type === "line") as { encoding: Record<string, unknown> };
    const at = layers.indexOf(line as Record<string, unknown>) + 1;
    layers.splice(at, 0, { transform: [{ filter: `datum.series === ${JSON.stringify(areas[0].label)}` }], mark: { type: "line", strokeWidth: 5, point: { size: 70 } }, encoding: { x: line.encoding.x, y: line.encoding.y, color: line.encoding.color } });
    line.encoding = { ...line.encoding, strokeWidth: { condition: { test: `datum.series === ${JSON.stringify(areas[0].label)}`, value: 5 }, value: 1.8 } };
    for (const tr of chart.plotly.data) if (tr.name === areas[0].label) (tr.line as Record<string, unknown>).width = 5;
    return chart;
  });
}

const AREA_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#332288", "#882255", "#44AA99", "#999933", "#AA4499", "#117733", "#661100", "#6699CC"];

/** Places of care, in the order drawn: own county, other counties, then the city's and outside hospitals. */
const FLOW_COLOURS = ["#0072B2", "#56B4E9", "#E69F00", "#D55E00", "#CC79A7", "#999999"];

export function prefectureFlowsChart(input: PrefectureChartInput): Chart {
  const { results: r, lang } = input;
  const year = r.periods[r.periods.length - 1];
  const flows = r.flows.filter((f) => f.period === year);
  const extra = [...new Set(flows.filter((f) => f.kind === "city").map((f) => f.place)), ...new Set(flows.filter((f) => f.kind === "outside").map((f) => f.place))];
  const places = [
    { key: "own", label: lang === "zh" ? "本县" : "Own county" },
    { key: "otherCounties", label: lang === "zh" ? "其他县区" : "Other counties" },
    ...extra.map((id) => ({ key: id, label: input.hospitals[id] ? pick(input.hospitals[id], lang) : id })),
  ];
  const keyOf = (f: (typeof flows)[number]) => (f.kind === "own" ? "own" : f.kind === "county" ? "otherCounties" : f.place);
  const areas = areaLabels(input);
  const order = areas.map((a) => a.label);
  const rows: Row[] = [];
  for (const a of areas) {
    const mine = a.prefecture ? flows : flows.filter((f) => f.residence === a.id);
    const total = mine.reduce((s, f) => s + f.encounters, 0);
    let x0 = 0;
    for (const p of places) {
      const enc = mine.filter((f) => keyOf(f) === p.key).reduce((s, f) => s + f.encounters, 0);
      // a county's shares are the results' own (summed over the other counties); the prefecture's are its summed encounters' shares
      const share = a.prefecture ? (total > 0 ? enc / total : 0) : mine.filter((f) => keyOf(f) === p.key).reduce((s, f) => s + f.share, 0);
      rows.push({ residence: a.id, residenceLabel: a.label, period: year, place: p.key, placeLabel: p.label, encounters: enc, share, x0, x1: x0 + share, text: share >= 0.06 ? `${Math.round(share * 100)}%` : "" });
      x0 += share;
    }
  }
  const within = r.withinPrefecture[year]?.median;
  // the finding: how much stays in the prefecture, and the county keeping the least of its residents' care at home
  const own = rows.filter((x) => x.place === "own" && x.residence !== r.prefecture.id).sort((a, b) => Number(a.share) - Number(b.share))[0];
  const least = own ? { name: String(own.residenceLabel).replace(/ ★$/, ""), share: `${Math.round(Number(own.share) * 100)}%` } : null;
  const title =
    lang === "zh"
      ? `${year}年：全市居民门诊和住院${within == null ? "" : `${valueText("share", within, lang)}在市域内`}${least ? `；${least.name}在本县区就诊最少（${least.share}）` : ""}`
      : `${year}: ${within == null ? "where residents were treated" : `${valueText("share", within, lang)} of residents' visits and admissions stay inside the prefecture`}${least ? `; ${least.name} treats the fewest of its own (${least.share})` : ""}`;
  const subtitle =
    lang === "zh"
      ? `各县区居民门诊和住院人次按就诊地的占比（各随机种子平均）；本县含县内各级机构；其他县区为邻县牵头医院；★=试点县`
      : `Share of each county's residents' visits and admissions by place of care (mean over seeds); own county = every tier inside it; other counties = neighbours' lead hospitals; ★ = pilot county`;
  const colour = { field: "placeLabel", type: "nominal", title: lang === "zh" ? "就诊地" : "Place of care", sort: places.map((p) => p.label), scale: { domain: places.map((p) => p.label), range: places.map((_, i) => FLOW_COLOURS[i % FLOW_COLOURS.length]) }, legend: { orient: "bottom", direction: "horizontal", labelLimit: 300 } };
  const y = { field: "residenceLabel", type: "nominal", sort: order, title: null, axis: areaAxis(order, lang, 190) };
  const vegaLite = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: titleBlock(title, subtitle, 640),
    config: vegaConfig(),
    width: 440,
    height: 28 * order.length,
    data: { values: rows },
    layer: [
      { mark: { type: "bar", height: 20 }, encoding: { y, x: { field: "x0", type: "quantitative", title: lang === "zh" ? "占本县区居民就诊人次" : "Share of the county's residents' encounters", axis: { format: ".0%", values: [0, 0.2, 0.4, 0.6, 0.8, 1] }, scale: { domain: [0, 1] } }, x2: { field: "x1" }, color: colour } },
      { mark: { type: "text", fontSize: 11, color: "#ffffff", fontWeight: "bold" }, encoding: { y, x: { field: "mid", type: "quantitative" }, text: { field: "text" } }, transform: [{ calculate: "(datum.x0 + datum.x1) / 2", as: "mid" }] },
    ],
  };
  const data = places.map((p, i) => {
    const part = rows.filter((x) => x.place === p.key);
    return { type: "bar", orientation: "h", name: p.label, x: part.map((x) => x.share), y: part.map((x) => x.residenceLabel), text: part.map((x) => x.text), marker: { color: FLOW_COLOURS[i % FLOW_COLOURS.length] } };
  });
  const layout = { ...plotlyLayout(title, subtitle), barmode: "stack", margin: { l: 220, r: 30, t: 110, b: 80 }, xaxis: { tickformat: ".0%", range: [0, 1] }, yaxis: { autorange: "reversed", categoryorder: "array", categoryarray: order }, height: 200 + 30 * order.length };
  return {
    name: "prefecture-flows",
    lang,
    title,
    subtitle,
    columns: ["residence", "residenceLabel", "period", "place", "placeLabel", "encounters", "share"],
    rows,
    vegaLite,
    plotly: { data, layout },
  };
}

/** Every chart of a prefecture run, in one language (the siphon chart when the run has baseline twins). */
export function prefectureCharts(input: PrefectureChartInput): Chart[] {
  const siphon = prefectureSiphonChart(input);
  return [prefectureTargetsChart(input), ...prefectureTrajectoryCharts(input), prefectureFlowsChart(input), ...(siphon ? [siphon] : [])];
}

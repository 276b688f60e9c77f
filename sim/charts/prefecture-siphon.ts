/**
 * prefecture-siphon: the siphon (虹吸) verdict of each county and of the prefecture in the
 * target year, against their baseline twins (sim/prefecture/results.ts PrefectureSiphon),
 * so a committee sees which counties' lead hospitals draw patients and doctors away from
 * primary care under the rollout. Four panels share the areas: the patient siphon (points
 * of primary-treatable episodes moved to county hospitals) and the three changes the rule
 * of sim/siphon.ts reads (county-hospital encounters, primary-care encounters, primary-care
 * doctors); each a median and 10–90% band across seeds, coloured by the level most seeds
 * reach, with the share of seeds at it written beside the last panel. Pure, as the other
 * chart builders; only when the run has twins (not --no-baseline).
 */
import type { SiphonCell } from "../prefecture/results";
import type { SiphonLevel } from "../siphon";
import { formatPoints } from "../study/format";
import { prevailingSiphonLevel } from "../study/summary";
import { LEVEL } from "../brief/siphon";
import type { Chart, Row } from "./chart";
import { pick } from "./labels";
import { ONE_ROW, escapeHtml, plotlyLayout, titleBlock, vegaConfig } from "./style";
import { areaAxis, areaLabels, prefectureTargetYear, type PrefectureChartInput } from "./prefecture-areas";

/** Risk levels, most serious first, and their colours (Okabe–Ito: vermillion, orange, blue). */
const LEVELS: readonly SiphonLevel[] = ["high", "moderate", "low"];
export const SIPHON_LEVEL_COLOURS: Readonly<Record<SiphonLevel, string>> = { high: "#D55E00", moderate: "#E69F00", low: "#0072B2" };

/** What each panel draws, from a SiphonCell; the three changes are relative, the siphon in points. */
const MEASURES = [
  { key: "patientSiphon", unit: "points", zh: "患者虹吸（百分点）", en: "Patient siphon (points)", zhNote: "正值=基层可治病例更多流向县级医院", enNote: "+ = more primary-treatable cases at county hospitals" },
  { key: "countyVolumeChange", unit: "relative", zh: "县级医院就诊量", en: "County-hospital encounters", zhNote: "上升为虹吸信号", enNote: "a rise is a siphon signal" },
  { key: "primaryVolumeChange", unit: "relative", zh: "基层就诊量", en: "Primary-care encounters", zhNote: "下降为虹吸信号", enNote: "a fall is a siphon signal" },
  { key: "primaryStaffChange", unit: "relative", zh: "基层医生数", en: "Primary-care doctors", zhNote: "减少为虹吸信号", enNote: "a fall is a siphon signal" },
] as const satisfies readonly { key: keyof SiphonCell; unit: "points" | "relative"; zh: string; en: string; zhNote: string; enNote: string }[];

const signedText = (v: number | null, unit: "points" | "relative") => formatPoints(v, { suffix: unit === "points" ? "" : "%", minus: "−", missing: "—" });

export function prefectureSiphonChart(input: PrefectureChartInput): Chart | null {
  const { results: r, lang } = input;
  const s = r.siphon;
  if (!s) return null;
  const zh = lang === "zh";
  const year = prefectureTargetYear(r);
  const areas = areaLabels(input);
  const order = areas.map((a) => a.label);
  const cellOf = (id: string, prefecture: boolean) => (prefecture ? s.prefecture[year] : s.counties[id]?.[year]);
  const rows: Row[] = [];
  const verdicts: { label: string; prefecture: boolean; level: SiphonLevel; share: number }[] = [];
  for (const a of areas) {
    const cell = cellOf(a.id, a.prefecture);
    if (!cell) throw new Error(`prefecture-siphon: no siphon verdict for ${a.id} in ${year}`);
    const level = prevailingSiphonLevel(cell.levels);
    const share = cell.levels[level];
    verdicts.push({ label: a.label.replace(/ ★$/, ""), prefecture: a.prefecture, level, share });
    const levelText = `${pick(LEVEL[level], lang)} ${Math.round(share * 100)}%`;
    for (const m of MEASURES) {
      const band = cell[m.key];
      rows.push({
        area: a.id,
        areaLabel: a.label,
        pilot: a.pilot,
        period: year,
        measure: m.key,
        measureLabel: zh ? m.zh : m.en,
        median: band.median,
        lo: band.lo,
        hi: band.hi,
        level,
        levelLabel: pick(LEVEL[level], lang),
        levelShare: share,
        high: cell.levels.high,
        moderate: cell.levels.moderate,
        low: cell.levels.low,
        text: signedText(band.median, m.unit),
        levelText,
      });
    }
  }

  // the finding: how many counties at each level, and the prefecture's
  const counties = verdicts.filter((v) => !v.prefecture);
  const pref = verdicts.find((v) => v.prefecture)!;
  const at = (level: SiphonLevel) => counties.filter((v) => v.level === level);
  const n = counties.length;
  const serious = LEVELS.filter((l) => l !== "low" && at(l).length > 0);
  const names = (level: SiphonLevel) => at(level).map((v) => v.label).join(zh ? "、" : ", ");
  const q = (l: SiphonLevel) => `“${pick(LEVEL[l], "zh")}”`;
  const title = zh
    ? serious.length === 0
      ? `${year}年：与未实施改革的基线情景相比，${n}个县区虹吸风险均为${q("low")}，全市为${q(pref.level)}`
      : `${year}年：与未实施改革的基线情景相比，${serious.map((l, k) => `${at(l).length}个${k === 0 ? "县区虹吸风险" : ""}为${q(l)}（${names(l)}）`).join("，")}；全市为${q(pref.level)}`
    : serious.length === 0
      ? `${year}: against their never-joining baselines, siphon risk is low in all ${n} counties; the prefecture: ${pref.level}`
      : `${year}: against their never-joining baselines, siphon risk is ${serious.map((l) => `${l} in ${at(l).length} of ${n} counties (${names(l)})`).join(", ")}; the prefecture: ${pref.level}`;
  const seeds = r.seeds.length;
  const subtitle = zh
    ? `各县区与同一随机种子下始终未实施改革的对照模拟相比：点为${seeds}个随机种子的中位数，横线为10–90%区间；颜色为多数种子的风险等级（右侧为其占比）。县级医院就诊量上升、基层就诊量下降、基层医生减少，三项同时出现为“高”风险，出现两项为“中”，否则为“低”；★=试点县；全市按各县计数合计`
    : `Each county against its baseline twin (same seed, never joining the reform): dot = median of ${seeds} seeds, whisker = 10–90% band; colour = the level most seeds reach (its share at the right). County-hospital encounters up, primary-care encounters down and primary doctors down: all three is high, two is moderate; ★ = pilot county; the prefecture from the counties' summed counts`;
  const levelDomain = LEVELS.map((l) => pick(LEVEL[l], lang));
  const colour = { field: "levelLabel", type: "nominal", title: zh ? "虹吸风险" : "Siphon risk", scale: { domain: levelDomain, range: LEVELS.map((l) => SIPHON_LEVEL_COLOURS[l]) }, legend: { orient: "bottom", direction: "horizontal" } };
  const yAxis = areaAxis(order, lang, 170);
  const facets = MEASURES.map((m, i) => {
    const data = rows.filter((x) => x.measure === m.key);
    const vals = [0, ...data.flatMap((x) => [x.lo, x.hi, x.median]).filter((v): v is number => typeof v === "number" && Number.isFinite(v))];
    const lo = Math.min(...vals);
    const hi = Math.max(...vals);
    const pad = Math.max(hi - lo, 0.01) * 0.12;
    const y = { field: "areaLabel", type: "nominal", sort: order, title: null, axis: i === 0 ? yAxis : null };
    const x = { field: "median", type: "quantitative", title: zh ? m.zhNote : m.enNote, axis: { labelExpr: m.unit === "points" ? "datum.value === 0 ? '0' : format(datum.value * 100, '+.1~f')" : "datum.value === 0 ? '0%' : format(datum.value, '+.1~%')", tickCount: 4 }, scale: { domain: [lo - pad, hi + pad], nice: false, zero: false } };
    const last = i === MEASURES.length - 1;
    return {
      title: { text: zh ? m.zh : m.en, fontSize: 13, anchor: "middle" },
      width: 150,
      height: 26 * order.length,
      data: { values: data },
      layer: [
        { data: ONE_ROW, mark: { type: "rule", strokeWidth: 1.5, color: "#666666" }, encoding: { x: { datum: 0, type: "quantitative" } } },
        { mark: { type: "rule", strokeWidth: 2 }, encoding: { y, x: { field: "lo", type: "quantitative" }, x2: { field: "hi" }, color: colour } },
        { mark: { type: "point", filled: true, size: 80, opacity: 1 }, encoding: { y, x, color: colour, shape: { condition: { test: "datum.area === " + JSON.stringify(r.prefecture.id), value: "square" }, value: "circle" } } },
        // the level and the share of seeds at it, at the last panel's right edge
        ...(last ? [{ mark: { type: "text", align: "left", dx: 8, fontSize: 11, color: "#222222" }, encoding: { y, x: { datum: hi + pad, type: "quantitative" }, text: { field: "levelText" } } }] : []),
      ],
    };
  });
  const vegaLite = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: titleBlock(title, subtitle, 760),
    config: { ...vegaConfig(), concat: { spacing: 14 } },
    hconcat: facets,
    resolve: { scale: { x: "independent", color: "shared" } },
  };

  // Plotly: a subplot per measure, error bars for the band, zero as a line.
  const data: Record<string, unknown>[] = [];
  const layout: Record<string, unknown> = { ...plotlyLayout(title, subtitle), showlegend: false, margin: { l: 200, r: 90, t: 130, b: 60 }, height: 180 + 30 * order.length };
  const shapes: Record<string, unknown>[] = [];
  const annotations: Record<string, unknown>[] = [];
  const w = 1 / MEASURES.length;
  MEASURES.forEach((m, i) => {
    const ax = i === 0 ? "" : String(i + 1);
    const part = rows.filter((x) => x.measure === m.key);
    // the patient siphon drawn in points (×100, no "%"), the changes as percentages
    const k = m.unit === "points" ? 100 : 1;
    const num = (v: unknown) => (typeof v === "number" ? v * k : 0);
    data.push({
      type: "scatter",
      mode: "markers",
      x: part.map((x) => num(x.median)),
      y: part.map((x) => x.areaLabel),
      text: part.map((x) => `${x.text} · ${x.levelText}`),
      error_x: { type: "data", symmetric: false, array: part.map((x) => num(x.hi) - num(x.median)), arrayminus: part.map((x) => num(x.median) - num(x.lo)), thickness: 2, width: 0, color: "#666666" },
      marker: { size: 10, color: part.map((x) => SIPHON_LEVEL_COLOURS[x.level as SiphonLevel]) },
      xaxis: `x${ax}`,
      yaxis: `y${ax}`,
    });
    const lo = i * w + 0.015;
    const hi = (i + 1) * w - 0.015;
    layout[`xaxis${ax}`] = { domain: [lo, hi], tickformat: m.unit === "points" ? "+.1~f" : "+.1~%", anchor: `y${ax}`, zeroline: true };
    layout[`yaxis${ax}`] = { anchor: `x${ax}`, autorange: "reversed", showticklabels: i === 0, categoryorder: "array", categoryarray: order };
    shapes.push({ type: "line", xref: `x${ax}`, yref: "paper", x0: 0, x1: 0, y0: 0, y1: 1, line: { color: "#666666", width: 1.5 } });
    annotations.push({ xref: "paper", yref: "paper", x: (lo + hi) / 2, y: 1.04, showarrow: false, text: `<b>${escapeHtml(zh ? m.zh : m.en)}</b>` });
  });
  const levelCol = rows.filter((x) => x.measure === MEASURES[0].key);
  for (const x of levelCol) annotations.push({ xref: "paper", yref: "y", x: 1.0, xanchor: "left", y: x.areaLabel, showarrow: false, text: escapeHtml(String(x.levelText)), font: { color: SIPHON_LEVEL_COLOURS[x.level as SiphonLevel] } });
  layout.shapes = shapes;
  layout.annotations = annotations;
  return {
    name: "prefecture-siphon",
    lang,
    title,
    subtitle,
    columns: ["area", "areaLabel", "pilot", "period", "measure", "median", "lo", "hi", "level", "levelShare", "high", "moderate", "low"],
    rows,
    vegaLite,
    plotly: { data, layout },
  };
}

/**
 * The frontier of a solve (sim/study/solve.ts): every lever setting tried, as the goal
 * reached (median with its 10–90% band) against what the insurer spends per resident,
 * the cost–goal frontier joined by a line, the goal drawn as a dashed line, the cheapest
 * setting reaching it ringed and the baseline marked. Settings that break a constraint
 * are hollow grey: they are tried but not offered.
 */
import type { Chart, Row } from "./chart";
import { axisLabels, targetText, valueText, type Comparison, type Unit } from "./format";
import { label, pick, type Bilingual, type Lang } from "./labels";
import { HEIGHT, referenceLineLayers, STATUS_COLOURS, TARGET_COLOUR, WIDTH, bottomLegend, escapeHtml, percentFormat, plotlyLayout, titleBlock, vegaConfig } from "./style";

export interface FrontierSetting {
  /** 1-based number of the setting, as in the solve's table */
  setting: number;
  /** the levers' values in words, e.g. "village 80%, township 90%" */
  levers: string;
  cost: number | null;
  goal: number | null;
  goalLo: number | null;
  goalHi: number | null;
  /** share of runs meeting the goal */
  probability: number;
  feasible: boolean;
  reached: boolean;
  frontier: boolean;
  best: boolean;
}

export interface FrontierInput {
  lang: Lang;
  name?: string;
  indicator: { id: string; label: Bilingual | string; unit: Unit };
  /** what the x axis counts, e.g. {en: "insurer spending", zh: "医保基金支出"} (per resident-year) */
  cost: Bilingual;
  goal: { value: number; comparison: Comparison };
  /** the chosen probability, e.g. 0.8 */
  probability: number;
  period: string;
  settings: FrontierSetting[];
  baseline: { label: string; cost: number | null; goal: number | null };
}

type Status = "reached" | "short" | "infeasible";
const statusOf = (s: FrontierSetting): Status => (!s.feasible ? "infeasible" : s.reached ? "reached" : "short");
const STATUS_TEXT: Record<Status, Bilingual> = {
  reached: { zh: "达到目标（概率达标）", en: "reaches the goal (with the chosen probability)" },
  short: { zh: "未达到目标", en: "short of the goal" },
  infeasible: { zh: "违反约束条件", en: "breaks a constraint" },
};
/** The frontier line: neutral, so it is not read as one of the statuses. */
const FRONTIER_COLOUR = "#777777";
const STATUS_COLOUR: Record<Status, string> = { reached: STATUS_COLOURS.met, short: STATUS_COLOURS.missed, infeasible: STATUS_COLOURS.noValue };

export function frontierChart(input: FrontierInput): Chart {
  const { lang, indicator, goal, period } = input;
  const unit = indicator.unit;
  const ind = pick(indicator.label, lang);
  const best = input.settings.find((s) => s.best);
  const t = targetText(unit, goal, lang);
  const p = `${Math.round(input.probability * 100)}%`;
  const costWord = lang === "zh" ? `人均${input.cost.zh}（元/人·年）` : `${input.cost.en[0].toUpperCase()}${input.cost.en.slice(1)} per resident (yuan a year)`;
  const title = best
    ? lang === "zh"
      ? `${period}年${ind}${t}：最省的设置为第${best.setting}号（${best.levers}），人均${valueText("yuan", best.cost, lang)}`
      : `${ind} ${t} in ${period}: cheapest setting is #${best.setting} (${best.levers}), ${valueText("yuan", best.cost, lang)} per resident`
    : lang === "zh"
      ? `在所给范围内，没有设置能在满足约束的前提下以${p}的概率使${period}年${ind}${t}`
      : `No setting in the ranges reaches ${ind} ${t} in ${period} with probability ${p} under the constraints`;
  const subtitle =
    lang === "zh"
      ? `每点为一种政策杠杆设置：中位数及10–90%区间（竖线）；折线为成本—目标前沿；虚线为目标；圈出者为达标设置中最省者；×为基线（${input.baseline.label}）`
      : `Each point is one lever setting: median and 10–90% band (vertical line); line: the cost–goal frontier; dashed: the goal; ringed: the cheapest setting reaching it; ×: the baseline (${input.baseline.label})`;
  const rows: Row[] = input.settings.map((s) => ({
    setting: s.setting,
    levers: s.levers,
    cost: s.cost,
    goal: s.goal,
    goalLo: s.goalLo,
    goalHi: s.goalHi,
    probability: s.probability,
    feasible: s.feasible,
    reached: s.reached,
    frontier: s.frontier,
    best: s.best,
    status: statusOf(s),
  }));
  const statuses: Status[] = ["reached", "short", "infeasible"];
  const statusLabels = statuses.map((s) => pick(STATUS_TEXT[s], lang));
  const shown = [...rows.flatMap((r) => [r.goal, r.goalLo, r.goalHi]), goal.value, input.baseline.goal].filter((v): v is number => typeof v === "number");
  const share = unit === "share" || unit === "growth";
  const fmt = share ? percentFormat(shown, unit === "growth") : undefined;
  // yuan per resident-year: hundreds to a few thousand, so whole yuan with separators (not "0.95k", not 万)
  const x = { field: "cost", type: "quantitative", title: costWord, scale: { zero: false }, axis: { format: ",.0f", tickCount: 6, labelOverlap: true } };
  const yAxis = share ? { format: fmt } : axisLabels(unit, lang);
  const y = { field: "goal", type: "quantitative", title: ind, scale: { zero: false }, axis: yAxis };
  const color = {
    field: "statusLabel",
    type: "nominal",
    title: null,
    scale: { domain: statusLabels, range: statuses.map((s) => STATUS_COLOUR[s]) },
    legend: bottomLegend(3),
  };
  const data = rows.map((r) => ({ ...r, statusLabel: pick(STATUS_TEXT[r.status as Status], lang), probabilityText: `${Math.round(Number(r.probability) * 100)}%` }));
  const tooltip = [
    { field: "setting", title: "#" },
    { field: "levers", title: label("parameter", lang) },
    { field: "cost", title: costWord, format: ",.0f" },
    { field: "goal", title: ind, ...(fmt ? { format: ".1%" } : {}) },
    { field: "probabilityText", title: lang === "zh" ? "达标概率" : "chance met" },
  ];
  const layers: Record<string, unknown>[] = [
    { mark: { type: "rule", strokeWidth: 1.5 }, encoding: { x, y: { field: "goalLo", type: "quantitative" }, y2: { field: "goalHi" }, color } },
    { transform: [{ filter: "datum.frontier" }], mark: { type: "line", strokeWidth: 2, color: FRONTIER_COLOUR }, encoding: { x, y, order: { field: "cost" } } },
    // settings that break a constraint hollow, so the offered ones stand out
    { transform: [{ filter: "datum.feasible" }], mark: { type: "point", filled: true, size: 70 }, encoding: { x, y, color, tooltip } },
    { transform: [{ filter: "!datum.feasible" }], mark: { type: "point", filled: false, size: 70, strokeWidth: 2 }, encoding: { x, y, color, tooltip } },
    { transform: [{ filter: "datum.best" }], mark: { type: "point", size: 420, strokeWidth: 2.5, color: TARGET_COLOUR, filled: false }, encoding: { x, y } },
    // the label at the right end: the cheap settings, which a reader looks for first, sit on the left
    ...referenceLineLayers(goal.value, `${label("target", lang)} ${t}`, { at: "right" }),
  ];
  if (input.baseline.cost !== null && input.baseline.goal !== null)
    layers.push({
      data: { values: [{ cost: input.baseline.cost, goal: input.baseline.goal, name: input.baseline.label }] },
      mark: { type: "point", shape: "cross", size: 160, strokeWidth: 2.5, color: TARGET_COLOUR, angle: 45 },
      encoding: { x, y, tooltip: [{ field: "name" }] },
    });
  const vegaLite = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: titleBlock(title, subtitle, WIDTH),
    width: WIDTH,
    height: HEIGHT + 60,
    config: vegaConfig(),
    data: { values: data },
    layer: layers,
  };

  const traces: Record<string, unknown>[] = statuses.map((st, i) => {
    const ss = input.settings.filter((s) => statusOf(s) === st);
    return {
      type: "scatter",
      mode: "markers",
      name: statusLabels[i],
      x: ss.map((s) => s.cost),
      y: ss.map((s) => s.goal),
      text: ss.map((s) => `#${s.setting}: ${s.levers}`),
      error_y: { type: "data", symmetric: false, array: ss.map((s) => (s.goalHi ?? s.goal ?? 0) - (s.goal ?? 0)), arrayminus: ss.map((s) => (s.goal ?? 0) - (s.goalLo ?? s.goal ?? 0)), color: STATUS_COLOUR[st] },
      marker: { color: STATUS_COLOUR[st], size: 9, ...(st === "infeasible" ? { symbol: "circle-open" } : {}) },
    };
  });
  const front = input.settings.filter((s) => s.frontier).sort((a, b) => (a.cost ?? 0) - (b.cost ?? 0));
  traces.push({ type: "scatter", mode: "lines", name: lang === "zh" ? "前沿" : "frontier", x: front.map((s) => s.cost), y: front.map((s) => s.goal), line: { color: FRONTIER_COLOUR, width: 2 } });
  if (input.baseline.cost !== null) traces.push({ type: "scatter", mode: "markers", name: input.baseline.label, x: [input.baseline.cost], y: [input.baseline.goal], marker: { symbol: "x", size: 12, color: TARGET_COLOUR } });
  const layout = {
    ...plotlyLayout(title, subtitle),
    xaxis: { title: { text: costWord } },
    yaxis: { title: { text: ind }, ...(fmt ? { tickformat: fmt } : {}) },
    shapes: [{ type: "line", xref: "paper", x0: 0, x1: 1, y0: goal.value, y1: goal.value, line: { dash: "dash", color: TARGET_COLOUR, width: 2 } }],
    annotations: [{ xref: "paper", x: 1, y: goal.value, yanchor: "bottom", xanchor: "right", showarrow: false, text: `<b>${escapeHtml(`${label("target", lang)} ${t}`)}</b>` }],
  };
  return {
    name: input.name ?? `frontier-${indicator.id}`,
    lang,
    title,
    subtitle,
    columns: ["setting", "levers", "cost", "goal", "goalLo", "goalHi", "probability", "feasible", "reached", "frontier", "best", "status"],
    rows,
    vegaLite,
    plotly: { data: traces, layout },
  };
}

/**
 * The look shared by every chart: one CJK-capable font (so Chinese and English render
 * the same in SVG, PNG and the browser), sizes readable on an A4 page and a projector,
 * and the Okabe–Ito palette, which stays distinguishable under the common colour-vision
 * deficiencies (Okabe & Ito 2008, "Color Universal Design").
 */
import { wrapText } from "./text";

export const FONT = "Noto Sans CJK SC";
export const FONT_STACK = `"Noto Sans CJK SC", "Noto Sans CJK", "Noto Sans SC", sans-serif`;

/**
 * Scenario colours: Okabe–Ito without its black (dark enough for lines on white), then Paul
 * Tol's "muted" set and two of his others — all saturated hues, so none is a grey and none is the target line's
 * near-black. Greys are kept for tiers (TIER_COLOURS) and other categories that are not
 * scenarios, so a tier is never drawn in a scenario's colour.
 */
export const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#332288", "#882255", "#44AA99", "#999933", "#AA4499", "#117733", "#88CCEE", "#DDCC77", "#CC6677", "#661100", "#6699CC"];

/**
 * One colour per scenario, by name, used by every chart of the briefings, the commands and
 * the notebooks (a scenario keeps its colour whichever scenarios are shown with it). Each
 * shipped scenario has its own; other names take the palette's remaining colours (below).
 */
export const SCENARIO_COLOURS: Readonly<Record<string, string>> = {
  "baseline-2018": "#0072B2",
  "full-package-qujing": "#E69F00",
  "siphon-risk": "#D55E00",
  "capitation-package": "#009E73",
  "capitation-with-staff-sinking": "#56B4E9",
  "differential-reimbursement": "#CC79A7",
  "family-doctor-contracting": "#332288",
  "nanyang-overspend-sharing": "#882255",
  "starting-line-rules": "#999933",
  "strict-first-contact": "#44AA99",
  "wuhua-baseline": "#AA4499",
  "wuhua-drg-pilot": "#117733",
  "wuhua-tight-community": "#88CCEE",
  "xinmi-per-disease": "#CC6677",
};

/** Colours of the tiers (village → out of county, light → dark grey): never a scenario's. */
export const TIER_COLOURS: Readonly<Record<string, string>> = { village: "#B0B0B0", township: "#808080", county: "#4D4D4D", outOfCounty: "#1A1A1A" };

/** Two cases that are neither scenarios nor tiers (low / high of a tornado): greys. */
export const CASE_COLOURS = ["#A6A6A6", "#4D4D4D"] as const;

/** Met / missed / no value: blue vs vermillion (safe for red-green deficiency) and grey. */
export const STATUS_COLOURS = { met: "#0072B2", missed: "#D55E00", noValue: "#999999" } as const;
export const TARGET_COLOUR = "#222222";

/** Data for a layer drawn once (a target rule or its label), not once per data row. */
export const ONE_ROW = { values: [{}] };

export const WIDTH = 620;
export const HEIGHT = 230;

/** Colours not taken by a shipped scenario, for scenarios of other names. */
const SPARE = PALETTE.filter((c) => !Object.values(SCENARIO_COLOURS).includes(c));

function nameHash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
  return h;
}

/** A colour scale for `labels`: fixed colours where given, else each label read as a scenario name (scenarioColours). */
export function colourScale(labels: readonly string[], colours?: Readonly<Record<string, string>>): { domain: string[]; range: string[] } {
  const fallback = scenarioColours(labels.filter((l) => !colours?.[l]));
  return { domain: [...labels], range: labels.map((l) => colours?.[l] ?? fallback[l]) };
}

/** A scenario to colour: its name (e.g. "baseline-2018") and the label the chart shows for it (default: the name). */
export type ScenarioKey = string | { name: string; label?: string };

/**
 * Label → colour for a set of scenarios, by scenario name: a shipped scenario always gets
 * its SCENARIO_COLOURS entry; any other name the spare colour its name hashes to, moved on
 * to the next free one if another scenario of the set has it (so colours are distinct
 * within a chart, and the same in every chart of the same set). Pass the result to every
 * chart of one briefing or notebook.
 */
export function scenarioColours(scenarios: readonly ScenarioKey[]): Record<string, string> {
  const keys = scenarios.map((s) => (typeof s === "string" ? { name: s, label: s } : { name: s.name, label: s.label ?? s.name }));
  const taken = new Set(keys.map((k) => SCENARIO_COLOURS[k.name]).filter(Boolean));
  const out: Record<string, string> = {};
  for (const k of keys) {
    let c = SCENARIO_COLOURS[k.name];
    if (!c) {
      // the spare colours first (by the name's hash), then those of shipped scenarios not in this set
      const pool = [...SPARE, ...PALETTE.filter((x) => !SPARE.includes(x))];
      const start = nameHash(k.name) % Math.max(1, SPARE.length);
      let j = 0;
      while (j < pool.length && taken.has(pool[(start + j) % pool.length])) j++;
      c = pool[(start + j) % pool.length];
      taken.add(c);
    }
    out[k.label] = c;
  }
  return out;
}

/**
 * An axis label expression that wraps long labels (e.g. English scenario titles) onto
 * lines of at most `maxWidth` pixels, so a panel's label column stays narrow and the
 * chart fits an A4 page at full size (text printed at ≥ 8 pt). Values stay unchanged.
 */
export function wrappedLabels(labels: readonly string[], maxWidth: number, fontSize = 12): { labelExpr: string; labelLimit: number } {
  const q = (s: string) => `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
  const lines = labels.map((l) => wrapText(l, maxWidth, fontSize));
  return {
    labelExpr: `[${lines.map((ls) => `[${ls.map(q).join(",")}]`).join(",")}][indexof([${labels.map(q).join(",")}], datum.label)] || datum.label`,
    labelLimit: maxWidth + 20,
  };
}

/** A bottom legend; two columns when there are many entries. */
export function bottomLegend(entries: number): Record<string, unknown> {
  return entries > 4 ? { orient: "bottom", direction: "vertical", columns: 2, labelLimit: 300 } : { orient: "bottom", direction: "vertical", labelLimit: 600 };
}

/** d3 format for a share/growth axis: one decimal when the visible span is under 10 points (avoids 91%, 91% ticks). */
export function percentFormat(values: readonly number[], signed: boolean): string {
  const finite = values.filter((v) => Number.isFinite(v));
  const span = finite.length ? Math.max(...finite) - Math.min(...finite) : 1;
  return `${signed ? "+" : ""}.${span < 0.1 ? 1 : 0}%`;
}

/** Vega-Lite `config` for every chart. */
export function vegaConfig(): Record<string, unknown> {
  return {
    font: FONT,
    background: "#ffffff",
    padding: 8,
    view: { stroke: null },
    title: { fontSize: 17, fontWeight: "bold", subtitleFontSize: 13, subtitleColor: "#444444", anchor: "start", offset: 12 },
    axis: { labelFontSize: 12, titleFontSize: 13, titleFontWeight: "normal", labelColor: "#222222", titleColor: "#222222", gridColor: "#e4e4e4", labelLimit: 260 },
    legend: { labelFontSize: 12, titleFontSize: 13, titleFontWeight: "normal", labelLimit: 480, symbolSize: 120 },
    header: { labelFontSize: 13, titleFontSize: 13, labelFontWeight: "bold", labelLimit: 260 },
    range: { category: PALETTE },
    text: { fontSize: 12 },
    line: { strokeWidth: 2.5 },
  };
}

/** Plotly layout defaults matching the Vega-Lite look. */
export function plotlyLayout(title: string, subtitle: string): Record<string, unknown> {
  return {
    title: { text: `<b>${escapeHtml(title)}</b><br><span style="font-size:13px;color:#444">${escapeHtml(subtitle)}</span>`, x: 0.01, xanchor: "left" },
    font: { family: FONT_STACK, size: 13, color: "#222" },
    colorway: PALETTE,
    paper_bgcolor: "#ffffff",
    plot_bgcolor: "#ffffff",
    margin: { l: 70, r: 30, t: 90, b: 60 },
    legend: { orientation: "h", y: -0.2 },
  };
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** A Vega-Lite title whose finding and subtitle are wrapped to `width` pixels (never clipped). */
export function titleBlock(title: string, subtitle: string, width: number): Record<string, unknown> {
  return {
    text: wrapText(title, width, 17, true),
    subtitle: wrapText(subtitle, width, 13),
    limit: 0,
    subtitleLineHeight: 17,
    lineHeight: 22,
  };
}

/**
 * A horizontal reference line — the target, dashed — with its label on a white halo (drawn
 * first, so the label stays legible over lines and gridlines), at the left end or the
 * right end (`width`: the plot's width) of the plot. The Vega-Lite layers, in order.
 */
export function referenceLineLayers(value: number, text: string, o: { at?: "left" | "right"; width?: number; strokeWidth?: number; fontSize?: number } = {}): Record<string, unknown>[] {
  const right = o.at === "right";
  const y = { datum: value, type: "quantitative" };
  return [
    { data: ONE_ROW, mark: { type: "rule", strokeDash: [7, 4], strokeWidth: o.strokeWidth ?? 2, color: TARGET_COLOUR }, encoding: { y } },
    ...[true, false].map((halo) => ({
      data: ONE_ROW,
      mark: { type: "text", align: right ? "right" : "left", baseline: "alphabetic", dx: right ? -4 : 4, dy: -6, fontSize: o.fontSize ?? 13, fontWeight: "bold", ...(halo ? { stroke: "#ffffff", strokeWidth: 4, strokeJoin: "round", color: "#ffffff" } : { color: TARGET_COLOUR }) },
      encoding: { y: { datum: value, type: "quantitative" }, x: { value: right ? (o.width ?? WIDTH) : 0 }, text: { value: text } },
    })),
  ];
}

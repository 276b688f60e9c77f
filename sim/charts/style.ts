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
 * Okabe–Ito, black last, then a neutral grey for a ninth series; beyond nine (all shipped
 * scenarios at once) Paul Tol's "muted" indigo, wine, teal, olive and purple, so no two
 * scenarios share a colour up to fourteen.
 */
export const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000", "#999999", "#332288", "#882255", "#44AA99", "#999933", "#AA4499"];

/** Met / missed / no value: blue vs vermillion (safe for red-green deficiency) and grey. */
export const STATUS_COLOURS = { met: "#0072B2", missed: "#D55E00", noValue: "#999999" } as const;
export const TARGET_COLOUR = "#222222";

/** Data for a layer drawn once (a target rule or its label), not once per data row. */
export const ONE_ROW = { values: [{}] };

export const WIDTH = 620;
export const HEIGHT = 230;

/** A colour scale for `labels`: fixed colours where given (the same scenario keeps its colour across charts), the palette in order otherwise. */
export function colourScale(labels: readonly string[], colours?: Readonly<Record<string, string>>): { domain: string[]; range: string[] } {
  return { domain: [...labels], range: labels.map((l, i) => colours?.[l] ?? PALETTE[i % PALETTE.length]) };
}

/** Scenario → colour in the order given (pass to every chart of one briefing or notebook). */
export function scenarioColours(labels: readonly string[]): Record<string, string> {
  return Object.fromEntries(labels.map((l, i) => [l, PALETTE[i % PALETTE.length]]));
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

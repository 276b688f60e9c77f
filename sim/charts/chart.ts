/**
 * What every chart builder returns: the data behind the chart (rows → CSV), a
 * Vega-Lite spec with that data inline (→ SVG/PNG, sim/charts/render.ts) and a Plotly
 * figure for interactive display in notebooks. Builders are pure functions of plain
 * data, so new indicators, staff series or ensemble bands plug in without changes here.
 */
import { csvText } from "../output";
import type { Lang } from "./labels";

export type Cell = string | number | boolean | null;
export type Row = Record<string, Cell>;

export interface PlotlyFigure {
  data: Record<string, unknown>[];
  layout: Record<string, unknown>;
}

export interface Chart {
  /** file stem: name.svg, name.png, name.csv, name.json */
  name: string;
  lang: Lang;
  /** states the finding where the data allow it */
  title: string;
  /** what is shown, with units */
  subtitle: string;
  /** CSV columns, in order */
  columns: string[];
  /** the data behind the chart, one object per CSV row */
  rows: Row[];
  vegaLite: Record<string, unknown>;
  plotly: PlotlyFigure;
}

/** The chart's data as CSV text (columns in order; nulls empty). */
export function chartCsv(chart: Pick<Chart, "columns" | "rows">): string {
  return csvText(chart.columns, chart.rows.map((r) => chart.columns.map((c) => r[c] ?? null)));
}

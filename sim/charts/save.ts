/**
 * Saving a chart: name.svg, name.png, name.csv (the data behind it) and name.json (title,
 * provenance, the Vega-Lite spec and the Plotly figure), every file written atomically.
 * And a self-contained HTML page for a Plotly figure (library inlined, no network).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { PACKAGE_ROOT } from "../manifest";
import { jsonText, makeDirs, writeFileAtomic } from "../output";
import { chartCsv, type Chart, type PlotlyFigure } from "./chart";
import { chartSvg, svgToPng, svgsToPng, type Provenance, type RenderProgress } from "./render";
import { escapeHtml } from "./style";

export interface SavedChart {
  name: string;
  svg: string;
  png: Buffer;
  csv: string;
  files: string[];
}

/** Render a chart to SVG and PNG (provenance embedded) and its CSV, in memory. */
export async function renderChart(chart: Chart, provenance: Provenance): Promise<Omit<SavedChart, "files">> {
  const svg = await chartSvg(chart, provenance);
  const png = await svgToPng(svg);
  return { name: chart.name, svg, png, csv: chartCsv(chart) };
}

/**
 * Render several charts as renderChart does, their PNGs in parallel (svgsToPng); same
 * bytes. `onProgress` hears ("charts", PNGs done, charts) as each PNG is finished.
 */
export async function renderCharts(charts: readonly Chart[], provenance: Provenance, options: { onProgress?: RenderProgress; workers?: number } = {}): Promise<Omit<SavedChart, "files">[]> {
  const svgs: string[] = [];
  for (const chart of charts) svgs.push(await chartSvg(chart, provenance));
  const report = options.onProgress;
  const pngs = await svgsToPng(svgs, 2, options.workers, report ? (done, total) => report("charts", done, total) : undefined);
  return charts.map((chart, i) => ({ name: chart.name, svg: svgs[i], png: pngs[i], csv: chartCsv(chart) }));
}

/** The sidecar JSON: what the chart says and where its numbers came from. */
export function chartSidecar(chart: Chart, provenance: Provenance): string {
  return jsonText({ name: chart.name, lang: chart.lang, title: chart.title, subtitle: chart.subtitle, provenance, columns: chart.columns, vegaLite: chart.vegaLite, plotly: chart.plotly });
}

/**
 * Charts as files of an output folder written whole (sim/output.ts): `prefix`name.svg,
 * .png, .csv and .json for each chart (`prefix` may depend on the chart, e.g. its language), PNGs rendered in parallel (renderCharts).
 */
export async function chartFolderFiles(charts: readonly Chart[], provenance: Provenance, prefix: string | ((chart: Chart, i: number) => string), options: { onProgress?: RenderProgress; workers?: number } = {}): Promise<Record<string, string | Buffer>> {
  const rendered = await renderCharts(charts, provenance, options);
  const files: Record<string, string | Buffer> = {};
  charts.forEach((chart, i) => {
    const p = typeof prefix === "string" ? prefix : prefix(chart, i);
    files[`${p}${chart.name}.svg`] = rendered[i].svg;
    files[`${p}${chart.name}.png`] = rendered[i].png;
    files[`${p}${chart.name}.csv`] = rendered[i].csv;
    files[`${p}${chart.name}.json`] = chartSidecar(chart, provenance);
  });
  return files;
}

/** Write DIR/name.{svg,png,csv,json}. */
export async function saveChart(chart: Chart, dir: string, provenance: Provenance): Promise<SavedChart> {
  const r = await renderChart(chart, provenance);
  makeDirs(dir);
  const files: [string, string | Buffer][] = [
    [`${chart.name}.svg`, r.svg],
    [`${chart.name}.png`, r.png],
    [`${chart.name}.csv`, r.csv],
    [`${chart.name}.json`, chartSidecar(chart, provenance)],
  ];
  // writeFileAtomic hands its content to fs.writeFileSync, which takes bytes as well as text.
  for (const [f, content] of files) writeFileAtomic(join(dir, f), content as string);
  return { ...r, files: files.map(([f]) => join(dir, f)) };
}

let plotlySource: string | undefined;
/** plotly.js-dist-min's source, for inlining (never a CDN link: nothing outside the machine is reachable). */
export function plotlyLibrary(): string {
  plotlySource ??= readFileSync(createRequire(join(PACKAGE_ROOT, "package.json")).resolve("plotly.js-dist-min"), "utf8");
  return plotlySource;
}

/**
 * A self-contained HTML fragment drawing a Plotly figure. With `inlineLibrary` (default)
 * the ≈4.7 MB library is embedded; pass false when the page already has it (e.g. the
 * second figure of a notebook) — the fragment then expects `window.Plotly`.
 */
export function plotlyHtml(figure: PlotlyFigure, options: { id?: string; inlineLibrary?: boolean; height?: number } = {}): string {
  const id = options.id ?? `plotly-${Math.abs(hashCode(JSON.stringify(figure))).toString(36)}`;
  const lib = options.inlineLibrary === false ? "" : `<script>${plotlyLibrary().replace(/<\/script/gi, "<\\/script")}</script>`;
  const json = JSON.stringify(figure).replace(/</g, "\\u003c");
  const h = options.height ?? (Number((figure.layout as { height?: number }).height) || 480);
  return `${lib}<div id="${escapeHtml(id)}" style="width:100%;height:${h}px"></div><script>(function(){var f=${json};Plotly.newPlot(${JSON.stringify(id)},f.data,f.layout,{displaylogo:false,responsive:true});})();</script>`;
}

function hashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

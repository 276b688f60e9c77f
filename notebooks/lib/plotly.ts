/**
 * Interactive Plotly charts in Jupyter, fully offline: the plotly.js-dist-min bundle from
 * node_modules is inlined into the notebook once (`plotlyLoaderHtml()`, ≈4.7 MB), and each
 * chart (`plotlyHtml(figure)`) draws with that copy — no CDN, no network request.
 * Classic Jupyter runs scripts in HTML outputs of trusted notebooks; headless execution
 * (CI) stores the HTML without running it.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

export interface PlotlyFigure {
  data: unknown[];
  layout?: Record<string, unknown>;
  config?: Record<string, unknown>;
}

let library: string | undefined;

/** The plotly.js-dist-min source, with `</script>` made safe for inlining. */
function plotlySource(): string {
  library ??= readFileSync(createRequire(import.meta.url).resolve("plotly.js-dist-min"), "utf8").replace(/<\/script/gi, "<\\/script");
  return library;
}

/** Display once per notebook (before any `plotlyHtml` chart): defines `window.Plotly` from the inlined library. */
export function plotlyLoaderHtml(): string {
  return `<div class="yigongti-plotly-loader" style="font-size:smaller;color:#666">plotly.js loaded (offline copy from node_modules/plotly.js-dist-min)</div><script type="text/javascript">if (!window.Plotly) {\n${plotlySource()}\n}</script>`;
}

let counter = 0;

/** A chart drawn by the notebook's copy of plotly.js (see plotlyLoaderHtml). */
export function plotlyHtml(figure: PlotlyFigure, options: { height?: number } = {}): string {
  const id = `yigongti-plotly-${process.pid}-${++counter}`;
  const payload = JSON.stringify({ data: figure.data, layout: figure.layout ?? {}, config: { displaylogo: false, responsive: true, ...(figure.config ?? {}) } }).replace(/<\//g, "<\\/");
  return `<div id="${id}" style="width:100%;height:${options.height ?? 420}px"></div>
<script type="text/javascript">(function () {
  var fig = ${payload};
  var tries = 0;
  function draw() {
    if (window.Plotly) { window.Plotly.newPlot("${id}", fig.data, fig.layout, fig.config); return; }
    if (++tries < 100) { setTimeout(draw, 100); return; }
    document.getElementById("${id}").textContent = "plotly.js is not loaded: run the cell that displays plotlyLoaderHtml() first.";
  }
  draw();
})();</script>`;
}

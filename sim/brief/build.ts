/**
 * Build a committee briefing in memory from a study (sim/study): the charts (rendered to
 * SVG and PNG with their CSV and provenance), the self-contained HTML and the PDF. It
 * reads the study's runs of its first seed and their comparisons as computed there —
 * nothing is recomputed per language. Nothing is written here; the command writes every
 * file only once all of them exist.
 */
import { join } from "node:path";
import type { Lang } from "../charts/labels";
import { chartSidecar, renderCharts } from "../charts/save";
import type { Provenance } from "../charts/render";
import type { ScenarioComparison } from "../study/comparison";
import { seedRuns, type Study } from "../study/study";
import { gitState, modelVersion } from "../manifest";
import type { FolderFiles } from "../output";
import { htmlToPdf } from "./browser";
import { briefingCharts } from "./charts";
import { briefingHtml, type BriefFigure } from "./html";
import { protectionSection } from "./protection";
import { siphonSection } from "./siphon";
import { t, type TextKey } from "./text";

export interface BriefOptions {
  lang: Lang;
  /** the command line shown under provenance */
  command: string;
  /** also print the PDF (default true) */
  pdf?: boolean;
}

export interface Briefing {
  entries: ScenarioComparison[];
  html: string;
  pdf: Buffer | null;
  /** file name → content, for DIR/charts/ */
  chartFiles: Record<string, string | Buffer>;
}

export async function buildBriefing(study: Study, options: BriefOptions): Promise<Briefing> {
  const { lang } = options;
  // each run against its baseline (same county and seed), as the study compared them — siphon verdicts need it
  const runs = seedRuns(study);
  const entries = runs.map((r) => r.entry);
  const git = gitState();
  const provenance: Provenance = {
    modelVersion: modelVersion(),
    seed: runs[0].settings.seed,
    years: runs[0].settings.years,
    scale: runs[0].settings.scale,
    commit: git.commit,
    scenarios: runs.map((r) => ({ name: r.scenario.name, hash: r.scenario.hash })),
  };
  const { charts, notes } = briefingCharts(lang, runs);
  const chartFiles: Record<string, string | Buffer> = {};
  const figures: BriefFigure[] = [];
  const rendered = await renderCharts(charts, provenance); // PNGs in parallel, one per core
  for (const [i, chart] of charts.entries()) {
    const r = rendered[i];
    chartFiles[`${chart.name}.svg`] = r.svg;
    chartFiles[`${chart.name}.png`] = r.png;
    chartFiles[`${chart.name}.csv`] = r.csv;
    chartFiles[`${chart.name}.json`] = chartSidecar(chart, provenance);
    figures.push({ chart, svg: r.svg, file: chart.name });
  }
  const html = briefingHtml({
    lang,
    entries,
    scenarios: runs.map((r) => r.scenario),
    figures,
    siphon: siphonSection(entries, lang),
    protection: protectionSection(entries, lang),
    notes: notes as TextKey[],
    modelVersion: provenance.modelVersion,
    git,
    command: options.command,
  });
  const footer = `${t("docTitle", lang)} · yigongti ${provenance.modelVersion} · ${lang === "zh" ? "种子" : "seed"} ${provenance.seed}`;
  const pdf = options.pdf === false ? null : await htmlToPdf(html, footer.replace(/&/g, "&amp;").replace(/</g, "&lt;"));
  return { entries, html, pdf, chartFiles };
}

/** The command line as shown under provenance: arguments quoted only where they need it. */
export function commandLine(command: string, argv: readonly string[]): string {
  return ["yigongti", command, ...argv].map((x) => (/^[\w./:=@+-]+$/.test(x) ? x : JSON.stringify(x))).join(" ");
}

/**
 * A built briefing's files under `prefix` ("" or e.g. "brief/zh/"): briefing.html,
 * briefing.pdf and charts/ — for an output folder written whole (sim/output.ts).
 */
export function briefingFiles(b: Briefing, prefix = ""): FolderFiles {
  const files: FolderFiles = {};
  for (const [name, content] of Object.entries(b.chartFiles)) files[`${prefix}charts/${name}`] = content;
  files[`${prefix}briefing.html`] = b.html;
  if (b.pdf) files[`${prefix}briefing.pdf`] = b.pdf;
  return files;
}

/** What a written briefing holds, for stderr: "DIR/briefing.html, DIR/briefing.pdf and N charts in DIR/charts/". */
export function briefingWritten(dir: string, b: Briefing): string {
  const n = Object.keys(b.chartFiles).filter((f) => f.endsWith(".svg")).length;
  return `wrote ${join(dir, "briefing.html")}${b.pdf ? `, ${join(dir, "briefing.pdf")}` : ""} and ${n} charts in ${join(dir, "charts")}/\n`;
}

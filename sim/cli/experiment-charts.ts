/**
 * Charts of `ensemble`, `sweep` and `sensitivity`, the same way in all three: `--lang`
 * picks the language (en by default; zh,en writes both), `--no-charts` skips them (PNGs
 * take about a second each), and the files go into DIR/charts/ (DIR/charts/zh/ and
 * DIR/charts/en/ for two languages) as the briefing's do: name.svg, .png, .csv, .json.
 */
import { join } from "node:path";
import type { Chart } from "../charts/chart";
import { parseLangs, type Lang } from "../charts/labels";
import type { Provenance } from "../charts/render";
import { chartFolderFiles } from "../charts/save";
import { gitState, modelVersion } from "../manifest";
import type { FolderFiles } from "../output";
import type { OptionDef } from "./args";
import type { ProgressBar } from "./progress";

export const LANG: OptionDef = {
  name: "lang",
  value: "zh|en|zh,en",
  parse: parseLangs,
  help: "language of the charts: en (default) or zh (中文); zh,en writes both, into\nDIR/charts/zh/ and DIR/charts/en/",
};
export const CHARTS: OptionDef = {
  name: "charts",
  negatable: true,
  help: "--no-charts writes no charts (default: DIR/charts/ holds each chart as PNG, SVG,\nthe CSV of the numbers drawn and a JSON sidecar; about a second per chart)",
};

/** What a command's charts are made of, once per language. */
export interface ChartPlan {
  langs: Lang[];
  build: (lang: Lang) => Chart[];
  provenance: Omit<Provenance, "modelVersion" | "commit">;
}

export function chartLangs(o: Record<string, unknown>): Lang[] | null {
  if (o.charts === false) return null;
  return (o.lang as Lang[] | undefined) ?? ["en"];
}

/** Render the charts of every language into output-folder files under charts/; returns them with a line for stderr. */
export async function experimentChartFiles(plan: ChartPlan, dir: string, progress?: ProgressBar): Promise<{ files: FolderFiles; written: string }> {
  const t0 = performance.now();
  const provenance: Provenance = { modelVersion: modelVersion(), commit: gitState().commit, ...plan.provenance };
  // every language's charts in one rendering pass (one pool of PNG workers)
  const built = plan.langs.map((lang) => plan.build(lang));
  const all = built.flat();
  const langOf = built.flatMap((cs, k) => cs.map(() => plan.langs[k]));
  const files: FolderFiles = await chartFolderFiles(all, provenance, (_c, i) => (plan.langs.length > 1 ? `charts/${langOf[i]}/` : "charts/"), { onProgress: progress?.stages() });
  const count = all.length;
  const seconds = ((performance.now() - t0) / 1000).toFixed(1);
  return { files, written: `${count} chart${count === 1 ? "" : "s"} (${plan.langs.join(", ")}) in ${join(dir, "charts")}/, rendered in ${seconds} s\n` };
}

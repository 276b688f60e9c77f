/**
 * `yigongti compare`: run several scenarios with the same seed, horizon and scale, and
 * set their final simulated year against the targets (by default the horizon runs
 * through 2020, the year the targets are set for).
 */
import { join } from "node:path";
import { INDICATORS, type Comparison, type IndicatorDefinition } from "../indicators";
import { csvText, jsonText, outputDirProblem, safeDirName, writeFiles } from "../output";
import { MAX_YEARS, PROGRESS, SCALE, SEED, UsageError, parseArgs, parseChoice, parseDir, parseYears, simOptions, type OptionDef } from "./args";
import { formatTarget, formatValue, mark, markdownTable, textTable, type Align, type TableRow } from "./format";
import { EXIT_CODES, commandHelp } from "./help";
import { ProgressBar } from "./progress";
import { loadScenarios, runScenario, type ScenarioRun } from "./results";

export const TARGET_YEAR = 2020;
/** The reform's headline targets, shown first. */
export const KEY_INDICATORS = ["primaryVisitShare", "withinCountyVisitRate", "downwardReferralGrowth"];
const FORMATS = ["table", "json", "csv"] as const;
type Format = (typeof FORMATS)[number];

const OPTIONS: OptionDef[] = [
  { name: "format", value: "table|json|csv", parse: parseChoice(FORMATS), help: "what to print on stdout (default table):\n  table  fixed-width table, indicators × scenarios, ✓/✗ against each target\n  json   {\"scenarios\": [{name, indicators: {<id>: {value, target, met, …}}}]}\n  csv    one row per (scenario, indicator)" },
  SEED,
  { name: "years", value: "N", parse: parseYears, help: `simulated years from each scenario's start, 1–${MAX_YEARS}\n(default: through ${TARGET_YEAR}, i.e. ${TARGET_YEAR} − start year + 1, at least 1)` },
  SCALE,
  { name: "out", value: "DIR", parse: parseDir, help: "also save DIR/compare.json, DIR/compare.csv, DIR/compare.md and each\nscenario's indicators.json, indicators.csv, manifest.json under DIR/<scenario name>/\n(default: print only, save nothing)" },
  PROGRESS,
];

export const COMPARE_HELP = commandHelp(
  "yigongti compare <a.yaml> [<b.yaml>…] [options]",
  `Run every scenario with the same seed, horizon and scale, and compare the FINAL simulated
year of each against the ${TARGET_YEAR} targets (基层诊疗量占比 ≥ 65%, 县域内就诊率 ≥ 90%,
下转人次增长 ≥ 10%, …). Indicator ids are those of sim/indicators.ts.`,
  OPTIONS,
  `Examples:
  yigongti compare scenarios/*.yaml
  yigongti compare scenarios/baseline-2018.yaml my-reform.yaml --scale 0.05 --format json
  yigongti compare scenarios/*.yaml --out out/compare

${EXIT_CODES}`,
);

export interface CompareEntry {
  name: string;
  title: { zh: string; en: string };
  file: string;
  hash: string;
  /** the final simulated year (period label), whose values are shown */
  year: string;
  seed: number;
  years: number;
  scale: number;
  residents: number;
  indicators: Record<string, { value: number | null; target: number | null; met: boolean | null; comparison: Comparison | null; gap: number | null }>;
}

/** Indicators in display order: the key targets first, then the rest as defined. */
export const ORDERED: IndicatorDefinition[] = [
  ...KEY_INDICATORS.map((id) => INDICATORS.find((d) => d.id === id)!).filter(Boolean),
  ...INDICATORS.filter((d) => !KEY_INDICATORS.includes(d.id)),
];

export function compareEntry(run: ScenarioRun): CompareEntry {
  const s = run.scenario;
  const final = run.yearly[run.yearly.length - 1];
  const indicators: CompareEntry["indicators"] = {};
  for (const d of ORDERED) {
    const v = final.values[d.id];
    indicators[d.id] = { value: v.value, target: v.target, met: v.met, comparison: v.comparison, gap: v.gap };
  }
  return { name: s.name, title: s.title, file: s.file, hash: s.hash, year: final.period, ...run.settings, residents: run.residents, indicators };
}

function grid(entries: CompareEntry[]): { header: string[]; rows: TableRow[]; align: Align[]; caption: string } {
  const header = ["Indicator", "指标", "Target 目标", ...entries.map((e) => e.name)];
  const rows: TableRow[] = [];
  const sameYear = entries.every((e) => e.year === entries[0].year);
  if (!sameYear) rows.push(["Final year", "末年", "", ...entries.map((e) => e.year)], "rule");
  ORDERED.forEach((d, i) => {
    if (i === KEY_INDICATORS.length) rows.push("rule");
    rows.push([
      d.label.en,
      d.label.zh,
      formatTarget(d),
      ...entries.map((e) => {
        const v = e.indicators[d.id];
        const m = d.target && v.value !== null ? mark(v.met) : "";
        return m ? `${formatValue(d.unit, v.value)} ${m}` : formatValue(d.unit, v.value);
      }),
    ]);
  });
  const targeted = ORDERED.filter((d) => d.target);
  rows.push("rule", [
    "Targets met",
    "达标数",
    "",
    ...entries.map((e) => `${targeted.filter((d) => e.indicators[d.id].met === true).length}/${targeted.length}`),
  ]);
  const e0 = entries[0];
  const caption =
    `Final simulated year${sameYear ? ` (${e0.year})` : ""} vs the ${TARGET_YEAR} targets — seed ${e0.seed}, scale ${e0.scale}` +
    (entries.every((e) => e.years === e0.years) ? `, ${e0.years} year${e0.years === 1 ? "" : "s"} simulated` : "");
  return { header, rows, align: header.map((_, i) => (i < 2 ? "left" : "right")), caption };
}

export function compareTable(entries: CompareEntry[]): string {
  const g = grid(entries);
  return `${g.caption}\n\n${textTable(g.header, g.rows, g.align)}\n✓ target met  ✗ not met  - no value (e.g. growth in the first year)\n`;
}

export function compareMarkdown(entries: CompareEntry[]): string {
  const g = grid(entries);
  const files = entries.map((e) => `- **${e.name}** — ${e.title.en} / ${e.title.zh} (\`${e.file}\`, final year ${e.year}, ${e.residents.toLocaleString("en-US")} residents, hash \`${e.hash.slice(0, 12)}\`)`);
  const sources = ORDERED.filter((d) => d.target).map((d) => `- ${d.label.en} (${d.label.zh}) ${formatTarget(d)}: ${d.target!.source}${d.target!.note ? ` — ${d.target!.note}` : ""}`);
  return `# Scenario comparison 情景比较\n\n${g.caption}.\n\n${files.join("\n")}\n\n${markdownTable(g.header, g.rows, g.align)}\n✓ target met, ✗ not met, - no value (e.g. growth in the first simulated year).\n\nTargets and sources:\n\n${sources.join("\n")}\n`;
}

export function compareJson(entries: CompareEntry[]): string {
  return jsonText({ scenarios: entries });
}

export function compareCsv(entries: CompareEntry[]): string {
  const rows = entries.flatMap((e) =>
    ORDERED.map((d) => {
      const v = e.indicators[d.id];
      return [e.name, e.file, e.year, d.id, d.label.en, d.label.zh, d.unit, v.value, v.target, v.comparison, v.met, v.gap];
    }),
  );
  return csvText(["scenario", "file", "year", "indicator", "label_en", "label_zh", "unit", "value", "target", "comparison", "met", "gap"], rows);
}

export function compareCommand(argv: readonly string[]): number {
  const a = parseArgs("compare", argv, OPTIONS);
  if (a.help) {
    process.stdout.write(COMPARE_HELP);
    return 0;
  }
  if (a.positionals.length === 0) throw new UsageError("missing scenario files: yigongti compare <a.yaml> [<b.yaml>…]", "compare");
  const o = simOptions(a.options);
  const format = (a.options.format as Format | undefined) ?? "table";
  const outProblem = o.out !== undefined ? outputDirProblem(o.out) : null;
  if (outProblem) throw new UsageError(`--out ${JSON.stringify(o.out)}: ${outProblem}`, "compare");

  const scenarios = loadScenarios(a.positionals);
  const progress = new ProgressBar(o.progress);
  const runs = scenarios.map((s, i) =>
    runScenario(s, { seed: o.seed, scale: o.scale, years: o.years ?? Math.max(1, TARGET_YEAR - s.start.year + 1) }, progress, i + 1, scenarios.length),
  );
  const entries = runs.map(compareEntry);
  const printed = format === "json" ? compareJson(entries) : format === "csv" ? compareCsv(entries) : compareTable(entries);

  if (o.out !== undefined) {
    const files = { "compare.json": compareJson(entries), "compare.csv": compareCsv(entries), "compare.md": compareMarkdown(entries) };
    const used = new Set(Object.keys(files));
    const dirs = runs.map((r) => {
      const base = safeDirName(r.scenario.name);
      let d = base;
      for (let k = 2; used.has(d); k++) d = `${base}-${k}`;
      used.add(d);
      return d;
    });
    runs.forEach((r, i) => writeFiles(join(o.out!, dirs[i]), r.files));
    writeFiles(o.out, files);
    process.stderr.write(`wrote ${join(o.out, "compare.{json,csv,md}")} and ${runs.length} scenario folder${runs.length === 1 ? "" : "s"} (${dirs.join(", ")})\n`);
  }
  process.stdout.write(printed);
  return 0;
}

/**
 * `yigongti compare`: run several scenarios with the same seed, horizon and scale, and
 * set their final simulated year against the targets (by default the horizon runs
 * through 2020, the year the targets are set for).
 */
import { join } from "node:path";
import { briefingFiles, briefingWritten, buildBriefing, commandLine, type Briefing } from "../brief/build";
import { parseLangs, type Lang } from "../charts/labels";
import { TARGET_YEAR, type IndicatorDefinition } from "../indicators";
import { OUTPUT_KINDS, csvText, jsonText, outputDirProblem, outputFolderProblem, safeDirName, writeOutputFolder, type FolderFiles } from "../output";
import { FORGONE_CARE, FORGONE_CARE_OFF } from "../protection";
import { KEY_INDICATORS, ORDERED, benefitFallLines, benefitsCell, townshipRange, type ScenarioComparison } from "../study/comparison";
import { formatPoints, formatTarget, formatValue } from "../study/format";
import { runStudy, seedRuns, type Study } from "../study/study";
import { scenarioSummaries, type ScenarioSummary } from "../study/summary";
import { modelVersion } from "../manifest";
import { workbookBytes, type CellValue } from "../xlsx-writer";
import { ANSWER_OPTIONS, answerCsv, answerJson, answerMarkdown, answerRows, answerSettings, answerTable } from "./answer";
import { MAX_YEARS, PROGRESS, UsageError, parseArgs, parseChoice, parseDir, parseYears, simOptions, type OptionDef } from "./args";
import { mark, markdownTable, markdownText, textTable, type Align, type TableRow } from "./format";
import { EXIT_CODES, commandHelp } from "./help";
import { ProgressBar } from "./progress";
import { WORKERS } from "./experiment-args";
import { loadScenarios, movedUpCsv, runFiles, scenarioInputs } from "./results";

const FORMATS = ["table", "json", "csv", "xlsx"] as const;
type Format = (typeof FORMATS)[number];

const OPTIONS: OptionDef[] = [
  { name: "format", value: "table|json|csv|xlsx", parse: parseChoice(FORMATS), help: "what to print on stdout (default table):\n  table  the targets (median, 10–90% band, probability met), the effects against the\n         baseline and the siphon verdict; --wide adds every indicator of the first run\n  json   {\"answer\": {settings, scenarios: [{name, indicators: {<id>: {band, target, effect}},\n         siphon}]}, \"scenarios\": [the first run's rows: {name, indicators: {<id>: {value, met, …}}}]}\n  csv    one row per (scenario, indicator): median, p10, p90, probability met, effect\n  xlsx   an Excel workbook (redirect it: > compare.xlsx): the csv rows (sheet Summary),\n         the first run's indicators and the settings; --out also writes DIR/compare.xlsx" },
  { name: "wide", help: "after the answer, print every indicator of each scenario's first run (indicators × scenarios)" },
  ...ANSWER_OPTIONS,
  { name: "years", value: "N", parse: parseYears, help: `simulated years from each scenario's start, 1–${MAX_YEARS}\n(default: through ${TARGET_YEAR}, i.e. ${TARGET_YEAR} − start year + 1, at least 1)` },
  { name: "baseline", value: "NAME", parse: (v: string) => v, help: "the scenario (by name) each other scenario on the same county is set against\nfor the siphon verdict and the residents who moved tier (default: the first\nscenario given on the same county)" },
  { name: "brief", value: "zh|en|zh,en", parse: parseLangs, help: "also write the committee briefing of this comparison (needs --out): DIR/brief/<lang>/\nbriefing.html, briefing.pdf and charts/ — as yigongti brief, without running\nthe scenarios again" },
  { name: "out", value: "DIR", parse: parseDir, help: "also save DIR/compare.json, DIR/compare.csv, DIR/compare.md, DIR/compare.xlsx and each\nscenario's indicators.json, indicators.csv, manifest.json under DIR/<scenario name>/\n(default: print only, save nothing)" },
  WORKERS,
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
  yigongti compare scenarios/*.yaml --out out/compare --brief zh,en   # and the briefings

${EXIT_CODES}`,
);

/** The indicators at least one entry has (an optional module's only where some run used it), in display order. */
function presentIn(entries: ScenarioComparison[]): IndicatorDefinition[] {
  return ORDERED.filter((d) => entries.some((e) => d.id in e.indicators));
}

function grid(entries: ScenarioComparison[]): { header: string[]; rows: TableRow[]; align: Align[]; caption: string } {
  const header = ["Indicator", "指标", "Target 目标", ...entries.map((e) => e.name)];
  const rows: TableRow[] = [];
  const sameYear = entries.every((e) => e.year === entries[0].year);
  if (!sameYear) rows.push(["Final year", "末年", "", ...entries.map((e) => e.year)], "rule");
  presentIn(entries).forEach((d, i) => {
    if (i === KEY_INDICATORS.length) rows.push("rule");
    rows.push([
      d.label.en,
      d.label.zh,
      formatTarget(d),
      ...entries.map((e) => {
        const v = e.indicators[d.id];
        if (!v) return "-";
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
    ...entries.map((e) => `${targeted.filter((d) => e.indicators[d.id]?.met === true).length}/${targeted.length}`),
  ]);
  rows.push(
    "rule",
    ["Patient siphon vs baseline", "患者虹吸（较基线）", "", ...entries.map((e) => (e.baseline === e.name ? "(baseline)" : formatPoints(e.patientSiphon)))],
    ["Siphon risk", "虹吸风险", "", ...entries.map((e) => `${e.siphonRisk.level}${e.siphonRisk.flag ? " ⚠" : ""}`)],
    ["Residents moved up a tier", "上移就医层级的居民", "", ...entries.map((e) => (e.residentsMovedUp === null ? "-" : formatValue("count", e.residentsMovedUp)))],
    ["OOP per resident by township (lowest–highest)", "分乡镇人均自付（最低–最高）", "", ...entries.map(townshipRange)],
    "rule",
    ["Benefits not lower", "群众待遇不降低", "003 §三", ...entries.map((e) => benefitsCell(e.benefits))],
  );
  const e0 = entries[0];
  const caption =
    `Final simulated year${sameYear ? ` (${e0.year})` : ""} vs the ${TARGET_YEAR} targets — seed ${e0.seed}, scale ${e0.scale}` +
    (entries.every((e) => e.years === e0.years) ? `, ${e0.years} year${e0.years === 1 ? "" : "s"} simulated` : "");
  return { header, rows, align: header.map((_, i) => (i < 2 ? "left" : "right")), caption };
}

/** Forgone care by group in words (sim/protection.ts forgoneCare): each modelled scenario's share, poorest and richest fifth, registered poor. */
function forgoneNote(entries: ScenarioComparison[]): string {
  const modelled = entries.filter((e) => e.forgoneCare.modelled);
  if (!modelled.length) return FORGONE_CARE_OFF.note;
  const pct = (v: number | null | undefined) => formatValue("share", v ?? null);
  const each = modelled.map((e) => {
    const f = e.forgoneCare;
    return `${e.name} ${pct(f.share)} (poorest fifth ${pct(f.byQuintile?.[0])}, richest ${pct(f.byQuintile?.[4])}, registered poor ${pct(f.poor)}; minor ${pct(f.bySeverity?.minor)}, common ${pct(f.bySeverity?.common)}, serious ${pct(f.bySeverity?.serious)})`;
  });
  const off = entries.filter((e) => !e.forgoneCare.modelled).map((e) => e.name);
  return `${FORGONE_CARE.note}: ${each.join("; ")}${off.length ? `; not modelled in ${off.join(", ")} (careSeeking.enabled false)` : ""}`;
}

/** The benefits verdict's rule and the benefits that fell, as text under a table. */
function benefitsNote(entries: ScenarioComparison[], bullet: string): string {
  const falls = benefitFallLines(entries);
  const rule = `Benefits not lower (待遇不降低): ${entries[0]?.benefits.rule ?? ""}.`;
  const protection = `Financial protection: catastrophic expenditure is OOP above 10% / 25% of income in the year (SDG 3.8.2, per person, on income); ${forgoneNote(entries)}.\n`;
  return (falls.length ? `${rule} Fell:\n${falls.map((x) => `${bullet}${x}`).join("\n")}\n` : `${rule} None fell.\n`) + protection;
}

export function compareTable(entries: ScenarioComparison[]): string {
  const g = grid(entries);
  return `${g.caption}\n\n${textTable(g.header, g.rows, g.align)}\n✓ target met  ✗ not met  - no value (e.g. growth in the first year)\n${benefitsNote(entries, "  ")}`;
}

export function compareMarkdown(entries: ScenarioComparison[]): string {
  const g = grid(entries);
  const files = entries.map((e) => `- **${markdownText(e.name)}** — ${markdownText(e.title.en)} / ${markdownText(e.title.zh)} (\`${e.file}\`, final year ${e.year}, ${e.residents.toLocaleString("en-US")} residents, hash \`${e.hash.slice(0, 12)}\`)`);
  const sources = ORDERED.filter((d) => d.target).map((d) => `- ${d.label.en} (${d.label.zh}) ${formatTarget(d)}: ${d.target!.source}${d.target!.note ? ` — ${d.target!.note}` : ""}`);
  const benefits = benefitsNote(entries, "- ").replace(/\n- /, "\n\n- ");
  return `# Scenario comparison 情景比较\n\n${g.caption}.\n\n${files.join("\n")}\n\n${markdownTable(g.header, g.rows, g.align)}\n✓ target met, ✗ not met, - no value (e.g. growth in the first simulated year).\n\n${markdownText(benefits)}\nTargets and sources:\n\n${sources.join("\n")}\n`;
}

export function compareJson(entries: ScenarioComparison[]): string {
  return jsonText({ scenarios: entries });
}

export function compareCsv(entries: ScenarioComparison[]): string {
  const { header, rows } = compareRows(entries);
  return csvText(header, rows);
}

/** The rows of compare.csv (and of the workbook's "First run" sheet). */
export function compareRows(entries: ScenarioComparison[]): { header: string[]; rows: CellValue[][] } {
  const rows: CellValue[][] = entries.flatMap((e) => [
    ...ORDERED.filter((d) => d.id in e.indicators).map((d) => {
      const v = e.indicators[d.id];
      return [e.name, e.file, e.year, d.id, d.label.en, d.label.zh, d.unit, v.value, v.target, v.comparison, v.met, v.gap];
    }),
    // OOP per resident by township (BREAKDOWNS): indicator id oopPerResidentByTownship.<township>
    ...e.oopPerResidentByTownship.map((x) => [e.name, e.file, e.year, `oopPerResidentByTownship.${x.township}`, `OOP per resident, ${x.name.en}`, `人均自付费用（${x.name.zh}）`, "yuan", x.value, null, null, null, null]),
    // 待遇不降低: value = how many comparisons (scheme × poverty group × benefit × reference × year) fell; met when none
    [e.name, e.file, e.year, "benefitsNotLower", "Benefits not lower (comparisons that fell)", "群众待遇不降低（下降项数）", "count", e.benefits.falls.length, 0, "<=", e.benefits.notLower, e.benefits.falls.length],
  ]);
  return { header: ["scenario", "file", "year", "indicator", "label_en", "label_zh", "unit", "value", "target", "comparison", "met", "gap"], rows };
}

/**
 * compare.xlsx: the answer (summary.csv's rows), the first run's indicators (compare.csv's)
 * and an About sheet with the settings and each scenario's file and content hash.
 */
export function compareWorkbook(study: Study, summaries: readonly ScenarioSummary[], entries: ScenarioComparison[]): Promise<Uint8Array> {
  const st = study.settings;
  const about: [string, CellValue][] = [
    ["yigongti compare", entries.map((e) => e.name).join(", ")],
    ["model version", modelVersion()],
    ["seeds", st.seeds.join(", ")],
    ["scale", st.scale],
    ["parameter draws", st.parameterDraws ? `draw seed ${st.parameterDraws.drawSeed}: ${Object.entries(st.parameterDraws.parameters).map(([n, ps]) => `${n} (${ps.join(", ")})`).join("; ")}` : "none (the parameter file's values)"],
    ["summary", "median and 10–90% band across runs; effect = paired difference against the baseline"],
    ...entries.map((e): [string, CellValue] => [`scenario ${e.name}`, `${e.file} (sha256 ${e.hash.slice(0, 12)})`]),
  ];
  const summary = answerRows(summaries);
  const first = compareRows(entries);
  return workbookBytes([{ name: "Summary", ...summary }, { name: `First run (seed ${st.seeds[0]})`, ...first }], { about });
}

export async function compareCommand(argv: readonly string[]): Promise<number> {
  const a = parseArgs("compare", argv, OPTIONS);
  if (a.help) {
    process.stdout.write(COMPARE_HELP);
    return 0;
  }
  if (a.positionals.length === 0) throw new UsageError("missing scenario files: yigongti compare <a.yaml> [<b.yaml>…]", "compare");
  const o = simOptions(a.options);
  const format = (a.options.format as Format | undefined) ?? "table";
  if (format === "xlsx" && process.stdout.isTTY) throw new UsageError("--format xlsx writes a binary workbook: redirect it to a file (> compare.xlsx), or use --out DIR (DIR/compare.xlsx)", "compare");
  const outProblem = o.out !== undefined ? outputDirProblem(o.out) : null;
  if (outProblem) throw new UsageError(`--out ${JSON.stringify(o.out)}: ${outProblem}`, "compare");
  const briefLangs = a.options.brief as Lang[] | undefined;
  if (briefLangs !== undefined && o.out === undefined) throw new UsageError("--brief needs --out DIR (the briefings go to DIR/brief/<lang>/)", "compare");

  const scenarios = loadScenarios(a.positionals);
  const inputs = scenarioInputs(scenarios);
  const folderProblem = o.out !== undefined ? outputFolderProblem(o.out, OUTPUT_KINDS.compare, inputs) : null;
  if (folderProblem) throw new UsageError(`--out ${JSON.stringify(o.out)}: ${folderProblem}`, "compare");
  const progress = new ProgressBar(o.progress);
  const baselineName = a.options.baseline as string | undefined;
  if (baselineName !== undefined && !scenarios.some((s) => s.name === baselineName))
    throw new UsageError(`--baseline ${JSON.stringify(baselineName)} is not one of the scenarios given (${scenarios.map((s) => s.name).join(", ")})`, "compare");
  const answer = answerSettings(a.options);
  const study = await runStudy(
    { scenarios, seeds: answer.seeds, scale: answer.scale, years: o.years, baseline: baselineName, traceResidents: "first", parameterDraws: answer.parameterDraws },
    { progress, workers: a.options.workers as number | undefined },
  );
  const runs = seedRuns(study);
  const entries = runs.map((r) => r.entry);
  const summaries = scenarioSummaries(study);
  const json = () => jsonText({ answer: answerJson(study, summaries), scenarios: entries });
  const firstRun = () => `\nFirst run (seed ${study.settings.seeds[0]}), every indicator:\n${compareTable(entries)}`;
  const command = commandLine("compare", argv);
  const workbook = format === "xlsx" || o.out !== undefined ? await compareWorkbook(study, summaries, entries) : undefined;
  const printed = format === "xlsx" ? workbook! : format === "json" ? json() : format === "csv" ? answerCsv(summaries) : answerTable(study, summaries) + (a.options.wide ? firstRun() : "");

  // Briefings are built in memory before anything is written, so a failure writes nothing.
  const briefings: { lang: Lang; b: Briefing }[] = [];
  for (const lang of briefLangs ?? []) briefings.push({ lang, b: await buildBriefing(study, { lang, command, onProgress: progress.stages(lang) }) });

  if (o.out !== undefined) {
    const md = `# Scenario comparison 情景比较\n\n${answerMarkdown(study, summaries)}\n## First run (seed ${study.settings.seeds[0]}), every indicator 首次运行的全部指标\n\n${compareMarkdown(entries).replace(/^# .*\n\n/, "")}`;
    const files: FolderFiles = { "compare.json": json(), "compare.csv": compareCsv(entries), "summary.csv": answerCsv(summaries), "compare.md": md, "compare.xlsx": workbook! };
    const used = new Set([...Object.keys(files), ...(briefings.length ? ["brief"] : [])]);
    const dirs = runs.map((r) => {
      const base = safeDirName(r.scenario.name);
      let d = base;
      for (let k = 2; used.has(d); k++) d = `${base}-${k}`;
      used.add(d);
      return d;
    });
    runs.forEach((r, i) => {
      const moved = movedUpCsv(study, i);
      for (const [name, content] of Object.entries(moved === null ? runFiles(r) : { ...runFiles(r), "moved-up.csv": moved })) files[`${dirs[i]}/${name}`] = content;
    });
    for (const { lang, b } of briefings) Object.assign(files, briefingFiles(b, `brief/${lang}/`));
    writeOutputFolder(o.out, OUTPUT_KINDS.compare, files, inputs);
    for (const { lang, b } of briefings) process.stderr.write(briefingWritten(join(o.out, "brief", lang), b));
    process.stderr.write(`wrote ${join(o.out, "compare.{json,csv,md,xlsx}")}, ${join(o.out, "summary.csv")} and ${runs.length} scenario folder${runs.length === 1 ? "" : "s"} (${dirs.join(", ")})\n`);
  }
  process.stdout.write(printed);
  return 0;
}

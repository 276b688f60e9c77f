/**
 * `yigongti compare`: run several scenarios with the same seed, horizon and scale, and
 * set their final simulated year against the targets (by default the horizon runs
 * through 2020, the year the targets are set for).
 */
import { join } from "node:path";
import { briefingFiles, briefingWritten, buildBriefing, commandLine, type Briefing } from "../brief/build";
import { parseLangs, type Lang } from "../charts/labels";
import { benefitsVerdict, fallText, type BenefitsVerdict } from "../benefits";
import { residentDifferences, type DifferenceSummary } from "../differences";
import { INDICATORS, TARGET_YEAR, yearsThroughTargetYear, type Comparison, type IndicatorDefinition } from "../indicators";
import { FORGONE_CARE, townshipOopPerResident } from "../protection";
import { siphonVerdict, siphonVolumes, type SiphonVerdict } from "../siphon";
import { countyFor, type SimulationResult } from "../simulate";
import { TIERS } from "../tier";
import { OUTPUT_KINDS, csvText, jsonText, outputDirProblem, outputFolderProblem, safeDirName, writeOutputFolder, type FolderFiles } from "../output";
import { MAX_YEARS, PROGRESS, SCALE, SEED, UsageError, parseArgs, parseChoice, parseDir, parseYears, simOptions, type OptionDef } from "./args";
import { formatTarget, formatValue, mark, markdownTable, markdownText, textTable, type Align, type TableRow } from "./format";
import { EXIT_CODES, commandHelp } from "./help";
import { ProgressBar } from "./progress";
import { WORKERS } from "./experiment-args";
import { loadScenarios, runScenarios, scenarioInputs, type ScenarioRun } from "./results";

export { TARGET_YEAR } from "../indicators";
/** The reform's headline targets, shown first. */
export const KEY_INDICATORS = ["primaryVisitShare", "withinCountyVisitRate", "downwardReferralGrowth"];
const FORMATS = ["table", "json", "csv"] as const;
type Format = (typeof FORMATS)[number];

const OPTIONS: OptionDef[] = [
  { name: "format", value: "table|json|csv", parse: parseChoice(FORMATS), help: "what to print on stdout (default table):\n  table  fixed-width table, indicators × scenarios, ✓/✗ against each target\n  json   {\"scenarios\": [{name, indicators: {<id>: {value, target, met, …}}}]}\n  csv    one row per (scenario, indicator)" },
  SEED,
  { name: "years", value: "N", parse: parseYears, help: `simulated years from each scenario's start, 1–${MAX_YEARS}\n(default: through ${TARGET_YEAR}, i.e. ${TARGET_YEAR} − start year + 1, at least 1)` },
  SCALE,
  { name: "baseline", value: "NAME", parse: (v: string) => v, help: "the scenario (by name) each other scenario on the same county is set against\nfor the siphon verdict and the residents who moved tier (default: the first\nscenario given on the same county)" },
  { name: "brief", value: "zh|en|zh,en", parse: parseLangs, help: "also write the committee briefing of this comparison (needs --out): DIR/brief/<lang>/\nbriefing.html, briefing.pdf and charts/ — as yigongti brief, without running\nthe scenarios again" },
  { name: "out", value: "DIR", parse: parseDir, help: "also save DIR/compare.json, DIR/compare.csv, DIR/compare.md and each\nscenario's indicators.json, indicators.csv, manifest.json under DIR/<scenario name>/\n(default: print only, save nothing); written whole, replacing an earlier\ncomparison there (a folder holding other files is refused)" },
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
  /** the baseline this scenario is compared with (same county and seed) */
  baseline: string;
  /** change vs the baseline in the share of primary-treatable episodes treated at county hospitals (fraction) */
  patientSiphon: number | null;
  patientSiphonShare: number | null;
  /** net doctors moved primary → county in the final year */
  staffSiphon: number | null;
  primaryDoctorsPer10k: number | null;
  siphonRisk: SiphonVerdict["siphonRisk"] & { against: string };
  /** residents (common random numbers) treated at a higher / lower mix of tiers than in the baseline */
  residentsMovedUp: number | null;
  residentsMovedDown: number | null;
  /** 待遇不降低: every year's benefits by scheme × poverty group against the baseline and the previous year (sim/benefits.ts) */
  benefits: BenefitsVerdict;
  /** OOP per resident-year of each township in the final year (sim/protection.ts; BREAKDOWNS in sim/indicators.ts) */
  oopPerResidentByTownship: { township: string; name: { zh: string; en: string }; value: number | null }[];
  /** forgone care: not modelled in this version (sim/protection.ts FORGONE_CARE) */
  forgoneCare: { modelled: boolean; note: string };
}

/** Indicators in display order: the key targets first, then the rest as defined. */
export const ORDERED: IndicatorDefinition[] = [
  ...KEY_INDICATORS.map((id) => INDICATORS.find((d) => d.id === id)!).filter(Boolean),
  ...INDICATORS.filter((d) => !KEY_INDICATORS.includes(d.id)),
];

/**
 * The baseline of each run: `--baseline NAME` where it shares the county, else the first
 * run on the same county (and start); a run may be its own baseline.
 */
export function baselineIndex(runs: ScenarioRun[], i: number, name?: string): number {
  const same = (j: number) => runs[j].scenario.countyFile === runs[i].scenario.countyFile && runs[j].scenario.start.year === runs[i].scenario.start.year;
  if (name !== undefined) {
    const j = runs.findIndex((r, k) => r.scenario.name === name && same(k));
    if (j >= 0) return j;
  }
  return runs.findIndex((_r, j) => same(j));
}

/**
 * Per-resident differences of a run from its baseline, computed once per pair: the
 * comparison's entries, moved-up.csv and each language's briefing all ask for them.
 */
const differenceCache = new WeakMap<SimulationResult, WeakMap<SimulationResult, DifferenceSummary>>();
function differences(base: SimulationResult, run: SimulationResult): DifferenceSummary {
  let byRun = differenceCache.get(base);
  if (!byRun) differenceCache.set(base, (byRun = new WeakMap()));
  let d = byRun.get(run);
  if (!d) byRun.set(run, (d = residentDifferences(base, run)));
  return d;
}

/** One scenario's row of the comparison, set against its baseline run. */
export function compareEntry(run: ScenarioRun, base: ScenarioRun = run): CompareEntry {
  const s = run.scenario;
  const final = run.yearly[run.yearly.length - 1];
  const indicators: CompareEntry["indicators"] = {};
  for (const d of ORDERED) {
    const v = final.values[d.id];
    if (!v) continue; // an optional module's indicator in a run without that module (sim/indicators.ts OPTIONAL_MODULES)
    indicators[d.id] = { value: v.value, target: v.target, met: v.met, comparison: v.comparison, gap: v.gap };
  }
  const last = run.yearTotals.length - 1;
  const own = base === run;
  const verdict = siphonVerdict(
    siphonVolumes(run.yearTotals[last]),
    siphonVolumes(own ? run.yearTotals[0] : base.yearTotals[Math.min(last, base.yearTotals.length - 1)]),
    own ? `${run.yearly[0].period} (own first year)` : base.scenario.name,
  );
  let movedUp: number | null = null;
  let movedDown: number | null = null;
  if (run.result?.trace && base.result?.trace) {
    const d = differences(base.result, run.result);
    movedUp = d.movedUp;
    movedDown = d.movedDown;
  }
  return {
    name: s.name, title: s.title, file: s.file, hash: s.hash, year: final.period, ...run.settings, residents: run.residents, indicators,
    baseline: base.scenario.name,
    // against itself the patient siphon is 0 by definition; the risk rule uses its own trend
    patientSiphon: own ? 0 : verdict.patientSiphon,
    patientSiphonShare: verdict.patientSiphonShare,
    staffSiphon: final.values.staffSiphon?.value ?? null,
    primaryDoctorsPer10k: final.values.primaryDoctorsPer10k?.value ?? null,
    siphonRisk: { ...verdict.siphonRisk, against: verdict.against },
    residentsMovedUp: movedUp,
    residentsMovedDown: movedDown,
    oopPerResidentByTownship: townshipOop(run),
    forgoneCare: { ...FORGONE_CARE },
    benefits: benefitsVerdict(
      { name: s.name, periods: run.yearly.map((p) => p.period), yearTotals: run.yearTotals, annualPriceGrowth: s.parameters.costs.annualPriceGrowth },
      { name: base.scenario.name, yearTotals: base.yearTotals },
      s.parameters.benefitsCheck,
    ),
  };
}

/** Each township's OOP per resident-year in the run's final simulated year. */
function townshipOop(run: ScenarioRun): CompareEntry["oopPerResidentByTownship"] {
  const r = run.result;
  const from = (run.yearly.length - 1) * 12;
  const values = townshipOopPerResident(r, from, r.months);
  return r.townships.map((t, i) => ({ township: t.id, name: t.name, value: values[i] }));
}

/** The lowest and highest township's OOP per resident, "¥812–¥1,530 (t03–t01)". */
export function townshipRange(e: CompareEntry): string {
  const known = e.oopPerResidentByTownship.filter((x): x is typeof x & { value: number } => x.value !== null);
  if (!known.length) return "-";
  const lo = known.reduce((a, b) => (b.value < a.value ? b : a));
  const hi = known.reduce((a, b) => (b.value > a.value ? b : a));
  return `${formatValue("yuan", lo.value)}–${formatValue("yuan", hi.value)} (${lo.township}–${hi.township})`;
}

/** The benefits verdict in one cell: ✓, or ✗ and how many comparisons fell. */
export function benefitsCell(b: BenefitsVerdict): string {
  return b.notLower ? "✓ not lower" : `✗ ${b.falls.length} fell`;
}

/** Lines naming every benefit that fell, scenario by scenario (empty when none did). */
export function benefitFallLines(entries: CompareEntry[]): string[] {
  return entries.flatMap((e) => e.benefits.falls.map((c) => `${e.name}: ${fallText(c)}`));
}

/** Residents who moved up a tier against the baseline (common random numbers), as CSV. */
export function movedUpCsv(run: ScenarioRun, base: ScenarioRun): string | null {
  if (!run.result?.trace || !base.result?.trace || run === base) return null;
  const county = countyFor(run.scenario, run.settings.scale);
  const d = differences(base.result, run.result);
  const rows = d.differences
    .filter((x) => x.direction > 0)
    .map((x) => {
      const v = county.villages[county.residents.village[x.resident]];
      return [x.resident, county.facilities[v.clinic].id, county.townships[v.township].id, ...TIERS.map((t) => x.encounters[t]), Math.round(x.oop * 100) / 100];
    });
  return csvText(["resident", "village_clinic", "township", ...TIERS.map((t) => `encounters_${t}_change`), "oop_change_yuan"], rows);
}

/** The indicators at least one entry has (an optional module's only where some run used it), in display order. */
function presentIn(entries: CompareEntry[]): IndicatorDefinition[] {
  return ORDERED.filter((d) => entries.some((e) => d.id in e.indicators));
}

function grid(entries: CompareEntry[]): { header: string[]; rows: TableRow[]; align: Align[]; caption: string } {
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
  const pp = (v: number | null) => {
    if (v === null) return "-";
    const r = Math.round(v * 1000) / 10; // points, one decimal, no "-0.0"
    return `${r > 0 ? "+" : ""}${r === 0 ? "0.0" : r.toFixed(1)} pts`;
  };
  rows.push(
    "rule",
    ["Patient siphon vs baseline", "患者虹吸（较基线）", "", ...entries.map((e) => (e.baseline === e.name ? "(baseline)" : pp(e.patientSiphon)))],
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

/** The benefits verdict's rule and the benefits that fell, as text under a table. */
function benefitsNote(entries: CompareEntry[], bullet: string): string {
  const falls = benefitFallLines(entries);
  const rule = `Benefits not lower (待遇不降低): ${entries[0]?.benefits.rule ?? ""}.`;
  const protection = `Financial protection: catastrophic expenditure is OOP above 10% / 25% of income in the year (SDG 3.8.2, per person, on income); ${FORGONE_CARE.note}.\n`;
  return (falls.length ? `${rule} Fell:\n${falls.map((x) => `${bullet}${x}`).join("\n")}\n` : `${rule} None fell.\n`) + protection;
}

export function compareTable(entries: CompareEntry[]): string {
  const g = grid(entries);
  return `${g.caption}\n\n${textTable(g.header, g.rows, g.align)}\n✓ target met  ✗ not met  - no value (e.g. growth in the first year)\n${benefitsNote(entries, "  ")}`;
}

export function compareMarkdown(entries: CompareEntry[]): string {
  const g = grid(entries);
  const files = entries.map((e) => `- **${markdownText(e.name)}** — ${markdownText(e.title.en)} / ${markdownText(e.title.zh)} (\`${e.file}\`, final year ${e.year}, ${e.residents.toLocaleString("en-US")} residents, hash \`${e.hash.slice(0, 12)}\`)`);
  const sources = ORDERED.filter((d) => d.target).map((d) => `- ${d.label.en} (${d.label.zh}) ${formatTarget(d)}: ${d.target!.source}${d.target!.note ? ` — ${d.target!.note}` : ""}`);
  const benefits = benefitsNote(entries, "- ").replace(/\n- /, "\n\n- ");
  return `# Scenario comparison 情景比较\n\n${g.caption}.\n\n${files.join("\n")}\n\n${markdownTable(g.header, g.rows, g.align)}\n✓ target met, ✗ not met, - no value (e.g. growth in the first simulated year).\n\n${markdownText(benefits)}\nTargets and sources:\n\n${sources.join("\n")}\n`;
}

export function compareJson(entries: CompareEntry[]): string {
  return jsonText({ scenarios: entries });
}

export function compareCsv(entries: CompareEntry[]): string {
  const rows = entries.flatMap((e) => [
    ...ORDERED.filter((d) => d.id in e.indicators).map((d) => {
      const v = e.indicators[d.id];
      return [e.name, e.file, e.year, d.id, d.label.en, d.label.zh, d.unit, v.value, v.target, v.comparison, v.met, v.gap];
    }),
    // OOP per resident by township (BREAKDOWNS): indicator id oopPerResidentByTownship.<township>
    ...e.oopPerResidentByTownship.map((x) => [e.name, e.file, e.year, `oopPerResidentByTownship.${x.township}`, `OOP per resident, ${x.name.en}`, `人均自付费用（${x.name.zh}）`, "yuan", x.value, null, null, null, null]),
    // 待遇不降低: value = how many comparisons (scheme × poverty group × benefit × reference × year) fell; met when none
    [e.name, e.file, e.year, "benefitsNotLower", "Benefits not lower (comparisons that fell)", "群众待遇不降低（下降项数）", "count", e.benefits.falls.length, 0, "<=", e.benefits.notLower, e.benefits.falls.length],
  ]);
  return csvText(["scenario", "file", "year", "indicator", "label_en", "label_zh", "unit", "value", "target", "comparison", "met", "gap"], rows);
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
  const runs = await runScenarios(scenarios, (s) => ({ seed: o.seed, scale: o.scale, years: o.years ?? yearsThroughTargetYear(s.start.year, s.file) }), {
    progress,
    workers: a.options.workers as number | undefined,
    traceResidents: true,
  });
  const bases = runs.map((_r, i) => runs[baselineIndex(runs, i, baselineName)]);
  const entries = runs.map((r, i) => compareEntry(r, bases[i]));
  const printed = format === "json" ? compareJson(entries) : format === "csv" ? compareCsv(entries) : compareTable(entries);

  // Briefings are built in memory before anything is written, so a failure writes nothing.
  const briefings: { lang: Lang; b: Briefing }[] = [];
  const command = commandLine("compare", argv);
  for (const lang of briefLangs ?? []) briefings.push({ lang, b: await buildBriefing(runs, { lang, command, baseline: baselineName }) });

  if (o.out !== undefined) {
    const files: FolderFiles = { "compare.json": compareJson(entries), "compare.csv": compareCsv(entries), "compare.md": compareMarkdown(entries) };
    const used = new Set([...Object.keys(files), ...(briefings.length ? ["brief"] : [])]);
    const dirs = runs.map((r) => {
      const base = safeDirName(r.scenario.name);
      let d = base;
      for (let k = 2; used.has(d); k++) d = `${base}-${k}`;
      used.add(d);
      return d;
    });
    runs.forEach((r, i) => {
      const moved = movedUpCsv(r, bases[i]);
      for (const [name, content] of Object.entries(moved === null ? r.files : { ...r.files, "moved-up.csv": moved })) files[`${dirs[i]}/${name}`] = content;
    });
    for (const { lang, b } of briefings) Object.assign(files, briefingFiles(b, `brief/${lang}/`));
    writeOutputFolder(o.out, OUTPUT_KINDS.compare, files, inputs);
    for (const { lang, b } of briefings) process.stderr.write(briefingWritten(join(o.out, "brief", lang), b));
    process.stderr.write(`wrote ${join(o.out, "compare.{json,csv,md}")} and ${runs.length} scenario folder${runs.length === 1 ? "" : "s"} (${dirs.join(", ")})\n`);
  }
  process.stdout.write(printed);
  return 0;
}

/**
 * `yigongti brief`: run scenarios as `compare` does and write a committee briefing —
 * DIR/briefing.html (one self-contained file, opens offline), DIR/briefing.pdf (A4, via
 * headless Chromium) and DIR/charts/<chart>.{png,svg,csv,json}.
 */
import { join } from "node:path";
import { parseLangs, type Lang } from "../charts/labels";
import { OUTPUT_KINDS, outputDirProblem, outputFolderProblem, writeOutputFolder, type FolderFiles } from "../output";
import { briefingFiles, briefingWritten, buildBriefing, commandLine } from "../brief/build";
import { MAX_YEARS, PROGRESS, SCALE, SEED, UsageError, parseArgs, parseDir, parseYears, simOptions, type OptionDef } from "./args";
import { TARGET_YEAR } from "../indicators";
import { runStudy } from "../study/study";
import { EXIT_CODES, commandHelp } from "./help";
import { ProgressBar } from "./progress";
import { WORKERS } from "./experiment-args";
import { loadScenarios, scenarioInputs } from "./results";

const OPTIONS: OptionDef[] = [
  { name: "lang", value: "zh|en|zh,en", parse: parseLangs, help: "language of the briefing and its charts: zh (中文, default) or en; zh,en writes\nboth from one set of runs, into DIR/zh/ and DIR/en/" },
  { name: "out", value: "DIR", parse: parseDir, help: "write DIR/briefing.html, DIR/briefing.pdf and DIR/charts/ (required); the folder is\nwritten whole and replaces an earlier briefing there" },
  SEED,
  { name: "years", value: "N", parse: parseYears, help: `simulated years from each scenario's start, 1–${MAX_YEARS}\n(default: through ${TARGET_YEAR}, as compare)` },
  SCALE,
  { name: "baseline", value: "NAME", parse: (v: string) => v, help: "the scenario (by name) each other scenario on the same county is set against\nfor the siphon verdict (default: the first scenario given on the same county)" },
  { name: "pdf", negatable: true, help: "--no-pdf skips the PDF (no Chromium needed); default: write it" },
  WORKERS,
  PROGRESS,
];

export const BRIEF_HELP = commandHelp(
  "yigongti brief <a.yaml> [<b.yaml>…] --out DIR [options]",
  `Run the scenarios as \`yigongti compare\` does (same seed, horizon and scale) and write a
committee briefing: a one-page summary of the ${TARGET_YEAR} targets met or missed, the key charts
(scenarios vs targets, primary-care share and within-county rate with target lines,
referrals, package balance), the siphon-risk verdict, the assumptions and seed clauses
used, and the model version, scenario hashes and seed.

  DIR/briefing.html   one self-contained file (charts inline, no network), opens offline
  DIR/briefing.pdf    A4, printed by headless Chromium (/usr/bin/chromium or $YIGONGTI_CHROMIUM)
  DIR/charts/         each chart as PNG and SVG, its data as CSV, provenance as JSON`,
  OPTIONS,
  `Examples:
  yigongti brief scenarios/*.yaml --lang zh --out out/brief
  yigongti brief scenarios/*.yaml --lang zh,en --out out/brief      # out/brief/zh/ and out/brief/en/
  yigongti brief scenarios/baseline-2018.yaml scenarios/full-package-qujing.yaml --lang en --out out/brief-en --scale 0.1

${EXIT_CODES}`,
);

export async function briefCommand(argv: readonly string[]): Promise<number> {
  const a = parseArgs("brief", argv, OPTIONS);
  if (a.help) {
    process.stdout.write(BRIEF_HELP);
    return 0;
  }
  if (a.positionals.length === 0) throw new UsageError("missing scenario files: yigongti brief <a.yaml> [<b.yaml>…] --out DIR", "brief");
  const o = simOptions(a.options);
  if (o.out === undefined) throw new UsageError("missing --out DIR (where briefing.html, briefing.pdf and charts/ go)", "brief");
  const outProblem = outputDirProblem(o.out);
  if (outProblem) throw new UsageError(`--out ${JSON.stringify(o.out)}: ${outProblem}`, "brief");
  const langs = (a.options.lang as Lang[] | undefined) ?? ["zh"];
  const pdf = (a.options.pdf as boolean | undefined) ?? true;

  const scenarios = loadScenarios(a.positionals);
  const inputs = scenarioInputs(scenarios);
  const folderProblem = outputFolderProblem(o.out, OUTPUT_KINDS.brief, inputs);
  if (folderProblem) throw new UsageError(`--out ${JSON.stringify(o.out)}: ${folderProblem}`, "brief");
  const progress = new ProgressBar(o.progress);
  const baseline = a.options.baseline as string | undefined;
  if (baseline !== undefined && !scenarios.some((s) => s.name === baseline))
    throw new UsageError(`--baseline ${JSON.stringify(baseline)} is not one of the scenarios given (${scenarios.map((s) => s.name).join(", ")})`, "brief");
  const study = await runStudy({ scenarios, seeds: [o.seed], scale: o.scale, years: o.years, baseline }, { progress, workers: a.options.workers as number | undefined });
  const command = commandLine("brief", argv);
  // Build every language first, then write: a failure writes nothing.
  const built = [];
  for (const lang of langs) built.push({ lang, b: await buildBriefing(study, { lang, command, pdf }) });
  const files: FolderFiles = {};
  for (const { lang, b } of built) Object.assign(files, briefingFiles(b, langs.length > 1 ? `${lang}/` : ""));
  writeOutputFolder(o.out, OUTPUT_KINDS.brief, files, inputs);
  for (const { lang, b } of built) process.stderr.write(briefingWritten(langs.length > 1 ? join(o.out, lang) : o.out, b));
  return 0;
}

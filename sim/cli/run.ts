/**
 * `yigongti run`: simulate one scenario and write DIR/indicators.csv,
 * DIR/indicators.json and DIR/manifest.json (computed in full first, then the folder
 * written whole — a failed run writes nothing; see sim/output.ts).
 */
import { join } from "node:path";
import { OUTPUT_KINDS, outputDirProblem, outputFolderProblem, safeDirName, writeOutputFolder } from "../output";
import { MAX_YEARS, PROGRESS, SCALE, SEED, UsageError, parseArgs, parseDir, parseYears, simOptions, type OptionDef } from "./args";
import { ORDERED } from "../study/comparison";
import { formatTarget, formatValue } from "../study/format";
import { runStudySync, seedRuns, type StudyRun } from "../study/study";
import { mark, textTable } from "./format";
import { EXIT_CODES, commandHelp } from "./help";
import { ProgressBar } from "./progress";
import { loadScenarios, runFiles, scenarioInputs } from "./results";

const OPTIONS: OptionDef[] = [
  SEED,
  { name: "years", value: "N", parse: parseYears, help: `simulated years from the scenario's start, 1–${MAX_YEARS} (default: the scenario's \`years\`)` },
  SCALE,
  { name: "out", value: "DIR", parse: parseDir, help: "directory for the result files (default: out/<scenario name>); written whole,\nreplacing an earlier run's folder there (a folder holding other files is refused)" },
  PROGRESS,
];

export const RUN_HELP = commandHelp(
  "yigongti run <scenario.yaml> [options]",
  `Run one scenario (its extends chain, county and parameter files resolved) and write:
  DIR/indicators.json  yearly and monthly indicators with labels (en/zh), units, targets,
                       comparison, met, gap and the clause each target comes from
  DIR/indicators.csv   the same, one row per (period, indicator):
                       period,granularity,indicator,value,target,comparison,met,gap
  DIR/manifest.json    provenance: scenario file, extends chain and content hash, resolved
                       parameters, policy and timeline, county and parameter files, model
                       version, git commit (+ dirty flag), seed, years, scale, residents, Node
A summary of the targeted indicators by year is printed on stdout.`,
  OPTIONS,
  `Examples:
  yigongti run scenarios/baseline-2018.yaml --scale 0.05
  yigongti run scenarios/baseline-2018.yaml --seed 7 --years 5 --out out/baseline-seed7

${EXIT_CODES}`,
);

/** Targeted indicators by simulated year. */
export function runSummary(run: StudyRun, files: readonly string[], dir: string): string {
  const s = run.scenario;
  const defs = ORDERED.filter((d) => d.target);
  const header = ["Indicator", "指标", "Target 目标", ...run.yearly.map((y) => y.period)];
  const rows = defs.map((d) => [
    d.label.en,
    d.label.zh,
    formatTarget(d),
    ...run.yearly.map((y) => {
      const v = y.values[d.id];
      return v.value === null ? "-" : `${formatValue(d.unit, v.value)} ${mark(v.met)}`;
    }),
  ]);
  const { seed, years, scale } = run.settings;
  return (
    `${s.name} — ${s.title.en} / ${s.title.zh}\n` +
    `${run.residents.toLocaleString("en-US")} residents, ${years} year${years === 1 ? "" : "s"} from ${run.monthly[0]?.period ?? ""}, seed ${seed}, scale ${scale}\n\n` +
    textTable(header, rows, header.map((_, i) => (i < 2 ? "left" : "right"))) +
    `\nwrote ${files.map((f) => join(dir, f)).join(", ")}\n`
  );
}

export function runCommand(argv: readonly string[]): number {
  const a = parseArgs("run", argv, OPTIONS);
  if (a.help) {
    process.stdout.write(RUN_HELP);
    return 0;
  }
  if (a.positionals.length === 0) throw new UsageError("missing the scenario file: yigongti run <scenario.yaml>", "run");
  if (a.positionals.length > 1) {
    throw new UsageError(`takes one scenario file, got ${a.positionals.length} (${a.positionals.join(", ")}); to run several use yigongti compare`, "run");
  }
  const o = simOptions(a.options);
  if (o.out !== undefined) {
    const p = outputDirProblem(o.out);
    if (p) throw new UsageError(`--out ${JSON.stringify(o.out)}: ${p}`, "run");
  }
  const [s] = loadScenarios(a.positionals);
  const dir = o.out ?? join("out", safeDirName(s.name));
  const inputs = scenarioInputs([s]);
  const p = outputFolderProblem(dir, OUTPUT_KINDS.run, inputs);
  if (p) throw new UsageError(`output directory ${dir}: ${p}`, "run");
  const [run] = seedRuns(runStudySync({ scenarios: [s], seeds: [o.seed], scale: o.scale, years: o.years ?? s.years }, { progress: new ProgressBar(o.progress) }));
  const files = runFiles(run);
  writeOutputFolder(dir, OUTPUT_KINDS.run, files, inputs);
  process.stdout.write(runSummary(run, Object.keys(files), dir));
  return 0;
}

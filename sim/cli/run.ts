/**
 * `yigongti run`: simulate one scenario and write DIR/indicators.csv,
 * DIR/indicators.json and DIR/manifest.json (computed in full first, then the folder
 * written whole — a failed run writes nothing; see sim/output.ts).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ForkError, firstPolicyChange, policyCalendar, type RunSnapshot } from "../simulate";
import { formatYearMonth, monthsBetween, type Scenario, type YearMonth } from "../scenario/load";
import { snapshotBytes, snapshotFromBytes } from "../snapshot-file";
import type { StudyFork } from "../study/study";
import { OUTPUT_KINDS, outputDirProblem, outputFolderProblem, safeDirName, writeOutputFolder } from "../output";
import { MAX_YEARS, PROGRESS, SCALE, SEED, UsageError, parseArgs, parseDir, parseMonth, parseYears, simOptions, type OptionDef } from "./args";
import { ORDERED } from "../study/comparison";
import { formatTarget, formatValue } from "../study/format";
import { runStudySync, seedRuns, type StudyRun } from "../study/study";
import { mark, textTable } from "./format";
import { SET, fixedOverrides, takeRepeated } from "./experiment-args";
import { withOverrides } from "../experiments/jobs";
import { EXIT_CODES, commandHelp } from "./help";
import { ProgressBar } from "./progress";
import { loadScenarios, runFiles, scenarioInputs } from "./results";

const OPTIONS: OptionDef[] = [
  SEED,
  { name: "years", value: "N", parse: parseYears, help: `simulated years from the scenario's start, 1–${MAX_YEARS} (default: the scenario's \`years\`)` },
  SCALE,
  { name: "out", value: "DIR", parse: parseDir, help: "directory for the result files (default: out/<scenario name>); written whole,\nreplacing an earlier run's folder there (a folder holding other files is refused)" },
  SET,
  { name: "save-state", value: "FILE", parse: parseDir, help: "also write the run's full state at the start of the --at month to FILE, for\nlater runs to start from (--from-state)" },
  { name: "at", value: "YYYY-MM", parse: parseMonth, help: "with --save-state: the month the saved state starts (default: the first month\nthe scenario's policy changes, its reform — e.g. 2019-01, after 2018-12)" },
  { name: "from-state", value: "FILE", parse: parseDir, help: "start from a state written by --save-state instead of from the start: the\nburn-in and the months before it are not run again, the results are identical;\nthe run must share that run's county, scale, parameters, seed, years and its\npolicy in every month before it (else refused, saying what differs)" },
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
  yigongti run scenarios/baseline-2018.yaml --scale 0.1 --save-state out/2018.state --at 2019-01
  yigongti run scenarios/capitation-package.yaml --scale 0.1 --from-state out/2018.state

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
  const { rest, values } = takeRepeated("run", argv, ["set"]);
  const a = parseArgs("run", rest, OPTIONS);
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
  // --set leaves: held for the whole run (or dated), recorded in manifest.json
  const set = fixedOverrides("run", values.set);
  const dir = o.out ?? join("out", safeDirName(s.name));
  const inputs = scenarioInputs([s]);
  const p = outputFolderProblem(dir, OUTPUT_KINDS.run, inputs);
  if (p) throw new UsageError(`output directory ${dir}: ${p}`, "run");
  const years = o.years ?? s.years;
  // a saved or loaded state is the run's with its --set leaves, checked against that
  const fork = stateOptions(a.options, values.set.length ? withOverrides(s, set, "--set") : s, { seed: o.seed, scale: o.scale, years });
  let saved: RunSnapshot | undefined;
  const [run] = seedRuns(runStudySync({ scenarios: [s], seeds: [o.seed], scale: o.scale, years, ...(values.set.length ? { overrides: [set] } : {}) }, { progress: new ProgressBar(o.progress), fork: { ...fork, onSnapshot: fork.saveAt ? (snap) => (saved = snap) : undefined } }));
  const files = runFiles(run, values.set.length ? set : undefined);
  const saveFile = a.options["save-state"] as string | undefined;
  const bytes = saveFile !== undefined ? snapshotBytes(saved!) : null;
  writeOutputFolder(dir, OUTPUT_KINDS.run, files, inputs);
  if (bytes) {
    writeFileSync(saveFile!, bytes);
    process.stderr.write(`wrote the state at the start of ${formatYearMonth(saved!.month)} to ${saveFile} (${(bytes.length / 1e6).toFixed(1)} MB)\n`);
  }
  process.stdout.write(runSummary(run, Object.keys(files), dir));
  return 0;
}

/** --save-state / --at / --from-state as the run's fork options (a refused fork is a usage error naming the file). */
function stateOptions(opts: Record<string, unknown>, s: Scenario, run: { seed: number; scale: number; years: number }): StudyFork {
  const save = opts["save-state"] as string | undefined;
  const at = opts.at as YearMonth | undefined;
  const from = opts["from-state"] as string | undefined;
  if (at && save === undefined) throw new UsageError("--at names the month of the state --save-state writes; give --save-state FILE too", "run");
  if (save !== undefined && from !== undefined) throw new UsageError("--save-state and --from-state: give one (save from a run from the start)", "run");
  if (from !== undefined) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(from);
    } catch (e) {
      throw new UsageError(`--from-state ${from}: cannot read it (${(e as Error).message})`, "run");
    }
    try {
      return { fork: snapshotFromBytes(bytes, s, run, from) };
    } catch (e) {
      if (e instanceof ForkError) throw new UsageError(`--from-state ${e.message}`, "run");
      throw e;
    }
  }
  if (save === undefined) return {};
  if (at) {
    const k = monthsBetween(s.start, at);
    if (!(k >= 0 && k < run.years * 12)) throw new UsageError(`--at ${formatYearMonth(at)}: not a month of the run (${formatYearMonth(s.start)} and the ${run.years * 12 - 1} months after)`, "run");
    return { saveAt: at };
  }
  const calendar = policyCalendar(s, run.years * 12);
  const k = firstPolicyChange(calendar);
  if (k === null) throw new UsageError(`--save-state: ${s.file}'s policy never changes over the run, so there is no reform month to save the state at; name one with --at YYYY-MM`, "run");
  const cal = calendar.startCal + k;
  return { saveAt: { year: Math.floor(cal / 12), month: (cal % 12) + 1 } };
}

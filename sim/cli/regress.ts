/**
 * `yigongti regress record|check`: regression references of model outputs, for this
 * project's CI and for research groups' own (README "Regression checks").
 */
import { appendFileSync } from "node:fs";
import { dirname } from "node:path";
import { commandLine } from "../brief/build";
import { OUTPUT_KINDS, makeDirs, outputDirProblem, outputFolderProblem, writeFileAtomic } from "../output";
import { loadScenarios, scenarioInputs } from "./results";
import { CHECK_MODES, DEFAULT_ALPHA, EXIT_BEHAVIOUR_CHANGED, EXIT_OUTPUTS_CHANGED, checkReference, type CheckMode } from "../regress/check";
import { recordReference } from "../regress/record";
import { writeReference } from "../regress/reference";
import { jsonReport, junitReport, markdownReport } from "../regress/report";
import { MAX_YEARS, PROGRESS, SCALE, UsageError, parseArgs, parseChoice, parseDir, parseSeed, parseYears, type OptionDef } from "./args";
import { WORKERS } from "./ensemble";
import { parsePositiveInt } from "./experiment-args";
import { EXIT_CODES, commandHelp } from "./help";
import { ProgressBar } from "./progress";

const alphaOf = (raw: string) => {
  const n = Number(raw);
  if (!(raw.trim() !== "" && n > 0 && n < 1)) throw new Error("must be a number between 0 and 1, e.g. 0.01");
  return n;
};

const OPTIONS: OptionDef[] = [
  { name: "out", value: "DIR", parse: parseDir, help: "record: the reference folder to write (meant to be committed); written whole,\nreplacing an earlier reference there" },
  { name: "seed", value: "S", parse: parseSeed, help: "record: the fixed seed of the exact reference, and the first of the ensemble's (default 1)" },
  { name: "seeds", value: "N", parse: parsePositiveInt(1000, "seeds"), help: "record: ensemble size for the statistical check, seeds S … S+N−1 (default 8; 1 = exact only)" },
  { ...SCALE, help: "record: fraction of each county simulated, 0 < F ≤ 1 (default 0.05)" },
  { name: "years", value: "Y", parse: parseYears, help: `record: simulated years, 1–${MAX_YEARS} (default: each scenario through 2020)` },
  { name: "mode", value: "exact|statistical|both", parse: parseChoice(CHECK_MODES), help: "check: what to compare (default both)" },
  { name: "alpha", value: "A", parse: alphaOf, help: `check: family-wise false-alarm level of the statistical check (default ${DEFAULT_ALPHA})` },
  { name: "reseed", value: "R", parse: parseSeed, help: "check: run the statistical ensemble on seeds R … R+N−1 instead of the recorded\nones (seed noise alone; the exact check is skipped)" },
  { name: "format", value: "markdown|json", parse: parseChoice(["markdown", "json"] as const), help: "check: what to print on stdout (default markdown)" },
  { name: "markdown", value: "FILE", parse: parseDir, help: "check: also write the Markdown report to FILE (e.g. $GITHUB_STEP_SUMMARY: appended\nwhen the name ends in _SUMMARY or the file is that variable's)" },
  { name: "json", value: "FILE", parse: parseDir, help: "check: also write the JSON report (every difference, every test) to FILE" },
  { name: "junit", value: "FILE", parse: parseDir, help: "check: also write a JUnit XML report to FILE" },
  WORKERS,
  PROGRESS,
];

export const REGRESS_HELP = commandHelp(
  "yigongti regress record <scenario.yaml>… --out DIR [options]\n       yigongti regress check DIR [options]",
  `Regression checks of model outputs.

record  runs each scenario with seeds S … S+N−1 and writes a reference folder: the exact
        yearly and monthly indicators and yearly counter totals of seed S, every seed's
        yearly indicators, the settings, the model version and fingerprint and each
        scenario's content hash. Plain CSV and JSON, small and diff-friendly: commit it.
check   re-runs what DIR records and reports
          exact        every value that differs, old → new, largest first, by scenario;
          statistical  per indicator and year, whether the new ensemble is consistent with
                       the reference's within seed noise (Welch t-test, Holm-adjusted over
                       all tests: family-wise false-alarm level --alpha);
        and whether the model code (fingerprint) or a scenario file (hash) changed.`,
  OPTIONS,
  `Exit status of check: 0 everything matches; ${EXIT_OUTPUTS_CHANGED} outputs changed (exact values differ, behaviour
consistent with seed noise or not tested); ${EXIT_BEHAVIOUR_CHANGED} behaviour changed (the statistical check
flagged an indicator); 2 bad command line or reference folder; 1 any other error.

Examples:
  yigongti regress record scenarios/*.yaml --out regress/reference --seed 1 --seeds 8 --scale 0.05
  yigongti regress check regress/reference
  yigongti regress check regress/reference --mode statistical --junit out/regress.xml --markdown "$GITHUB_STEP_SUMMARY"
  yigongti regress check regress/reference --reseed 1000          # how seed noise alone looks

${EXIT_CODES}`,
);

function writeReport(file: string, content: string): void {
  try {
    makeDirs(dirname(file));
    // A CI job summary is shared by the job's steps: add to it, never replace it.
    if (file === process.env.GITHUB_STEP_SUMMARY || /_SUMMARY$/.test(file)) appendFileSync(file, content);
    else writeFileAtomic(file, content);
  } catch (e) {
    throw new Error(`cannot write ${file}: ${(e as Error).message}`, { cause: e });
  }
}

const RECORD_ONLY = ["out", "seed", "seeds", "scale", "years"];
const CHECK_ONLY = ["mode", "alpha", "reseed", "format", "markdown", "json", "junit"];

export async function regressCommand(argv: readonly string[]): Promise<number> {
  const a = parseArgs("regress", argv, OPTIONS);
  if (a.help) {
    process.stdout.write(REGRESS_HELP);
    return 0;
  }
  const [sub, ...rest] = a.positionals;
  const o = a.options;
  const progress = new ProgressBar((o.progress as boolean | undefined) ?? Boolean(process.stderr.isTTY));
  const misplaced = (names: string[], cmd: string) => {
    const bad = names.filter((n) => n in o);
    if (bad.length) throw new UsageError(`${bad.map((n) => `--${n}`).join(", ")}: not an option of regress ${cmd}`, "regress");
  };
  if (sub === "record") {
    misplaced(CHECK_ONLY, "record");
    if (rest.length === 0) throw new UsageError("record: name the scenario files: yigongti regress record <scenario.yaml>… --out DIR", "regress");
    const out = o.out as string | undefined;
    if (out === undefined) throw new UsageError("record needs --out DIR (the reference folder)", "regress");
    const plain = outputDirProblem(out);
    if (plain) throw new UsageError(`--out ${JSON.stringify(out)}: ${plain}`, "regress");
    const inputs = scenarioInputs(loadScenarios(rest));
    const problem = outputFolderProblem(out, OUTPUT_KINDS.reference, inputs);
    if (problem) throw new UsageError(`--out ${JSON.stringify(out)}: ${problem}`, "regress");
    const settings = { seed: (o.seed as number | undefined) ?? 1, seeds: (o.seeds as number | undefined) ?? 8, scale: (o.scale as number | undefined) ?? 0.05, years: (o.years as number | undefined) ?? null };
    progress.start("regress record", 1, 1, "runs");
    const rec = await recordReference(rest, settings, out, { workers: o.workers as number | undefined, onProgress: progress.update, command: commandLine("regress", argv) });
    progress.finish();
    const files = writeReference(out, rec.reference, rec.tables, inputs);
    process.stderr.write(`wrote ${files.length} files to ${out}: ${rec.reference.scenarios.length} scenarios, seed ${settings.seed}, ${settings.seeds} seeds, scale ${settings.scale} (model ${rec.reference.model.fingerprint})\n`);
    return 0;
  }
  if (sub === "check") {
    misplaced(RECORD_ONLY, "check");
    if (rest.length !== 1) throw new UsageError(`check takes one reference folder (got ${rest.length}): yigongti regress check DIR`, "regress");
    progress.start("regress check", 1, 1, "runs");
    const result = await checkReference(rest[0], {
      mode: o.mode as CheckMode | undefined,
      alpha: o.alpha as number | undefined,
      reseed: o.reseed as number | undefined,
      workers: o.workers as number | undefined,
      onProgress: progress.update,
    });
    progress.finish();
    const md = markdownReport(result);
    if (o.markdown) writeReport(o.markdown as string, md);
    if (o.json) writeReport(o.json as string, jsonReport(result));
    if (o.junit) writeReport(o.junit as string, junitReport(result));
    process.stdout.write(o.format === "json" ? jsonReport(result) : md);
    return result.exitCode;
  }
  throw new UsageError(sub === undefined ? "name a subcommand: record or check" : `unknown subcommand ${JSON.stringify(sub)}; use record or check`, "regress");
}

/**
 * `yigongti calibrate`: fit named parameters to target indicators in one year (bounded
 * Nelder–Mead on the seed mean over common seeds; sim/experiments/calibrate.ts) and write
 *   FILE.yaml              the scenario's parameter file with the calibrated values, their
 *                          source naming the targets (a scenario's `parameterFile:` can
 *                          point at it)
 *   FILE.fit.json/.csv/.md the fit per target (target, achieved, error; and on fresh seeds)
 *   FILE.trace.csv         every candidate: parameter values, indicators, objective
 * Everything is computed first. These files sit beside others (out/ by default), not in a
 * folder of their own, so they cannot be swapped in as one folder: each is flushed to a
 * temporary, then all are renamed in together, FILE.yaml last (sim/output.ts writeFileGroup).
 */
import { readFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { splitRoot } from "../scenario/overrides";
import { INDICATORS } from "../indicators";
import { csvText, jsonText, outputDirProblem, safeDirName, writeFileGroup } from "../output";
import { calibrate, calibratedParameterFile, calibratedScenarioFile, parseTarget, type CalibrationReport, type CalibrationTarget } from "../experiments/calibrate";
import { cachedScenario } from "../experiments/execute";
import type { Job } from "../experiments/jobs";
import { executeJobs, resolvePeriod } from "../experiments/points";
import { MAX_YEARS, PROGRESS, SCALE, UsageError, parseArgs, parseYears, type OptionDef } from "./args";
import { FIRST_SEED, SEEDS, SET, STORE, WORKERS, YEAR, RunProgress, fixedOverrides, parameterRanges, parsePositiveInt, seedList, takeRepeated } from "./experiment-args";
import { formatPoints, formatValue } from "../study/format";
import { markdownTable } from "./format";
import { EXIT_CODES, commandHelp } from "./help";

const OPTIONS: OptionDef[] = [
  { name: "param", value: "PATH=LO:HI", help: "a parameter or policy lever to fit and its bounds (repeat for each), e.g.\nchoice.tierConstant.township=-3:0 or policy.insurance.resident.inpatient.rate.township=0.6:0.95;\nthe search starts from the scenario's (starting) value" },
  SET,
  { name: "target", value: "ID=VALUE[:W]", help: "a target indicator value in --year (repeat for each), optional weight W\n(default 1), e.g. primaryVisitShare=0.54; errors of shares count in\nproportion points, of other indicators relative to the target" },
  YEAR,
  FIRST_SEED,
  { ...SEEDS, help: "common seeds every candidate runs on (default 2)" },
  { name: "check-seeds", value: "N", parse: (raw) => (raw === "0" ? 0 : parsePositiveInt(1000, "seeds")(raw)), help: "fresh seeds the fit is re-checked on, 1001, 1002, … (default 2; 0 = no check)" },
  { name: "max-evaluations", value: "N", parse: parsePositiveInt(100_000, "candidates"), help: "most candidate parameter sets tried (default 60; runs = N × seeds)" },
  { name: "years", value: "N", parse: parseYears, help: `simulated years, 1–${MAX_YEARS} (default: the scenario's)` },
  SCALE,
  { ...WORKERS, help: "worker threads (default 1: each step runs only seeds × 1–2 candidates, and\nworkers start afresh for each step; more pays off for large --scale and many seeds)" },
  STORE,
  { name: "out", value: "FILE.yaml", parse: (raw) => {
    if (!/\.ya?ml$/.test(raw)) throw new Error("must be a .yaml file name, e.g. out/calibrated.yaml");
    return raw;
  }, help: "calibrated parameter file (default: out/calibrated-<scenario name>.yaml);\nthe fit report goes beside it" },
  PROGRESS,
];

export const CALIBRATE_HELP = commandHelp(
  "yigongti calibrate <scenario.yaml> --param PATH=LO:HI … --target ID=VALUE … [options]",
  `Fit parameters or policy levers (paths starting policy.: which lever setting meets a
target?) so the scenario's indicators in one year match targets. Each candidate
runs on the same seeds (common random numbers) and is scored by its seed mean:
Σ W·(error/scale)², scale 1 for shares and growth, |target| otherwise. A bounded
Nelder–Mead simplex search (restarted when it converges) looks for the minimum, stopping
at --max-evaluations or once the objective is ≤ 1e-8 (share errors ≈ 0.01 points, far
below seed noise); the best fit is then re-run on fresh seeds. Writes:
  FILE.yaml        the scenario's parameter file with the calibrated values; their
                   source: names the targets, the fit and what the source said before
  FILE.fit.json    settings, parameters (original, start, calibrated), targets (target,
                   achieved, error; achieved and error on the fresh seeds)
  FILE.fit.csv     one row per target; FILE.fit.md the same as a table (also printed)
  FILE.trace.csv   every candidate tried: parameter values, indicators, objective
  FILE.scenario.yaml  (when a policy lever is fitted, or with --set) a scenario
                   extending this one, naming FILE.yaml and holding the fitted levers
                   and the --set leaves under parameters:
With --store, runs are kept and reused: a killed calibration re-run with the same
arguments replays the finished steps from the store.`,
  OPTIONS,
  `Examples:
  yigongti calibrate scenarios/baseline-2018.yaml --scale 0.05 --years 1 \\
      --param choice.tierConstant.township=-3:0 --param choice.tierConstantInpatient.township=-3:0 \\
      --target primaryVisitShare=0.54 --target primaryAdmissionShare=0.24 --out out/calibrated.yaml
  yigongti calibrate scenarios/baseline-2018.yaml --scale 0.02 --years 1 --seeds 1 \\
      --param policy.insurance.resident.inpatient.rate.township=0.6:0.95 \\
      --target primaryAdmissionShare=0.26 --out out/lever.yaml

${EXIT_CODES}`,
);

export async function calibrateCommand(argv: readonly string[]): Promise<number> {
  const { rest, values } = takeRepeated("calibrate", argv, ["param", "target", "set"]);
  const a = parseArgs("calibrate", rest, OPTIONS);
  if (a.help) {
    process.stdout.write(CALIBRATE_HELP);
    return 0;
  }
  if (a.positionals.length !== 1) throw new UsageError(a.positionals.length ? `takes one scenario file, got ${a.positionals.length}` : "missing the scenario file: yigongti calibrate <scenario.yaml> --param … --target …", "calibrate");
  const o = a.options;
  const ranges = parameterRanges("calibrate", values.param, { steps: "forbidden" });
  const overrides = fixedOverrides("calibrate", values.set, ranges);
  if (values.target.length === 0) throw new UsageError("needs at least one --target ID=VALUE (e.g. --target primaryVisitShare=0.54)", "calibrate");
  const targets: CalibrationTarget[] = values.target.map((raw) => {
    try {
      return parseTarget(raw);
    } catch (e) {
      throw new UsageError(`--target ${JSON.stringify(raw)}: ${(e as Error).message}`, "calibrate");
    }
  });
  const dupTarget = targets.find((t, i) => targets.findIndex((u) => u.indicator === t.indicator) !== i);
  if (dupTarget) throw new UsageError(`--target: ${dupTarget.indicator} is named more than once`, "calibrate");
  const file = a.positionals[0];
  const scenario = cachedScenario(file);
  const outFile = (o.out as string | undefined) ?? join("out", `calibrated-${safeDirName(scenario.name)}.yaml`);
  const dir = dirname(outFile);
  const dirProblem = outputDirProblem(dir);
  if (dirProblem) throw new UsageError(`--out ${outFile}: ${dir} ${dirProblem}`, "calibrate");
  const years = o.years as number | undefined;
  let period: string;
  try {
    period = resolvePeriod(file, years, o.year as string | undefined);
  } catch (e) {
    throw new UsageError(`--year: ${(e as Error).message}`, "calibrate");
  }
  const seeds = seedList(o, 2);
  const checkCount = (o["check-seeds"] as number | undefined) ?? 2;
  const checkSeeds = Array.from({ length: checkCount }, (_, i) => 1001 + i).filter((s) => !seeds.includes(s));
  const maxEvaluations = (o["max-evaluations"] as number | undefined) ?? 60;
  if (maxEvaluations < ranges.length + 1) throw new UsageError(`--max-evaluations ${maxEvaluations}: at least ${ranges.length + 1} (one simplex of ${ranges.length} parameters) needed`, "calibrate");
  const workers = (o.workers as number | undefined) ?? 1;
  const store = o.store as string | undefined;
  const progress = new RunProgress((o.progress as boolean | undefined) ?? Boolean(process.stderr.isTTY), `calibrate ${scenario.name}`, "candidates");
  const run = async (jobs: Job[]) => (await executeJobs(jobs, { workers, store })).results!;
  const report = await calibrate({
    scenarioFile: file,
    seeds,
    years,
    scale: o.scale as number | undefined,
    ...(values.set.length ? { overrides } : {}),
    ranges,
    targets,
    period,
    maxEvaluations,
    checkSeeds,
    run,
    onEvaluation: (done, total, best) => progress.update(done, total, `best objective ${best.toPrecision(3)}`),
  });
  progress.finish();
  const files = calibrationFiles(report, readFileSync(scenario.parameterFile, "utf8"), outFile, relative(resolve(dir), resolve(file)));
  writeFileGroup(dir, files, basename(outFile)); // the calibrated parameter file last
  process.stdout.write(files[basename(outFile).replace(/\.ya?ml$/, ".fit.md")] + `\nwrote ${Object.keys(files).map((f) => join(dir, f)).join(", ")}\n`);
  return 0;
}

export function calibrationFiles(r: CalibrationReport, parameterFileText: string, outFile: string, scenarioFromOut?: string): Record<string, string> {
  const name = basename(outFile);
  const stem = name.replace(/\.ya?ml$/, "");
  const defs = new Map(INDICATORS.map((d) => [d.id, d]));
  const fitCsv = csvText(
    ["indicator", "unit", "target", "weight", "achieved", "error", "checkAchieved", "checkError"],
    r.targets.map((t) => [t.indicator, t.unit, t.target, t.weight, t.achieved, t.error, t.checkAchieved, t.checkError]),
  );
  const paths = r.parameters.map((p) => p.path);
  const traceCsv = csvText(
    ["evaluation", ...paths, ...r.targets.map((t) => t.indicator), "objective"],
    r.trace.map((e) => [e.evaluation, ...e.x, ...e.achieved, e.objective]),
  );
  const err = (unit: string, v: number | null) => (v === null ? "-" : unit === "share" || unit === "growth" ? formatPoints(v, { digits: 2 }) : `${v > 0 ? "+" : ""}${Number(v.toPrecision(3))}`);
  const n4 = (v: number) => String(Number(v.toPrecision(4)));
  const md =
    `# Calibration: ${r.scenario.name}, ${r.period}\n\n` +
    `${r.seeds.length} common seed${r.seeds.length === 1 ? "" : "s"} (${r.seeds.join(", ")}), scale ${r.scale ?? 1}; ${r.evaluations} candidates (${r.runs} runs), ` +
    `${r.iterations} iterations, ${r.restarts} restart${r.restarts === 1 ? "" : "s"}, ${r.converged ? "converged" : "stopped at the evaluation budget"}; objective ${r.objective.toPrecision(3)}` +
    `${r.checkObjective !== null ? ` (${r.checkSeeds.length} fresh seeds: ${r.checkObjective.toPrecision(3)})` : ""}.\n\n` +
    markdownTable(
      ["indicator", "target", "achieved", "error", ...(r.checkSeeds.length ? ["fresh seeds", "error"] : [])],
      r.targets.map((t) => {
        const u = defs.get(t.indicator)!.unit;
        return [`${t.label.en} ${t.label.zh}`, formatValue(u, t.target), formatValue(u, t.achieved), err(u, t.error), ...(r.checkSeeds.length ? [formatValue(u, t.checkAchieved), err(u, t.checkError)] : [])];
      }),
      ["left", "right", "right", "right", "right", "right"],
    ) +
    `\n` +
    markdownTable(
      ["parameter", "bounds", "was", "calibrated", ""],
      r.parameters.map((p) => [p.path, `${n4(p.low)} to ${n4(p.high)}`, n4(p.original), n4(p.calibrated), p.atBound ? "at a bound: widen it?" : ""]),
      ["left", "right", "right", "right", "left"],
    );
  const { trace: _t, ...summary } = r;
  return {
    [name]: calibratedParameterFile(parameterFileText, r, r.scenario.parameterFile),
    [`${stem}.fit.json`]: jsonText({ command: "calibrate", ...summary, parameterFile: name }),
    [`${stem}.fit.csv`]: fitCsv,
    [`${stem}.fit.md`]: md,
    [`${stem}.trace.csv`]: traceCsv,
    ...(scenarioFromOut !== undefined && (r.parameters.some((p) => splitRoot(p.path).root === "policy") || r.overrides)
      ? { [`${stem}.scenario.yaml`]: calibratedScenarioFile(r, { scenarioFromOut, parameterFileName: name }) }
      : {}),
  };
}

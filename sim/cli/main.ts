/**
 * `yigongti` command dispatch and error reporting.
 *   InputError (bad scenario/parameter/county file) → its problem lines, exit 2
 *   UsageError (bad command line)                   → one line + "see yigongti <cmd> --help", exit 2
 *   anything else                                   → "yigongti: <message>", exit 1
 *                                                     (stack trace only with YIGONGTI_DEBUG=1)
 */
import { modelVersion } from "../manifest";
import { InputError } from "../scenario/errors";
import { UsageError } from "./args";
import { BRIEF_HELP, briefCommand } from "./brief";
import { COMPARE_HELP, compareCommand } from "./compare";
import { COUNTY_HELP, countyCommand } from "./county";
import { ENSEMBLE_HELP, ensembleCommand } from "./ensemble";
import { EXPLORE_HELP, exploreCommand } from "./explore";
import { mainHelp } from "./help";
import { PLAN_HELP, planCommand } from "./plan";
import { PREFECTURE_HELP, prefectureCommand } from "./prefecture";
import { endProgressLine } from "./progress";
import { RUN_HELP, runCommand } from "./run";
import { STORE_HELP, storeCommand } from "./store";
import { SWEEP_HELP, sweepCommand } from "./sweep";
import { SENSITIVITY_HELP, sensitivityCommand } from "./sensitivity";
import { CALIBRATE_HELP, calibrateCommand } from "./calibrate";
import { REGRESS_HELP, regressCommand } from "./regress";
import { SOLVE_HELP, solveCommand } from "./solve";

/** A command: its handler (sync, or async for commands that run workers) and its --help text. Add new commands here. */
export interface Command {
  run: (argv: readonly string[]) => number | Promise<number>;
  help: string;
}

const COMMANDS: Record<string, Command> = {
  run: { run: runCommand, help: RUN_HELP },
  compare: { run: compareCommand, help: COMPARE_HELP },
  brief: { run: briefCommand, help: BRIEF_HELP },
  ensemble: { run: ensembleCommand, help: ENSEMBLE_HELP },
  store: { run: storeCommand, help: STORE_HELP },
  sweep: { run: sweepCommand, help: SWEEP_HELP },
  sensitivity: { run: sensitivityCommand, help: SENSITIVITY_HELP },
  calibrate: { run: calibrateCommand, help: CALIBRATE_HELP },
  solve: { run: solveCommand, help: SOLVE_HELP },
  regress: { run: regressCommand, help: REGRESS_HELP },
  plan: { run: planCommand, help: PLAN_HELP },
  county: { run: countyCommand, help: COUNTY_HELP },
  explore: { run: exploreCommand, help: EXPLORE_HELP },
  prefecture: { run: prefectureCommand, help: PREFECTURE_HELP },
};

function dispatch(argv: readonly string[]): number | Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined) {
    process.stderr.write(mainHelp(modelVersion()));
    return 2;
  }
  if (cmd === "-h" || cmd === "--help") {
    process.stdout.write(mainHelp(modelVersion()));
    return 0;
  }
  if (cmd === "-V" || cmd === "--version") {
    process.stdout.write(`${modelVersion()}\n`);
    return 0;
  }
  if (cmd === "help") {
    const topic = rest.find((a) => !a.startsWith("-"));
    if (topic === undefined) process.stdout.write(mainHelp(modelVersion()));
    else if (topic in COMMANDS) process.stdout.write(COMMANDS[topic].help);
    else throw new UsageError(`no help for ${JSON.stringify(topic)}; commands: ${Object.keys(COMMANDS).join(", ")}, help`);
    return 0;
  }
  if (cmd.startsWith("-")) throw new UsageError(`unknown option ${cmd}; a command comes first: ${Object.keys(COMMANDS).join(", ")}, help`);
  const c = COMMANDS[cmd];
  if (!c) throw new UsageError(`unknown command ${JSON.stringify(cmd)}; commands: ${Object.keys(COMMANDS).join(", ")}, help`);
  return c.run(rest);
}

/** Run the CLI with these arguments (without node and the script); returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  // A closed pipe (e.g. `yigongti compare … | head`) is not an error.
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(0);
    throw e;
  });
  try {
    return await dispatch(argv);
  } catch (e) {
    endProgressLine();
    if (e instanceof InputError) {
      for (const p of e.problems) process.stderr.write(`${p}\n`);
      return 2;
    }
    if (e instanceof UsageError) {
      const cmd = e.command ? ` ${e.command}` : "";
      process.stderr.write(`yigongti${cmd}: ${e.message}; see yigongti${cmd} --help\n`);
      return 2;
    }
    const message = e instanceof Error ? e.message : String(e);
    process.stderr.write(`yigongti: ${message}\n`);
    if (process.env.YIGONGTI_DEBUG === "1" && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
    return 1;
  }
}

/**
 * `yigongti plan`: print the model's causal order — the month's steps in the order they
 * run, with the supply side's January and the workforce's year nested where they run —
 * one line each, from the plan the engine itself runs (sim/engine/month.ts).
 */
import { monthPlan, type MonthPlan } from "../engine/month";
import { formatPlan, planRows } from "../engine/plan";
import { csvText } from "../output";
import { simulate } from "../simulate";
import { SCALE, SEED, UsageError, parseArgs, parseChoice, parseYears, type OptionDef } from "./args";
import { EXIT_CODES, commandHelp } from "./help";
import { loadScenarios } from "./results";

const FORMATS = ["text", "json", "csv"] as const;

const OPTIONS: OptionDef[] = [
  { name: "time", value: "SCENARIO.yaml", help: "run this scenario and show the time each step took (sub-plans included), its share and its runs" },
  SEED,
  { name: "years", value: "N", parse: parseYears, help: "with --time: simulated years (default: the scenario's `years`)" },
  SCALE,
  { name: "format", value: "text|json|csv", parse: parseChoice(FORMATS), help: "text (default): one indented line per step: number, label, file, [when], what happens\njson: [{number, depth, plan, label, module, when, doc}]\ncsv: the same columns" },
];

export const PLAN_HELP = commandHelp(
  "yigongti plan [options]",
  `Print one simulated month as the engine runs it: each step with its number, label, the
file that owns it, when it runs (if not every month) and what it does. Steps that run
a plan of their own (the supply side's January, the workforce's year) show it nested
under them. The same list is \`monthPlan()\` in sim/engine/month.ts; \`simulate(s,
{plan: (p) => p.insert(step, {after: "residents"})})\` inserts a step at a named point.
With --time, the scenario is run first and each step shows the wall time it took.`,
  OPTIONS,
  `Examples:
  yigongti plan
  yigongti plan --format csv
  yigongti plan --time scenarios/baseline-2018.yaml --scale 0.1 --years 1

${EXIT_CODES}`,
);

export function planCommand(argv: readonly string[]): number {
  const a = parseArgs("plan", argv, OPTIONS);
  if (a.help) {
    process.stdout.write(PLAN_HELP);
    return 0;
  }
  if (a.positionals.length > 0) throw new UsageError(`takes no arguments, got ${a.positionals.join(", ")}`, "plan");
  const format = (a.options.format as (typeof FORMATS)[number] | undefined) ?? "text";
  const file = a.options.time as string | undefined;
  let plan: MonthPlan = monthPlan();
  if (file !== undefined) {
    const [s] = loadScenarios([file]);
    const o = a.options;
    simulate(s, { seed: (o.seed as number | undefined) ?? 1, scale: (o.scale as number | undefined) ?? 1, years: o.years as number | undefined, plan: (p) => void (plan = p.startTiming()) });
  } else if (["seed", "years", "scale"].some((k) => a.options[k] !== undefined)) {
    throw new UsageError("--seed, --years and --scale go with --time SCENARIO.yaml", "plan");
  }
  const rows = planRows(plan);
  if (format === "json") process.stdout.write(JSON.stringify(rows, null, 2) + "\n");
  else if (format === "csv") process.stdout.write(csvText(["number", "depth", "plan", "label", "module", "when", "doc", "ms", "calls"], rows.map((r) => [r.number, r.depth, r.plan, r.label, r.module, r.when, r.doc, r.ms ?? "", r.calls ?? ""])));
  else process.stdout.write(formatPlan(plan));
  return 0;
}

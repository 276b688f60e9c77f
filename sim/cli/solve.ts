/**
 * `yigongti solve`: what would it take — the cheapest setting of some policy levers that
 * reaches a target with a chosen probability, subject to constraints (sim/study/solve.ts).
 * Prints the answer and the frontier; writes, the folder whole:
 *   DIR/solve.csv        one row per setting tried: lever values, goal median/p10/p90 and
 *                        probability, each constraint's probability, cost, verdicts
 *   DIR/solve.json       the question, the settings, the answer and every row
 *   DIR/solve.md         the answer and the table
 *   DIR/charts/<lang>/frontier.{svg,png,csv,json}   goal against insurer spending
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { frontierChart, type FrontierSetting } from "../charts/frontier";
import { parseLangs, pick, type Lang } from "../charts/labels";
import { chartSidecar, renderCharts } from "../charts/save";
import { TARGET_YEAR, INDICATORS, type IndicatorDefinition } from "../indicators";
import { gitState, modelVersion } from "../manifest";
import { OUTPUT_KINDS, csvText, jsonText, outputFolderProblem, safeDirName, writeOutputFolder, type FolderFiles } from "../output";
import { InputError } from "../scenario/errors";
import { formatYearMonth } from "../scenario/months";
import { bandText, formatValue } from "../study/format";
import { COSTS, DEFAULT_CONSTRAINTS, constraintId, parseConstraint, parseGoal, solve, type SolveConstraint, type SolveOutcome, type SolvePoint, type SolveSpec } from "../study/solve";
import { ANSWER_OPTIONS, answerSettings } from "./answer";
import { MAX_YEARS, PROGRESS, UsageError, parseArgs, parseChoice, parseDir, parseMonth, parseYears, type OptionDef } from "./args";
import { SET, STORE, WORKERS, YEAR, fixedOverrides, parameterRanges, parsePositiveInt, takeRepeated } from "./experiment-args";
import { markdownTable, textTable, type Align } from "./format";
import { EXIT_CODES, commandHelp } from "./help";
import { ProgressBar } from "./progress";
import { loadScenarios, scenarioInputs } from "./results";
import { leverName, leverValue as leverValueText } from "../scenario/lever-labels";

const DESIGNS = ["grid", "lhs"] as const;
const MAX_SETTINGS = 10_000;

const OPTIONS: OptionDef[] = [
  { name: "target", value: "ID>=V", help: "what must be reached, e.g. 'primaryVisitShare>=0.65' or 'oopShare<=0.3' (required;\nquote it: the shell reads > as a redirection)" },
  { name: "lever", value: "PATH=LO:HI[:STEPS]", help: "a policy lever (or parameter) and its range (repeat for each), e.g.\npolicy.insurance.resident.outpatient.rate.village=0.5:0.9:5; STEPS (≥ 2) for grids" },
  { name: "constraint", value: "C", help: "a condition every offered setting must meet (repeat), each with the chosen\nprobability: ID>=V / ID<=V, benefitsNotLower, siphon<high, siphon<moderate.\nDefault: insurerFundBalance>=0, benefitsNotLower, siphon<high" },
  { name: "default-constraints", negatable: true, help: "keep the three default constraints next to those given (default on;\n--no-default-constraints: only the --constraint ones)" },
  { name: "probability", value: "P", parse: parseProbability, help: "share of runs that must meet the target and each constraint, 0 < P ≤ 1 (default 0.8)" },
  { name: "baseline", value: "FILE", parse: parseDir, help: "scenario each setting is judged against (siphon verdict, benefits); same county and\nstart (default: the scenario as written)" },
  { name: "from", value: "YYYY-MM", parse: parseMonth, help: "the levers take their values from this month on (default: the whole run)" },
  SET,
  { name: "design", value: "grid|lhs", parse: parseChoice(DESIGNS), help: "grid: every combination of the STEPS values (default); lhs: a Latin hypercube of\n--samples settings" },
  { name: "samples", value: "N", parse: parsePositiveInt(MAX_SETTINGS, "settings"), help: "settings per round of a Latin hypercube (lhs only)" },
  { name: "design-seed", value: "N", parse: parsePositiveInt(2 ** 31, "design seed", 0), help: "seed of the Latin hypercube (default 1)" },
  { name: "cost", value: "insurer|reimbursement", parse: parseChoice(["insurer", "reimbursement"] as const), help: "what \"cheapest\" minimises, per resident-year: insurer = what the insurance fund\npays out (default; under a capitation package, the package itself, which rates do\nnot move); reimbursement = reimbursement of care from the fund or the package" },
  { name: "refine", value: "N", parse: parsePositiveInt(10, "rounds", 0), help: "rounds after the first, each in a box half as wide around the best setting so far\n(default 0)" },
  ...ANSWER_OPTIONS,
  { name: "years", value: "N", parse: parseYears, help: `simulated years, 1–${MAX_YEARS} (default: through ${TARGET_YEAR})` },
  YEAR,
  { name: "lang", value: "zh|en|zh,en", parse: parseLangs, help: "languages of the frontier chart (default zh,en)" },
  { name: "charts", negatable: true, help: "draw the frontier chart (default on)" },
  WORKERS,
  { ...STORE, help: "results store: each run saved at once, runs already there skipped — a killed\nsolve resumes, and a wider range reuses the runs it shares (default: a temporary\nstore, removed at the end)" },
  { name: "out", value: "DIR", parse: parseDir, help: "directory for the result files (default out/solve-<scenario name>); written whole" },
  PROGRESS,
];

function parseProbability(raw: string): number {
  const v = Number(raw);
  if (!(/^\s*(0?\.\d+|1(\.0*)?|0\.?\d*)\s*$/.test(raw) && v > 0 && v <= 1)) throw new Error("must be a share greater than 0 and at most 1, e.g. 0.8");
  return v;
}

export const SOLVE_HELP = commandHelp(
  "yigongti solve <scenario.yaml> --target ID>=V --lever PATH=LO:HI[:STEPS] … [options]",
  `What would it take: try settings of the levers (a grid or a Latin hypercube over their
ranges), each on the same seeds and parameter draws as the others and the baseline
(8 runs at scale 0.1 by default, as compare), and report the cheapest setting — lowest
median insurer spending (or --cost reimbursement) per resident — whose runs meet the target with the chosen
probability while every constraint holds with it too; and the frontier of goal reached
against insurer spending. When no setting in the ranges reaches it, says so and shows the
closest. Constraints are judged run by run against the baseline twin.`,
  OPTIONS,
  `Examples:
  yigongti solve scenarios/full-package-qujing.yaml --target 'primaryVisitShare>=0.65' \\
      --lever policy.insurance.resident.outpatient.rate.village=0.6:0.9:4 \\
      --lever policy.insurance.resident.inpatient.rate.township=0.8:0.95:4 --store out/store
  yigongti solve scenarios/capitation-package.yaml --target 'withinCountyVisitRate>=0.9' \\
      --lever policy.payment.capitation.surplusRetainedShare=0:1:5 --refine 1 --probability 0.9

${EXIT_CODES}`,
);

export async function solveCommand(argv: readonly string[]): Promise<number> {
  const { rest, values } = takeRepeated("solve", argv, ["lever", "set", "constraint"]);
  const a = parseArgs("solve", rest, OPTIONS);
  if (a.help) {
    process.stdout.write(SOLVE_HELP);
    return 0;
  }
  if (a.positionals.length !== 1) throw new UsageError(a.positionals.length ? `takes one scenario file, got ${a.positionals.length}` : "missing the scenario file: yigongti solve <scenario.yaml> --target … --lever …", "solve");
  const o = a.options;
  if (o.target === undefined) throw new UsageError("missing --target, e.g. --target primaryVisitShare>=0.65", "solve");
  const design = (o.design as SolveSpec["design"] | undefined) ?? "grid";
  const levers = parameterRanges("solve", values.lever, { option: "lever" });
  if (design === "grid") {
    const missing = levers.filter((r) => r.steps === undefined).map((r) => r.path);
    if (missing.length) throw new UsageError(`a grid needs STEPS for every lever (e.g. --lever ${missing[0]}=LO:HI:5); missing for ${missing.join(", ")}`, "solve");
    if (o.samples !== undefined) throw new UsageError("--samples is for --design lhs; a grid's size is the product of the STEPS", "solve");
    const size = levers.reduce((n, r) => n * r.steps!, 1);
    if (size > MAX_SETTINGS) throw new UsageError(`the grid has ${size} settings; at most ${MAX_SETTINGS}`, "solve");
  } else if (o.samples === undefined) throw new UsageError("--design lhs needs --samples N", "solve");
  const set = fixedOverrides("solve", values.set, levers);
  let goal, constraints: SolveConstraint[];
  try {
    goal = parseGoal(o.target as string);
    constraints = [...((o["default-constraints"] as boolean | undefined) ?? true ? DEFAULT_CONSTRAINTS : []), ...values.constraint.map((c) => parseConstraint(c))];
  } catch (e) {
    if (e instanceof InputError) throw new UsageError(e.problems.join("; "), "solve");
    throw e;
  }
  const ids = constraints.map(constraintId);
  constraints = constraints.filter((_c, i) => ids.indexOf(ids[i]) === i);

  const files = [a.positionals[0], ...(o.baseline !== undefined ? [o.baseline as string] : [])];
  const [scenario, baseline] = loadScenarios(files);
  const dir = (o.out as string | undefined) ?? join("out", `solve-${safeDirName(scenario.name)}`);
  const userStore = o.store as string | undefined;
  const inputs = [...scenarioInputs(baseline ? [scenario, baseline] : [scenario]), ...(userStore !== undefined ? [userStore] : [])];
  const dirProblem = outputFolderProblem(dir, OUTPUT_KINDS.solve, inputs);
  if (dirProblem) throw new UsageError(`output directory ${dir}: ${dirProblem}`, "solve");
  const answer = answerSettings(o);
  const spec: SolveSpec = {
    scenario,
    ...(baseline ? { baseline } : {}),
    levers,
    design,
    samples: o.samples as number | undefined,
    designSeed: (o["design-seed"] as number | undefined) ?? 1,
    ...(o.from !== undefined ? { from: o.from as SolveSpec["from"] } : {}),
    ...(values.set.length ? { set } : {}),
    goal,
    probability: (o.probability as number | undefined) ?? 0.8,
    constraints,
    period: o.year as string | undefined,
    refine: (o.refine as number | undefined) ?? 0,
    cost: (o.cost as SolveSpec["cost"] | undefined) ?? "insurer",
    seeds: answer.seeds,
    scale: answer.scale,
    years: o.years as number | undefined,
    parameterDraws: answer.parameterDraws,
  };

  const bar = new ProgressBar((o.progress as boolean | undefined) ?? Boolean(process.stderr.isTTY));
  let roundLabel = "";
  const progress = { start: (label: string, i?: number, n?: number, unit?: string) => bar.start(`solve ${scenario.name}${roundLabel}: ${label}`, i, n, unit), update: bar.update, finish: () => bar.finish() };
  const store = userStore ?? mkdtempSync(join(tmpdir(), "yigongti-solve-"));
  let outcome: SolveOutcome;
  try {
    outcome = await solve(spec, {
      executor: "store",
      store,
      workers: o.workers as number | undefined,
      progress,
      onRound: (r, n) => void (roundLabel = n > 1 ? ` round ${r + 1}/${n}` : ""),
    });
  } finally {
    if (userStore === undefined) rmSync(store, { recursive: true, force: true });
  }

  const langs = (o.lang as Lang[] | undefined) ?? ["zh", "en"];
  const out: FolderFiles = solveFiles(spec, outcome);
  if ((o.charts as boolean | undefined) ?? true) {
    const charts = langs.map((lang) => frontierChart(frontierInput(spec, outcome, lang)));
    const provenance = { modelVersion: modelVersion(), seed: spec.seeds[0], seeds: spec.seeds, scenarios: [{ name: scenario.name, hash: scenario.hash }], scale: spec.scale, commit: gitState().commit };
    const rendered = await renderCharts(charts, provenance, { onProgress: bar.stages("frontier") });
    charts.forEach((c, i) => {
      const d = `charts/${langs[i]}`;
      out[`${d}/frontier.svg`] = rendered[i].svg;
      out[`${d}/frontier.png`] = rendered[i].png;
      out[`${d}/frontier.csv`] = rendered[i].csv;
      out[`${d}/frontier.json`] = chartSidecar(c, provenance);
    });
  }
  writeOutputFolder(dir, OUTPUT_KINDS.solve, out, inputs);
  process.stdout.write(`${answerText(spec, outcome)}\n${frontierTable(spec, outcome)}\nwrote ${Object.keys(out).filter((f) => !f.startsWith("charts/") || f.endsWith(".png")).map((f) => join(dir, f)).join(", ")}\n`);
  return 0;
}

const goalDef = (spec: SolveSpec): IndicatorDefinition => INDICATORS.find((d) => d.id === spec.goal.indicator)!;
const costWord = (spec: SolveSpec, lang: Lang = "en") => COSTS[spec.cost ?? "insurer"][lang];

/** A lever's value in words (data/lever-labels.yaml; a bare path is a parameter, as --lever reads it). */
const leverValue = (path: string, v: number, lang: Lang = "en") => leverValueText(path, v, lang, "parameters");

/** The last segments of a lever's path, as few as tell the levers apart (table headers). */
export function leverColumn(path: string, all: readonly string[]): string {
  const tail = (p: string, k: number) => p.replace(/^policy\./, "").split(".").slice(-k).join(".");
  const parts = path.replace(/^policy\./, "").split(".");
  for (let k = 2; k <= parts.length; k++) if (!all.some((p) => p !== path && tail(p, k) === tail(path, k))) return tail(path, k);
  return parts.join(".");
}

/** A setting's levers in words: "村卫生室门诊报销比例 80%，…" / "Village clinic outpatient reimbursement rate 80%, …". */
const leversText = (spec: SolveSpec, p: SolvePoint, lang: Lang = "en") =>
  spec.levers.map((l, j) => `${leverName(l.path, lang, "parameters")} ${leverValue(l.path, p.values[j], lang)}`).join(lang === "zh" ? "，" : ", ");
const pct = (p: number) => `${Math.round(p * 100)}%`;
const yuan = (v: number | null) => (v === null ? "-" : `¥${Math.round(v).toLocaleString("en-US")}`);
const goalText = (spec: SolveSpec) => `${spec.goal.indicator} ${spec.goal.comparison} ${formatValue(goalDef(spec).unit, spec.goal.value).replace(/\.0%$/, "%")}`;

function pointLine(spec: SolveSpec, p: SolvePoint): string {
  const d = goalDef(spec);
  const cs = p.constraints.map((c) => `${c.id} ${pct(c.probability)}`).join(", ");
  return `  setting #${p.index + 1}: ${leversText(spec, p)}\n  ${d.id}: ${bandText(d.unit, p.goal.band)}, met in ${pct(p.goal.probability)} of runs; ${costWord(spec)} ${yuan(p.cost.median)} per resident (${yuan(p.cost.lo)}–${yuan(p.cost.hi)})\n  constraints met in: ${cs || "(none)"}`;
}

/** The answer in a few lines. */
export function answerText(spec: SolveSpec, r: SolveOutcome): string {
  const d = goalDef(spec);
  const head = `Solve ${spec.scenario.name}: ${goalText(spec)} in ${r.period} with probability ≥ ${pct(spec.probability)}, subject to ${spec.constraints.map(constraintId).join(", ") || "no constraints"}.\n` +
    `${r.points.length} settings × ${spec.seeds.length} runs (seeds ${spec.seeds[0]}–${spec.seeds[spec.seeds.length - 1]}${spec.parameterDraws ? ", each with a parameter draw" : ""}, scale ${spec.scale ?? 1}); ${r.runs} runs with the baseline. Baseline (${r.baseline.name}): ${bandText(d.unit, r.baseline.goal)}, ${yuan(r.baseline.cost.median)} per resident.\n`;
  // judged against the scenario itself, a constraint says what the levers change, not what the reform does against the status quo
  const self = spec.baseline ? "" : `Note: constraints are judged against ${spec.scenario.name} as written (no --baseline): they measure what the levers change; to judge a reform against the status quo, pass --baseline <the status-quo scenario>.\n`;
  if (r.best) return `${head}${self}\nCheapest setting reaching it:\n${pointLine(spec, r.best)}\n`;
  const why = r.bestReachable ? `Closest feasible setting:\n${pointLine(spec, r.bestReachable)}` : `No setting met every constraint; most often broken: ${mostBroken(r)}.`;
  const blocked = r.reachedInfeasible
    ? `\nSettings do reach the target, but break a constraint; the cheapest of them:\n${pointLine(spec, r.reachedInfeasible)}\n${brokenLines(r.reachedInfeasible)}`
    : "";
  return `${head}${self}\nNo setting in the ranges reaches it with probability ${pct(spec.probability)} while every constraint holds.\n${why}\n${blocked}`;
}

/** Each broken constraint of a setting, with what broke it where the rule says (benefits: which group fell). */
function brokenLines(p: SolvePoint): string {
  return p.constraints
    .filter((c) => !c.holds)
    .map((c) => `  breaks ${c.id} (met in ${pct(c.probability)} of runs)${c.detail?.length ? `: ${c.detail.slice(0, 3).join("; ")}${c.detail.length > 3 ? `; … ${c.detail.length - 3} more` : ""}` : ""}\n`)
    .join("");
}

function mostBroken(r: SolveOutcome): string {
  const count = new Map<string, number>();
  for (const p of r.points) for (const c of p.constraints) if (!c.holds) count.set(c.id, (count.get(c.id) ?? 0) + 1);
  return [...count].sort((a, b) => b[1] - a[1]).map(([id, n]) => `${id} (${n} of ${r.points.length} settings)`).join(", ");
}

function tableRows(spec: SolveSpec, r: SolveOutcome, points: readonly SolvePoint[]): string[][] {
  const d = goalDef(spec);
  return points.map((p) => [
    `${p.index + 1}${p === r.best ? " *" : ""}`,
    ...p.values.map((v, j) => leverValue(spec.levers[j].path, v)),
    bandText(d.unit, p.goal.band),
    pct(p.goal.probability),
    ...p.constraints.map((c) => pct(c.probability)),
    `${yuan(p.cost.median)} (${yuan(p.cost.lo)}–${yuan(p.cost.hi)})`,
    p.feasible ? (p.goal.reached ? "reaches" : "short") : "breaks a constraint",
  ]);
}

function tableHeader(spec: SolveSpec): { header: string[]; align: Align[] } {
  const paths = spec.levers.map((l) => l.path);
  const header = ["#", ...paths.map((p) => leverColumn(p, paths)), `${spec.goal.indicator} (10–90%)`, "P(target)", ...spec.constraints.map((c) => `P(${constraintId(c)})`), `${spec.cost === "reimbursement" ? "reimbursed" : "insurer"} ¥/resident`, "verdict"];
  return { header, align: header.map((_h, i) => (i === header.length - 1 ? "left" : "right")) };
}

/** The frontier (and the best setting) as a terminal table. */
function frontierTable(spec: SolveSpec, r: SolveOutcome): string {
  const { header, align } = tableHeader(spec);
  if (r.frontier.length === 0) return "No setting met every constraint: no frontier.\n";
  return `Frontier (${r.frontier.length} of ${r.points.length} settings: none cheaper does as well; * = the answer):\n${textTable(header, tableRows(spec, r, r.frontier), align)}`;
}

/** Every output file except the charts. */
export function solveFiles(spec: SolveSpec, r: SolveOutcome): FolderFiles {
  const paths = spec.levers.map((l) => l.path);
  const cids = spec.constraints.map(constraintId);
  const csv = csvText(
    ["setting", "round", ...paths, "goal_median", "goal_p10", "goal_p90", "goal_probability", ...cids.map((c) => `P(${c})`), "cost_per_resident_median", "cost_p10", "cost_p90", "feasible", "reached", "frontier", "best"],
    r.points.map((p) => [p.index + 1, p.round, ...p.values, p.goal.band.median, p.goal.band.lo, p.goal.band.hi, p.goal.probability, ...p.constraints.map((c) => c.probability), p.cost.median, p.cost.lo, p.cost.hi, p.feasible, p.goal.reached, p.frontier, p === r.best]),
  );
  const json = {
    command: "solve",
    scenario: { name: spec.scenario.name, file: spec.scenario.file, hash: spec.scenario.hash },
    baseline: { name: r.baseline.name, file: (spec.baseline ?? spec.scenario).file, goal: r.baseline.goal, costPerResident: r.baseline.cost },
    question: { goal: spec.goal, period: r.period, probability: spec.probability, constraints: cids, cost: `${spec.cost ?? "insurer"}: ${COSTS[spec.cost ?? "insurer"].en} per resident-year (yuan)`, levers: spec.levers, from: spec.from ? formatYearMonth(spec.from) : null, set: spec.set ?? null },
    settings: { design: spec.design ?? "grid", samples: spec.samples ?? null, designSeed: spec.designSeed ?? 1, refine: spec.refine ?? 0, seeds: spec.seeds, scale: spec.scale ?? 1, parameterDraws: Boolean(spec.parameterDraws), runs: r.runs },
    answer: r.best ? { reached: true, setting: r.best.index + 1, overrides: r.best.overrides } : { reached: false, closest: r.bestReachable ? r.bestReachable.index + 1 : null },
    frontier: r.frontier.map((p) => p.index + 1),
    points: r.points.map((p) => ({ setting: p.index + 1, round: p.round, values: Object.fromEntries(paths.map((path, j) => [path, p.values[j]])), overrides: p.overrides, goal: p.goal, constraints: p.constraints, feasible: p.feasible, costPerResident: p.cost })),
  };
  const { header, align } = tableHeader(spec);
  const md = `# What would it take 达标需要什么条件: ${spec.scenario.title.en} / ${spec.scenario.title.zh}\n\n\`\`\`\n${answerText(spec, r)}\`\`\`\n\n## Every setting tried\n\n${markdownTable(header, tableRows(spec, r, r.points), align)}`;
  return { "solve.csv": csv, "solve.json": jsonText(json), "solve.md": md };
}

function frontierInput(spec: SolveSpec, r: SolveOutcome, lang: Lang) {
  const d = goalDef(spec);
  const settings: FrontierSetting[] = r.points.map((p) => ({
    setting: p.index + 1,
    levers: leversText(spec, p, lang),
    cost: p.cost.median,
    goal: p.goal.band.median,
    goalLo: p.goal.band.lo,
    goalHi: p.goal.band.hi,
    probability: p.goal.probability,
    feasible: p.feasible,
    reached: p.goal.reached,
    frontier: p.frontier,
    best: p === r.best,
  }));
  return {
    lang,
    indicator: { id: d.id, label: d.label, unit: d.unit },
    cost: COSTS[spec.cost ?? "insurer"],
    goal: { value: spec.goal.value, comparison: spec.goal.comparison },
    probability: spec.probability,
    period: r.period,
    settings,
    baseline: { label: pick(spec.baseline?.title ?? spec.scenario.title, lang) + (spec.baseline ? "" : lang === "zh" ? "（原方案）" : " (as written)"), cost: r.baseline.cost.median, goal: r.baseline.goal.median },
  };
}

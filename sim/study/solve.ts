/**
 * "What would it take": the cheapest setting of a few policy levers that reaches a target
 * with a chosen probability, subject to constraints — the question a researcher otherwise
 * answers with one hand-written scenario per value.
 *
 *   const answer = await solve({
 *     scenario: loadScenario("scenarios/full-package-qujing.yaml"),
 *     levers: [{ path: "policy.insurance.resident.outpatient.rate.village", low: 0.5, high: 0.9, steps: 5 }],
 *     goal: parseGoal("primaryVisitShare>=0.65"), probability: 0.8,
 *     constraints: DEFAULT_CONSTRAINTS, seeds: [1, 2, 3, 4, 5, 6, 7, 8], scale: 0.1,
 *   }, { store: "out/store" });
 *   answer.best          // the cheapest setting that reaches the goal, or null
 *   answer.frontier      // goal reached against insurer spending, cheapest first
 *
 * How: the existing machinery, nothing new underneath. Each round is a design over the
 * lever ranges (a grid, or a Latin hypercube: sim/experiments/design.ts); every setting
 * is one scenario of a study (sim/study/study.ts) with the levers held, run on the same
 * seeds and parameter draws as every other setting and as the baseline (common random
 * numbers), so settings differ only by their levers and each is judged against its
 * baseline twin (siphon verdict, benefits). With a results store every run is kept as it
 * finishes, so a killed solve resumes. Refinement rounds repeat the design in a box half
 * as wide around the best setting so far.
 *
 * Judgement, per setting, over its runs:
 *   - goal probability   share of runs whose goal indicator meets the goal in the period
 *   - each constraint    share of runs satisfying it; it holds when that share ≥ the
 *                        chosen probability (the same confidence as the goal)
 *   - cost               insurer spending (or reimbursement of care: COSTS) per
 *                        resident-year in the period (yuan; scale-free)
 * `best` is the feasible setting (every constraint holds) whose goal probability reaches
 * the chosen probability at the lowest median cost. The frontier: feasible settings no
 * other feasible setting beats on both cost (lower median) and goal (better median).
 */
import { INDICATORS, type Comparison } from "../indicators";
import { InputError } from "../scenario/errors";
import type { Scenario } from "../scenario/load";
import { formatYearMonth, monthsBetween, type YearMonth } from "../scenario/months";
import type { OverrideValue } from "../scenario/overrides";
import type { SiphonLevel } from "../siphon";
import { fallText } from "../benefits";
import { gridDesign, latinHypercubeDesign } from "../experiments/design";
import { overridesOf, parameterBounds, type ParameterRange } from "../experiments/parameter-ranges";
import { runStudy, studyYears, type StudyOptions, type StudyRun, type StudySpec } from "./study";
import { quantileBand, valueAt, type QuantileBand } from "./summary";

/** What must be reached: an indicator against a value in one period, e.g. primaryVisitShare ≥ 0.65 in 2020. */
export interface SolveGoal {
  indicator: string;
  comparison: ">=" | "<=";
  value: number;
}

export type SolveConstraint =
  | { kind: "indicator"; indicator: string; comparison: ">=" | "<="; value: number }
  /** 待遇不降低 (003 §三): no scheme × poverty group's benefits lower than in the baseline twin (sim/benefits.ts) */
  | { kind: "benefitsNotLower" }
  /** the siphon verdict against the baseline twin is below this level (sim/siphon.ts) */
  | { kind: "siphonBelow"; level: SiphonLevel };

/** The constraints the issue names: the fund never negative, benefits not lower, siphon risk not high. */
export const DEFAULT_CONSTRAINTS: readonly SolveConstraint[] = [
  { kind: "indicator", indicator: "insurerFundBalance", comparison: ">=", value: 0 },
  { kind: "benefitsNotLower" },
  { kind: "siphonBelow", level: "high" },
];

export type SolveDesign = "grid" | "lhs";

export interface SolveSpec {
  scenario: Scenario;
  /** what each setting is judged against (siphon, benefits); default: the scenario as written */
  baseline?: Scenario;
  levers: readonly ParameterRange[];
  design?: SolveDesign;
  /** Latin-hypercube points per round (lhs) */
  samples?: number;
  designSeed?: number;
  /** the levers take their values from this month on (default: the whole run) */
  from?: YearMonth;
  /** leaves held at every setting (not in the baseline), e.g. {"policy.payment.regime": "capitation"} */
  set?: Record<string, OverrideValue>;
  goal: SolveGoal;
  /** the share of runs that must meet the goal and each constraint, in (0, 1] */
  probability: number;
  constraints: readonly SolveConstraint[];
  /** the period judged, e.g. "2020" (default: the final simulated year) */
  period?: string;
  /** refinement rounds after the first (default 0) */
  refine?: number;
  /** what "cheapest" minimises (default "insurer"; see COSTS) */
  cost?: SolveCost;
  seeds: readonly number[];
  scale?: number;
  years?: number;
  parameterDraws?: StudySpec["parameterDraws"];
}

export interface ConstraintOutcome {
  /** e.g. "insurerFundBalance>=0", "benefitsNotLower", "siphon<high" */
  id: string;
  /** share of runs satisfying it */
  probability: number;
  holds: boolean;
  /** the indicator's band (indicator constraints) */
  band?: QuantileBand;
  /** what broke it, in words, where the rule can say (benefits: the falls of the first run that fell) */
  detail?: string[];
}

export interface SolvePoint {
  /** 0 for the first design, then 1, 2, … for refinement rounds */
  round: number;
  /** index among all settings tried, in the order run */
  index: number;
  /** one value per lever, in lever order */
  values: number[];
  overrides: Record<string, OverrideValue>;
  goal: { band: QuantileBand; probability: number; reached: boolean };
  constraints: ConstraintOutcome[];
  feasible: boolean;
  /** the cost per resident-year (yuan) in the period: insurer spending or reimbursement (SolveSpec.cost) */
  cost: QuantileBand;
  frontier: boolean;
}

export interface SolveOutcome {
  period: string;
  points: SolvePoint[];
  /** the cheapest feasible setting reaching the goal, or null */
  best: SolvePoint | null;
  /** when none reaches it: the feasible setting closest to the goal (best median), or null when none is feasible */
  bestReachable: SolvePoint | null;
  /** when none reaches it: the cheapest setting that reaches the goal but breaks a constraint, or null */
  reachedInfeasible: SolvePoint | null;
  /** feasible settings on the cost–goal frontier, cheapest first */
  frontier: SolvePoint[];
  /** the baseline's goal band and cost, for reference */
  baseline: { name: string; goal: QuantileBand; cost: QuantileBand };
  runs: number;
}

const GOAL = /^\s*([A-Za-z][A-Za-z0-9]*)\s*(>=|<=|≥|≤)\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(%?)\s*$/;

/** Parse "primaryVisitShare>=0.65" (≥ and ≤ are accepted too). */
export function parseGoal(raw: string, where = "--target"): SolveGoal {
  const m = GOAL.exec(raw);
  if (!m) {
    // an unquoted > on a command line is a redirection: the shell leaves only the indicator
    const hint = /^\s*[A-Za-z][A-Za-z0-9]*\s*$/.test(raw) ? " (in a shell, quote it: 'primaryVisitShare>=0.65' — an unquoted > redirects)" : "";
    throw new InputError([`${where} ${JSON.stringify(raw)}: write INDICATOR>=VALUE or INDICATOR<=VALUE, e.g. primaryVisitShare>=0.65${hint}`]);
  }
  const indicator = m[1];
  if (!INDICATORS.some((d) => d.id === indicator)) throw new InputError([`${where} ${JSON.stringify(raw)}: unknown indicator ${indicator}; indicators: ${INDICATORS.map((d) => d.id).join(", ")}`]);
  // "65%" is 0.65, as shares are held
  return { indicator, comparison: m[2] === ">=" || m[2] === "≥" ? ">=" : "<=", value: m[4] ? Number(m[3]) / 100 : Number(m[3]) };
}

/** Parse a constraint: INDICATOR>=VALUE, benefitsNotLower, or siphon<high / siphon<moderate. */
export function parseConstraint(raw: string, where = "--constraint"): SolveConstraint {
  const t = raw.trim();
  if (t === "benefitsNotLower" || t === "benefits-not-lower") return { kind: "benefitsNotLower" };
  const s = /^siphon\s*<\s*(high|moderate)$/.exec(t);
  if (s) return { kind: "siphonBelow", level: s[1] as SiphonLevel };
  if (/^siphon/.test(t)) throw new InputError([`${where} ${JSON.stringify(raw)}: write siphon<high (risk not high) or siphon<moderate (risk low)`]);
  const g = parseGoal(t, where);
  return { kind: "indicator", ...g };
}

export function constraintId(c: SolveConstraint): string {
  if (c.kind === "benefitsNotLower") return "benefitsNotLower";
  if (c.kind === "siphonBelow") return `siphon<${c.level}`;
  return `${c.indicator}${c.comparison}${c.value}`;
}

const meets = (v: number, c: Comparison | ">=" | "<=", target: number) => (c === "<=" ? v <= target : v >= target);

/** An indicator against a bound over a setting's runs: its band, and the share of runs meeting the bound (the goal and indicator constraints alike). */
function boundOutcome(runs: readonly StudyRun[], b: SolveGoal, period: string): { band: QuantileBand; probability: number } {
  const vs = runs.map((r) => valueAt(r, b.indicator, { period })?.value ?? null);
  return { band: quantileBand(vs), probability: vs.filter((v) => v !== null && meets(v, b.comparison, b.value)).length / runs.length };
}

/**
 * What a setting costs, per resident-year (yuan, so the same at any scale):
 *   insurer        what the insurance fund pays out (insurerSpending: claims, case
 *                  payments, capitation prepayments net of settlement) — under a
 *                  capitation package this is the package, fixed by its share and not
 *                  moved by reimbursement rates
 *   reimbursement  reimbursement of care, whoever pays it: the fund's claims and the
 *                  claims paid from a package (insurerClaims + packageClaims) — what a
 *                  rate change costs the system under any payment
 */
export const COSTS = {
  insurer: { en: "insurer spending", zh: "医保基金支出" },
  reimbursement: { en: "reimbursement of care (fund and package)", zh: "医疗费用报销（基金与打包）" },
} as const;
export type SolveCost = keyof typeof COSTS;

/** A run's cost per resident-year in a period (yuan), or null without one. */
export function costOf(r: StudyRun, period: string, cost: SolveCost = "insurer"): number | null {
  if (!(r.residents > 0)) return null;
  if (cost === "insurer") {
    const v = valueAt(r, "insurerSpending", { period })?.value ?? null;
    return v === null ? null : v / r.residents;
  }
  const y = r.yearly.findIndex((p) => p.period === period);
  const t = y >= 0 ? r.yearTotals[y] : undefined;
  return t ? (t.insurerClaims + t.packageClaims) / r.residents : null;
}

/** The share of runs for which `ok` is true (a run without a value does not count as true). */
const share = (runs: readonly StudyRun[], ok: (r: StudyRun) => boolean) => runs.filter(ok).length / runs.length;

function judgeConstraint(c: SolveConstraint, runs: readonly StudyRun[], period: string, probability: number): ConstraintOutcome {
  const id = constraintId(c);
  if (c.kind === "indicator") {
    const o = boundOutcome(runs, c, period);
    return { id, probability: o.probability, holds: o.probability >= probability, band: o.band };
  }
  if (c.kind === "benefitsNotLower") {
    // against the baseline twin only: a fall the status quo itself shows year on year is no reform's doing
    const falls = (r: StudyRun) => r.entry.benefits.comparisons.filter((b) => b.against === "baseline" && b.lower);
    const p = share(runs, (r) => falls(r).length === 0);
    const fell = runs.find((r) => falls(r).length > 0);
    return { id, probability: p, holds: p >= probability, ...(fell ? { detail: falls(fell).map((b) => fallText(b)) } : {}) };
  }
  const order: SiphonLevel[] = ["low", "moderate", "high"];
  const p = share(runs, (r) => order.indexOf(r.entry.siphonRisk.level) < order.indexOf(c.level));
  return { id, probability: p, holds: p >= probability };
}

/** Judge one setting's runs. */
export function judgeSetting(runs: readonly StudyRun[], spec: Pick<SolveSpec, "goal" | "constraints" | "probability" | "cost">, period: string): Pick<SolvePoint, "goal" | "constraints" | "feasible" | "cost"> {
  const { goal, probability } = spec;
  const g = boundOutcome(runs, goal, period);
  const constraints = spec.constraints.map((c) => judgeConstraint(c, runs, period, probability));
  return {
    goal: { ...g, reached: g.probability >= probability },
    constraints,
    feasible: constraints.every((c) => c.holds),
    cost: quantileBand(runs.map((r) => costOf(r, period, spec.cost))),
  };
}

/** How much better goal median a is than b (positive = better), by the goal's direction. */
const better = (goal: SolveGoal, a: number | null, b: number | null) => (a === null ? -Infinity : b === null ? Infinity : goal.comparison === ">=" ? a - b : b - a);

/** The cheapest setting reaching the goal among the feasible ones (ties: higher probability, then better median). */
export function cheapest(points: readonly SolvePoint[], goal: SolveGoal): SolvePoint | null {
  const ok = points.filter((p) => p.feasible && p.goal.reached && p.cost.median !== null);
  ok.sort((a, b) => a.cost.median! - b.cost.median! || b.goal.probability - a.goal.probability || better(goal, b.goal.band.median, a.goal.band.median) || a.index - b.index);
  return ok[0] ?? null;
}

/** The feasible setting closest to the goal: highest probability, then best median, then cheapest. */
export function closest(points: readonly SolvePoint[], goal: SolveGoal): SolvePoint | null {
  const ok = points.filter((p) => p.feasible);
  ok.sort((a, b) => b.goal.probability - a.goal.probability || better(goal, b.goal.band.median, a.goal.band.median) || (a.cost.median ?? Infinity) - (b.cost.median ?? Infinity) || a.index - b.index);
  return ok[0] ?? null;
}

/**
 * The frontier: feasible settings with a cost that no other feasible setting beats with
 * a goal median at least as good and a cost at most as high (one of them strictly).
 * Cheapest first; along it the goal median improves strictly.
 */
export function frontierOf(points: readonly SolvePoint[], goal: SolveGoal): SolvePoint[] {
  const ok = points.filter((p) => p.feasible && p.cost.median !== null && p.goal.band.median !== null);
  ok.sort((a, b) => a.cost.median! - b.cost.median! || better(goal, b.goal.band.median, a.goal.band.median) || a.index - b.index);
  const out: SolvePoint[] = [];
  for (const p of ok) if (out.length === 0 || better(goal, p.goal.band.median, out[out.length - 1].goal.band.median) > 0) out.push(p);
  return out;
}

/** The design of one round over `ranges`. */
function roundPoints(ranges: readonly ParameterRange[], design: SolveDesign, samples: number | undefined, seed: number): number[][] {
  if (samples === undefined && design === "lhs") throw new InputError(["a Latin-hypercube solve needs a number of samples per round"]);
  const xs = design === "grid" ? gridDesign(ranges) : latinHypercubeDesign(ranges, samples!, seed);
  // 12 significant digits: a grid step of 0.15 is 0.65, not 0.6499999999999999, in the levers and the tables
  return xs.map((x) => x.map((v) => Number(v.toPrecision(12))));
}

/** The ranges of the next round: half as wide, centred on `at`, inside the original ranges. */
export function narrowed(original: readonly ParameterRange[], current: readonly ParameterRange[], at: readonly number[]): ParameterRange[] {
  return original.map((r, j) => {
    const half = (current[j].high - current[j].low) / 4;
    let low = Math.max(r.low, at[j] - half);
    let high = Math.min(r.high, at[j] + half);
    if (parameterBounds(r.path).integer) [low, high] = [Math.floor(low), Math.ceil(high)];
    if (high <= low) [low, high] = [r.low, r.high];
    return { ...r, low, high };
  });
}

/** The overrides of one setting: each lever held for the run, or from `from` on. */
export function settingOverrides(levers: readonly ParameterRange[], x: readonly number[], from: YearMonth | undefined, set: Record<string, OverrideValue> | undefined): Record<string, OverrideValue> {
  const values = overridesOf(levers, x);
  const dated = from ? Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { [formatYearMonth(from)]: v }])) : values;
  return { ...(set ?? {}), ...dated };
}

export interface SolveProgress {
  /** a round starts: its index (0-based), the rounds in all, the settings in it */
  round(index: number, rounds: number, settings: number): void;
}

/** Solve: run the rounds and judge every setting. */
export async function solve(spec: SolveSpec, options: StudyOptions & { onRound?: SolveProgress["round"] } = {}): Promise<SolveOutcome> {
  const problems: string[] = [];
  if (!(spec.probability > 0 && spec.probability <= 1)) problems.push(`probability = ${spec.probability}: must be greater than 0 and at most 1`);
  if (spec.levers.length === 0) problems.push("solve needs at least one lever (--lever PATH=LO:HI[:STEPS])");
  const refine = spec.refine ?? 0;
  if (!(Number.isInteger(refine) && refine >= 0 && refine <= 10)) problems.push(`refine = ${refine}: a whole number of rounds from 0 to 10`);
  const baseline = spec.baseline ?? spec.scenario;
  if (baseline.countyFile !== spec.scenario.countyFile || formatYearMonth(baseline.start) !== formatYearMonth(spec.scenario.start))
    problems.push(`baseline ${baseline.file}: must describe the same county (${spec.scenario.countyFile}) from the same start (${formatYearMonth(spec.scenario.start)}) as ${spec.scenario.file}`);
  if (spec.from) {
    const months = studyYears(spec.scenario, spec.years) * 12;
    const k = monthsBetween(spec.scenario.start, spec.from);
    if (!(k >= 0 && k < months)) problems.push(`from ${formatYearMonth(spec.from)}: not a month of the run (${formatYearMonth(spec.scenario.start)} and the ${months - 1} months after), so the levers would never act`);
  }
  if (problems.length) throw new InputError(problems);

  const design = spec.design ?? "grid";
  const baseName = spec.baseline ? baseline.name : `${spec.scenario.name} (as written)`;
  const tried = new Map<string, SolvePoint>();
  const points: SolvePoint[] = [];
  let ranges: ParameterRange[] = [...spec.levers];
  let period = spec.period;
  let baselineSummary: SolveOutcome["baseline"] | null = null;
  let runs = 0;
  for (let round = 0; round <= refine; round++) {
    const xs = roundPoints(ranges, design, spec.samples, (spec.designSeed ?? 1) + round).filter((x) => !tried.has(JSON.stringify(x)));
    options.onRound?.(round, refine + 1, xs.length);
    if (xs.length > 0) {
      const overrides = xs.map((x) => settingOverrides(spec.levers, x, spec.from, spec.set));
      // the scenarios as loaded (so workers and the store load them from their files); the
      // baseline is first, so when it is the scenario itself its name still finds it first
      const study = await runStudy(
        {
          scenarios: [baseline, ...xs.map(() => spec.scenario)],
          overrides: [undefined, ...overrides],
          baseline: baseline.name,
          seeds: spec.seeds,
          scale: spec.scale,
          years: spec.years,
          parameterDraws: spec.parameterDraws,
        },
        options,
      );
      runs += study.scenarios.length * spec.seeds.length;
      const [base, ...rest] = study.scenarios;
      if (period === undefined) period = base.runs[0].finalYear;
      else if (!base.runs[0].yearly.some((y) => y.period === period)) throw new InputError([`period ${period} is not simulated; the runs cover ${base.runs[0].yearly.map((y) => y.period).join(", ")}`]);
      const p = period;
      baselineSummary ??= { name: baseName, goal: quantileBand(base.runs.map((r) => valueAt(r, spec.goal.indicator, { period: p })?.value ?? null)), cost: quantileBand(base.runs.map((r) => costOf(r, p, spec.cost))) };
      rest.forEach((s, i) => {
        const point: SolvePoint = { round, index: points.length, values: xs[i], overrides: overrides[i], ...judgeSetting(s.runs, spec, p), frontier: false };
        points.push(point);
        tried.set(JSON.stringify(xs[i]), point);
      });
    }
    if (round < refine) {
      const centre = cheapest(points, spec.goal) ?? closest(points, spec.goal);
      if (!centre) break; // nothing feasible: no box to narrow around
      ranges = narrowed(spec.levers, ranges, centre.values);
    }
  }
  const frontier = frontierOf(points, spec.goal);
  for (const p of frontier) p.frontier = true;
  const best = cheapest(points, spec.goal);
  const infeasible = best ? [] : points.filter((p) => p.goal.reached && !p.feasible).sort((a, b) => (a.cost.median ?? Infinity) - (b.cost.median ?? Infinity) || a.index - b.index);
  return { period: period!, points, best, bestReachable: best ? null : closest(points, spec.goal), reachedInfeasible: infeasible[0] ?? null, frontier, baseline: baselineSummary!, runs };
}

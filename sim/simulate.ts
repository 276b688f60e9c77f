/**
 * Run a scenario: build the engine (sim/engine/state.ts), then run the month's plan
 * (sim/engine/month.ts) once per month — burn-in months first, under the start month's
 * policy, then the recorded months. The plan is the model's causal order:
 *
 *   policy → open books → new year → population (a changing one) → supply (January: the supply side's plan, the
 *   workforce's plan inside it) → funding → crowding → residents (the episode kernel:
 *   choose → route → price → emit to the sinks) → perceived load → payments → year end
 *   → books check → record
 *
 * `yigongti plan` prints every step with one line each; `options.plan` may insert steps.
 */
import { generateCounty, type County } from "./county/generate";
import type { EncounterSink } from "./engine/encounter";
import { beginMonth, monthPlan, type MonthPlan } from "./engine/month";
import type { ResidentTrace } from "./engine/recording";
import { ForkError, forkState, runIdentity, takeSnapshot, type RunSnapshot } from "./engine/snapshot";
import { createEngine } from "./engine/state";
import type { Counters } from "./indicators";
import type { PaymentSchemeSpec } from "./payment/registry";
import { canonicalJson, formatYearMonth, type Scenario, type YearMonth } from "./scenario/load";
import { PAYMENT_SCHEMES } from "./payment/registry";
import { TIERS } from "./tier";
import { populationYears, type PopulationYear } from "./population/state";

export type { ResidentTrace } from "./engine/recording";
export { ForkError, firstPolicyChange, forkProblem, policyCalendar, runIdentity, type RunSnapshot } from "./engine/snapshot";
/** The month's plan and how to print it: `console.log(formatPlan(monthPlan()))` (= `yigongti plan`). */
export { monthPlan, type MonthPlan, type MonthStep } from "./engine/month";
export { formatPlan, planRows, type PlanRow } from "./engine/plan";

export interface SimulateOptions {
  seed?: number;
  /** simulated years from the scenario start (default: the scenario's `years`) */
  years?: number;
  /** population, staff and beds multiplied by this (quick checks) */
  scale?: number;
  /** keep a per-resident summary (encounters by tier, OOP) for scenario differences */
  traceResidents?: boolean;
  /** called after each recorded month */
  onProgress?: (monthsDone: number, monthsTotal: number) => void;
  /**
   * Change the month's plan before the run — insert an analyser or a check at a named
   * point (`plan.insert(step, {after: "residents"})`, sub-plans through `plan.step(label).plan`).
   * Not part of a run's identity: the results store does not see it.
   */
  plan?: (plan: MonthPlan) => void;
  /** further sinks that hear of every encounter (sim/engine/encounter.ts) */
  sinks?: readonly EncounterSink[];
  /** the payment schemes to choose from, in precedence order (default: sim/payment/registry.ts PAYMENT_SCHEMES) */
  paymentSchemes?: readonly PaymentSchemeSpec[];
  /**
   * Start from this snapshot (snapshotAt, or `onSnapshot`) instead of from the start: the
   * burn-in and the months before the snapshot's are not run again, and the result is
   * bit-identical to the run from the start. The run must share the snapshot's county,
   * scale, parameters, seed, horizon, trace setting, payment registry and the policy of
   * every month before it (else a ForkError says what differs). `sinks` hear only the
   * months from the fork on, so they are refused. The snapshot is not changed.
   */
  fork?: RunSnapshot;
  /** with `onSnapshot`: keep a snapshot at the start of this month (a recorded month of the run), then go on */
  saveAt?: YearMonth;
  onSnapshot?: (snapshot: RunSnapshot) => void;
}

export interface SimulationResult {
  scenario: Pick<Scenario, "name" | "title" | "file" | "hash" | "countyFile" | "parameterFile" | "start">;
  seed: number;
  scale: number;
  months: number;
  start: YearMonth;
  residents: number;
  facilities: { id: string; name: { zh: string; en: string }; tier: string; community: string | null }[];
  communities: { id: string; name: { zh: string; en: string } }[];
  counters: Counters;
  /** visits per facility per month: [month * F + f] */
  facilityVisits: Float64Array;
  /** admissions per facility per month: [month * F + f] */
  facilityAdmissions: Float64Array;
  /** package balance per community at the end of each month (before December settlement): [month * C + c] */
  communityPackage: Float64Array;
  townships: { id: string; name: { zh: string; en: string } }[];
  /** OOP and resident-years per township, recorded at each insurance year's end: [month * T + township] (sim/protection.ts) */
  townshipOop: Float64Array;
  townshipResidentYears: Float64Array;
  /** final balance of every ledger account */
  accounts: Record<string, number>;
  trace?: ResidentTrace;
  /** a changing population's yearly record (births, deaths, migration, 65+ share…; sim/population/state.ts); absent when it is fixed */
  population?: PopulationYear[];
}

const countyCache = new Map<string, County>();
/**
 * Most residents the cache keeps in a thread: a prefecture's worker runs one county after
 * another and must not keep them all (≈150 B per resident each); a single county or a
 * few small ones are kept as before.
 */
const CACHE_RESIDENTS = 1_500_000;
let cachedResidents = 0;

/** Build (or reuse) the county for a description and scale. */
export function countyFor(s: Scenario, scale: number): County {
  const key = `${canonicalJson(s.county)}|${scale}`;
  let c = countyCache.get(key);
  if (!c) {
    const size = Math.round(s.county.townships.reduce((n, t) => n + t.population, 0) * scale);
    if (countyCache.size > 4 || cachedResidents + size > CACHE_RESIDENTS) {
      countyCache.clear();
      cachedResidents = 0;
    }
    cachedResidents += size;
    c = generateCounty(s.county, scale);
    countyCache.set(key, c);
  }
  return c;
}

/** Run one scenario. Same scenario + seed + years + scale → bit-identical result (from the start or forked). */
export function simulate(scenario: Scenario, options: SimulateOptions = {}): SimulationResult {
  const run = startRun(scenario, options);
  const { context, state, county } = run;
  const saveStep = options.saveAt && options.onSnapshot ? monthIndex(scenario, options.saveAt, context.months, "saveAt") : null;
  if (saveStep !== null) noSinks(options, "saveAt");
  const plan = monthPlan();
  options.plan?.(plan);
  for (let step = run.firstStep; step < context.months; step++) {
    if (step === saveStep) options.onSnapshot!(takeSnapshot(run.identity, context, state, step, true));
    beginMonth(state, context, step);
    plan.run(state, context);
  }

  return {
    scenario: { name: scenario.name, title: scenario.title, file: scenario.file, hash: scenario.hash, countyFile: scenario.countyFile, parameterFile: scenario.parameterFile, start: scenario.start },
    seed: context.seed,
    scale: run.scale,
    months: context.months,
    start: scenario.start,
    residents: context.n,
    facilities: county.facilities.map((f) => ({ id: f.id, name: f.name, tier: TIERS[f.tier], community: f.community >= 0 ? county.communities[f.community].id : null })),
    communities: county.communities.map((c) => ({ id: c.id, name: c.name })),
    counters: state.counters,
    facilityVisits: state.counts.facilityVisits,
    facilityAdmissions: state.counts.facilityAdmissions,
    communityPackage: state.communityPackage,
    townships: county.townships.map((t) => ({ id: t.id, name: t.name })),
    townshipOop: state.protection.townshipOop,
    townshipResidentYears: state.protection.townshipResidentYears,
    accounts: state.books.accounts(),
    trace: state.traceSink?.trace,
    ...(state.population ? { population: populationYears(state.population.series, scenario.start) } : {}),
  };
}

/**
 * The run's state at the start of `month` (a recorded month of the run): the burn-in and
 * the months before it run, nothing after. `simulate(reform, {fork})` continues from it.
 */
export function snapshotAt(scenario: Scenario, options: Omit<SimulateOptions, "fork" | "saveAt" | "onSnapshot">, month: YearMonth): RunSnapshot {
  noSinks(options, "snapshotAt");
  const run = startRun(scenario, options);
  const { context, state } = run;
  const stop = monthIndex(scenario, month, context.months, "snapshotAt");
  const plan = monthPlan();
  options.plan?.(plan);
  for (let step = run.firstStep; step < stop; step++) {
    beginMonth(state, context, step);
    plan.run(state, context);
  }
  return takeSnapshot(run.identity, context, state, stop, false);
}

/** A snapshot holds the engine's own state only: further sinks (the caller's objects) would be carried into every fork. */
function noSinks(options: SimulateOptions, option: string): void {
  if (options.sinks?.length) throw new ForkError(`${option}: a run with further sinks cannot keep a snapshot (they are the caller's objects, not the engine's state)`);
}

/** Month index (0 = the scenario's first recorded month) of a recorded month of the run. */
function monthIndex(scenario: Scenario, at: YearMonth, months: number, option: string): number {
  const k = at.year * 12 + at.month - 1 - (scenario.start.year * 12 + scenario.start.month - 1);
  if (!(Number.isInteger(k) && k >= 0 && k < months)) throw new RangeError(`${option}: ${formatYearMonth(at)} is not a month of the run (${formatYearMonth(scenario.start)} and the ${months - 1} months after)`);
  return k;
}

/** Engine, identity and first month of a run: a fresh engine, its state from `fork` if given. */
function startRun(scenario: Scenario, options: SimulateOptions) {
  const seed = options.seed ?? 1;
  const scale = options.scale ?? 1;
  const years = options.years ?? scenario.years;
  if (!(scale > 0 && scale <= 1)) throw new RangeError(`scale must be in (0, 1], got ${scale}`);
  if (!(Number.isInteger(years) && years >= 1 && years <= 50)) throw new RangeError(`years must be an integer 1–50, got ${years}`);
  const county = countyFor(scenario, scale);
  const months = years * 12;
  const traceResidents = options.traceResidents ?? false;
  const engine = createEngine(scenario, county, {
    seed, months, traceResidents, sinks: options.sinks, paymentSchemes: options.paymentSchemes, onProgress: options.onProgress,
  });
  const identity = runIdentity(scenario, { seed, months, scale, traceResidents, paymentSchemes: options.paymentSchemes ?? PAYMENT_SCHEMES });
  if (!options.fork) return { ...engine, county, scale, identity, firstStep: -engine.context.burnIn };
  if (options.sinks?.length) throw new ForkError("a forked run cannot have further sinks: they would not hear the months before the fork (run from the start)");
  const state = forkState(options.fork, identity, engine.context, engine.state);
  return { context: engine.context, state, county, scale, identity, firstStep: options.fork.step };
}

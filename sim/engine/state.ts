/**
 * The engine's context (what is fixed for a run: the county, parameters, static tables,
 * random streams) and its state (what the month's steps change: the calendar, the policy
 * in force, residents' annual insurance state, loads and crowding, the books, the supply
 * side, the counters), built once per run by `createEngine`.
 */
import { choiceCoefficients, type ChoiceCoefficients } from "../choice";
import type { County } from "../county/generate";
import { CountyBooks, type Recorder } from "../books";
import { incidenceTables, type IncidenceTables } from "../episodes";
import { newCounters, type Counters } from "../indicators";
import { ClaimPricer } from "../insurance/claims";
import { CaseMix } from "../payment/case-mix";
import { CommunityPayments, type PaymentSchemeSpec, type SchemeEnvironmentSource } from "../payment/registry";
import type { SchemeEnvironment } from "../payment/scheme";
import { ProtectionRecorder } from "../protection";
import { capabilityIndex, type Parameters } from "../parameters";
import type { Policy } from "../policy";
import { STREAMS, streamKey } from "../random";
import { referralDirectory } from "../referral";
import { policyTimeline, type Scenario } from "../scenario/load";
import { SupplySide } from "../supply";
import { COUNTY, INPATIENT, N_SEVERITIES, N_TIERS, OUTPATIENT, OUT_OF_COUNTY, TIERS, TOWNSHIP } from "../tier";
import { EpisodeKernel } from "./kernel";
import { Population } from "../population/state";
import { CounterSink, TraceSink, type ResidentTrace } from "./recording";
import type { EncounterSink } from "./encounter";

export interface EngineContext {
  readonly scenario: Scenario;
  readonly P: Parameters;
  readonly county: County;
  readonly seed: number;
  /** residents, facilities, communities */
  readonly n: number;
  readonly F: number;
  readonly C: number;
  /** recorded months; burn-in months before them; calendar month (year × 12 + month − 1) of the first */
  readonly months: number;
  readonly burnIn: number;
  readonly startCal: number;
  readonly tables: StaticTables;
  readonly incidence: IncidenceTables;
  /** insured persons per scheme; enrolled insured persons per community and scheme [c * 2 + scheme] */
  readonly insured: Float64Array;
  readonly enrolled: Float64Array;
  readonly keys: { illness: number; contract: number; choice: number; downwardReferral: number; gatekeeping: number; caseMix: number; upstreamTests: number; repeatVisit: number; careSeeking: number };
  /** inpatient condition groups for case-based payment (sim/payment/case-mix.ts) */
  readonly caseMix: CaseMix;
  /** the start month's policy (burn-in runs under it) and the policy of a calendar month */
  readonly startPolicy: Policy;
  readonly policyAt: (cal: number) => Policy;
  readonly onProgress?: (monthsDone: number, monthsTotal: number) => void;
}

export interface StaticTables {
  /** highest severity each tier can treat: [tier * 2 + care] */
  readonly capable: Int8Array;
  /** where a facility sends an episode it cannot treat (sim/referral.ts) */
  readonly refDir: Int32Array;
  readonly facTier: Int8Array;
  readonly facCommunity: Int16Array;
  readonly facQuality: Float64Array;
  /** episodes a township centre can treat: [care * N_SEVERITIES + sev] */
  readonly primaryTreatable: Uint8Array;
  readonly villageCommunity: Int16Array;
  readonly villageCentre: Int32Array;
  readonly villageClinic: Int32Array;
  /**
   * "1+1+1" (002 §7): each village's bundle beyond its own clinic and centre — the county
   * hospital (its community's lead, else the nearest) and the city hospital (the nearest out
   * of county; −1 if none) — and whether each village option [k] is one of the two
   */
  readonly bundleCounty: Int32Array;
  readonly bundleCity: Int32Array;
  readonly bundleOption: Uint8Array;
  /** the choice model's coefficients, laid out by index (sim/choice.ts) */
  readonly choice: ChoiceCoefficients;
}

/** Residents' state that lasts beyond one episode. */
export interface ResidentState {
  /** the facility of the last encounter (habit), −1 = none */
  readonly lastFacility: Int32Array;
  /** this insurance year: outpatient deductible paid, reimbursement received, OOP paid */
  readonly opDeductiblePaid: Float32Array;
  readonly opReimbursed: Float32Array;
  readonly ipReimbursed: Float32Array;
  readonly oopThisYear: Float32Array;
}

/** Load met at each facility and the crowding residents expect from it. */
export interface LoadState {
  /** perceived (adaptively expected) load, outpatient and inpatient */
  readonly op: Float64Array;
  readonly ip: Float64Array;
  /** this month's load */
  readonly opNow: Float64Array;
  readonly ipNow: Float64Array;
  /** crowding (waiting) this month */
  readonly opCrowd: Float64Array;
  readonly ipCrowd: Float64Array;
}

export interface EngineState {
  /** month index: −burnIn … months − 1; calendar month; recording (not burn-in) */
  step: number;
  cal: number;
  recording: boolean;
  /** where this month's recorded flows go (null in burn-in) */
  rec: Recorder;
  policy: Policy;
  /** the payment scheme of each community × insurance scheme this month, and who pays its claims */
  readonly payment: CommunityPayments;
  readonly residents: ResidentState;
  readonly load: LoadState;
  readonly pricer: ClaimPricer;
  readonly books: CountyBooks;
  readonly supply: SupplySide;
  readonly kernel: EpisodeKernel;
  readonly counts: CounterSink;
  readonly traceSink: TraceSink | null;
  /** episodes arisen since the start (burn-in included); checked against treatments */
  episodesAll: number;
  readonly counters: Counters;
  /** package balance per community at the end of each month (before December settlement): [month * C + c] */
  readonly communityPackage: Float64Array;
  /** financial protection at each insurance year's end (sim/protection.ts) */
  readonly protection: ProtectionRecorder;
  /** the run's own residents when the scenario's population changes (sim/population/state.ts); null: the county's, fixed */
  readonly population: Population | null;
}

export interface EngineOptions {
  seed: number;
  months: number;
  traceResidents: boolean;
  /** further sinks that hear of every encounter (analysers, tests) */
  sinks?: readonly EncounterSink[];
  /** the payment schemes to choose from (default: sim/payment/registry.ts) */
  paymentSchemes?: readonly PaymentSchemeSpec[];
  onProgress?: (monthsDone: number, monthsTotal: number) => void;
}

/** The "1+1+1" bundle of each village (StaticTables.bundleCounty, bundleCity, bundleOption). */
function bundles(county: County, villageCommunity: Int16Array, facTier: Int8Array): Pick<StaticTables, "bundleCounty" | "bundleCity" | "bundleOption"> {
  const { optionStart, optionFacility, optionMinutes } = county;
  const V = county.villages.length;
  const bundleCounty = new Int32Array(V).fill(-1);
  const bundleCity = new Int32Array(V).fill(-1);
  const bundleOption = new Uint8Array(optionFacility.length);
  for (let v = 0; v < V; v++) {
    const c = villageCommunity[v];
    let countyHospital = c >= 0 ? county.communities[c].lead : -1;
    let city = -1;
    let countyMin = Infinity;
    let cityMin = Infinity;
    for (let k = optionStart[v]; k < optionStart[v + 1]; k++) {
      const f = optionFacility[k];
      const m = optionMinutes[k];
      if (c < 0 && facTier[f] === COUNTY && m < countyMin) [countyHospital, countyMin] = [f, m];
      if (facTier[f] === OUT_OF_COUNTY && m < cityMin) [city, cityMin] = [f, m];
    }
    bundleCounty[v] = countyHospital;
    bundleCity[v] = city;
    for (let k = optionStart[v]; k < optionStart[v + 1]; k++) {
      const f = optionFacility[k];
      bundleOption[k] = f === countyHospital || f === city ? 1 : 0;
    }
  }
  return { bundleCounty, bundleCity, bundleOption };
}

function staticTables(county: County, P: Parameters): StaticTables {
  const capable = new Int8Array(N_TIERS * 2);
  TIERS.forEach((t, ti) => {
    capable[ti * 2 + OUTPATIENT] = capabilityIndex(P.capability.outpatient[t]);
    capable[ti * 2 + INPATIENT] = capabilityIndex(P.capability.inpatient[t]);
  });
  const primaryTreatable = new Uint8Array(2 * N_SEVERITIES);
  for (let care = 0; care < 2; care++) for (let sev = 0; sev < N_SEVERITIES; sev++) primaryTreatable[care * N_SEVERITIES + sev] = sev <= capable[TOWNSHIP * 2 + care] ? 1 : 0;
  const facTier = Int8Array.from(county.facilities, (f) => f.tier);
  const villageCommunity = Int16Array.from(county.villages, (v) => county.townships[v.township].community);
  return {
    capable,
    refDir: referralDirectory(county, capable),
    facTier,
    facCommunity: Int16Array.from(county.facilities, (f) => f.community),
    facQuality: Float64Array.from(county.facilities, (f) => f.qualityOffset),
    primaryTreatable,
    villageCommunity,
    villageCentre: Int32Array.from(county.villages, (v) => county.townships[v.township].centre),
    villageClinic: Int32Array.from(county.villages, (v) => v.clinic),
    ...bundles(county, villageCommunity, facTier),
    choice: choiceCoefficients(P),
  };
}

/**
 * The run's parameters, case mix and this month's price level, for the payment schemes
 * (sim/payment/registry.ts). Fields rather than a closure over the run's objects, so a
 * copied state (sim/engine/snapshot.ts) reads its own run's.
 */
class RunSchemeEnvironment implements SchemeEnvironmentSource {
  constructor(
    private readonly parameters: Parameters,
    private readonly caseMix: CaseMix,
    private readonly pricer: ClaimPricer,
  ) {}

  environment(): SchemeEnvironment {
    return { parameters: this.parameters, caseMix: this.caseMix, priceIndex: this.pricer.priceIndex };
  }
}

/** Context and initial state of a run of `scenario` on `county`. */
export function createEngine(scenario: Scenario, county: County, o: EngineOptions): { context: EngineContext; state: EngineState } {
  const P = scenario.parameters;
  const R = county.residents;
  const n = R.count;
  const F = county.facilities.length;
  const C = county.communities.length;
  const tables = staticTables(county, P);
  // a changing population has its own columns (the county is shared by every run); a fixed one is the county's
  const population = scenario.population === "changing" ? new Population(county, P.population, o.seed, o.months) : null;
  const people = population ? population.columns : R;
  const slots = people.count;
  const enrolled = new Float64Array(C * 2);
  const insured = new Float64Array(2);
  for (let i = 0; i < n; i++) {
    insured[R.scheme[i]]++;
    const c = tables.villageCommunity[R.village[i]];
    if (c >= 0) enrolled[c * 2 + R.scheme[i]]++;
  }
  const policyAt = policyTimeline(scenario.basePolicy, scenario.timeline); // each month's policy without re-applying the timeline
  const context: EngineContext = {
    scenario,
    P,
    county,
    seed: o.seed,
    n,
    F,
    C,
    months: o.months,
    burnIn: P.simulation.burnInMonths,
    startCal: scenario.start.year * 12 + scenario.start.month - 1,
    tables,
    incidence: incidenceTables(P.incidence),
    insured,
    enrolled,
    keys: {
      illness: streamKey(o.seed, STREAMS.illness),
      contract: streamKey(o.seed, STREAMS.contract),
      choice: streamKey(o.seed, STREAMS.choice),
      downwardReferral: streamKey(o.seed, STREAMS.downwardReferral),
      careSeeking: streamKey(o.seed, STREAMS.careSeeking),
      gatekeeping: streamKey(o.seed, STREAMS.gatekeeping),
      caseMix: streamKey(o.seed, STREAMS.caseMix),
      upstreamTests: streamKey(o.seed, STREAMS.upstreamTests),
      repeatVisit: streamKey(o.seed, STREAMS.repeatVisit),
    },
    caseMix: new CaseMix(P),
    startPolicy: policyAt(scenario.start),
    policyAt: (cal) => policyAt({ year: Math.floor(cal / 12), month: (cal % 12) + 1 }),
    onProgress: o.onProgress,
  };

  // Staff, beds, capacity and perceived quality change over the run (sim/supply.ts).
  const supply = new SupplySide(county, P, streamKey(o.seed, STREAMS.staff));
  const residents: ResidentState = {
    lastFacility: new Int32Array(slots).fill(-1),
    opDeductiblePaid: new Float32Array(slots),
    opReimbursed: new Float32Array(slots),
    ipReimbursed: new Float32Array(slots),
    oopThisYear: new Float32Array(slots),
  };
  const load: LoadState = {
    op: new Float64Array(F),
    ip: new Float64Array(F),
    opNow: new Float64Array(F),
    ipNow: new Float64Array(F),
    opCrowd: new Float64Array(F),
    ipCrowd: new Float64Array(F),
  };
  const books = new CountyBooks(county, insured, enrolled);
  const counters = newCounters(o.months);
  // the county's in-prefecture hospitals: in the pool under city-level pooling (市级统筹)
  const inPool = new Uint8Array(F);
  for (const h of county.description.outOfCounty) if (h.inPrefecture) inPool[county.facilities.findIndex((f) => f.id === h.id)] = 1;
  const pricer = new ClaimPricer(tables.facTier, tables.refDir, P, inPool);
  const counts = new CounterSink(counters, new Float64Array(o.months * F), new Float64Array(o.months * F), F, tables.facCommunity, pricer.inPolicy, people.scheme, people.poor);
  const trace: ResidentTrace | null = o.traceResidents ? { encounters: new Uint16Array(slots * N_TIERS), oop: new Float64Array(slots) } : null;
  const traceSink = trace ? new TraceSink(trace) : null;
  const payment = new CommunityPayments(county.communities.map((c) => c.id), o.paymentSchemes, new RunSchemeEnvironment(P, context.caseMix, pricer));
  const kernel = new EpisodeKernel(context, { residents, load, pricer, supply, payment, people, population }, { books, supply, counts, trace: traceSink, extra: o.sinks ?? [] });
  population?.listen(kernel.seeking);
  const state: EngineState = {
    step: -context.burnIn,
    cal: context.startCal - context.burnIn,
    recording: false,
    rec: null,
    policy: scenario.basePolicy,
    payment,
    residents,
    load,
    pricer,
    books,
    supply,
    kernel,
    counts,
    traceSink,
    episodesAll: 0,
    counters,
    communityPackage: new Float64Array(o.months * C),
    protection: new ProtectionRecorder(county, o.months, population),
    population,
  };
  return { context, state };
}

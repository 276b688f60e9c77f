/**
 * The episode kernel: the month's hot path, one pass over the residents.
 *
 * For each resident: episodes arise (Poisson by age band and chronic status; chronic
 * follow-ups; admissions), and for each episode
 *   seek   — whether the episode is taken to a facility at all, or treated at home / at a
 *            pharmacy / forgone (part 1 of the two-part model, sim/care-seeking.ts);
 *   choose — multinomial logit over the village's options (Gumbel-max, one uniform per
 *            option): the option's static utility + the episode terms of sim/choice.ts
 *            (OOP relative to income, habit, family-doctor contract, the "1+1+1" bundle's
 *            hospitals, crowding), written out here and tested against its reference
 *            utility();
 *   route  — a facility that cannot treat the severity refers up along the referral
 *            directory (sim/referral.ts); under a required first contact a non-critical
 *            episode chosen at a county or out-of-county facility goes through the
 *            resident's primary doctor first (sim/gatekeeping.ts); a county hospital may
 *            refer down afterwards;
 *   price  — insurance settles each encounter of the chosen path, leg by leg
 *            (sim/insurance/claims.ts beginPath); an admission treating an inpatient case
 *            carries its condition group (drawn from the "case" stream,
 *            sim/payment/case-mix.ts) and, under a case-based scheme, is first delivered
 *            as that scheme's providers deliver it (deliverCase);
 *   emit   — the encounter goes to the sinks (sim/engine/encounter.ts), paid as the
 *            resident's payment scheme says (the claim, or casePayment).
 * Nothing is allocated per episode: resident state is typed-array columns, randomness is
 * counter-based (sim/random.ts), and one Encounter record is reused.
 */
import type { CountyBooks } from "../books";
import type { Residents } from "../county/generate";
import type { Population } from "../population/state";
import { oopWeight } from "../choice";
import { MAX_OPTIONS } from "../county/description";
import { drawCount, drawSeverity, rateGroup } from "../episodes";
import type { ClaimPricer } from "../insurance/claims";
import type { CommunityPayments } from "../payment/registry";
import { NOT_REFERRED, REFERRED_DOWN, REFERRED_UP } from "../insurance/deductible";
import { CLAIM_ASSISTANCE, CLAIM_DEDUCTIBLE_PAID, CLAIM_OOP, CLAIM_REIMBURSED } from "../insurance/reimbursement";
import { CareSeeking } from "../care-seeking";
import { FirstContactGate, goesAnywayProbability } from "../gatekeeping";
import type { Policy } from "../policy";
import { NO_GROUP, caseKey } from "../payment/case-mix";
import { CASE_PAID } from "../payment/scheme";
import { OTHER_PAYER, OWN_PACKAGE, ServiceIntensity } from "../provider-response";
import { GUMBEL_BOUND_BITS, GUMBEL_LOWER, GUMBEL_UPPER, gumbelFromHash, hashFirst, hashFromPrefixBits, hashPrefix, hashPrefixFrom, uniform, uniformFromPrefix } from "../random";
import { downwardReferralProbability } from "../referral";
import type { SupplySide } from "../supply";
import { COMMON, COUNTY, CRITICAL, INPATIENT, MINOR, N_SEVERITIES, OUTPATIENT, OUT_OF_COUNTY, SERIOUS, TOWNSHIP } from "../tier";
import { Encounter, GATEWAY, TESTS, TREATMENT, type EncounterSink } from "./encounter";
import { OPTION_STRIDE, VillageOptions } from "./options";
import type { CounterSink, TraceSink } from "./recording";
import type { EngineContext, LoadState, ResidentState } from "./state";

/** the shift that leaves a choice hash's top bits, the index of its score bounds */
const GUMBEL_SHIFT = 32 - GUMBEL_BOUND_BITS;
/** the legs of a path of care (sim/insurance/claims.ts beginPath): the first contact's encounter, and the referred treatment */
const FIRST_LEG = 0;
const REFERRED_LEG = 1;

export interface KernelSinks {
  books: CountyBooks;
  supply: SupplySide;
  counts: CounterSink;
  trace: TraceSink | null;
  /** further sinks (analysers, tests); none in ordinary runs */
  extra: readonly EncounterSink[];
}

export class EpisodeKernel {
  /** episodes that arose this month, by kind; treatments since the start */
  episodesOut = 0;
  episodesIn = 0;
  episodesChronic = 0;
  treated = 0;

  // ---- this month's policy (set by setPolicy / setLeadLevers) ----
  /** 绿色通道: a referred patient does not wait at the destination */
  greenChannel = false;
  private coveragePriority = 0;
  private coverageGeneral = 0;
  /** 1 when contracted chronic patients get two months of medicine per follow-up visit (长处方) */
  private longRx = 0;
  private incomeIndex = 1;
  /** cost multiplier of a downward-referred recovery stay: repeat tests removed by mutual recognition */
  private repeatTestFactor = 1;
  /** tests at the lead county hospital for a township inpatient go into the township's inpatient bill (004 §五(六)) */
  private upstreamTestsInBill = false;
  /** the episode slot being treated (keys the upstream-tests draw) */
  private slot = 0;
  /** downward-referral probability by the county hospital's community + 1 (0 = none) */
  private readonly downIp: Float64Array;
  private readonly downChronic: Float64Array;
  /** what each village option offers this month (sim/engine/options.ts) */
  readonly options: VillageOptions;
  /** whether an episode reaches a facility at all; supplier-induced return visits (sim/care-seeking.ts) */
  readonly seeking: CareSeeking;
  /** 基层首诊 as a rule this month: whether it applies, the primary doctors' referral probabilities (sim/gatekeeping.ts) */
  readonly gate: FirstContactGate;
  /** each facility's service intensity under this month's payment (sim/provider-response.ts) */
  readonly intensity: ServiceIntensity;
  /** the cost at intensity 1 of the encounter being priced (−1: none set, the cost is at intensity 1) */
  private neutralCost = -1;

  private readonly e = new Encounter();
  /** the utilities of the last choice's options, in choice-set order (sim/county/description.ts MAX_OPTIONS per village) */
  private readonly utilities = new Float64Array(MAX_OPTIONS);
  /** the options' OOP priced for a resident whose annual state may bind (choose) */
  private readonly pricedOop = new Float64Array(MAX_OPTIONS);
  /** the last choice's options' uniform hashes and upper score bounds (choose) */
  private readonly optionHash = new Int32Array(MAX_OPTIONS);
  private readonly optionUpper = new Float64Array(MAX_OPTIONS);
  /**
   * this month's upper bound of each option's utility without the resident's OOP and habit,
   * summed as choose sums the utility with those terms 0: (utilityStatic + contract) +
   * crowding, for a resident not contracted [k * OPTION_STRIDE + cs] and contracted
   * [(count + k) * OPTION_STRIDE + cs] (residentsMonth builds it; choose prunes with it)
   */
  private readonly utilityBound: Float64Array;
  /** choose sums every option's utility (choiceUtilities), pruning none */
  private allUtilities = false;
  private readonly ctx: EngineContext;
  /** the run's residents: the county's, or a changing population's columns (sim/population/state.ts) */
  private readonly people: Residents;
  private readonly population: Population | null;
  private readonly res: ResidentState;
  private readonly load: LoadState;
  private readonly pricer: ClaimPricer;
  private readonly supply: SupplySide;
  /** who pays the claims of each community × insurance scheme (sim/payment/registry.ts) */
  private readonly payerOf: Int16Array;
  private readonly perCase: Uint8Array;
  private readonly payment: CommunityPayments;
  private readonly books: CountyBooks;
  private readonly counts: CounterSink;
  private readonly trace: TraceSink | null;
  private readonly extra: readonly EncounterSink[];
  private readonly facTier: Int8Array;
  private readonly optionStart: Int32Array;
  private readonly optionFacility: Int32Array;
  private readonly primaryTreatable: Uint8Array;
  /** for each township centre, the county hospital that does its inpatients' tests (its community's lead); −1 elsewhere */
  private readonly testLab: Int32Array;
  /** 1+1+1 (002 §7): each village's bundle hospitals and whether each option is one (sim/engine/state.ts StaticTables) */
  private readonly bundleCounty: Int32Array;
  private readonly bundleCity: Int32Array;
  private readonly bundleOption: Uint8Array;
  /**
   * this month's contract utility of each village option for a contracted resident: the
   * episode terms familyDoctorContract and bundleHospital of sim/choice.ts folded into one
   * number (for any option at most one of them is non-zero)
   */
  private readonly contractUtility: Float64Array;
  /** each resident's contracting propensity: the same uniform every month, drawn once */
  private readonly contractDraw: Float64Array;
  /** the first hash round of each resident's illness, choice and downward-referral draws (the same every month; sim/random.ts hashFirst) */
  private readonly illnessFirst: Uint32Array;
  private readonly choiceFirst: Uint32Array;
  private readonly downFirst: Uint32Array;
  private cal = 0;
  /** the inpatient case being treated (sim/payment/case-mix.ts): its condition group (NO_GROUP outside one), severity and key */
  private caseGroup = NO_GROUP;
  private caseSeverity = 0;
  private caseKeyNow = 0;
  /** recording this month (not burn-in): episode events are counted only then */
  recording = false;

  constructor(
    ctx: EngineContext,
    s: { residents: ResidentState; load: LoadState; pricer: ClaimPricer; supply: SupplySide; payment: CommunityPayments; people?: Residents; population?: Population | null },
    sinks: KernelSinks,
  ) {
    this.ctx = ctx;
    this.people = s.people ?? ctx.county.residents;
    this.population = s.population ?? null;
    this.res = s.residents;
    this.load = s.load;
    this.pricer = s.pricer;
    this.supply = s.supply;
    this.payment = s.payment;
    this.payerOf = s.payment.payerOf;
    this.perCase = s.payment.perCase;
    this.books = sinks.books;
    this.counts = sinks.counts;
    this.trace = sinks.trace;
    this.extra = sinks.extra;
    this.facTier = ctx.tables.facTier;
    this.optionStart = ctx.county.optionStart;
    this.optionFacility = ctx.county.optionFacility;
    this.primaryTreatable = ctx.tables.primaryTreatable;
    const n = this.people.count;
    this.contractDraw = new Float64Array(n);
    this.illnessFirst = new Uint32Array(n);
    this.choiceFirst = new Uint32Array(n);
    this.downFirst = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      this.contractDraw[i] = uniform(ctx.keys.contract, i, 0, 0);
      this.illnessFirst[i] = hashFirst(ctx.keys.illness, i);
      this.choiceFirst[i] = hashFirst(ctx.keys.choice, i);
      this.downFirst[i] = hashFirst(ctx.keys.downwardReferral, i);
    }
    const facilities = ctx.county.facilities;
    const firstCounty = facilities.findIndex((fa) => fa.tier === COUNTY);
    this.testLab = Int32Array.from(facilities, (fa) => {
      if (fa.tier !== TOWNSHIP) return -1;
      const c = ctx.county.townships[fa.township].community;
      return c >= 0 ? ctx.county.communities[c].lead : firstCounty;
    });
    this.bundleCounty = ctx.tables.bundleCounty;
    this.bundleCity = ctx.tables.bundleCity;
    this.bundleOption = ctx.tables.bundleOption;
    this.contractUtility = new Float64Array(this.optionFacility.length);
    this.utilityBound = new Float64Array(2 * this.optionFacility.length * OPTION_STRIDE);
    this.downIp = new Float64Array(ctx.C + 1);
    this.downChronic = new Float64Array(ctx.C + 1);
    this.intensity = new ServiceIntensity(ctx.P.providerResponse, ctx.P.leadHospital.margin, ctx.tables.facCommunity, ctx.C);
    this.options = new VillageOptions(ctx, s.pricer, s.supply, s.load, this.intensity);
    this.seeking = new CareSeeking(ctx, this.options, ctx.keys.careSeeking, sinks.counts.counters, this.people);
    this.gate = new FirstContactGate(ctx.P, this.facTier, ctx.tables.facCommunity, ctx.tables.capable);
  }

  /** The month's policy: family-doctor coverage, prescriptions, incomes, shared diagnostics, green channel. */
  setPolicy(p: Policy, yearIndex: number): void {
    const fd = p.familyDoctor;
    this.greenChannel = p.insurance.referralRules.greenChannel;
    this.coveragePriority = fd.coverage.priority;
    this.coverageGeneral = fd.coverage.general;
    this.longRx = fd.longPrescriptionMonths === 2 ? 1 : 0;
    // Incomes grow too: OOP is weighed against this year's income, not the start year's.
    this.incomeIndex = Math.pow(1 + this.ctx.county.description.demographics.income.annualGrowth, Math.max(0, yearIndex));
    this.seeking.setIncomeIndex(this.incomeIndex);
    // 检查检验结果互认 runs downwards (004 §五(三): lower tiers accept the upper tier's results):
    // a patient referred down is not tested again for what the county hospital already did
    this.repeatTestFactor = p.workforce.sharedDiagnostics ? 1 - this.ctx.P.quality.repeatTestCostShare : 1;
    this.gate.setPolicy(p);
    this.upstreamTestsInBill = p.insurance.referralRules.upstreamTestsAtLowerRate;
    // the contracted team works at the resident's own clinic and centre (options 0 and 1);
    // under 1+1+1 the bundle's county and city hospitals are the resident's too
    const ch = this.ctx.P.choice;
    const oneOneOne = fd.model === "1+1+1";
    this.options.oneOneOne = oneOneOne;
    const bundle = oneOneOne ? ch.bundleHospital : 0;
    for (let v = 0; v < this.ctx.county.villages.length; v++) {
      const o0 = this.optionStart[v];
      for (let k = o0; k < this.optionStart[v + 1]; k++) this.contractUtility[k] = k - o0 < 2 ? ch.familyDoctorContract : this.bundleOption[k] ? bundle : 0;
    }
  }

  /**
   * The lead hospitals' operational levers as they stand (sim/supply.ts): downward-referral
   * probabilities, and the static utilities, which carry quality (it follows staff) and
   * the hospital's steering (it follows the payment).
   */
  setLeadLevers(): void {
    const rd = this.ctx.P.referral.downward;
    this.downIp[0] = rd.inpatientFeeForService;
    this.downChronic[0] = rd.chronicFeeForService;
    for (let ci = 0; ci < this.ctx.C; ci++) {
      this.downIp[ci + 1] = downwardReferralProbability(rd.inpatientFeeForService, rd.inpatientCapitation, this.supply.downwardEffort[ci]);
      this.downChronic[ci + 1] = downwardReferralProbability(rd.chronicFeeForService, rd.chronicCapitation, this.supply.downwardEffort[ci]);
    }
    this.options.buildUtilityStatic();
    this.gate.setMonth(this.ctx.tables.facQuality, this.supply.qualityShift, this.supply.paymentSignal);
  }

  /** utilityBound from this month's static utilities, contract terms and crowding (after setPolicy, setLeadLevers and the crowding step). */
  private buildUtilityBound(): void {
    const { utilityStatic, crowd, count } = this.options;
    const crowding = this.ctx.P.choice.crowding;
    const bound = this.utilityBound;
    const contractUtility = this.contractUtility;
    for (let k = 0; k < count; k++) {
      for (let cs = 0; cs < OPTION_STRIDE; cs++) {
        const j = k * OPTION_STRIDE + cs;
        bound[j] = utilityStatic[j] + crowding * crowd[j];
        bound[count * OPTION_STRIDE + j] = utilityStatic[j] + contractUtility[k] + crowding * crowd[j];
      }
    }
  }

  /** One month of every resident's episodes in calendar month `cal`. */
  residentsMonth(cal: number): void {
    const { incidence: inc, tables } = this.ctx;
    const R = this.people;
    // a changing population: the slots in use, skipping who has died or left (sim/population/state.ts)
    const pop = this.population;
    const n = pop !== null ? pop.used : R.count;
    const present = pop !== null ? pop.present : null;
    const K = inc.maxK;
    const illnessFirst = this.illnessFirst;
    const contractDraw = this.contractDraw;
    const villageCommunity = tables.villageCommunity;
    const villageCentre = tables.villageCentre;
    const payerOf = this.payerOf;
    const e = this.e;
    this.cal = cal;
    this.seeking.setMonth(cal, this.counts.month);
    this.buildUtilityBound();
    let episodesOut = 0;
    let episodesIn = 0;
    let episodesChronic = 0;
    for (let i = 0; i < n; i++) {
      if (present !== null && present[i] === 0) continue;
      const chronic = R.chronic[i] !== 0;
      const rg = rateGroup(R.ageBand[i], chronic);
      const ill = hashPrefixFrom(illnessFirst[i], cal);
      const poor = R.poor[i];
      // 家庭医生签约 priority groups (chronic, poor, 65+) first (002_cfc78cb0d70fb95d.txt §7)
      const priority = chronic || poor === 1 || R.ageBand[i] === 3;
      const contracted = contractDraw[i] < (priority ? this.coveragePriority : this.coverageGeneral) ? 1 : 0;
      const nOut = drawCount(inc.outpatientCdf, rg * K, uniformFromPrefix(ill, 0));
      const nIn = drawCount(inc.inpatientCdf, rg * K, uniformFromPrefix(ill, 1));
      // 长处方 only for chronic patients who signed with a family doctor (000_d976d86ac1f892b7.txt §三(二): 对与家庭医生签约的…慢病患者)
      const nChronic = chronic ? drawCount(inc.chronicCdf, (contracted & this.longRx) * K, uniformFromPrefix(ill, 2)) : 0;
      if (nOut + nIn + nChronic === 0) continue;
      const s = R.scheme[i];
      // episodes of need for OOP per episode (待遇不降低): a chronic follow-up counts once per month of medicine it covers (长处方, contracted patients only)
      if (this.recording) this.counts.episodes(s, poor, nOut + nIn + nChronic * ((contracted & this.longRx) + 1));
      // insurance group: scheme, registered poor, contracted (sim/insurance/claims.ts)
      const g = s * 4 + poor * 2 + contracted;
      const v = R.village[i];
      const community = villageCommunity[v];
      this.pricer.bundleCounty = this.bundleCounty[v];
      this.pricer.bundleCity = this.bundleCity[v];
      e.resident = i;
      e.community = community;
      e.payer = community >= 0 ? payerOf[community * 2 + s] : s;
      e.enrolSlot = community >= 0 ? community * 2 + s : -1;
      e.ownCentre = villageCentre[v];
      for (let k = 0; k < nOut; k++) {
        const sev = drawSeverity(inc.outpatientSeverityCdf, uniformFromPrefix(ill, 100 + k));
        this.episode(i, g, OUTPATIENT, sev, k, false);
      }
      for (let k = 0; k < nChronic; k++) this.episode(i, g, OUTPATIENT, MINOR, 16 + k, true);
      // each admission is a case with a condition group, from its own stream (sim/payment/case-mix.ts)
      const casePrefix = nIn > 0 ? hashPrefix(this.ctx.keys.caseMix, i, cal) : 0;
      for (let k = 0; k < nIn; k++) {
        const sev = drawSeverity(inc.inpatientSeverityCdf, uniformFromPrefix(ill, 132 + k));
        this.caseKeyNow = caseKey(casePrefix, 32 + k);
        this.caseSeverity = sev;
        this.caseGroup = this.ctx.caseMix.drawGroup(sev, this.caseKeyNow);
        this.episode(i, g, INPATIENT, sev, 32 + k, false);
      }
      this.caseGroup = NO_GROUP;
      episodesOut += nOut;
      episodesIn += nIn;
      episodesChronic += nChronic;
    }
    this.episodesOut = episodesOut;
    this.episodesIn = episodesIn;
    this.episodesChronic = episodesChronic;
  }

  /**
   * The kernel's utilities of resident i's options for an episode of (care, sev), in
   * choice-set order: the choice itself is made (nothing else happens) and the utilities
   * it compared are returned (a view of `utilities`, valid until the next choice). For
   * tests: test/choice-kernel.test.ts holds them equal to sim/choice.ts utility().
   */
  choiceUtilities(i: number, g: number, care: number, sev: number): Float64Array {
    const v = this.people.village[i];
    // the resident's own "1+1+1" bundle prices their options, as in the month's pass; the pricer is left as it was
    const pricer = this.pricer;
    const [county, city] = [pricer.bundleCounty, pricer.bundleCity];
    pricer.bundleCounty = this.bundleCounty[v];
    pricer.bundleCity = this.bundleCity[v];
    this.allUtilities = true;
    this.choose(i, g, care, sev, 0);
    this.allUtilities = false;
    [pricer.bundleCounty, pricer.bundleCity] = [county, city];
    return this.utilities.subarray(0, this.optionStart[v + 1] - this.optionStart[v]);
  }

  /**
   * choose: multinomial logit over the village's options by Gumbel-max (one uniform per
   * option); returns the chosen option. The utility is utilityStatic (the static terms of
   * sim/choice.ts, sim/engine/options.ts) plus the episode terms of CHOICE_TERMS, in its
   * order, written out here: OOP against income, habit, family-doctor contract and the
   * "1+1+1" bundle's hospitals (folded into contractUtility: at most one is non-zero), crowding.
   * Each option's utility is left in `utilities` (for choiceUtilities).
   */
  private choose(i: number, g: number, care: number, sev: number, slot: number): number {
    const utilities = this.utilities;
    const { P } = this.ctx;
    const ch = P.choice;
    const R = this.people;
    const res = this.res;
    const pricer = this.pricer;
    const optionFacility = this.optionFacility;
    const options = this.options;
    const utilityStatic = options.utilityStatic;
    const cal = this.cal;
    const v = R.village[i];
    const o0 = this.optionStart[v];
    const o1 = this.optionStart[v + 1];
    const income = R.monthlyIncome[i] * this.incomeIndex;
    const perYuan = oopWeight(care, income, ch);
    const contracted = (g & 1) === 1;
    const last = res.lastFacility[i];
    const row = (g * 2 + care) * N_SEVERITIES + sev;
    // OOP of option k: oopTable[oopAt + k] — the month's table, exact when the resident's
    // annual state cannot bind on any option (most episodes) and the month's table is theirs
    // (it is built for no "1+1+1" bundle), else priced here first
    let oopTable = options.oopFresh;
    let oopAt = row * options.count;
    if ((contracted && pricer.pricesBundle) || !pricer.isFresh(g, row, res.opDeductiblePaid[i], res.opReimbursed[i], res.ipReimbursed[i], res.oopThisYear[i])) {
      const priced = this.pricedOop;
      const opPaid = res.opDeductiblePaid[i];
      const opReimb = res.opReimbursed[i];
      const ipReimb = res.ipReimbursed[i];
      const oopYear = res.oopThisYear[i];
      for (let k = o0; k < o1; k++) priced[k - o0] = pricer.optionOop(g, this.optionFacility[k], care, sev, opPaid, opReimb, ipReimb, oopYear);
      oopTable = priced;
      oopAt = -o0;
    }
    const optionCrowd = options.crowd;
    const cs = care * N_SEVERITIES + sev;
    const habit = ch.habit;
    const contractUtility = this.contractUtility;
    const crowding = ch.crowding;
    const h = hashPrefixFrom(this.choiceFirst[i], cal) | 0;
    // Gumbel-max in two passes, the same choice as one: first each option's utility, its
    // uniform's hash and bounds on its score from the hash's top bits (sim/random.ts
    // GUMBEL_LOWER/UPPER); then only the options whose upper bound reaches the best lower
    // bound can win. An option below it scores less than the best option, so skipping it
    // changes nothing, ties included; most often one option is left, and it is the choice
    // without its exact score, else the exact scores of the few left decide.
    const hashes = this.optionHash;
    const upper = this.optionUpper;
    const gumbelUpper = GUMBEL_UPPER;
    const gumbelLower = GUMBEL_LOWER;
    let reach = -Infinity;
    let reachAt = -1;
    // the highest and second-highest upper bound of an option summed, and the option with the highest
    let top = -Infinity;
    let second = -Infinity;
    let topAt = -1;
    // An option can be passed over before its utility is summed when even its month's bound
    // without OOP and habit (utilityBound: OOP only lowers a utility, the price weight being
    // ≤ 0 and OOP ≥ 0) plus its score's upper bound falls short of the best lower bound so
    // far, which only rises: it cannot reach the final one either. Not the resident's last
    // facility (habit raises it); everything is summed for choiceUtilities.
    const prune = !this.allUtilities && perYuan <= 0 && oopTable === options.oopFresh && options.oopFreshNonNegative;
    const bound = this.utilityBound;
    const boundAt = contracted ? options.count * OPTION_STRIDE : 0;
    for (let k = o0; k < o1; k++) {
      const f = optionFacility[k];
      const j = k * OPTION_STRIDE + cs;
      const hk = hashFromPrefixBits(h, slot * 16 + (k - o0));
      const b = hk >>> GUMBEL_SHIFT;
      if (prune && last !== f && bound[boundAt + j] + gumbelUpper[b] < reach) {
        upper[k - o0] = -Infinity;
        continue;
      }
      const oop = oopTable[oopAt + k];
      const u =
        utilityStatic[j] +
        perYuan * oop +
        (last === f ? habit : 0) +
        // the contracted team's facilities: own clinic and centre; under 1+1+1 also the bundle's hospitals
        (contracted ? contractUtility[k] : 0) +
        crowding * optionCrowd[j];
      utilities[k - o0] = u;
      hashes[k - o0] = hk;
      const up = u + gumbelUpper[b];
      upper[k - o0] = up;
      if (up > top) {
        second = top;
        top = up;
        topAt = k;
      } else if (up > second) second = up;
      const lower = u + gumbelLower[b];
      if (lower > reach) {
        reach = lower;
        reachAt = k;
      }
    }
    // The option with the best lower bound reaches it (its upper bound is above its lower);
    // when no other option's upper bound does, it alone can win and is the choice, without
    // its score. The two highest upper bounds tell without another pass over the options.
    if ((topAt === reachAt ? second : top) < reach) return reachAt;
    let best = -1;
    let bestScore = -Infinity;
    for (let k = o0; k < o1; k++) {
      if (upper[k - o0] < reach) continue;
      const score = utilities[k - o0] + gumbelFromHash(hashes[k - o0] >>> 0);
      if (score > bestScore) {
        bestScore = score;
        best = k;
      }
    }
    return best;
  }

  /** One episode: seek care or not, choose, treat or refer, settle. */
  private episode(i: number, g: number, care: number, sev: number, slot: number, chronicFollowUp: boolean): void {
    // seek: taken to a facility at all, or self-care / pharmacy / forgone (part 1, sim/care-seeking.ts)
    if (!this.seeking.seeks(i, g, care, sev, chronicFollowUp, slot)) return;
    const pricer = this.pricer;
    const facTier = this.facTier;
    const res = this.res;
    const best = this.choose(i, g, care, sev, slot);
    this.slot = slot;
    const f = this.optionFacility[best];
    // 基层首诊 required: the resident's primary doctor sees a non-critical episode first; emergencies are exempt
    if (this.gate.required && facTier[f] >= COUNTY) {
      if (sev !== CRITICAL) return this.firstContact(i, g, f, care, sev, slot, chronicFollowUp);
      if (this.recording) this.counts.emergencyExempt();
    }
    // route and price: the chosen option's path (sim/insurance/claims.ts beginPath) leg by
    // leg, each priced under the resident's annual state as the earlier leg left it
    pricer.beginPath(g, f, care, sev);
    const dest = pricer.pathDest;
    if (this.recording && this.primaryTreatable[care * N_SEVERITIES + sev]) this.counts.primaryTreatable(facTier[dest] === COUNTY);
    if (dest === f) {
      this.treatLeg(i, g, FIRST_LEG, this.caseGroup);
    } else {
      // the gateway encounter at f (not a visit or admission of its own: sim/engine/encounter.ts
      // GATEWAY), then the treatment at dest, referred up
      this.e.kind = GATEWAY;
      this.treatLeg(i, g, FIRST_LEG, NO_GROUP);
      this.e.kind = TREATMENT;
      if (this.recording) this.counts.referredUp(facTier[dest] === OUT_OF_COUNTY);
      this.treatLeg(i, g, REFERRED_LEG, this.caseGroup);
    }
    this.treated++;
    res.lastFacility[i] = dest;
    this.maybeReferDown(i, g, dest, care, sev, chronicFollowUp, slot);
    if (care === OUTPATIENT) this.maybeReturnVisit(i, g, dest, slot);
  }

  /**
   * Supplier-induced demand (sim/care-seeking.ts): after an outpatient episode at f, one
   * extra follow-up visit there when f is paid per item for this resident — anything but
   * a claim on the resident's own community's package at one of its own facilities.
   */
  private maybeReturnVisit(i: number, g: number, f: number, slot: number): void {
    const e = this.e;
    if (e.payer >= 2 && this.ctx.tables.facCommunity[f] === e.community) return;
    if (!this.seeking.inducedReturnVisit(i, this.facTier[f], slot)) return;
    const cost = this.pricer.costOutpatient[this.facTier[f] * N_SEVERITIES + MINOR];
    this.priceFor(i, g, f, OUTPATIENT, cost, NOT_REFERRED, 0, 0);
    this.emit(i, f, OUTPATIENT, cost);
  }

  /**
   * A required first contact (sim/gatekeeping.ts): the resident wants facility f (county or
   * out of county) for a non-critical episode. Their primary doctor at the first-contact
   * facility refers them up — a consultation there, then treatment where f treats the
   * episode with referral status — or keeps them, treated there; a patient kept may go
   * anyway after the consultation, paying as unreferred care, more likely the less it
   * costs them (weighed by the choice's utility per yuan, oopWeight).
   */
  private firstContact(i: number, g: number, f: number, care: number, sev: number, slot: number, chronicFollowUp: boolean): void {
    const pricer = this.pricer;
    const res = this.res;
    const facTier = this.facTier;
    const recording = this.recording;
    const cs = care * N_SEVERITIES + sev;
    const gf = this.gate.facility(care, sev, this.ctx.tables.villageClinic[this.people.village[i]], this.e.ownCentre);
    const dest = this.ctx.tables.refDir[f * 2 * N_SEVERITIES + cs];
    // the referred path: the consultation at gf, then the treatment where f treats the episode
    pricer.beginGatedPath(g, gf, dest, care, sev);
    const h = hashPrefix(this.ctx.keys.gatekeeping, i, this.cal);
    const referred = uniformFromPrefix(h, slot * 2) < this.gate.pRefer[gf * 2 * N_SEVERITIES + cs];
    if (recording) this.counts.firstContact(sev, referred);
    let at = dest;
    if (referred) {
      // the consultation that ends in a referral is a first stop, not a visit (encounter.ts GATEWAY)
      this.e.kind = GATEWAY;
      this.treatLeg(i, g, FIRST_LEG, NO_GROUP);
      this.e.kind = TREATMENT;
      if (recording) this.counts.referredUp(facTier[dest] === OUT_OF_COUNTY);
      this.treatLeg(i, g, REFERRED_LEG, this.caseGroup);
    } else {
      // what going without the referral costs the patient over going with one, weighed as
      // the choice weighs OOP (sim/choice.ts oopWeight)
      const cost = pricer.referredCost;
      const withReferral = this.priceLeg(i, REFERRED_LEG, cost);
      const extra = pricer.priceReferredLegWithoutReferral(cost, res.opDeductiblePaid[i], res.opReimbursed[i], res.ipReimbursed[i], res.oopThisYear[i]) - withReferral;
      const w = this.oopWeight(i, care);
      if (uniformFromPrefix(h, slot * 2 + 1) < goesAnywayProbability(this.ctx.P.gatekeeping.goesAnywayLogOdds, w, extra > 0 ? extra : 0)) {
        this.e.kind = GATEWAY;
        this.treatLeg(i, g, FIRST_LEG, NO_GROUP);
        this.e.kind = TREATMENT;
        const delivered = this.deliver(dest, cost);
        pricer.priceReferredLegWithoutReferral(delivered, res.opDeductiblePaid[i], res.opReimbursed[i], res.ipReimbursed[i], res.oopThisYear[i]);
        this.emit(i, dest, care, delivered);
        if (recording) this.counts.wentUnreferred();
      } else {
        // kept: treated at gf, which can treat the episode (the doctor refers whatever it cannot:
        // sim/gatekeeping.ts pRefer = 1), so the path of choosing gf is its own treatment
        at = gf;
        pricer.beginPath(g, gf, care, sev);
        this.treatLeg(i, g, FIRST_LEG, this.caseGroup);
      }
    }
    if (recording && this.primaryTreatable[cs]) this.counts.primaryTreatable(facTier[at] === COUNTY);
    this.treated++;
    res.lastFacility[i] = at;
    this.maybeReferDown(i, g, at, care, sev, chronicFollowUp, slot);
    if (care === OUTPATIENT) this.maybeReturnVisit(i, g, at, slot);
  }

  /** The choice's utility per yuan of OOP for resident i and an episode of `care`, as choose weighs it (sim/choice.ts oopWeight). */
  private oopWeight(i: number, care: number): number {
    return oopWeight(care, this.people.monthlyIncome[i] * this.incomeIndex, this.ctx.P.choice);
  }

  /** Downward referral from a county hospital after treating an eligible patient. */
  private maybeReferDown(i: number, g: number, f: number, care: number, sev: number, chronicFollowUp: boolean, slot: number): void {
    if (this.facTier[f] !== COUNTY) return;
    const { tables, P } = this.ctx;
    const slotC = tables.facCommunity[f] + 1;
    const v = this.people.village[i];
    if (care === INPATIENT && (sev === COMMON || sev === SERIOUS)) {
      if (uniformFromPrefix(hashPrefixFrom(this.downFirst[i], this.cal), slot) < this.downIp[slotC]) {
        const centre = tables.villageCentre[v];
        // 检查检验结果互认: the township accepts the county hospital's tests and images (004_95fd1871afdd6e42.txt §五(三))
        const cost = this.deliver(centre, P.costs.rehabilitationStayFactor * this.pricer.costInpatient[TOWNSHIP * N_SEVERITIES + COMMON] * this.repeatTestFactor);
        this.priceFor(i, g, centre, INPATIENT, cost, REFERRED_DOWN, 0, 0);
        this.emit(i, centre, INPATIENT, cost);
        this.counts.referredDown(true);
        this.res.lastFacility[i] = centre;
      }
    } else if (care === OUTPATIENT && chronicFollowUp) {
      if (uniformFromPrefix(hashPrefixFrom(this.downFirst[i], this.cal), slot) < this.downChronic[slotC]) {
        this.counts.referredDown(false);
        this.res.lastFacility[i] = tables.villageClinic[v];
      }
    }
  }

  /**
   * Treat leg FIRST_LEG or REFERRED_LEG of the pricer's path (sim/insurance/claims.ts
   * beginPath): price it under the resident's annual state and emit it. `group` ≥ 0: the
   * admission that treats an inpatient case of that condition group (its cost as
   * delivered, deliverCase); a township admission may need upstream tests.
   */
  private treatLeg(i: number, g: number, leg: number, group: number): void {
    const pricer = this.pricer;
    const first = leg === FIRST_LEG;
    const f = first ? pricer.pathFirst : pricer.pathDest;
    const care = first ? pricer.firstCare : pricer.pathCare;
    let cost = first ? pricer.firstCost : pricer.referredCost;
    if (group >= 0) {
      const neutral = cost * this.ctx.caseMix.relativeWeight[group];
      cost = this.deliverCase(f, group, cost);
      // a case paid per case is delivered as its scheme's providers deliver it; any other at the facility's intensity
      cost = this.e.caseKind & CASE_PAID ? cost : cost * this.intensity.intensity[this.intensityIndex(f)];
      this.neutralCost = neutral;
    } else cost = this.deliver(f, cost);
    const lab = this.testLab[f];
    const share = this.ctx.P.costs.upstreamTestShare;
    if (care === INPATIENT && lab >= 0 && this.e.kind === TREATMENT && share > 0 && uniform(this.ctx.keys.upstreamTests, i, this.cal, this.slot) < share) {
      this.treatWithUpstreamTests(i, g, leg, f, lab, cost, group);
      return;
    }
    const neutral = this.neutralCost;
    this.priceLeg(i, leg, cost);
    this.emit(i, f, care, cost, group);
    if (care === OUTPATIENT && this.e.kind === TREATMENT) this.maybeRepeatVisit(i, g, f, cost, neutral, first ? NOT_REFERRED : REFERRED_UP);
  }

  /** Which of facility f's intensities applies to the resident being treated: their claims paid from f's own community's package, or not. */
  private intensityIndex(f: number): number {
    return f * 2 + (this.e.payer === this.intensity.ownPayer[f] ? OWN_PACKAGE : OTHER_PAYER);
  }

  /** The cost of care facility f delivers at its intensity for this patient, given its cost at intensity 1 (kept for the encounter's record). */
  private deliver(f: number, cost: number): number {
    this.neutralCost = cost;
    return cost * this.intensity.intensity[this.intensityIndex(f)];
  }

  /**
   * A visit treated at an intensity ≠ 1 may bring the patient back to f within the month
   * (sim/provider-response.ts): a repeat visit, priced and paid like the visit (same cost,
   * same referral status, delivered at the same intensity), a visit but not an episode.
   */
  private maybeRepeatVisit(i: number, g: number, f: number, cost: number, neutral: number, referral: number): void {
    const j = this.intensityIndex(f);
    const p = this.intensity.repeatProbability[j];
    if (!(p > 0) || uniform(this.ctx.keys.repeatVisit, i, this.cal, this.slot) >= p) return;
    this.priceFor(i, g, f, OUTPATIENT, cost, referral, 0, 0);
    this.neutralCost = neutral;
    this.emit(i, f, OUTPATIENT, cost);
    if (this.recording) this.counts.repeatVisit(this.intensity.intensity[j] < 1, cost);
  }

  /** Price leg FIRST_LEG or REFERRED_LEG of the pricer's path at `cost` into its claim under resident i's annual state; returns its OOP. */
  private priceLeg(i: number, leg: number, cost: number): number {
    const res = this.res;
    return leg === FIRST_LEG
      ? this.pricer.priceFirstLeg(cost, res.opDeductiblePaid[i], res.opReimbursed[i], res.ipReimbursed[i], res.oopThisYear[i])
      : this.pricer.priceReferredLeg(cost, res.opDeductiblePaid[i], res.opReimbursed[i], res.ipReimbursed[i], res.oopThisYear[i]);
  }

  /**
   * The cost of an admission treating a case: its condition group's cost weight, then,
   * under a case-based scheme, the cost as that scheme's providers deliver it and how it
   * is paid (sim/payment/scheme.ts caseCost), before the claim is priced.
   */
  private deliverCase(f: number, group: number, cost: number): number {
    const e = this.e;
    cost *= this.ctx.caseMix.relativeWeight[group];
    e.caseKind = 0;
    const slot = e.enrolSlot;
    if (slot < 0 || this.perCase[slot] === 0) return cost;
    const scheme = this.payment.scheme(e.community, slot & 1);
    if (!scheme.caseCost) return cost;
    e.facility = f;
    e.tier = this.facTier[f];
    e.group = group;
    e.severity = this.caseSeverity;
    e.caseKey = this.caseKeyNow;
    return scheme.caseCost(e, cost);
  }

  /**
   * A township admission whose patient needs tests, imaging or a teleconsultation at the
   * lead county hospital (004_95fd1871afdd6e42.txt §五(六)). Under upstreamTestsAtLowerRate
   * the tests are part of the township's inpatient bill, reimbursed at its rate: their claim
   * is the bill with them less the stay's own claim (the stay's deductible is not paid
   * twice; the tests are the county hospital's revenue). Otherwise they are a separate
   * outpatient claim at the county hospital (ordered by the township: no bypass penalty).
   * Either way they are an encounter of kind TESTS at the county hospital — not a visit or
   * an admission. Patients do not anticipate them when choosing.
   */
  private treatWithUpstreamTests(i: number, g: number, leg: number, f: number, lab: number, cost: number, group: number): void {
    const tests = this.ctx.P.costs.upstreamTestCostFactor * this.pricer.costOutpatient[COUNTY * N_SEVERITIES + COMMON];
    const claim = this.pricer.claim;
    if (this.upstreamTestsInBill) {
      // the bill with the tests, less the stay's own claim: the tests at the township's rate,
      // its deductible met by the stay
      this.priceLeg(i, leg, cost + tests);
      const r = claim[CLAIM_REIMBURSED], o = claim[CLAIM_OOP], d = claim[CLAIM_DEDUCTIBLE_PAID], a = claim[CLAIM_ASSISTANCE];
      this.priceLeg(i, leg, cost);
      const rs = claim[CLAIM_REIMBURSED], os = claim[CLAIM_OOP], ds = claim[CLAIM_DEDUCTIBLE_PAID], as = claim[CLAIM_ASSISTANCE];
      this.emit(i, f, INPATIENT, cost, group);
      claim[CLAIM_REIMBURSED] = r - rs;
      claim[CLAIM_OOP] = o - os;
      claim[CLAIM_DEDUCTIBLE_PAID] = d - ds;
      claim[CLAIM_ASSISTANCE] = a - as;
      this.e.kind = TESTS;
      this.emit(i, lab, INPATIENT, tests);
    } else {
      this.priceLeg(i, leg, cost);
      this.emit(i, f, INPATIENT, cost, group);
      this.e.kind = TESTS;
      this.priceFor(i, g, lab, OUTPATIENT, tests, REFERRED_UP, 0, 0);
      this.emit(i, lab, OUTPATIENT, tests);
    }
    this.e.kind = TREATMENT;
  }

  /** Price an encounter of resident i into the pricer's claim under the resident's annual state. */
  private priceFor(i: number, g: number, f: number, care: number, cost: number, referral: number, paidEarlier: number, refTownshipStd: number): void {
    const res = this.res;
    this.pricer.price(g, f, care, cost, referral, paidEarlier, refTownshipStd, res.opDeductiblePaid[i], res.opReimbursed[i], res.ipReimbursed[i], res.oopThisYear[i]);
  }

  /** The priced claim as a real encounter at f: the resident's annual state and the facility's load, then the sinks. */
  private emit(i: number, f: number, care: number, cost: number, group = NO_GROUP): void {
    const claim = this.pricer.claim;
    const res = this.res;
    const reimbursed = claim[CLAIM_REIMBURSED];
    const oop = claim[CLAIM_OOP];
    const e = this.e;
    // tests at the lead hospital (TESTS) take no consultation slot and no bed there
    const occupies = e.kind !== TESTS;
    if (care === OUTPATIENT) {
      res.opDeductiblePaid[i] += claim[CLAIM_DEDUCTIBLE_PAID];
      res.opReimbursed[i] += reimbursed;
      if (occupies) this.load.opNow[f]++;
    } else {
      res.ipReimbursed[i] += reimbursed;
      if (occupies) this.load.ipNow[f]++;
    }
    res.oopThisYear[i] += oop;
    e.facility = f;
    e.tier = this.facTier[f];
    e.care = care;
    e.cost = cost;
    e.neutralCost = this.neutralCost >= 0 ? this.neutralCost : cost;
    this.neutralCost = -1;
    e.reimbursed = reimbursed;
    e.oop = oop;
    e.assistance = claim[CLAIM_ASSISTANCE];
    e.group = group;
    if (group >= 0) {
      e.severity = this.caseSeverity;
      e.caseKey = this.caseKeyNow;
    } else e.caseKind = 0;
    e.points = 0;
    e.bedDays = 0;
    e.standard = 0;
    // the payer pays the claim, unless the resident's scheme pays per case
    e.payment = e.enrolSlot >= 0 && this.perCase[e.enrolSlot] !== 0 ? this.payment.scheme(e.community, e.enrolSlot & 1).casePayment!(e) : reimbursed;
    this.supply.encounter(e);
    this.books.encounter(e);
    this.counts.encounter(e);
    if (this.trace !== null) this.trace.encounter(e);
    const extra = this.extra;
    for (let k = 0; k < extra.length; k++) extra[k].encounter(e);
  }
}

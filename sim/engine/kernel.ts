/**
 * The episode kernel: the month's hot path, one pass over the residents.
 *
 * For each resident: episodes arise (Poisson by age band and chronic status; chronic
 * follow-ups; admissions), and for each episode
 *   seek   — whether the episode is taken to a facility at all, or treated at home / at a
 *            pharmacy / forgone (part 1 of the two-part model, sim/care-seeking.ts);
 *   choose — multinomial logit over the village's options (Gumbel-max, one uniform per
 *            option): static utility + OOP relative to income + habit + family-doctor
 *            contract + crowding (sim/choice.ts documents the terms);
 *   route  — a facility that cannot treat the severity refers up along the referral
 *            directory (sim/referral.ts); a county hospital may refer down afterwards;
 *   price  — insurance settles each encounter (sim/insurance/claims.ts);
 *   emit   — the encounter goes to the sinks (sim/engine/encounter.ts).
 * Nothing is allocated per episode: resident state is typed-array columns, randomness is
 * counter-based (sim/random.ts), and one Encounter record is reused.
 */
import type { CountyBooks } from "../books";
import { drawCount, drawSeverity, rateGroup } from "../episodes";
import type { ClaimPricer } from "../insurance/claims";
import type { CommunityPayments } from "../payment/registry";
import { NOT_REFERRED, REFERRED_DOWN, REFERRED_UP } from "../insurance/deductible";
import { CLAIM_ASSISTANCE, CLAIM_DEDUCTIBLE_PAID, CLAIM_OOP, CLAIM_REIMBURSED } from "../insurance/reimbursement";
import { CareSeeking } from "../care-seeking";
import type { Policy } from "../policy";
import { gumbelFromHash, hashFirst, hashFromPrefix, hashPrefixFrom, uniform, uniformFromPrefix } from "../random";
import { downwardReferralProbability } from "../referral";
import type { SupplySide } from "../supply";
import { COMMON, COUNTY, INPATIENT, MINOR, N_SEVERITIES, N_TIERS, OUTPATIENT, OUT_OF_COUNTY, SERIOUS, TOWNSHIP, VILLAGE } from "../tier";
import { Encounter, type EncounterSink } from "./encounter";
import { OPTION_STRIDE, VillageOptions } from "./options";
import type { CounterSink, TraceSink } from "./recording";
import type { EngineContext, LoadState, ResidentState } from "./state";

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
  private longRx = 0;
  private incomeIndex = 1;
  private repeatTestFactor = 1;
  /** downward-referral probability by the county hospital's community + 1 (0 = none) */
  private readonly downIp: Float64Array;
  private readonly downChronic: Float64Array;
  /** what each village option offers this month (sim/engine/options.ts) */
  readonly options: VillageOptions;
  /** whether an episode reaches a facility at all; supplier-induced return visits (sim/care-seeking.ts) */
  readonly seeking: CareSeeking;

  private readonly e = new Encounter();
  private readonly ctx: EngineContext;
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
  private readonly refDir: Int32Array;
  private readonly optionStart: Int32Array;
  private readonly optionFacility: Int32Array;
  private readonly primaryTreatable: Uint8Array;
  /** each resident's contracting propensity: the same uniform every month, drawn once */
  private readonly contractDraw: Float64Array;
  /** the first hash round of each resident's illness, choice and downward-referral draws (the same every month; sim/random.ts hashFirst) */
  private readonly illnessFirst: Uint32Array;
  private readonly choiceFirst: Uint32Array;
  private readonly downFirst: Uint32Array;
  private cal = 0;
  /** recording this month (not burn-in): episode events are counted only then */
  recording = false;

  constructor(
    ctx: EngineContext,
    s: { residents: ResidentState; load: LoadState; pricer: ClaimPricer; supply: SupplySide; payment: CommunityPayments },
    sinks: KernelSinks,
  ) {
    this.ctx = ctx;
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
    this.refDir = ctx.tables.refDir;
    this.optionStart = ctx.county.optionStart;
    this.optionFacility = ctx.county.optionFacility;
    this.primaryTreatable = ctx.tables.primaryTreatable;
    const n = ctx.county.residents.count;
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
    this.downIp = new Float64Array(ctx.C + 1);
    this.downChronic = new Float64Array(ctx.C + 1);
    this.options = new VillageOptions(ctx, s.pricer, s.supply, s.load);
    this.seeking = new CareSeeking(ctx, this.options, ctx.keys.careSeeking, sinks.counts.counters);
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
    // 检查检验结果互认: a referred patient's repeat tests are not done again
    this.repeatTestFactor = p.workforce.sharedDiagnostics ? 1 - this.ctx.P.quality.repeatTestCostShare : 1;
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
  }

  /** One month of every resident's episodes in calendar month `cal`. */
  residentsMonth(cal: number): void {
    const { county, incidence: inc, tables } = this.ctx;
    const R = county.residents;
    const n = R.count;
    const K = inc.maxK;
    const illnessFirst = this.illnessFirst;
    const contractDraw = this.contractDraw;
    const villageCommunity = tables.villageCommunity;
    const villageCentre = tables.villageCentre;
    const payerOf = this.payerOf;
    const e = this.e;
    this.cal = cal;
    this.seeking.setMonth(cal, this.counts.month);
    let episodesOut = 0;
    let episodesIn = 0;
    let episodesChronic = 0;
    for (let i = 0; i < n; i++) {
      const chronic = R.chronic[i] !== 0;
      const rg = rateGroup(R.ageBand[i], chronic);
      const ill = hashPrefixFrom(illnessFirst[i], cal);
      const nOut = drawCount(inc.outpatientCdf, rg * K, uniformFromPrefix(ill, 0));
      const nIn = drawCount(inc.inpatientCdf, rg * K, uniformFromPrefix(ill, 1));
      const nChronic = chronic ? drawCount(inc.chronicCdf, this.longRx * K, uniformFromPrefix(ill, 2)) : 0;
      if (nOut + nIn + nChronic === 0) continue;
      const s = R.scheme[i];
      const poor = R.poor[i];
      // 家庭医生签约 priority groups (chronic, poor, 65+) first (002_cfc78cb0d70fb95d.txt §7)
      const priority = chronic || poor === 1 || R.ageBand[i] === 3;
      const contracted = contractDraw[i] < (priority ? this.coveragePriority : this.coverageGeneral) ? 1 : 0;
      // insurance group: scheme, registered poor, contracted (sim/insurance/claims.ts)
      const g = s * 4 + poor * 2 + contracted;
      const v = R.village[i];
      const community = villageCommunity[v];
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
      for (let k = 0; k < nIn; k++) {
        const sev = drawSeverity(inc.inpatientSeverityCdf, uniformFromPrefix(ill, 132 + k));
        this.episode(i, g, INPATIENT, sev, 32 + k, false);
      }
      episodesOut += nOut;
      episodesIn += nIn;
      episodesChronic += nChronic;
    }
    this.episodesOut = episodesOut;
    this.episodesIn = episodesIn;
    this.episodesChronic = episodesChronic;
  }

  /** One episode: seek care or not, choose, treat or refer, settle. */
  private episode(i: number, g: number, care: number, sev: number, slot: number, chronicFollowUp: boolean): void {
    // seek: taken to a facility at all, or self-care / pharmacy / forgone (part 1, sim/care-seeking.ts)
    if (!this.seeking.seeks(i, g, care, sev, chronicFollowUp, slot)) return;
    const { county, P } = this.ctx;
    const ch = P.choice;
    const R = county.residents;
    const res = this.res;
    const pricer = this.pricer;
    const refDir = this.refDir;
    const facTier = this.facTier;
    const optionFacility = this.optionFacility;
    const options = this.options;
    const utilityStatic = options.utilityStatic;
    const cal = this.cal;
    const v = R.village[i];
    const o0 = this.optionStart[v];
    const o1 = this.optionStart[v + 1];
    const income = R.monthlyIncome[i] * this.incomeIndex;
    const oopWeight = ((care === INPATIENT ? ch.inpatientOopScale : 1) * ch.oopPer100Yuan * ch.referenceMonthlyIncome) / (100 * income);
    const contracted = (g & 1) === 1;
    const last = res.lastFacility[i];
    const costTable = care === OUTPATIENT ? pricer.costOutpatient : pricer.costInpatient;
    const row = (g * 2 + care) * N_SEVERITIES + sev;
    const opPaid = res.opDeductiblePaid[i];
    const opReimb = res.opReimbursed[i];
    const ipReimb = res.ipReimbursed[i];
    const oopYear = res.oopThisYear[i];
    // choose: the month's table is exact when the resident's annual state cannot bind on any option
    const fresh = pricer.isFresh(g, row, opPaid, opReimb, ipReimb, oopYear);
    const oopFresh = options.oopFresh;
    const freshRow = row * options.count;
    const optionCrowd = options.crowd;
    const cs = care * N_SEVERITIES + sev;
    const habit = ch.habit;
    const familyDoctorContract = ch.familyDoctorContract;
    const crowding = ch.crowding;
    const h = hashPrefixFrom(this.choiceFirst[i], cal);
    let best = -1;
    let bestScore = -Infinity;
    for (let k = o0; k < o1; k++) {
      const f = optionFacility[k];
      const j = k * OPTION_STRIDE + cs;
      const oop = fresh ? oopFresh[freshRow + k] : pricer.optionOop(g, f, care, sev, opPaid, opReimb, ipReimb, oopYear);
      const u =
        utilityStatic[j] +
        oopWeight * oop +
        (last === f ? habit : 0) +
        // the contracted team works at the resident's own clinic and centre (options 0 and 1)
        (contracted && k - o0 < 2 ? familyDoctorContract : 0) +
        crowding * optionCrowd[j];
      const score = u + gumbelFromHash(hashFromPrefix(h, slot * 16 + (k - o0)));
      if (score > bestScore) {
        bestScore = score;
        best = k;
      }
    }
    // route
    const f = optionFacility[best];
    const dest = refDir[f * 2 * N_SEVERITIES + care * N_SEVERITIES + sev];
    const t = facTier[f];
    if (this.recording && this.primaryTreatable[care * N_SEVERITIES + sev]) this.counts.primaryTreatable(facTier[dest] === COUNTY);
    if (dest === f) {
      const cost = costTable[t * N_SEVERITIES + sev];
      this.treat(i, g, f, care, cost, NOT_REFERRED, 0, 0);
      this.treated++;
      res.lastFacility[i] = f;
      this.maybeReferDown(i, g, f, care, sev, chronicFollowUp, slot);
      if (care === OUTPATIENT) this.maybeReturnVisit(i, g, f, slot);
      return;
    }
    // Gateway encounter at f, then treatment at dest with referral status.
    let paid = 0;
    let refStd = 0;
    if (care === INPATIENT && t !== VILLAGE) {
      const cost = P.costs.transferStayFactor * pricer.costInpatient[t * N_SEVERITIES + sev];
      this.priceFor(i, g, f, INPATIENT, cost, NOT_REFERRED, 0, 0);
      paid = pricer.claim[CLAIM_DEDUCTIBLE_PAID];
      if (t === TOWNSHIP) refStd = pricer.ipDeductible[g * N_TIERS + t];
      this.emit(i, f, INPATIENT, cost);
    } else {
      this.treat(i, g, f, OUTPATIENT, pricer.costOutpatient[t * N_SEVERITIES + MINOR], NOT_REFERRED, 0, 0);
    }
    const dt = facTier[dest];
    if (this.recording) this.counts.referredUp(dt === OUT_OF_COUNTY);
    const cost = costTable[dt * N_SEVERITIES + sev] * this.repeatTestFactor;
    this.treat(i, g, dest, care, cost, REFERRED_UP, paid, refStd);
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
    this.treat(i, g, f, OUTPATIENT, this.pricer.costOutpatient[this.facTier[f] * N_SEVERITIES + MINOR], NOT_REFERRED, 0, 0);
  }

  /** Downward referral from a county hospital after treating an eligible patient. */
  private maybeReferDown(i: number, g: number, f: number, care: number, sev: number, chronicFollowUp: boolean, slot: number): void {
    if (this.facTier[f] !== COUNTY) return;
    const { tables, P } = this.ctx;
    const slotC = tables.facCommunity[f] + 1;
    const v = this.ctx.county.residents.village[i];
    if (care === INPATIENT && (sev === COMMON || sev === SERIOUS)) {
      if (uniformFromPrefix(hashPrefixFrom(this.downFirst[i], this.cal), slot) < this.downIp[slotC]) {
        const centre = tables.villageCentre[v];
        const cost = P.costs.rehabilitationStayFactor * this.pricer.costInpatient[TOWNSHIP * N_SEVERITIES + COMMON];
        this.treat(i, g, centre, INPATIENT, cost, REFERRED_DOWN, 0, 0);
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

  /** Price an encounter of resident i at f and emit it. */
  private treat(i: number, g: number, f: number, care: number, cost: number, referral: number, paidEarlier: number, refTownshipStd: number): void {
    this.priceFor(i, g, f, care, cost, referral, paidEarlier, refTownshipStd);
    this.emit(i, f, care, cost);
  }

  /** Price an encounter of resident i into the pricer's claim under the resident's annual state. */
  private priceFor(i: number, g: number, f: number, care: number, cost: number, referral: number, paidEarlier: number, refTownshipStd: number): void {
    const res = this.res;
    this.pricer.price(g, f, care, cost, referral, paidEarlier, refTownshipStd, res.opDeductiblePaid[i], res.opReimbursed[i], res.ipReimbursed[i], res.oopThisYear[i]);
  }

  /** The priced claim as a real encounter at f: the resident's annual state and the facility's load, then the sinks. */
  private emit(i: number, f: number, care: number, cost: number): void {
    const claim = this.pricer.claim;
    const res = this.res;
    const reimbursed = claim[CLAIM_REIMBURSED];
    const oop = claim[CLAIM_OOP];
    if (care === OUTPATIENT) {
      res.opDeductiblePaid[i] += claim[CLAIM_DEDUCTIBLE_PAID];
      res.opReimbursed[i] += reimbursed;
      this.load.opNow[f]++;
    } else {
      res.ipReimbursed[i] += reimbursed;
      this.load.ipNow[f]++;
    }
    res.oopThisYear[i] += oop;
    const e = this.e;
    e.facility = f;
    e.tier = this.facTier[f];
    e.care = care;
    e.cost = cost;
    e.reimbursed = reimbursed;
    e.oop = oop;
    e.assistance = claim[CLAIM_ASSISTANCE];
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

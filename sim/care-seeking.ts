/**
 * Care-seeking and the outside option (issue 10 item 1; ../shared/domain.md §6): not every
 * illness episode reaches a facility — residents treat themselves, buy at a pharmacy or
 * forgo care, more so when care is costly, far or crowded and when income is low.
 *
 * **Why a two-part model, not one more alternative in the facility logit.** The facility
 * choice (sim/choice.ts) carries the DCE's price weight, −0.168 per 100 yuan at the
 * reference income (Yu et al., BMJ Open 2021). An outside alternative in that same
 * multinomial logit inherits it: a 10% rise in every outpatient OOP (a few yuan at a
 * village clinic, ≈20 at a county hospital) moves utilities by ≈0.01, and the own-price
 * elasticity of visits comes out near −0.03 — against a published −0.519 (95% CI −0.703
 * to −0.336) for the first outpatient visit in rural China (Zhou et al., "New estimates
 * of elasticity of demand for healthcare in rural China", Health Policy 2011;103:255).
 * A DCE's price weight is scaled to the variance of a hypothetical choice *between
 * providers*; whether to use care at all is a different decision with its own scale.
 * The standard answer in health economics is the two-part model of the RAND Health
 * Insurance Experiment (Duan, Manning, Morris & Newhouse, J Bus Econ Stat 1983;1:115;
 * Manning et al., Am Econ Rev 1987;77:251): part 1, whether any care is used, a binary
 * model with its own coefficients; part 2, where — here the facility logit as it was.
 * The published −0.519 is itself a part-1 elasticity (the probability of a first visit,
 * with price and income as separate regressors), so part 1 is what is calibrated to it.
 *
 * **Part 1, per episode, before the facility choice.** The resident seeks care with
 * probability logistic(z),
 *
 *   z = intercept[care][severity]         (chronicFollowUp for a scheduled chronic follow-up)
 *     + income × ln(income ÷ choice.referenceMonthlyIncome)
 *     + age[age band] + chronic × [chronic condition; not for follow-ups]
 *     + familyDoctorContract × [contracted]
 *     + inclusiveValue × (IV − referenceInclusiveValue[care])
 *     + price[care] × ln(E[OOP] ÷ county income index ÷ referenceOop[care])   (E[OOP] ≥ 1 yuan)
 *
 * where, for the resident's village, insurance group (scheme × poor × contracted) and the
 * episode's care × severity, IV = ln Σ_j exp(V_j) is the inclusive value (logsum) of the
 * village's options under the facility logit — tier constant, quality, travel, crowding,
 * contract, catchment, referral hassle, the lead hospital's steering and the DCE-weighted
 * OOP at the group's mean income — and E[OOP] = Σ_j P_j OOP_j the OOP an episode is
 * expected to cost there: the local price of care, its shares P_j the facility logit's at
 * the reference income (choice.referenceMonthlyIncome, grown with the county's incomes),
 * so that it is a price, not a taste — with the group's own income in the shares, richer
 * residents, who choose dearer hospitals, would face a higher price and forgo *more*
 * care (doubling every income raised the forgone share from 22% to 28%). Both are tables rebuilt each
 * month (`prepareMonth`, the plan step "care-seeking") from the option tables the choice
 * reads (sim/engine/options.ts) at the start of the insurance year (the month's fresh
 * OOP): one read per episode, no allocation. So utilisation responds to price, travel,
 * quality and crowding, and the intercepts keep their meaning — log-odds of seeking care
 * for the reference resident (reference income, 15–44, not chronic, not contracted) when
 * an episode is expected to cost the reference OOP and the options offer the reference
 * inclusive value. IV is the nested-logit term (the facility logit as the lower nest);
 * E[OOP] carries the extra price sensitivity of the decision to use care, in logs as in
 * the part-1 regressions this is calibrated to: the elasticity of P(seek) with respect to
 * price is then price × (1 − P) — larger where more care is forgone (minor episodes, low
 * incomes: the price elasticity of outpatient demand is higher for low-income groups,
 * Gansu, Health Policy Plan 2009;24:324), smaller for serious episodes. Episodes at or above `alwaysSeek` severity
 * (critical 急危重症 always) are never forgone: only non-critical admissions can be
 * deferred. A forgone episode produces no encounter, no cost and no habit, and skips the
 * facility choice; it is counted (indicators forgone*: by kind, by severity — the tier of
 * need, 小病/常见病/大病/急危重症 — by income quintile and poverty status).
 *
 * Three simpler forms were tried and rejected on the default county (scripts/calibrate-
 * care-seeking.ts). (1) Conditioning on the facility j* the Gumbel-max draw picks, with
 * its OOP relative to the resident's income, linear: calibrating the price weight to −0.5
 * needs a price term of ≈ −2 log-odds at the average episode, concentrated where OOP is
 * large, so residents whose draw picked a county or out-of-county hospital forgo most of
 * their care instead of going to the clinic a cheaper draw would have picked; the tier
 * constants must then absorb the loss and the calibration ran away (84% of acute episodes
 * forgone by its fifth iteration). (2) OOP relative to own income at that weight makes
 * the poorest fifth (≈ ½ the median income; the richest ≈ 2×) face a price term ≈ 4× the
 * richest fifth's and forgo most care. (3) E[OOP] linear in yuan calibrates (−2.74 per 100
 * yuan) but makes serious episodes, which cost most, the most price-elastic (≈ −1.1) and
 * needs an intercept of 14.5 for them. Here price enters in logs, deflated by the county's
 * income growth (prices growing 4% a year against incomes growing 8% weigh less over
 * time), and income separately.
 *
 * **Supplier-induced return visits.** Under fee-for-service a facility gains from every
 * visit: an outpatient episode treated at a facility paid per item (anything but a claim
 * on the resident's own community's package at one of its facilities) is followed, with
 * probability `inducedReturnVisits[tier]`, by one extra follow-up visit there, priced as a
 * minor visit (counted in inducedReturnVisits; 0 = none, the default: no published
 * estimate for Chinese county care was found).
 *
 * **Common random numbers.** The part-1 uniform (and the return-visit draw) come from a
 * stream of their own (sim/random.ts STREAMS.careSeeking), and a forgone episode skips
 * only its own choice draws (keyed by episode slot, not drawn in sequence); so every other
 * draw is the same with or without the outside option, and `enabled: false` gives the
 * model's outputs before care-seeking bit for bit.
 */
import { MAX_OPTIONS } from "./county/description";
import type { Residents } from "./county/generate";
import type { EngineContext } from "./engine/state";
import { OPTION_STRIDE, type VillageOptions } from "./engine/options";
import type { Counters } from "./indicators";
import { N_GROUPS } from "./insurance/claims";
import type { Parameters } from "./parameters";
import { hashFirst, hashPrefixFrom, uniformFromPrefix } from "./random";
import { AGE_BANDS, CRITICAL, INPATIENT, N_SEVERITIES, N_TIERS, OUTPATIENT, SEVERITIES, TIERS } from "./tier";

export const N_INCOME_QUINTILES = 5;
/** slot offset of the induced-return-visit draws in the care-seeking stream */
const RETURN_SLOT = 64;

type CareSeekingParameters = Pick<Parameters, "careSeeking" | "choice">;

/** One episode's part-1 inputs, for the documented formula (tests, notebooks). */
export interface SeekTerms {
  care: number;
  severity: number;
  chronicFollowUp: boolean;
  /** start-year monthly income, yuan (the county's income growth is in incomeIndex) */
  income: number;
  ageBand: number;
  chronic: boolean;
  contracted: boolean;
  /** IV: the inclusive value of the village's options for this episode */
  inclusiveValue: number;
  /** E[OOP]: the OOP the episode is expected to cost, yuan (this year's prices) */
  expectedOop: number;
  /** the county's income index this year (1 in the start year) */
  incomeIndex: number;
}

/**
 * The log-odds z of seeking care (documented above); +Infinity when the severity always
 * seeks care. Plain and slow — CareSeeking computes the same with the resident's terms
 * laid out once.
 */
export function seekLogOdds(t: SeekTerms, P: CareSeekingParameters): number {
  const c = P.careSeeking;
  const careName = t.care === INPATIENT ? "inpatient" : "outpatient";
  if (t.severity >= alwaysSeekIndex(c, t.care)) return Infinity;
  const sev = SEVERITIES[t.severity] as "minor" | "common" | "serious";
  return (
    (t.chronicFollowUp ? c.chronicFollowUp : c.intercept[careName][sev] + (t.chronic ? c.chronic : 0)) +
    c.income * Math.log((t.income * t.incomeIndex) / P.choice.referenceMonthlyIncome) +
    c.age[AGE_BANDS[t.ageBand]] +
    (t.contracted ? c.familyDoctorContract : 0) +
    c.inclusiveValue * (t.inclusiveValue - c.referenceInclusiveValue[careName]) +
    c.price[careName] * logPrice(t.expectedOop, t.incomeIndex, c.referenceOop[careName])
  );
}

/** ln(E[OOP] ÷ income index ÷ reference), E[OOP] taken as at least 1 yuan. */
export function logPrice(expectedOop: number, incomeIndex: number, referenceOop: number): number {
  return Math.log(Math.max(1, expectedOop) / incomeIndex / referenceOop);
}

/** logistic(z) = P(seek care). */
export function seekProbability(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

const SEEK_Z_MIN = -16;
const SEEK_Z_MAX = 16;
const SEEK_CELLS_PER_UNIT = 8;
const SEEK_CELLS = (SEEK_Z_MAX - SEEK_Z_MIN) * SEEK_CELLS_PER_UNIT;
/** e^−z at each cell's ends: the largest at its lower end, the smallest at its upper end */
const SEEK_EXP_UPPER = Float64Array.from({ length: SEEK_CELLS }, (_, c) => Math.exp(-(SEEK_Z_MIN + c / SEEK_CELLS_PER_UNIT)) * (1 + 1e-12));
const SEEK_EXP_LOWER = Float64Array.from({ length: SEEK_CELLS }, (_, c) => Math.exp(-(SEEK_Z_MIN + (c + 1) / SEEK_CELLS_PER_UNIT)) * (1 - 1e-12));
/**
 * The part-1 draw: whether uniform u seeks care at log-odds z, u × (1 + e^−z) < 1 (u <
 * logistic(z) without a division), decided as that expression decides it, to the bit.
 * Math.exp is a call out of V8's compiled code, and most draws are far from the
 * threshold, so e^−z is first bracketed by a table over cells of z of width 1/8 on
 * [−16, 16) (exact values at the cell ends, widened by 1e-12): when u × (1 + upper) < 1
 * or u × (1 + lower) ≥ 1, rounding being monotone, the exact expression agrees; only a
 * draw inside the bracket (≈ 3%) or z outside the table computes e^−z.
 */
export function seeksAt(u: number, z: number): boolean {
  const x = (z - SEEK_Z_MIN) * SEEK_CELLS_PER_UNIT;
  if (x >= 0 && x < SEEK_CELLS) {
    const c = x | 0;
    if (u * (1 + SEEK_EXP_UPPER[c]) < 1) return true;
    if (u * (1 + SEEK_EXP_LOWER[c]) >= 1) return false;
  }
  return u * (1 + Math.exp(-z)) < 1;
}

/**
 * The inclusive value ln Σ exp(V_j) of options with utilities V, and the OOP expected
 * under their logit shares, Σ_j P_j OOP_j (numerically stable).
 */
export function inclusiveValueAndExpectedOop(v: ArrayLike<number>, oop: ArrayLike<number>): { inclusiveValue: number; expectedOop: number } {
  let max = -Infinity;
  for (let j = 0; j < v.length; j++) if (v[j] > max) max = v[j];
  let sum = 0;
  let weighted = 0;
  for (let j = 0; j < v.length; j++) {
    const w = Math.exp(v[j] - max);
    sum += w;
    weighted += w * oop[j];
  }
  return { inclusiveValue: max + Math.log(sum), expectedOop: weighted / sum };
}

/** The lowest severity index that always seeks care (critical at the latest). */
function alwaysSeekIndex(c: Parameters["careSeeking"], care: number): number {
  return Math.min(CRITICAL, SEVERITIES.indexOf(care === INPATIENT ? c.alwaysSeek.inpatient : c.alwaysSeek.outpatient));
}

/**
 * Each resident's income quintile (0 = poorest fifth) in the county's start-year income
 * distribution; ties go to the higher quintile.
 */
export function incomeQuintiles(monthlyIncome: ArrayLike<number>): Uint8Array {
  const n = monthlyIncome.length;
  const sorted = Float64Array.from(monthlyIncome).sort();
  const cuts = Array.from({ length: N_INCOME_QUINTILES - 1 }, (_, q) => sorted[Math.min(n - 1, Math.floor(((q + 1) * n) / N_INCOME_QUINTILES))]);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const x = monthlyIncome[i];
    let q = 0;
    while (q < cuts.length && x >= cuts[q]) q++;
    out[i] = q;
  }
  return out;
}

/**
 * Part 1 in the episode kernel: the month's tables of what seeking care offers, one
 * decision per episode, the episode tallies by severity, income quintile and poverty
 * status, and induced return visits. Nothing is allocated per episode.
 */
export class CareSeeking {
  readonly enabled: boolean;
  /** episodes forgone since the start (burn-in included): the books check counts them as ended */
  forgone = 0;
  /** each resident's income quintile (0 = poorest) */
  readonly quintile: Uint8Array;
  /** this month's IV and E[OOP] by [(village * N_GROUPS + g) * OPTION_STRIDE + care * N_SEVERITIES + severity] */
  readonly inclusive: Float64Array;
  readonly expectedOop: Float64Array;
  /** and what they add to z: inclusiveValue × (IV − reference) + price × ln(E[OOP] ÷ index ÷ reference) */
  private readonly optionTerm: Float64Array;
  /** ln(E[OOP] ÷ index ÷ reference), same layout (diagnostics) */
  private readonly lnPrice: Float64Array;
  /**
   * whether `diagnostics` are kept: only the calibration asks for them (a plan step sets
   * this before the residents' pass); no output depends on them
   */
  collectDiagnostics = false;
  /**
   * diagnostics over the recorded months (scripts/calibrate-care-seeking.ts): episodes and
   * forgone episodes by [kind * N_SEVERITIES + severity], kind 0 = acute outpatient,
   * 1 = admission, 2 = chronic follow-up, and the sum of ln(E[OOP] ÷ index ÷ referenceOop)
   * where part 1 was drawn; by care, the sum of IV and of ln(E[OOP] ÷ index) where part 1
   * was drawn and how often (their means are what `referenceInclusiveValue` and
   * ln `referenceOop` are set to)
   */
  readonly diagnostics = {
    episodes: new Float64Array(3 * N_SEVERITIES),
    forgone: new Float64Array(3 * N_SEVERITIES),
    priceSum: new Float64Array(3 * N_SEVERITIES),
    inclusiveSum: new Float64Array(2),
    lnOopSum: new Float64Array(2),
    drawn: new Float64Array(2),
  };

  /** prepareMonth's utilities with OOP of one village's options, at the group's and at the reference income */
  private readonly scratchAt = new Float64Array(MAX_OPTIONS);
  private readonly scratchAtRef = new Float64Array(MAX_OPTIONS);
  private readonly first: Uint32Array;
  /** income + age terms of each resident (without this year's income growth) */
  private readonly residentTerm: Float64Array;
  private readonly village: ArrayLike<number>;
  private readonly monthlyIncome: Float32Array;
  private readonly ageBand: Uint8Array;
  private readonly ageTerm: Float64Array;
  private readonly referenceIncome: number;
  private readonly chronicResident: ArrayLike<number>;
  private readonly poor: ArrayLike<number>;
  /** mean start-year monthly income of each village's residents of each scheme [v * 2 + scheme] */
  private readonly villageIncome: Float64Array;
  /** 1 for each scheme × registered-poor pair (insurance group >> 1) that no resident has */
  private readonly pairUnused: Uint8Array;
  /** intercept by [care * N_SEVERITIES + severity]; +Infinity where care is always sought */
  private readonly intercept = new Float64Array(2 * N_SEVERITIES);
  private readonly chronicFollowUp: number;
  private readonly chronicTerm: number;
  private readonly contractTerm: number;
  private readonly theta: number;
  private readonly referenceInclusive = new Float64Array(2);
  private readonly referenceOop = new Float64Array(2);
  private readonly priceWeight = new Float64Array(2);
  private readonly incomeCoefficient: number;
  private readonly induced = new Float64Array(N_TIERS);
  private readonly anyInduced: boolean;
  /** this year's income index and the terms it sets */
  private incomeIndex = 1;
  private yearTerm = 0;
  private cal = 0;
  /** recorded month index, −1 in burn-in */
  private month = -1;

  // counters written (sim/indicators.ts)
  private readonly episodesBySeverity: Float64Array[];
  private readonly forgoneBySeverity: Float64Array[];
  private readonly episodesByQuintile: Float64Array[];
  private readonly forgoneByQuintile: Float64Array[];
  private readonly forgoneByKind: Float64Array[];
  private readonly counters: Counters;

  constructor(
    private readonly ctx: EngineContext,
    private readonly options: VillageOptions,
    streamKey: number,
    counters: Counters,
    /** the run's residents: the county's, or a changing population's columns (slots beyond the county's fill as people arrive) */
    people: Residents = ctx.county.residents,
  ) {
    const P = ctx.P;
    const c = P.careSeeking;
    const R = people;
    this.enabled = c.enabled;
    const slots = R.count;
    // village means and income quintiles are of the start population (the county's residents)
    const n = ctx.county.residents.count;
    this.first = new Uint32Array(slots);
    this.residentTerm = new Float64Array(slots);
    const ref = P.choice.referenceMonthlyIncome;
    const age = Float64Array.from(AGE_BANDS, (a) => c.age[a]);
    this.ageTerm = age;
    this.referenceIncome = ref;
    for (let i = n; i < slots; i++) this.first[i] = hashFirst(streamKey, i);
    const V = ctx.county.villages.length;
    this.villageIncome = new Float64Array(V * 2);
    const villageCount = new Float64Array(V * 2);
    const schemeIncome = new Float64Array(2);
    const schemeCount = new Float64Array(2);
    for (let i = 0; i < n; i++) {
      this.first[i] = hashFirst(streamKey, i);
      this.residentTerm[i] = c.income * Math.log(R.monthlyIncome[i] / ref) + age[R.ageBand[i]];
      const k = R.village[i] * 2 + R.scheme[i];
      this.villageIncome[k] += R.monthlyIncome[i];
      villageCount[k]++;
      schemeIncome[R.scheme[i]] += R.monthlyIncome[i];
      schemeCount[R.scheme[i]]++;
    }
    // a village without residents of a scheme takes the scheme's county mean (its options are never used)
    for (let k = 0; k < V * 2; k++) this.villageIncome[k] = villageCount[k] > 0 ? this.villageIncome[k] / villageCount[k] : schemeCount[k & 1] > 0 ? schemeIncome[k & 1] / schemeCount[k & 1] : ref;
    // a scheme × registered-poor pair no resident has (no employee is registered poor:
    // sim/county/generate.ts) has no episodes, so prepareMonth leaves its groups out; people
    // who join a changing population take a resident's pair (sim/population/state.ts join)
    this.pairUnused = new Uint8Array(N_GROUPS / 2).fill(1);
    for (let i = 0; i < n; i++) this.pairUnused[R.scheme[i] * 2 + R.poor[i]] = 0;
    this.quintile = new Uint8Array(slots);
    this.quintile.set(incomeQuintiles(R.monthlyIncome.subarray(0, n)));
    this.monthlyIncome = R.monthlyIncome;
    this.ageBand = R.ageBand;
    this.village = R.village;
    this.chronicResident = R.chronic;
    this.poor = R.poor;
    this.inclusive = new Float64Array(V * N_GROUPS * OPTION_STRIDE);
    this.expectedOop = new Float64Array(V * N_GROUPS * OPTION_STRIDE);
    this.optionTerm = new Float64Array(V * N_GROUPS * OPTION_STRIDE);
    this.lnPrice = new Float64Array(V * N_GROUPS * OPTION_STRIDE);
    for (const care of [OUTPATIENT, INPATIENT]) {
      const name = care === INPATIENT ? "inpatient" : "outpatient";
      const always = alwaysSeekIndex(c, care);
      for (let s = 0; s < N_SEVERITIES; s++) this.intercept[care * N_SEVERITIES + s] = s >= always ? Infinity : c.intercept[name][SEVERITIES[s] as "minor" | "common" | "serious"];
      this.referenceInclusive[care] = c.referenceInclusiveValue[name];
      this.referenceOop[care] = c.referenceOop[name];
      this.priceWeight[care] = c.price[name];
    }
    this.chronicFollowUp = c.chronicFollowUp;
    this.chronicTerm = c.chronic;
    this.contractTerm = c.familyDoctorContract;
    this.theta = c.inclusiveValue;
    this.incomeCoefficient = c.income;
    TIERS.forEach((t, ti) => (this.induced[ti] = c.inducedReturnVisits[t]));
    this.anyInduced = this.induced.some((p) => p > 0);
    this.counters = counters;
    this.episodesBySeverity = [counters.episodesMinor, counters.episodesCommon, counters.episodesSerious, counters.episodesCritical];
    this.forgoneBySeverity = [counters.forgoneMinor, counters.forgoneCommon, counters.forgoneSerious, counters.forgoneCritical];
    this.episodesByQuintile = [counters.episodesQ1, counters.episodesQ2, counters.episodesQ3, counters.episodesQ4, counters.episodesQ5];
    this.forgoneByQuintile = [counters.forgoneQ1, counters.forgoneQ2, counters.forgoneQ3, counters.forgoneQ4, counters.forgoneQ5];
    this.forgoneByKind = [counters.forgoneOutpatient, counters.forgoneInpatient, counters.forgoneChronic];
  }

  /**
   * Resident i joined the population (born, moved in) or entered another age band: their
   * income and age terms again, and the income quintile of `like` (the mother or the
   * resident whose household they joined; i itself when only the age band changed).
   */
  residentChanged(i: number, like: number): void {
    this.residentTerm[i] = this.incomeCoefficient * Math.log(this.monthlyIncome[i] / this.referenceIncome) + this.ageTerm[this.ageBand[i]];
    this.quintile[i] = this.quintile[like];
  }

  /** Incomes grow: this year's income index (the kernel's setPolicy). */
  setIncomeIndex(incomeIndex: number): void {
    this.incomeIndex = incomeIndex;
    this.yearTerm = this.incomeCoefficient * Math.log(incomeIndex);
  }

  /** The calendar month (random keys) and the recorded month index (−1 in burn-in). */
  setMonth(cal: number, month: number): void {
    this.cal = cal;
    this.month = month;
  }

  /**
   * This month's IV and E[OOP] per village × insurance group × care × severity, from the
   * option tables the facility choice reads (static utilities, crowding, the fresh-state
   * OOP; the contract term for contracted groups; no habit). Run after the month's
   * crowding; skipped when the outside option is off.
   */
  prepareMonth(): void {
    if (!this.enabled) return;
    const { county, P } = this.ctx;
    const ch = P.choice;
    const o = this.options;
    const K = o.count;
    const utilityStatic = o.utilityStatic;
    const crowd = o.crowd;
    const oopFresh = o.oopFresh;
    for (let v = 0; v < county.villages.length; v++) {
      const o0 = county.optionStart[v];
      const o1 = county.optionStart[v + 1];
      for (let g = 0; g < N_GROUPS; g++) {
        if (this.pairUnused[g >> 1] !== 0) continue;
        const contracted = (g & 1) === 1;
        const income = this.villageIncome[v * 2 + (g >> 2)] * this.incomeIndex;
        for (let care = 0; care < 2; care++) {
          const oopWeight = ((care === INPATIENT ? ch.inpatientOopScale : 1) * ch.oopPer100Yuan * ch.referenceMonthlyIncome) / (100 * income);
          const oopWeightRef = ((care === INPATIENT ? ch.inpatientOopScale : 1) * ch.oopPer100Yuan) / (100 * this.incomeIndex);
          for (let sev = 0; sev < N_SEVERITIES; sev++) {
            const cs = care * N_SEVERITIES + sev;
            const row = ((g * 2 + care) * N_SEVERITIES + sev) * K;
            // the utility of each option without OOP, then IV at the group's income and the
            // shares at the reference income that weight E[OOP]
            let max = -Infinity;
            let maxRef = -Infinity;
            const xs = this.scratchAt;
            const xsRef = this.scratchAtRef;
            for (let k = o0; k < o1; k++) {
              const u = utilityStatic[k * OPTION_STRIDE + cs] + ch.crowding * crowd[k * OPTION_STRIDE + cs] + (contracted && k - o0 < 2 ? ch.familyDoctorContract : 0);
              const oop = oopFresh[row + k];
              const x = u + oopWeight * oop;
              const xRef = u + oopWeightRef * oop;
              xs[k - o0] = x;
              xsRef[k - o0] = xRef;
              if (x > max) max = x;
              if (xRef > maxRef) maxRef = xRef;
            }
            let sum = 0;
            let sumRef = 0;
            let weighted = 0;
            for (let k = o0; k < o1; k++) {
              sum += Math.exp(xs[k - o0] - max);
              const w = Math.exp(xsRef[k - o0] - maxRef);
              sumRef += w;
              weighted += w * oopFresh[row + k];
            }
            const at = (v * N_GROUPS + g) * OPTION_STRIDE + cs;
            const iv = max + Math.log(sum);
            const lp = logPrice(weighted / sumRef, this.incomeIndex, this.referenceOop[care]);
            this.inclusive[at] = iv;
            this.expectedOop[at] = weighted / sumRef;
            this.lnPrice[at] = lp;
            this.optionTerm[at] = this.theta * (iv - this.referenceInclusive[care]) + this.priceWeight[care] * lp;
          }
        }
      }
    }
  }

  /** The log-odds of seeking care for an episode of resident i in insurance group g (+Infinity: always). */
  logOdds(i: number, g: number, care: number, sev: number, chronicFollowUp: boolean): number {
    const base = chronicFollowUp ? this.chronicFollowUp : this.intercept[care * N_SEVERITIES + sev];
    if (base === Infinity) return Infinity;
    const at = (this.village[i] * N_GROUPS + g) * OPTION_STRIDE + care * N_SEVERITIES + sev;
    return (
      base +
      (!chronicFollowUp && this.chronicResident[i] !== 0 ? this.chronicTerm : 0) +
      this.residentTerm[i] +
      this.yearTerm +
      ((g & 1) === 1 ? this.contractTerm : 0) +
      this.optionTerm[at]
    );
  }

  /**
   * Part 1 for one episode of resident i (insurance group g): true = taken to a facility;
   * false = forgone (self-care, pharmacy, deferred). Tallies the episode either way.
   */
  seeks(i: number, g: number, care: number, sev: number, chronicFollowUp: boolean, slot: number): boolean {
    let seek = true;
    const mi = this.month;
    if (this.enabled) {
      const z = this.logOdds(i, g, care, sev, chronicFollowUp);
      if (z !== Infinity) {
        // u < logistic(z), without a division
        seek = seeksAt(uniformFromPrefix(hashPrefixFrom(this.first[i], this.cal), slot), z);
        if (mi >= 0 && this.collectDiagnostics) {
          const at = (this.village[i] * N_GROUPS + g) * OPTION_STRIDE + care * N_SEVERITIES + sev;
          const d = this.diagnostics;
          d.inclusiveSum[care] += this.inclusive[at];
          d.lnOopSum[care] += this.lnPrice[at] + Math.log(this.referenceOop[care]);
          d.drawn[care]++;
          d.priceSum[(chronicFollowUp ? 2 : care) * N_SEVERITIES + sev] += this.lnPrice[at];
        }
      }
    }
    if (mi >= 0) {
      const q = this.quintile[i];
      const poor = this.poor[i] !== 0;
      const kind = chronicFollowUp ? 2 : care;
      if (this.collectDiagnostics) {
        this.diagnostics.episodes[kind * N_SEVERITIES + sev]++;
        if (!seek) this.diagnostics.forgone[kind * N_SEVERITIES + sev]++;
      }
      this.episodesBySeverity[sev][mi]++;
      this.episodesByQuintile[q][mi]++;
      if (poor) this.counters.episodesPoor[mi]++;
      if (!seek) {
        this.forgoneBySeverity[sev][mi]++;
        this.forgoneByQuintile[q][mi]++;
        this.forgoneByKind[kind][mi]++;
        if (poor) this.counters.forgonePoor[mi]++;
      }
    }
    if (!seek) this.forgone++;
    return seek;
  }

  /** Whether an outpatient episode treated at a facility of `tier` paid per item brings an induced return visit. */
  inducedReturnVisit(i: number, tier: number, slot: number): boolean {
    if (!this.anyInduced) return false;
    const p = this.induced[tier];
    if (!(p > 0) || uniformFromPrefix(hashPrefixFrom(this.first[i], this.cal), RETURN_SLOT + slot) >= p) return false;
    if (this.month >= 0) this.counters.inducedReturnVisits[this.month]++;
    return true;
  }
}

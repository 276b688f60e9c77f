/**
 * Care-seeking and the outside option (issue 10 item 1; ../shared/domain.md §6): not every
 * illness episode reaches a facility — residents treat themselves, buy at a pharmacy or
 * forgo care, more so when care is costly, far or crowded and when income is low.
 *
 * **Why a two-part model, not one more alternative in the facility logit.** The facility
 * choice (sim/choice.ts) carries the DCE's price weight, −0.168 per 100 yuan at the
 * reference income (Yu et al., BMJ Open 2021). An outside alternative in that same
 * multinomial logit inherits it: a 10% rise in every outpatient OOP (a few yuan at a
 * village clinic, ≈20 at a county hospital) moves its utility by ≈0.01, and the own-price
 * elasticity of visits comes out near −0.03 — against a published −0.519 (95% CI −0.703
 * to −0.336) for the first outpatient visit in rural China (Zhou et al., "New estimates
 * of elasticity of demand for healthcare in rural China", Health Policy 2011;103:255).
 * A DCE's price weight is scaled to the variance of a hypothetical choice *between
 * providers*; whether to use care at all is a different decision with its own scale.
 * The standard answer in health economics is the two-part model of the RAND Health
 * Insurance Experiment (Duan, Manning, Morris & Newhouse, J Bus Econ Stat 1983;1:115;
 * Manning et al., Am Econ Rev 1987;77:251): part 1, whether any care is used, a binary
 * model with its own coefficients; part 2, how much and where — here the facility logit
 * as it was. The published −0.519 is itself a part-1 elasticity (the probability of a
 * first visit), so part 1 is what is calibrated to it.
 *
 * **Part 1, per episode.** The kernel first finds the facility j* the resident would go
 * to (Gumbel-max over the village's options, unchanged), then the resident seeks care
 * with probability logistic(z):
 *
 *   z = intercept[care][severity]          (chronicFollowUp for a scheduled chronic follow-up)
 *     + income × ln(income ÷ choice.referenceMonthlyIncome)
 *     + age[age band] + chronic × [chronic condition; not for follow-ups]
 *     + familyDoctorContract × [contracted]
 *     + preferredUtility × (V*_j − referenceUtility[care])
 *     + oopPer100Yuan[care] × OOP_j* / 100 × choice.referenceMonthlyIncome ÷ income
 *
 * where V*_j is j*'s systematic utility without its OOP term (tier constant, quality,
 * travel, crowding, habit, contract, catchment, the lead hospital's steering) and OOP_j*
 * the OOP of going there (referred on: both legs), under the resident's insurance state.
 * So utilisation responds to price, travel, quality and crowding through the facility the
 * resident would use, and the intercepts keep their meaning: the log-odds for the
 * reference resident at zero OOP when the preferred facility offers the reference utility.
 * Episodes at or above `alwaysSeek` severity (critical 急危重症 always) are never forgone:
 * only non-critical admissions can be deferred. A forgone episode produces no encounter,
 * no cost and no habit; it is counted (indicators forgone*: by kind, severity — the tier
 * of need, 小病/常见病/大病/急危重症 — income quintile and poverty status).
 *
 * Conditioning on j* is the cheap, allocation-free form of the choice (one exp per
 * episode; no logsum over the options): a resident put off by the price of the facility
 * they prefer does not reconsider a cheaper one within part 1 — that substitution is the
 * facility logit's, at the DCE's price weight. Elasticity thus concentrates where OOP is
 * large relative to income (county and out-of-county care, low incomes), as in the
 * literature (the price elasticity of outpatient demand is higher for low-income groups:
 * Gansu, Health Policy Plan 2009;24:324).
 *
 * **Supplier-induced return visits.** Under fee-for-service a facility gains from every
 * visit: an outpatient episode treated at a facility paid per item (not from its own
 * community's package) is followed, with probability `inducedReturnVisits[tier]`, by one
 * extra follow-up visit there, priced as a minor visit (counted in inducedReturnVisits;
 * 0 = none, the default: no published estimate for Chinese county care was found).
 *
 * **Common random numbers.** The part-1 uniform (and the return-visit draw) come from a
 * stream of their own (sim/random.ts STREAMS.careSeeking), so every other draw is the
 * same with or without the outside option, and `enabled: false` gives the model's outputs
 * before care-seeking bit for bit.
 */
import type { Counters } from "./indicators";
import type { Parameters } from "./parameters";
import { hashFirst, hashPrefixFrom, uniformFromPrefix } from "./random";
import { AGE_BANDS, CRITICAL, INPATIENT, N_SEVERITIES, N_TIERS, OUTPATIENT, SEVERITIES, TIERS } from "./tier";

export const N_INCOME_QUINTILES = 5;
/** slot offset of the induced-return-visit draws in the care-seeking stream */
const RETURN_SLOT = 64;

/** What part 1 needs of the residents (sim/county/generate.ts Residents). */
export interface CareSeekingResidents {
  readonly count: number;
  readonly monthlyIncome: ArrayLike<number>;
  readonly ageBand: ArrayLike<number>;
  readonly chronic: ArrayLike<number>;
  readonly poor: ArrayLike<number>;
}

/** One episode's part-1 inputs, for the documented formula (tests, notebooks). */
export interface SeekTerms {
  care: number;
  severity: number;
  chronicFollowUp: boolean;
  /** this year's monthly income, yuan */
  income: number;
  ageBand: number;
  chronic: boolean;
  contracted: boolean;
  /** V*_j: the preferred facility's systematic utility without OOP */
  utilityWithoutOop: number;
  /** OOP of the preferred facility, yuan */
  oop: number;
}

/**
 * The log-odds z of seeking care (documented above); +Infinity when the severity always
 * seeks care. Plain and slow — the kernel's CareSeeking computes the same with the
 * resident's terms laid out once.
 */
export function seekLogOdds(t: SeekTerms, P: Pick<Parameters, "careSeeking" | "choice">): number {
  const c = P.careSeeking;
  const careName = t.care === INPATIENT ? "inpatient" : "outpatient";
  if (t.severity >= alwaysSeekIndex(c, t.care)) return Infinity;
  const sev = SEVERITIES[t.severity] as "minor" | "common" | "serious";
  const ref = P.choice.referenceMonthlyIncome;
  return (
    (t.chronicFollowUp ? c.chronicFollowUp : c.intercept[careName][sev] + (t.chronic ? c.chronic : 0)) +
    c.income * Math.log(t.income / ref) +
    c.age[AGE_BANDS[t.ageBand]] +
    (t.contracted ? c.familyDoctorContract : 0) +
    c.preferredUtility * (t.utilityWithoutOop - c.referenceUtility[careName]) +
    (c.oopPer100Yuan[careName] * t.oop * ref) / (100 * t.income)
  );
}

/** logistic(z) = P(seek care). */
export function seekProbability(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

/** The lowest severity index that always seeks care (critical at the latest). */
function alwaysSeekIndex(c: Parameters["careSeeking"], care: number): number {
  return Math.min(CRITICAL, SEVERITIES.indexOf(care === INPATIENT ? c.alwaysSeek.inpatient : c.alwaysSeek.outpatient));
}

/**
 * Each resident's income quintile (0 = poorest fifth) in the county's start-year income
 * distribution; ties go to the lower quintile.
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
 * Part 1 in the episode kernel: one decision per episode, after the facility choice; the
 * episode tallies by severity, income quintile and poverty status; induced return visits.
 * Nothing is allocated per episode.
 */
export class CareSeeking {
  readonly enabled: boolean;
  /** episodes forgone since the start (burn-in included): the books check counts them as ended */
  forgone = 0;
  /** each resident's income quintile (0 = poorest) */
  readonly quintile: Uint8Array;

  private readonly first: Uint32Array;
  /** income + age terms of each resident (without this year's income growth) */
  private readonly residentTerm: Float64Array;
  private readonly chronicResident: ArrayLike<number>;
  private readonly poor: ArrayLike<number>;
  /** intercept by [care * N_SEVERITIES + severity]; +Infinity where care is always sought */
  private readonly intercept = new Float64Array(2 * N_SEVERITIES);
  private readonly chronicFollowUp: number;
  private readonly chronicTerm: number;
  private readonly contractTerm: number;
  private readonly theta: number;
  private readonly referenceUtility = new Float64Array(2);
  /** oopPer100Yuan[care] × referenceMonthlyIncome / 100 */
  private readonly priceWeight = new Float64Array(2);
  private readonly incomeCoefficient: number;
  private readonly induced = new Float64Array(N_TIERS);
  private readonly anyInduced: boolean;
  /** this year's income growth term */
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

  constructor(P: Pick<Parameters, "careSeeking" | "choice">, residents: CareSeekingResidents, streamKey: number, counters: Counters) {
    const c = P.careSeeking;
    this.enabled = c.enabled;
    const n = residents.count;
    this.first = new Uint32Array(n);
    this.residentTerm = new Float64Array(n);
    const ref = P.choice.referenceMonthlyIncome;
    const age = Float64Array.from(AGE_BANDS, (a) => c.age[a]);
    for (let i = 0; i < n; i++) {
      this.first[i] = hashFirst(streamKey, i);
      this.residentTerm[i] = c.income * Math.log(residents.monthlyIncome[i] / ref) + age[residents.ageBand[i]];
    }
    this.quintile = incomeQuintiles(residents.monthlyIncome);
    this.chronicResident = residents.chronic;
    this.poor = residents.poor;
    for (const care of [OUTPATIENT, INPATIENT]) {
      const name = care === INPATIENT ? "inpatient" : "outpatient";
      const always = alwaysSeekIndex(c, care);
      for (let s = 0; s < N_SEVERITIES; s++) this.intercept[care * N_SEVERITIES + s] = s >= always ? Infinity : c.intercept[name][SEVERITIES[s] as "minor" | "common" | "serious"];
      this.referenceUtility[care] = c.referenceUtility[name];
      this.priceWeight[care] = (c.oopPer100Yuan[name] * ref) / 100;
    }
    this.chronicFollowUp = c.chronicFollowUp;
    this.chronicTerm = c.chronic;
    this.contractTerm = c.familyDoctorContract;
    this.theta = c.preferredUtility;
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

  /** Incomes grow: this year's income index (the kernel's setPolicy). */
  setIncomeIndex(incomeIndex: number): void {
    this.yearTerm = this.incomeCoefficient * Math.log(incomeIndex);
  }

  /** The calendar month (random keys) and the recorded month index (−1 in burn-in). */
  setMonth(cal: number, month: number): void {
    this.cal = cal;
    this.month = month;
  }

  /**
   * Part 1 for one episode of resident i whose preferred facility offers `utilityWithoutOop`
   * at `oop` yuan: true = it goes there; false = forgone (self-care, pharmacy). Tallies
   * the episode either way.
   */
  seeks(i: number, care: number, sev: number, chronicFollowUp: boolean, contracted: boolean, utilityWithoutOop: number, oop: number, income: number, slot: number): boolean {
    let seek = true;
    if (this.enabled) {
      const base = chronicFollowUp ? this.chronicFollowUp : this.intercept[care * N_SEVERITIES + sev];
      if (base !== Infinity) {
        const z =
          base +
          (!chronicFollowUp && this.chronicResident[i] !== 0 ? this.chronicTerm : 0) +
          this.residentTerm[i] +
          this.yearTerm +
          (contracted ? this.contractTerm : 0) +
          this.theta * (utilityWithoutOop - this.referenceUtility[care]) +
          (this.priceWeight[care] * oop) / income;
        // u < logistic(z), without a division
        seek = uniformFromPrefix(hashPrefixFrom(this.first[i], this.cal), slot) * (1 + Math.exp(-z)) < 1;
      }
    }
    const mi = this.month;
    if (mi >= 0) {
      const q = this.quintile[i];
      const poor = this.poor[i] !== 0;
      this.episodesBySeverity[sev][mi]++;
      this.episodesByQuintile[q][mi]++;
      if (poor) this.counters.episodesPoor[mi]++;
      if (!seek) {
        this.forgoneBySeverity[sev][mi]++;
        this.forgoneByQuintile[q][mi]++;
        this.forgoneByKind[chronicFollowUp ? 2 : care][mi]++;
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

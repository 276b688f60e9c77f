/**
 * Financial protection and equity (健康扶贫 000_d976d86ac1f892b7.txt §三(七): 因病致贫、因病
 * 返贫; 待遇不降低 003_e150340525663deb.txt §三), measured once a year from each resident's
 * out-of-pocket payments of the insurance year (ResidentState.oopThisYear): a pass over the
 * typed arrays at year end, nothing per episode.
 *
 * Catastrophic health expenditure (SDG 3.8.2; UN SDG indicator metadata, custodians WHO
 * and the World Bank: https://unstats.un.org/sdgs/metadata/files/Metadata-03-08-02.pdf):
 * out-of-pocket health spending greater than 10% (3.8.2_10) and greater than 25%
 * (3.8.2_25) of total household consumption or, when that is unavailable, income. The
 * county description gives per-person income only (demographics.income: per-capita
 * disposable income, lognormal), no consumption, no food spending and no households, so:
 *   - the denominator is the resident's own income over the months observed (monthly
 *     income × the year's income growth × months), the numerator the resident's OOP in
 *     those months — a per-person ratio, which overstates household CHE where members
 *     pool income and spending, and includes no self-medication (no outside option yet);
 *   - the WHO capacity-to-pay definition (OOP ≥ 40% of consumption net of subsistence
 *     food spending; Xu et al., Lancet 2003;362:111–117) is NOT computed: it needs food
 *     spending (the 45th–55th percentile food share) that the county data do not have, and
 *     inventing a subsistence line would put a number in the model no source gives.
 *
 * OOP per resident (a resident-year: OOP ÷ residents × months observed ÷ 12) by income
 * quintile (county-wide, by the resident's income rank: Q1 poorest), by registered-poor
 * status, and by township. With a changing population the months observed are each
 * resident's own: whoever lived in the county in any month of the year is judged on the
 * months they did (a death in June: six), so the dead and departed are not left out.
 *
 * Forgone care (needs not met because of cost, distance or crowding) is measured by the
 * outside option of sim/care-seeking.ts (issue 10 item 1): an episode not taken to any
 * facility (self-care, pharmacy, forgone; a non-critical admission deferred) is counted by
 * kind, by severity (the tier of need), by income quintile and by registered-poor status
 * (indicators forgone*, an optional module: sim/indicators.ts OPTIONAL_MODULES). A run
 * with `careSeeking.enabled: false` treats every episode and has none of these numbers;
 * `forgoneCare` says which, for compare and the briefing.
 */
import type { County } from "./county/generate";
import type { Counters } from "./indicators";
import type { Population } from "./population/state";

/** SDG 3.8.2 thresholds: OOP greater than these shares of income. */
export const CHE_THRESHOLDS = [0.1, 0.25] as const;

export const N_QUINTILES = 5;

/** What forgone care means where it is measured (sim/care-seeking.ts), and what a run without the outside option says. */
export const FORGONE_CARE = {
  modelled: true,
  note: "forgone care is illness episodes not taken to any facility (self-care, pharmacy, forgone; non-critical admissions deferred; critical episodes never) ÷ all episodes, in the final year, by tier of need, income quintile (start-year income) and registered-poor status (sim/care-seeking.ts)",
} as const;
export const FORGONE_CARE_OFF = {
  modelled: false,
  note: "forgone care is not modelled in this run (careSeeking.enabled is false): every episode is treated, so no number is reported",
} as const;

/** The indicators forgone care is reported by: the headline, by tier of need, by income quintile, by poverty status. */
export const FORGONE_GROUPS = {
  all: "forgoneCareShare",
  bySeverity: { minor: "forgoneShareMinor", common: "forgoneShareCommon", serious: "forgoneShareSerious", critical: "forgoneShareCritical" },
  byQuintile: ["forgoneShareQ1", "forgoneShareQ2", "forgoneShareQ3", "forgoneShareQ4", "forgoneShareQ5"],
  poor: "forgoneSharePoor",
  nonPoor: "forgoneShareNonPoor",
} as const;

/** Forgone care of one run's final year, by group (null where no episode of the group arose). */
export interface ForgoneCare {
  modelled: boolean;
  note: string;
  /** share of all episodes; by severity (the tier of need); by income quintile, Q1 poorest; registered poor and not */
  share?: number | null;
  bySeverity?: { minor: number | null; common: number | null; serious: number | null; critical: number | null };
  byQuintile?: (number | null)[];
  poor?: number | null;
  nonPoor?: number | null;
}

/**
 * Forgone care of a run from its final year's indicator values: modelled when the run has
 * the care-seeking indicators (the module ran: sim/indicators.ts OPTIONAL_MODULES).
 */
export function forgoneCare(values: Readonly<Record<string, { value: number | null } | undefined>>): ForgoneCare {
  const g = FORGONE_GROUPS;
  if (!values[g.all]) return { ...FORGONE_CARE_OFF };
  const v = (id: string) => values[id]?.value ?? null;
  return {
    ...FORGONE_CARE,
    share: v(g.all),
    bySeverity: { minor: v(g.bySeverity.minor), common: v(g.bySeverity.common), serious: v(g.bySeverity.serious), critical: v(g.bySeverity.critical) },
    byQuintile: g.byQuintile.map(v),
    poor: v(g.poor),
    nonPoor: v(g.nonPoor),
  };
}

/**
 * Income quintile cut points: the incomes of the residents at ranks ⌈k·n/5⌉ (k = 1…4,
 * 1-based) of the ascending order. A resident is in quintile 1 + #{cuts below its income}
 * — with distinct incomes exactly n/5 residents each (to within one).
 */
export function quintileCuts(incomes: ArrayLike<number>): Float64Array {
  const sorted = Float64Array.from(incomes).sort();
  const n = sorted.length;
  const cuts = new Float64Array(N_QUINTILES - 1);
  for (let k = 1; k < N_QUINTILES; k++) cuts[k - 1] = n > 0 ? sorted[Math.max(0, Math.ceil((k * n) / N_QUINTILES) - 1)] : 0;
  return cuts;
}

/** A resident's income quintile, 0 (poorest fifth) … 4. */
export function quintileOf(income: number, cuts: Float64Array): number {
  let q = 0;
  while (q < cuts.length && income > cuts[q]) q++;
  return q;
}

/** Catastrophic at a threshold: OOP greater than `threshold` × income (income > 0). */
export function catastrophic(oop: number, income: number, threshold: number): boolean {
  return oop > threshold * income;
}

/** One year-end pass: counts into this month's counters and the per-township series. */
export class ProtectionRecorder {
  /** OOP and resident-years per township at each recorded month: [month * T + township] */
  readonly townshipOop: Float64Array;
  readonly townshipResidentYears: Float64Array;
  private readonly cuts: Float64Array;
  private readonly townshipOf: Int32Array;
  private readonly T: number;

  constructor(
    private readonly county: County,
    months: number,
    /** a changing population (sim/population/state.ts): whoever lived here during the year is judged, on the months they did; the quintile cuts stay the start population's */
    private readonly population: Population | null = null,
  ) {
    const R = county.residents;
    this.cuts = quintileCuts(R.monthlyIncome);
    this.townshipOf = Int32Array.from(county.villages, (v) => v.township);
    this.T = county.townships.length;
    this.townshipOop = new Float64Array(months * this.T);
    this.townshipResidentYears = new Float64Array(months * this.T);
  }

  /**
   * Record the insurance year that ends in recorded month `month`: `oop` is each
   * resident's OOP since the year's reset, covering `monthsCovered` months, weighed
   * against monthly income × `incomeIndex`.
   */
  record(counters: Counters, month: number, oop: Float32Array, monthsCovered: number, incomeIndex: number): void {
    const pop = this.population;
    const R = pop !== null ? pop.columns : this.county.residents;
    const slots = pop !== null ? pop.used : R.count;
    // a changing population: who lived here in any month of the year, on the months they did
    // (born, arrived, died or left during it); a fixed one: everyone, every month
    const joined = pop !== null ? pop.joinedStep : null;
    const left = pop !== null ? pop.leftStep : null;
    const firstMonth = month - monthsCovered + 1;
    const income = R.monthlyIncome;
    const poor = R.poor;
    const village = R.village;
    const cuts = this.cuts;
    const townshipOf = this.townshipOf;
    const scale = incomeIndex * monthsCovered;
    const [t10, t25] = CHE_THRESHOLDS;
    const byQuintile = [counters.oopQuintile1, counters.oopQuintile2, counters.oopQuintile3, counters.oopQuintile4, counters.oopQuintile5];
    const yearsQuintile = [counters.residentYearsQuintile1, counters.residentYearsQuintile2, counters.residentYearsQuintile3, counters.residentYearsQuintile4, counters.residentYearsQuintile5];
    const oopQ = new Float64Array(N_QUINTILES);
    const countQ = new Float64Array(N_QUINTILES);
    // months of the year the residents counted did not live here, summed (whole months: exact)
    const shortQ = new Float64Array(N_QUINTILES);
    const oopT = new Float64Array(this.T);
    const countT = new Float64Array(this.T);
    const shortT = new Float64Array(this.T);
    let n = 0;
    let che10 = 0;
    let che25 = 0;
    let oopPoor = 0;
    let oopNonPoor = 0;
    let nPoor = 0;
    let shortPoor = 0;
    let shortNonPoor = 0;
    for (let i = 0; i < slots; i++) {
      let short = 0;
      if (joined !== null && left !== null) {
        const lived = Math.min(month, left[i] - 1) - Math.max(firstMonth, joined[i]) + 1;
        if (lived <= 0) continue;
        short = monthsCovered - lived;
      }
      n++;
      const x = oop[i];
      const y = short === 0 ? income[i] * scale : income[i] * (incomeIndex * (monthsCovered - short));
      if (catastrophic(x, y, t10)) {
        che10++;
        if (catastrophic(x, y, t25)) che25++;
      }
      const q = quintileOf(income[i], cuts);
      oopQ[q] += x;
      countQ[q]++;
      shortQ[q] += short;
      if (poor[i]) {
        oopPoor += x;
        nPoor++;
        shortPoor += short;
      } else {
        oopNonPoor += x;
        shortNonPoor += short;
      }
      const t = townshipOf[village[i]];
      oopT[t] += x;
      countT[t]++;
      shortT[t] += short;
    }
    const years = monthsCovered / 12;
    // resident-years: residents × the year, less the months some of them did not live here
    const residentYears = (count: number, short: number) => (short === 0 ? count * years : count * years - short / 12);
    counters.protectionResidents[month] += n;
    counters.catastrophic10[month] += che10;
    counters.catastrophic25[month] += che25;
    for (let q = 0; q < N_QUINTILES; q++) {
      byQuintile[q][month] += oopQ[q];
      yearsQuintile[q][month] += residentYears(countQ[q], shortQ[q]);
    }
    counters.oopPoor[month] += oopPoor;
    counters.residentYearsPoor[month] += residentYears(nPoor, shortPoor);
    counters.oopNonPoor[month] += oopNonPoor;
    counters.residentYearsNonPoor[month] += residentYears(n - nPoor, shortNonPoor);
    for (let t = 0; t < this.T; t++) {
      this.townshipOop[month * this.T + t] += oopT[t];
      this.townshipResidentYears[month * this.T + t] += residentYears(countT[t], shortT[t]);
    }
  }
}

/** OOP per resident-year of each township over recorded months [from, to) (null where no year was observed). */
export function townshipOopPerResident(r: { townshipOop: Float64Array; townshipResidentYears: Float64Array; townships: readonly unknown[] }, from: number, to: number): (number | null)[] {
  const T = r.townships.length;
  return Array.from({ length: T }, (_, t) => {
    let oop = 0;
    let years = 0;
    for (let m = from; m < to; m++) {
      oop += r.townshipOop[m * T + t];
      years += r.townshipResidentYears[m * T + t];
    }
    return years > 0 ? oop / years : null;
  });
}

/** A township as the per-township figures name it. */
export interface TownshipName {
  id: string;
  name: { zh: string; en: string };
}

/** Each township's OOP per resident-year in each simulated year, as plain values (year × township, null where nobody lived). */
export function townshipOopByYear(r: Parameters<typeof townshipOopPerResident>[0] & { months: number }): (number | null)[][] {
  const out: (number | null)[][] = [];
  for (let from = 0; from < r.months; from += 12) out.push(townshipOopPerResident(r, from, Math.min(r.months, from + 12)));
  return out;
}

/** Each township's OOP per resident-year in each simulated year (12-month periods from the start, the last may be partial). */
export function yearlyTownshipOop(r: { months: number; townshipOop: Float64Array; townshipResidentYears: Float64Array; townships: readonly { id: string }[] }): { township: string; value: number | null }[][] {
  return townshipOopByYear(r).map((values) => r.townships.map((t, i) => ({ township: t.id, value: values[i] })));
}

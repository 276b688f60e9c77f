/**
 * A changing population (scenario `population: changing`): the run's own residents, who
 * age, are born, die and move out of and into the county. The county (sim/county/generate.ts)
 * is shared by every run and never changed, so the population keeps its own columns:
 * the county's residents copied, then a slot for everyone born or moving in, in order
 * (their index ≥ the county's count gives them fresh per-resident random streams). A
 * `present` flag marks who lives in the county now; the kernel skips the rest.
 *
 * Each recorded month (sim/engine/month.ts step "population"): in January everyone is a
 * year older and whoever enters an older age band may develop chronic conditions (the
 * onset that keeps the band's prevalence at the description's); residents die (age-specific
 * rates) or leave; women aged 15–44 give birth (the crude birth rate of the year spread over
 * them, so a village's births follow its women); in-migrants arrive aged 15–44, placed by
 * village population. Then the insured and enrolled counts that size premiums and
 * capitation packages follow the living population. Each year's end checks that the
 * population is conserved per village and insurance scheme (start + births − deaths −
 * departures + arrivals = living) and records the year (POPULATION_SERIES).
 *
 * Memory: 17 bytes per slot here (the engine's per-resident state is sized to the slots too).
 */
import type { County, Residents } from "../county/generate";
import { AccountingError } from "../ledger";
import { STREAMS, streamKey, uniform } from "../random";
import { CHRONIC_CONDITIONS } from "../tier";
import { BAND_FROM, MAX_AGE, bandOfAge, birthProbability, crudeBirthRate, monthlyDeathTable, monthlyProbability, onsetProbability, roundedCount, type PopulationParameters } from "./rates";
import { AGE_BANDS } from "../tier";

/** What each year of a changing population records, in order. */
export const POPULATION_SERIES = [
  "residentsStart", "residentsEnd", "births", "deaths", "outMigrants", "inMigrants",
  "share65Start", "share65End", "chronicPrevalence", "chronicPrevalence65",
] as const;
export type PopulationField = (typeof POPULATION_SERIES)[number];
const NF = POPULATION_SERIES.length;
const K = CHRONIC_CONDITIONS.length;
const F = (name: PopulationField) => POPULATION_SERIES.indexOf(name);
/** Population.leftStep of a resident who still lives here: after any recorded month (Int16; horizons are ≤ 50 years) */
export const NOT_LEFT = 0x7fff;

/** Told when a resident joins the population or enters another age band (sim/care-seeking.ts residentChanged). */
export interface ResidentListener {
  residentChanged(i: number, like: number): void;
}

/** One simulated year (12 months from the start) of a changing population. */
export type PopulationYear = { period: string } & Record<PopulationField, number>;

export class Population {
  /** the county's residents (the first slots) and all slots */
  readonly n0: number;
  readonly capacity: number;
  /** slots in use: the county's residents, then each birth and arrival in order */
  used: number;
  /** living residents now */
  total = 0;
  /** the residents' columns over every slot (count = capacity) */
  readonly columns: Residents;
  readonly present: Uint8Array;
  /**
   * each slot's stay, in recorded months: the month it joined (a birth or arrival; −1 for
   * the start population) and the first month it was gone (a death or departure; NOT_LEFT
   * while it lives here) — the financial-protection pass judges who left during the year on
   * the months they lived here (sim/protection.ts)
   */
  readonly joinedStep: Int16Array;
  readonly leftStep: Int16Array;
  /** the recorded month being simulated (month()) */
  private step = 0;
  /** exact age in whole years */
  readonly age: Uint8Array;
  /** living residents per village × insurance scheme [v * 2 + scheme] */
  readonly living: Int32Array;
  /** this year's, per village × scheme: living at its start, births, deaths, departures, arrivals */
  readonly yearStart: Int32Array;
  readonly births: Int32Array;
  readonly deaths: Int32Array;
  readonly departures: Int32Array;
  readonly arrivals: Int32Array;
  /** the yearly record [year * POPULATION_SERIES.length + field] */
  readonly series: Float64Array;
  private listener: ResidentListener | null = null;
  /** this month's women aged 15–44 and residents aged 15–44, after deaths and departures */
  private women = 0;
  private working = 0;
  private readonly deathMonthly: Float64Array;
  private readonly exitMonthly: Float64Array;
  /** onset probability of condition k on entering band b: [b * K + k] */
  private readonly onset: Float64Array;
  private readonly workingPrevalence: Float64Array;
  private readonly villageFirst: Int32Array;
  private readonly villageSize: Int32Array;
  private readonly villageWeight: Float64Array;
  private readonly recount: Int32Array;
  private readonly V: number;
  private readonly femaleShare: number;
  private readonly keys: { exit: number; birth: number; onset: number; arrival: number };

  constructor(county: County, private readonly p: PopulationParameters, seed: number, months: number) {
    const R = county.residents;
    const n0 = R.count;
    const V = county.villages.length;
    const years = Math.ceil(months / 12);
    if (months >= NOT_LEFT) throw new RangeError(`population: ${months} recorded months do not fit the slots' Int16 stay records`);
    let working = 0;
    for (let i = 0; i < n0; i++) if (R.ageBand[i] === 1) working++;
    const maxBirthRate = Math.max(...Object.values(p.crudeBirthRatePerThousand)) / 1000;
    const expected = years * (maxBirthRate * n0 + p.inMigrationPerWorkingAge * working);
    this.n0 = n0;
    this.capacity = n0 + Math.ceil(p.capacityHeadroom * expected) + 16;
    this.used = n0;
    const cap = this.capacity;
    const col = (a: Uint8Array | Uint16Array | Float32Array) => {
      const out = new (a.constructor as new (n: number) => typeof a)(cap);
      out.set(a);
      return out;
    };
    this.columns = {
      count: cap,
      village: col(R.village) as Uint16Array,
      ageBand: col(R.ageBand) as Uint8Array,
      female: col(R.female) as Uint8Array,
      scheme: col(R.scheme) as Uint8Array,
      poor: col(R.poor) as Uint8Array,
      chronic: col(R.chronic) as Uint8Array,
      monthlyIncome: col(R.monthlyIncome) as Float32Array,
    };
    this.present = new Uint8Array(cap);
    this.present.fill(1, 0, n0);
    this.joinedStep = new Int16Array(cap).fill(-1);
    this.leftStep = new Int16Array(cap).fill(NOT_LEFT);
    this.total = n0;
    // exact ages within each band: uniform over the band's years; above 65 an exponential of mean oldAgeMeanYears
    const ageKey = streamKey(seed, STREAMS.populationAge);
    this.age = new Uint8Array(cap);
    for (let i = 0; i < n0; i++) {
      const b = R.ageBand[i];
      const u = uniform(ageKey, i, 0, 0);
      this.age[i] = b === 3 ? Math.min(MAX_AGE, 65 + Math.floor(-Math.log(u) * p.oldAgeMeanYears)) : BAND_FROM[b] + Math.floor(u * (BAND_FROM[b + 1] - BAND_FROM[b]));
    }
    this.V = V;
    this.living = new Int32Array(V * 2);
    for (let i = 0; i < n0; i++) this.living[R.village[i] * 2 + R.scheme[i]]++;
    this.yearStart = new Int32Array(V * 2);
    this.births = new Int32Array(V * 2);
    this.deaths = new Int32Array(V * 2);
    this.departures = new Int32Array(V * 2);
    this.arrivals = new Int32Array(V * 2);
    this.recount = new Int32Array(V * 2);
    this.series = new Float64Array(years * NF);
    this.deathMonthly = monthlyDeathTable(p);
    this.exitMonthly = Float64Array.from(AGE_BANDS, (b) => monthlyProbability(p.outMigration[b]));
    const prev = county.description.demographics.chronicPrevalence;
    this.onset = new Float64Array(AGE_BANDS.length * K);
    for (let b = 1; b < AGE_BANDS.length; b++) CHRONIC_CONDITIONS.forEach((c, k) => (this.onset[b * K + k] = onsetProbability(prev[c][AGE_BANDS[b - 1]], prev[c][AGE_BANDS[b]])));
    this.workingPrevalence = Float64Array.from(CHRONIC_CONDITIONS, (c) => prev[c]["15-44"]);
    this.villageFirst = Int32Array.from(county.villages, (v) => v.firstResident);
    this.villageSize = Int32Array.from(county.villages, (v) => v.population);
    this.villageWeight = new Float64Array(V);
    this.femaleShare = county.description.demographics.femaleShare;
    this.keys = {
      exit: streamKey(seed, STREAMS.populationExit),
      birth: streamKey(seed, STREAMS.populationBirth),
      onset: streamKey(seed, STREAMS.populationOnset),
      arrival: streamKey(seed, STREAMS.populationInMigration),
    };
  }

  /** Who hears of residents joining or changing age band (the care-seeking model's per-resident terms). */
  listen(l: ResidentListener): void {
    this.listener = l;
  }

  /**
   * Recorded month `step` (calendar month `cal`): open the year's books at a year's first
   * month, age everyone in January (not in the first month: the ages are the start's),
   * then deaths and departures, births, arrivals; the insured and enrolled counts follow.
   */
  month(cal: number, step: number, insured: Float64Array, enrolled: Float64Array, villageCommunity: Int16Array): void {
    this.step = step;
    if (step % 12 === 0) this.openYear(Math.floor(step / 12));
    if (cal % 12 === 0 && step > 0) this.ageOneYear(Math.floor(cal / 12));
    this.exits(cal);
    this.birthsMonth(cal);
    this.arrivalsMonth(cal, this.working);
    insured.fill(0);
    enrolled.fill(0);
    for (let v = 0; v < this.V; v++) {
      const c = villageCommunity[v];
      for (let s = 0; s < 2; s++) {
        const x = this.living[v * 2 + s];
        insured[s] += x;
        if (c >= 0) enrolled[c * 2 + s] += x;
      }
    }
  }

  private openYear(y: number): void {
    this.yearStart.set(this.living);
    this.births.fill(0);
    this.deaths.fill(0);
    this.departures.fill(0);
    this.arrivals.fill(0);
    let old = 0;
    for (let i = 0; i < this.used; i++) if (this.present[i] && this.columns.ageBand[i] === 3) old++;
    this.series[y * NF + F("residentsStart")] = this.total;
    this.series[y * NF + F("share65Start")] = this.total > 0 ? old / this.total : 0;
  }

  private ageOneYear(year: number): void {
    const { ageBand, chronic } = this.columns;
    for (let i = 0; i < this.used; i++) {
      if (!this.present[i]) continue;
      const a = Math.min(MAX_AGE, this.age[i] + 1);
      this.age[i] = a;
      const b = bandOfAge(a);
      if (b === ageBand[i]) continue;
      ageBand[i] = b;
      let mask = chronic[i];
      for (let k = 0; k < K; k++) if (!(mask & (1 << k)) && uniform(this.keys.onset, i, year, k) < this.onset[b * K + k]) mask |= 1 << k;
      chronic[i] = mask;
      this.listener?.residentChanged(i, i);
    }
  }

  /** Deaths and departures; counts the women aged 15–44 and the residents aged 15–44 who stay (births and arrivals are drawn on them). */
  private exits(cal: number): void {
    const { ageBand, village, scheme, female } = this.columns;
    let women = 0;
    let working = 0;
    for (let i = 0; i < this.used; i++) {
      if (!this.present[i]) continue;
      const died = uniform(this.keys.exit, i, cal, 0) < this.deathMonthly[this.age[i]];
      if (!died && !(uniform(this.keys.exit, i, cal, 1) < this.exitMonthly[ageBand[i]])) {
        if (ageBand[i] === 1) {
          working++;
          women += female[i];
        }
        continue;
      }
      const cell = village[i] * 2 + scheme[i];
      this.present[i] = 0;
      this.leftStep[i] = this.step;
      this.living[cell]--;
      this.total--;
      (died ? this.deaths : this.departures)[cell]++;
    }
    this.women = women;
    this.working = working;
  }

  /** A new resident in the next slot, like resident `like` (mother, or a household of the village) in scheme, poverty and income. */
  private join(like: number, v: number, age: number, female: number, chronic: number): number {
    const i = this.used;
    if (i >= this.capacity)
      throw new RangeError(`population: ${this.capacity} resident slots are full (births and arrivals beyond the expected × population.capacityHeadroom ${this.p.capacityHeadroom}); raise parameters population.capacityHeadroom`);
    this.used++;
    const R = this.columns;
    R.village[i] = v;
    R.scheme[i] = R.scheme[like];
    R.poor[i] = R.poor[like];
    R.monthlyIncome[i] = R.monthlyIncome[like];
    R.female[i] = female;
    R.chronic[i] = chronic;
    this.age[i] = age;
    R.ageBand[i] = bandOfAge(age);
    this.present[i] = 1;
    this.joinedStep[i] = this.step;
    this.living[v * 2 + R.scheme[i]]++;
    this.total++;
    this.listener?.residentChanged(i, like);
    return i;
  }

  private birthsMonth(cal: number): void {
    const { ageBand, female, village, scheme } = this.columns;
    const pBirth = birthProbability(crudeBirthRate(Math.floor(cal / 12), this.p), this.total, this.women);
    const mothers = this.used;
    for (let i = 0; i < mothers; i++) {
      if (!(this.present[i] && female[i] && ageBand[i] === 1) || !(uniform(this.keys.birth, i, cal, 0) < pBirth)) continue;
      const child = this.join(i, village[i], 0, uniform(this.keys.birth, i, cal, 1) < this.p.femaleShareAtBirth ? 1 : 0, 0);
      this.births[village[child] * 2 + scheme[child]]++;
    }
  }

  /** In-migrants: inMigrationPerWorkingAge × the residents aged 15–44 ÷ 12 a month (newborns are not among them). */
  private arrivalsMonth(cal: number, working: number): void {
    const k = this.keys.arrival;
    const count = roundedCount((this.p.inMigrationPerWorkingAge * working) / 12, uniform(k, cal, 0, 0));
    if (count === 0) return;
    // villages weighted by their living population
    const w = this.villageWeight;
    let sum = 0;
    for (let v = 0; v < this.V; v++) w[v] = sum += this.living[v * 2] + this.living[v * 2 + 1];
    for (let j = 1; j <= count; j++) {
      const x = uniform(k, cal, j, 0) * sum;
      let lo = 0;
      let hi = this.V - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (w[mid] > x) hi = mid;
        else lo = mid + 1;
      }
      const v = lo;
      // the household they join: a resident of the village's start population
      const like = this.villageFirst[v] + Math.min(this.villageSize[v] - 1, Math.floor(uniform(k, cal, j, 1) * this.villageSize[v]));
      const age = 15 + Math.floor(uniform(k, cal, j, 2) * 30);
      let mask = 0;
      for (let c = 0; c < K; c++) if (uniform(k, cal, j, 4 + c) < this.workingPrevalence[c]) mask |= 1 << c;
      const i = this.join(like, v, age, uniform(k, cal, j, 3) < this.femaleShare ? 1 : 0, mask);
      this.arrivals[v * 2 + this.columns.scheme[i]]++;
    }
  }

  /**
   * The year's books (at the end of each 12-month year from the start, or the last month):
   * living = start + births − deaths − departures + arrivals in every village × scheme, and
   * the incremental counts agree with a recount of who is present; then the year's record.
   */
  closeYear(step: number, when: string, county: County): void {
    const y = Math.floor(step / 12);
    const R = this.columns;
    const recount = this.recount;
    recount.fill(0);
    let old = 0;
    let chronicAny = 0;
    let chronicOld = 0;
    let people = 0;
    for (let i = 0; i < this.used; i++) {
      if (!this.present[i]) continue;
      people++;
      recount[R.village[i] * 2 + R.scheme[i]]++;
      const c = R.chronic[i] !== 0 ? 1 : 0;
      chronicAny += c;
      if (R.ageBand[i] === 3) {
        old++;
        chronicOld += c;
      }
    }
    let births = 0, deaths = 0, out = 0, inn = 0;
    for (let cell = 0; cell < this.V * 2; cell++) {
      const expected = this.yearStart[cell] + this.births[cell] - this.deaths[cell] - this.departures[cell] + this.arrivals[cell];
      if (recount[cell] !== expected || this.living[cell] !== recount[cell]) {
        const v = cell >> 1;
        const village = county.facilities[county.villages[v].clinic].id;
        throw new AccountingError(
          `${when}: population not conserved in village ${village}, ${cell & 1 ? "employee" : "resident"} scheme: ${this.yearStart[cell]} at the year's start + ${this.births[cell]} births − ${this.deaths[cell]} deaths − ${this.departures[cell]} departures + ${this.arrivals[cell]} arrivals = ${expected}, but ${recount[cell]} live there (counted ${this.living[cell]}) (sim/population/state.ts)`,
        );
      }
      births += this.births[cell];
      deaths += this.deaths[cell];
      out += this.departures[cell];
      inn += this.arrivals[cell];
    }
    if (people !== this.total) throw new AccountingError(`${when}: population not conserved: ${people} residents present, ${this.total} counted (sim/population/state.ts)`);
    const at = y * NF;
    const s = this.series;
    s[at + F("residentsEnd")] = people;
    s[at + F("births")] = births;
    s[at + F("deaths")] = deaths;
    s[at + F("outMigrants")] = out;
    s[at + F("inMigrants")] = inn;
    s[at + F("share65End")] = people > 0 ? old / people : 0;
    s[at + F("chronicPrevalence")] = people > 0 ? chronicAny / people : 0;
    s[at + F("chronicPrevalence65")] = old > 0 ? chronicOld / old : 0;
  }
}

/** The yearly record as plain rows, labelled like the yearly indicators ("2018", or "2019-03+12m" for a start that is not January). */
export function populationYears(series: Float64Array, start: { year: number; month: number }): PopulationYear[] {
  const years = series.length / NF;
  return Array.from({ length: years }, (_, y) => {
    const row = Object.fromEntries(POPULATION_SERIES.map((f, k) => [f, series[y * NF + k]])) as Record<PopulationField, number>;
    const m = start.month - 1;
    const period = start.month === 1 ? String(start.year + y) : `${start.year + y + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, "0")}+12m`;
    return { period, ...row };
  });
}

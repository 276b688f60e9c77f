/**
 * Demographic rates as pure functions (population change, sim/population/state.ts): the
 * monthly probabilities the population's month draws against. Values come from
 * data/parameters.yaml `population:` (each with its source); these functions only turn
 * annual figures into the month's, so each can be checked by hand.
 */
import type { Parameters } from "../parameters";

export type PopulationParameters = Parameters["population"];

/** The age groups of the death-rate table, by their lowest age (the last is open: 85+). */
export const DEATH_AGE_GROUPS = ["0-4", "5-14", "15-44", "45-64", "65-74", "75-84", "85+"] as const;
const DEATH_GROUP_FROM = [0, 5, 15, 45, 65, 75, 85];

/** Lowest exact age of each age band (sim/tier.ts AGE_BANDS 0-14, 15-44, 45-64, 65+). */
export const BAND_FROM = [0, 15, 45, 65] as const;
/** Oldest age a resident's exact age is carried to (a Uint8 column; 85+ is one death-rate group). */
export const MAX_AGE = 110;

/** The age band (0 … 3) of an exact age in years. */
export function bandOfAge(age: number): number {
  return age >= 65 ? 3 : age >= 45 ? 2 : age >= 15 ? 1 : 0;
}

/**
 * A probability per month from one per year, for a hazard constant over the year:
 * 1 − (1 − q)^(1/12). An annual death rate of 12‰ gives 1.0055‰ a month (not 1‰: twelve
 * months of 1‰ leave 0.988^… ≈ 11.93‰ dead).
 */
export function monthlyProbability(annual: number): number {
  if (!(annual > 0)) return 0;
  if (annual >= 1) return 1;
  return 1 - Math.pow(1 - annual, 1 / 12);
}

/** The annual death rate (deaths per person-year) at exact age `age` from the table (per 1,000). */
export function annualDeathRate(age: number, p: PopulationParameters): number {
  let g = 0;
  while (g + 1 < DEATH_GROUP_FROM.length && age >= DEATH_GROUP_FROM[g + 1]) g++;
  return p.deathRatePerThousand[DEATH_AGE_GROUPS[g]] / 1000;
}

/** The monthly death probability at each exact age 0 … MAX_AGE. */
export function monthlyDeathTable(p: PopulationParameters): Float64Array {
  return Float64Array.from({ length: MAX_AGE + 1 }, (_, a) => monthlyProbability(annualDeathRate(a, p)));
}

/**
 * Crude birth rate (births per person-year) in calendar year `year`: the table's figure for
 * that year; before its first year the first, after its last the last (2025 takes 2024's).
 */
export function crudeBirthRate(year: number, p: PopulationParameters): number {
  const years = Object.keys(p.crudeBirthRatePerThousand).map(Number).sort((a, b) => a - b);
  let y = years[0];
  for (const k of years) if (k <= year) y = k;
  return p.crudeBirthRatePerThousand[String(y)] / 1000;
}

/**
 * The monthly probability that a woman aged 15–44 gives birth, so that the month's expected
 * births are crude birth rate × living residents ÷ 12: cbr × living ÷ (12 × women 15–44)
 * (a general fertility rate spread over the women at risk). 10.94‰, 1,000 residents and
 * 200 women give 10.94 ÷ 12 ÷ 200 = 0.456% a month.
 */
export function birthProbability(cbr: number, living: number, women15to44: number): number {
  if (!(women15to44 > 0)) return 0;
  return Math.min(1, (cbr * living) / (12 * women15to44));
}

/**
 * Chronic onset on entering age band b + 1 from band b: among those without the condition,
 * the share that must develop it for the new band's prevalence to be the description's,
 * h = (p[b+1] − p[b]) ÷ (1 − p[b]), and 0 where prevalence does not rise (conditions do
 * not remit). Hypertension 33% at 45–64 and 53% at 65+ gives (0.53 − 0.33) ÷ 0.67 = 29.9%.
 */
export function onsetProbability(prevalenceFrom: number, prevalenceTo: number): number {
  if (!(prevalenceTo > prevalenceFrom) || prevalenceFrom >= 1) return 0;
  return (prevalenceTo - prevalenceFrom) / (1 - prevalenceFrom);
}

/**
 * A whole number of events with expectation x, by stochastic rounding with one uniform u:
 * ⌊x⌋ + (u < x − ⌊x⌋). E = x exactly, and the spread is at most one.
 */
export function roundedCount(x: number, u: number): number {
  if (!(x > 0)) return 0;
  const k = Math.floor(x);
  return k + (u < x - k ? 1 : 0);
}

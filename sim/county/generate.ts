/**
 * Build a county — facilities, villages, travel times and synthetic residents — from a
 * county description. Deterministic: the description (including its `seed`) fixes the
 * county, so every run and every scenario on it sees the same residents.
 *
 * Geography uses a sequential seeded generator (seedrandom's Alea) because it is small and
 * order-fixed; resident attributes use the counter-based hash keyed by resident index.
 * Residents are stored as columns (typed arrays), not objects: ~12 bytes each.
 */
import { InputError } from "../scenario/errors";
import seedrandom from "seedrandom";
import { AGE_BANDS, CHRONIC_CONDITIONS, COUNTY, OUT_OF_COUNTY, TOWNSHIP, VILLAGE } from "../tier";
import { streamKey, uniform, STREAMS } from "../random";
import { MAX_VILLAGES, type Bilingual, type CountyDescription } from "./description";

export interface Facility {
  id: string;
  name: Bilingual;
  tier: number;
  /** township index for village clinics and township centres, −1 otherwise */
  township: number;
  /** medical community index, −1 when the facility belongs to none */
  community: number;
  doctors: number;
  beds: number;
  qualityOffset: number;
}

export interface Residents {
  count: number;
  village: Uint16Array;
  ageBand: Uint8Array;
  female: Uint8Array;
  /** 0 resident scheme, 1 employee scheme */
  scheme: Uint8Array;
  poor: Uint8Array;
  /** bit mask over CHRONIC_CONDITIONS */
  chronic: Uint8Array;
  monthlyIncome: Float32Array;
}

export interface Village {
  township: number;
  clinic: number;
  population: number;
  firstResident: number;
}

export interface County {
  description: CountyDescription;
  scale: number;
  facilities: Facility[];
  townships: { id: string; name: Bilingual; centre: number; community: number; population: number }[];
  communities: { id: string; name: Bilingual; lead: number; townships: number[] }[];
  villages: Village[];
  /** choice set per village: facilities optionFacility[optionStart[v] .. optionStart[v+1]) */
  optionStart: Int32Array;
  optionFacility: Int32Array;
  optionMinutes: Float32Array;
  /** one-way travel minutes from every village to every facility: [village * F + facility] */
  travelMinutes: Float32Array;
  residents: Residents;
}


/**
 * The fewest residents n0 from which apportion(n, weights) gives every village at least
 * one for EVERY n ≥ n0. Largest remainder is not monotone in the total (Alabama paradox:
 * one more resident can take a village's only one away), so the first working n is not a
 * threshold. From ceil(sum / min weight) + 1 up every floor share is ≥ 1 (the +1 absorbs
 * float rounding), so scan down from there while it still works.
 */
export function villageThreshold(weights: number[]): number {
  const sum = weights.reduce((a, b) => a + b, 0);
  let n = Math.max(weights.length, Math.ceil(sum / Math.min(...weights)) + 1);
  // each step costs O(villages): stop after ~5·10⁷ operations (a fraction of a second). The
  // n reached still works for every larger total, so the advice stays true, only less tight.
  let steps = Math.max(1000, Math.floor(5e7 / weights.length));
  while (n > weights.length && steps-- > 0 && everyVillageGetsOne(n - 1, weights, sum)) n--;
  return n;
}

/**
 * apportion(total, weights).every(x ≥ 1) in O(villages) instead of a sort, with the same
 * arithmetic: the scan above may take ~10⁵ steps on a township of thousands of villages.
 * Every village whose floor share is 0 must be among the `rest` largest remainders
 * (ties to the lower index), so it suffices that the worst-placed of them is.
 */
export function everyVillageGetsOne(total: number, weights: number[], sum = weights.reduce((a, b) => a + b, 0)): boolean {
  let floors = 0;
  let worst = -1; // the zero-floor village last in apportion's order
  let worstRem = Infinity;
  for (let i = 0; i < weights.length; i++) {
    const x = (total * weights[i]) / sum;
    const f = Math.floor(x);
    floors += f;
    if (f === 0 && x - f <= worstRem) (worst = i), (worstRem = x - f);
  }
  if (worst < 0) return true;
  const rest = total - floors;
  let ahead = 0; // villages before `worst` in apportion's order
  for (let i = 0; i < weights.length; i++) {
    const x = (total * weights[i]) / sum;
    const rem = x - Math.floor(x);
    if (rem > worstRem || (rem === worstRem && i < worst)) ahead++;
  }
  return ahead < rest;
}

/** What to tell a user whose scale leaves a village empty (see villageThreshold). */
export type ScaleAdvice =
  /** every scale ≥ `scale` works; `scale` has at most two significant digits */
  | { scale: number }
  /** even scale 1 leaves these townships (indices) short of `needed` residents */
  | { short: { township: number; needed: number }[] };

/**
 * The smallest two-significant-digit scale from which every scale works: round(P_t·s)
 * (the generator's own formula) is non-decreasing in s, so once every township reaches
 * its threshold n0_t it stays there.
 */
export function smallestWorkingScale(d: CountyDescription, weightsByTownship: number[][]): ScaleAdvice {
  const needed = weightsByTownship.map(villageThreshold);
  const residentsAt = (t: CountyDescription["townships"][number], scale: number) => Math.max(1, Math.round(t.population * scale));
  const short = d.townships.flatMap((t, ti) => (residentsAt(t, 1) < needed[ti] ? [{ township: ti, needed: needed[ti] }] : []));
  if (short.length) return { short };
  const works = (s: number) => d.townships.every((t, ti) => residentsAt(t, s) >= needed[ti]);
  // round(P·s) ≥ n0 ⇔ P·s ≥ n0 − 0.5: the exact lower bound, then two digits rounded up
  const s = Math.max(...d.townships.map((t, ti) => (needed[ti] - 0.5) / t.population));
  let exponent = Math.floor(Math.log10(s)) - 1;
  let digits = Math.ceil(s / 10 ** exponent);
  // Built from its decimal text so it prints as written (0.0011, not 0.0010999999999999998);
  // stepped up where float rounding in P·s still falls short.
  const scaleOf = () => Number(`${digits}e${exponent}`);
  for (;;) {
    if (digits >= 100) (digits = Math.ceil(digits / 10)), exponent++;
    if (scaleOf() >= 1 || works(scaleOf())) return { scale: Math.min(1, scaleOf()) };
    digits++;
  }
}

/** Generate the county. `scale` shrinks population, staff and beds proportionally (quick checks). */
export function generateCounty(d: CountyDescription, scale = 1): County {
  const rng = seedrandom.alea(`county:${d.name}:${d.seed}`);
  const facilities: Facility[] = [];
  const communityOfTownship = new Map<string, number>();
  d.communities.forEach((m, i) => m.townships.forEach((t) => communityOfTownship.set(t, i)));

  // County hospitals sit at the county seat; a hospital leading a community belongs to it.
  const hospitalIndex = new Map<string, number>();
  for (const h of d.countyHospitals) {
    hospitalIndex.set(h.id, facilities.length);
    facilities.push({
      id: h.id, name: h.name, tier: COUNTY, township: -1,
      community: d.communities.findIndex((m) => m.lead === h.id),
      doctors: h.doctors * scale, beds: h.beds * scale, qualityOffset: h.qualityOffset ?? 0,
    });
  }
  for (const h of d.outOfCounty) {
    facilities.push({ id: h.id, name: h.name, tier: OUT_OF_COUNTY, township: -1, community: -1, doctors: 0, beds: 0, qualityOffset: h.qualityOffset ?? 0 });
  }
  const countyFacilities = d.countyHospitals.map((h) => hospitalIndex.get(h.id)!);
  const outFacilities = d.outOfCounty.map((_, i) => d.countyHospitals.length + i);

  const townships: County["townships"] = [];
  const villages: Village[] = [];
  // positions in km, county seat at the origin
  const townshipXY: [number, number][] = [];
  const villageXY: [number, number][] = [];
  const villageR: number[] = [];
  let nResidents = 0;
  const weightsByTownship: number[][] = [];
  d.townships.forEach((t, ti) => {
    const community = communityOfTownship.get(t.id) ?? -1;
    const centre = facilities.length;
    facilities.push({
      id: t.id, name: t.name, tier: TOWNSHIP, township: ti, community,
      doctors: t.centre.doctors * scale, beds: t.centre.beds * scale, qualityOffset: 0,
    });
    const population = Math.max(1, Math.round(t.population * scale));
    townships.push({ id: t.id, name: t.name, centre, community, population });
    // Township centre on a circle around the seat at its road distance; villages scattered
    // uniformly over a disc of radiusKm around the centre.
    const seatKm = (t.minutesToSeat / 60) * d.geography.kmPerHour;
    // Spread townships around the seat (golden-angle spiral, jittered) so they overlap little.
    const angle = 2 * Math.PI * (ti * 0.6180339887 + 0.05 * rng());
    const tx = seatKm * Math.cos(angle);
    const ty = seatKm * Math.sin(angle);
    townshipXY.push([tx, ty]);
    const weights: number[] = [];
    for (let v = 0; v < t.villages; v++) weights.push(gamma4(rng));
    weightsByTownship.push(weights);
    const villagePopulation = apportion(population, weights);
    for (let v = 0; v < t.villages; v++) {
      const r = t.radiusKm * Math.sqrt(rng());
      const th = rng() * 2 * Math.PI;
      const vx = tx + r * Math.cos(th);
      const vy = ty + r * Math.sin(th);
      const pop = villagePopulation[v];
      const clinic = facilities.length;
      facilities.push({
        id: `${t.id}-v${String(v + 1).padStart(2, "0")}`,
        name: { zh: `${t.name.zh}第${v + 1}村卫生室`, en: `${t.name.en} village clinic ${v + 1}` },
        tier: VILLAGE, township: ti, community,
        // Village doctors in proportion to the village's size relative to the township average.
        doctors: t.villageDoctorsPerClinic * (pop / Math.max(1e-9, population / t.villages)) * scale, beds: 0, qualityOffset: 0,
      });
      villages.push({ township: ti, clinic, population: pop, firstResident: nResidents });
      nResidents += pop;
      villageXY.push([vx, vy]);
      villageR.push(r);
    }
  });
  if (villages.length > MAX_VILLAGES) throw new InputError([`county ${d.name}: ${villages.length} villages; at most ${MAX_VILLAGES} are supported`]);
  // A village without residents has a clinic nobody can use and breaks per-village rates.
  const empty = villages.filter((v) => v.population === 0).length;
  if (empty > 0) {
    const advice = smallestWorkingScale(d, weightsByTownship);
    const what = scale < 1 ? `--scale ${scale}: leaves ${empty} of ${villages.length} villages of county ${d.name} without a resident` : `county ${d.name}: ${empty} of ${villages.length} villages would have no resident`;
    if ("scale" in advice) throw new InputError([`${what}; every scale from ${advice.scale} up works for this county`]);
    throw new InputError(advice.short.map(({ township: ti, needed }) => {
      const t = d.townships[ti];
      return `${what}; townships[${ti}] (${t.id}) has ${t.population} residents, and its ${t.villages} villages of unequal size each get one only from ${needed} up, which no scale up to 1 reaches: the county needs townships[${ti}].population ≥ ${needed}`;
    }));
  }

  const communities = d.communities.map((m) => ({
    id: m.id, name: m.name, lead: hospitalIndex.get(m.lead)!,
    townships: m.townships.map((tid) => d.townships.findIndex((t) => t.id === tid)),
  }));

  // Travel from every village to every facility: straight-line road distance at
  // kmPerHour, plus 5 minutes to reach a road; the own clinic is villageClinicMinutes away;
  // county hospitals sit at the seat; out-of-county hospitals are reached through it.
  const F = facilities.length;
  const travelMinutes = new Float32Array(villages.length * F);
  const minutesFor = (km: number) => 5 + (km / d.geography.kmPerHour) * 60;
  const clinicOf = new Map<number, number>(villages.map((v, vi) => [v.clinic, vi]));
  villages.forEach((v, vi) => {
    const [vx, vy] = villageXY[vi];
    const seat = Math.max(5, (Math.hypot(vx, vy) / d.geography.kmPerHour) * 60);
    facilities.forEach((f, fi) => {
      let m: number;
      if (f.tier === COUNTY) m = seat;
      else if (f.tier === OUT_OF_COUNTY) m = seat + d.outOfCounty[fi - d.countyHospitals.length].minutesFromSeat;
      else if (f.tier === TOWNSHIP) {
        const [x, y] = townshipXY[f.township];
        m = f.township === v.township ? minutesFor(villageR[vi]) : minutesFor(Math.hypot(vx - x, vy - y));
      } else {
        const other = clinicOf.get(fi)!;
        const [x, y] = villageXY[other];
        m = other === vi ? d.geography.villageClinicMinutes : d.geography.villageClinicMinutes + (Math.hypot(vx - x, vy - y) / d.geography.kmPerHour) * 60;
      }
      travelMinutes[vi * F + fi] = m;
    });
  });

  // Choice sets: own village clinic, own township centre, the nearest other township
  // centre (cross-township care), every county hospital, every out-of-county hospital.
  const optionStart = new Int32Array(villages.length + 1);
  const options: number[] = [];
  villages.forEach((v, vi) => {
    optionStart[vi] = options.length;
    options.push(v.clinic, townships[v.township].centre);
    let nearest = -1;
    townships.forEach((t, ti) => {
      if (ti !== v.township && (nearest < 0 || travelMinutes[vi * F + t.centre] < travelMinutes[vi * F + nearest])) nearest = t.centre;
    });
    if (nearest >= 0) options.push(nearest);
    options.push(...countyFacilities, ...outFacilities);
  });
  optionStart[villages.length] = options.length;
  const optionFacility = Int32Array.from(options);
  const optionMinutes = new Float32Array(options.length);
  villages.forEach((_, vi) => {
    for (let k = optionStart[vi]; k < optionStart[vi + 1]; k++) optionMinutes[k] = travelMinutes[vi * F + optionFacility[k]];
  });

  return {
    description: d, scale, facilities, townships, communities, villages,
    optionStart, optionFacility, optionMinutes, travelMinutes,
    residents: synthesiseResidents(d, villages, townships.map((t) => t.id), nResidents),
  };
}

/**
 * Split `total` people in proportion to `weights` by largest remainder: whole numbers,
 * never negative, summing exactly to `total` (plain rounding can leave the last share
 * negative when shares are tiny).
 */
export function apportion(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const out = exact.map(Math.floor);
  let rest = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; rest > 0; k++, rest--) out[order[k % order.length][1]]++;
  return out;
}

/** Gamma(4,1) by summing four exponentials: gives villages of unequal size. */
function gamma4(rng: () => number): number {
  let s = 0;
  for (let i = 0; i < 4; i++) s -= Math.log(1 - rng());
  return s;
}

/** Standard normal quantile (Acklam's rational approximation, |error| < 1.2e-9). */
export function normalQuantile(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const e = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((e[0] * q + e[1]) * q + e[2]) * q + e[3]) * q + 1);
  }
  if (p > 1 - lo) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

function synthesiseResidents(d: CountyDescription, villages: Village[], townshipIds: string[], n: number): Residents {
  const r: Residents = {
    count: n,
    village: new Uint16Array(n),
    ageBand: new Uint8Array(n),
    female: new Uint8Array(n),
    scheme: new Uint8Array(n),
    poor: new Uint8Array(n),
    chronic: new Uint8Array(n),
    monthlyIncome: new Float32Array(n),
  };
  const key = streamKey(d.seed, STREAMS.population);
  const ageCdf: number[] = [];
  let acc = 0;
  for (const a of AGE_BANDS) ageCdf.push((acc += d.demographics.ageBands[a]));
  const { income } = d.demographics;
  // Field numbers keep each attribute's draw independent of the others.
  const AGE = 0, SEX = 1, SCHEME = 2, POOR = 3, INCOME = 4, CHRONIC0 = 8;
  villages.forEach((v, vi) => {
    const t = d.townships.find((x) => x.id === townshipIds[v.township])!;
    for (let i = v.firstResident; i < v.firstResident + v.population; i++) {
      r.village[i] = vi;
      const ua = uniform(key, i, AGE, 0);
      let band = 0;
      while (band < AGE_BANDS.length - 1 && ua > ageCdf[band]) band++;
      r.ageBand[i] = band;
      r.female[i] = uniform(key, i, SEX, 0) < d.demographics.femaleShare ? 1 : 0;
      // Children are insured with their household; employee-scheme cover is for adults.
      const employee = band > 0 && uniform(key, i, SCHEME, 0) < t.employeeShare;
      r.scheme[i] = employee ? 1 : 0;
      r.poor[i] = !employee && uniform(key, i, POOR, 0) < t.poorShare ? 1 : 0;
      let mask = 0;
      CHRONIC_CONDITIONS.forEach((c, ci) => {
        if (uniform(key, i, CHRONIC0 + ci, 0) < d.demographics.chronicPrevalence[c][AGE_BANDS[band]]) mask |= 1 << ci;
      });
      r.chronic[i] = mask;
      const median = (employee ? income.employeeMedianMonthly : income.residentMedianMonthly) * t.incomeFactor * (r.poor[i] ? 0.5 : 1);
      r.monthlyIncome[i] = median * Math.exp(income.logSd * normalQuantile(uniform(key, i, INCOME, 0)));
    }
  });
  return r;
}

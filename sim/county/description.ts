/**
 * The county description file format (data/counties/*.yaml): townships with their
 * population, villages, distance to the county seat, township-centre staff and beds;
 * the county hospitals; out-of-county hospitals; the medical communities (医共体) that
 * bind a lead hospital with its townships; and the demographics used to synthesise
 * residents. Users describe their own county in this format.
 */
import { AGE_BANDS, CHRONIC_CONDITIONS, type AgeBand, type ChronicCondition } from "../tier";
import { flag, int, list, map, num, obj, record, share, str, type Spec } from "../scenario/schema";

export type Bilingual = { zh: string; en: string };

export interface TownshipDescription {
  id: string;
  name: Bilingual;
  population: number;
  villages: number;
  minutesToSeat: number;
  radiusKm: number;
  centre: { doctors: number; beds: number };
  villageDoctorsPerClinic: number;
  employeeShare: number;
  poorShare: number;
  incomeFactor: number;
}

export interface CountyDescription {
  name: string;
  title: Bilingual;
  source: string;
  seed: number;
  demographics: {
    ageBands: Record<AgeBand, number>;
    femaleShare: number;
    chronicPrevalence: Record<ChronicCondition, Record<AgeBand, number>>;
    income: { residentMedianMonthly: number; employeeMedianMonthly: number; logSd: number; annualGrowth: number };
  };
  geography: { kmPerHour: number; villageClinicMinutes: number; source?: string };
  countyHospitals: { id: string; name: Bilingual; doctors: number; beds: number; qualityOffset: number }[];
  /**
   * Hospitals outside the county. `inPrefecture`: inside the county's prefecture (the city
   * hospital, a neighbouring county's hospital) — in the insurance pool under city-level
   * pooling (市级统筹, 003 §三; policy insurance.pooling), unlike the province.
   */
  outOfCounty: { id: string; name: Bilingual; minutesFromSeat: number; qualityOffset: number; inPrefecture?: boolean }[];
  communities: { id: string; name: Bilingual; lead: string; townships: string[] }[];
  townships: TownshipDescription[];
  /**
   * Where each value came from, by field path (`townships[].population` →
   * `tables.xlsx, sheet 乡镇 (townships), column 人口 (population)`): written by
   * `yigongti county import`, which keeps each value's source table and column.
   */
  sources?: Record<string, string>;
}

/** Most residents one county description may have: a run must take seconds, not hours (a prefecture is several counties). */
export const MAX_POPULATION = 10_000_000;
/** Villages are indexed by 16-bit numbers in the kernel. */
export const MAX_VILLAGES = 65535;

/** Most facilities one village may choose among (see the choice-noise slots in sim/engine/kernel.ts). */
export const MAX_OPTIONS = 16;

const bilingual: Spec = { kind: "bilingual" };
const id = str;
const byAge = (s: Spec) => record(AGE_BANDS, s);

/** Schema of a county file after `{value, unit, source}` leaves under demographics are stripped. */
export const COUNTY_SPEC: Spec = obj({
  name: str,
  title: bilingual,
  source: str,
  seed: int(0, 2 ** 32 - 1),
  demographics: obj({
    ageBands: byAge(share),
    femaleShare: share,
    chronicPrevalence: record(CHRONIC_CONDITIONS, byAge(share)),
    income: obj({ residentMedianMonthly: num(1, 1e6, "yuan/month"), employeeMedianMonthly: num(1, 1e6, "yuan/month"), logSd: num(0, 3), annualGrowth: num(-0.5, 1, "fraction per year") }),
  }),
  geography: obj({ kmPerHour: num(1, 200, "km/h"), villageClinicMinutes: num(0, 600, "minutes"), source: str }, ["source"]),
  countyHospitals: list(
    obj({ id, name: bilingual, doctors: num(0, 1e5), beds: num(0, 1e5), qualityOffset: num(-1, 1) }, ["qualityOffset"]),
    1,
  ),
  outOfCounty: list(obj({ id, name: bilingual, minutesFromSeat: num(0, 6000, "minutes"), qualityOffset: num(-1, 1), inPrefecture: flag("inside the county's prefecture: in the pool under city-level pooling (市级统筹, policy insurance.pooling)") }, ["qualityOffset", "inPrefecture"]), 1),
  communities: list(obj({ id, name: bilingual, lead: id, townships: list(id, 1) }), 1),
  townships: list(
    obj({
      id,
      name: bilingual,
      population: int(1, 1e8),
      villages: int(1, 10_000),
      minutesToSeat: num(0, 6000, "minutes"),
      radiusKm: num(0, 500, "km"),
      centre: obj({ doctors: num(0, 1e4), beds: num(0, 1e5) }),
      villageDoctorsPerClinic: num(0, 100),
      employeeShare: share,
      poorShare: share,
      incomeFactor: num(0.01, 100),
    }),
    1,
  ),
  sources: map(str, "where each value came from, by field path (written by yigongti county import)"),
}, ["sources"]);

/** Cross-field checks the schema cannot express: unique ids, references that resolve. */
export function checkCountyReferences(c: CountyDescription, file: string): string[] {
  const problems: string[] = [];
  // each id with the field it sits in, so a repeat names both places
  const dup = (what: string, entries: [string, string][]) => {
    const seen = new Map<string, string>();
    for (const [x, at] of entries) {
      const first = seen.get(x);
      if (first !== undefined) problems.push(`${file}: ${what}: id ${JSON.stringify(x)} is used twice (${first}.id, ${at}.id); ids must be unique`);
      else seen.set(x, at);
    }
  };
  const listed = <T extends { id: string }>(list: string, xs: readonly T[]): [string, string][] => xs.map((x, i) => [x.id, `${list}[${i}]`]);
  dup("countyHospitals/outOfCounty", [...listed("countyHospitals", c.countyHospitals), ...listed("outOfCounty", c.outOfCounty)]);
  dup("townships", listed("townships", c.townships));
  // Every facility id is unique across the county: a township centre takes its township's
  // id and village clinics are generated as <township>-v01, -v02, …; a hospital sharing one
  // would merge two facilities' books — and so would a township named like another
  // township's clinic (a township t01-v02 beside t01's second clinic).
  const clinics = new Map<string, string>();
  c.townships.forEach((t, i) => {
    for (let v = 1; v <= t.villages; v++) clinics.set(`${t.id}-v${String(v).padStart(2, "0")}`, `a village clinic of townships[${i}] (${t.id})`);
  });
  c.townships.forEach((t, i) => {
    const other = clinics.get(t.id);
    if (other)
      problems.push(`${file}: townships[${i}].id = ${JSON.stringify(t.id)}: already the id of ${other}; facility ids must be distinct (village clinics are named <township>-v01, -v02, …)`);
  });
  const generated = new Map(clinics);
  c.townships.forEach((t, i) => generated.set(t.id, `the centre of townships[${i}] (${t.id})`));
  for (const [list, hs] of [["countyHospitals", c.countyHospitals], ["outOfCounty", c.outOfCounty]] as const)
    hs.forEach((h, i) => {
      const other = generated.get(h.id);
      if (other) problems.push(`${file}: ${list}[${i}].id = ${JSON.stringify(h.id)}: already the id of ${other}; facility ids must be distinct (village clinics are named <township>-v01, -v02, …)`);
    });
  const villages = c.townships.reduce((n, t) => n + t.villages, 0);
  if (villages > MAX_VILLAGES) problems.push(`${file}: townships[].villages sum to ${villages}; at most ${MAX_VILLAGES} villages per county are supported`);
  const population = c.townships.reduce((n, t) => n + t.population, 0);
  if (population > MAX_POPULATION)
    problems.push(`${file}: townships[].population sum to ${population.toLocaleString("en-US")} residents; at most ${MAX_POPULATION.toLocaleString("en-US")} per county (describe a larger area as several counties)`);
  c.townships.forEach((t, i) => {
    if (t.population < t.villages) problems.push(`${file}: townships[${i}].population = ${t.population}: fewer residents than villages (${t.villages}); every village needs a resident`);
  });
  dup("communities", listed("communities", c.communities));
  const townshipIds = new Set(c.townships.map((t) => t.id));
  const hospitalIds = c.countyHospitals.map((h) => h.id);
  const claimed = new Map<string, string>();
  c.communities.forEach((m, i) => {
    if (!hospitalIds.includes(m.lead))
      problems.push(`${file}: communities[${i}].lead = ${JSON.stringify(m.lead)}: must be the id of a county hospital (${hospitalIds.join(", ")})`);
    m.townships.forEach((t, j) => {
      if (!townshipIds.has(t)) problems.push(`${file}: communities[${i}].townships[${j}] = ${JSON.stringify(t)}: no township has this id`);
      else if (claimed.has(t)) problems.push(`${file}: communities[${i}].townships[${j}] = ${JSON.stringify(t)}: already in community ${claimed.get(t)}; a township belongs to one community`);
      else claimed.set(t, m.id);
    });
  });
  // Each village's choice set is its clinic, its township centre, the nearest other
  // township centre and every county and out-of-county hospital; choice noise is keyed by
  // option slot within 16 per episode.
  const options = 3 + c.countyHospitals.length + c.outOfCounty.length;
  if (options > MAX_OPTIONS) {
    problems.push(`${file}: countyHospitals + outOfCounty: ${options - 3} hospitals; at most ${MAX_OPTIONS - 3} are supported (each village chooses among at most ${MAX_OPTIONS} facilities)`);
  }
  const ages = AGE_BANDS.reduce((s, a) => s + c.demographics.ageBands[a], 0);
  if (Math.abs(ages - 1) > 1e-6) problems.push(`${file}: demographics.ageBands sum to ${ages.toFixed(4)}: shares must sum to 1`);
  // Primary care with no doctor at all has no capacity: every resident would meet an
  // infinitely crowded clinic, and the primary capacity index (start = 1) no start.
  if (c.townships.length && c.townships.every((t) => t.centre.doctors === 0 && t.villageDoctorsPerClinic === 0)) {
    problems.push(`${file}: townships[].centre.doctors and townships[].villageDoctorsPerClinic are 0 in every township: the county has no primary-care doctor, so primary care has no capacity; give at least one township centre (0 to 10,000 doctors) or its village clinics (0 to 100 each) a doctor`);
  }
  return problems;
}

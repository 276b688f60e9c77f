/**
 * The prefecture description file format (data/prefectures/*.yaml): a city (地级市) and
 * its counties, each a county description file, and the city's shared hospitals outside
 * every county (the city hospital; the provincial hospital as the one outside the
 * prefecture). A prefecture scenario (sim/prefecture/scenario.ts) runs each county as its
 * own job; this file only says which counties there are and how their out-of-county
 * options relate: an option whose id is another county's id is that county's lead
 * hospital (a cross-county flow), one whose id is a city hospital's is that hospital.
 */
import { existsSync, realpathSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { Bilingual, CountyDescription } from "../county/description";
import { InputError, shownPath } from "../scenario/errors";
import { loadCounty, readYaml } from "../scenario/load";
import { flag, list, num, obj, str, validate, isPlainObject, type Spec } from "../scenario/schema";
import { sourceCitationProblems } from "../scenario/citations";
import { wrongKindProblem } from "../scenario/file-kind";

export interface PrefectureHospital {
  id: string;
  name: Bilingual;
  /** inside the prefecture (in the pool under city-level pooling); false for the province */
  inPrefecture: boolean;
}

export interface PrefectureCounty {
  id: string;
  name: Bilingual;
  /** county description file, relative to the prefecture file */
  file: string;
  /** a pilot county (000 §五(一)); a rollout may name pilots by this flag */
  pilot?: boolean;
  /** road minutes from the county seat to the city (documentation; the county file's outOfCounty minutes are what the model reads) */
  minutesToCity?: number;
  /** counties whose lead hospital this county's residents may choose: the county file's outOfCounty says so, and the loader holds this list to it */
  neighbours?: string[];
}

export interface PrefectureDescription {
  name: string;
  title: Bilingual;
  source: string;
  hospitals: PrefectureHospital[];
  counties: PrefectureCounty[];
}

/** A prefecture as loaded: its description, file, and each county's file (absolute) and description. */
export interface Prefecture extends PrefectureDescription {
  file: string;
  countyFiles: Record<string, string>;
  countyDescriptions: Record<string, CountyDescription>;
}

const bilingual: Spec = { kind: "bilingual" };

export const PREFECTURE_SPEC: Spec = obj({
  name: str,
  title: bilingual,
  source: str,
  hospitals: list(obj({ id: str, name: bilingual, inPrefecture: flag("inside the prefecture: in the insurance pool under city-level pooling (市级统筹); false for the provincial hospital") }), 1),
  counties: list(
    obj({
      id: str,
      name: bilingual,
      file: str,
      pilot: flag("a pilot county (000 §五(一)): a rollout may name the pilots as `pilots`"),
      minutesToCity: num(0, 6000, "minutes"),
      neighbours: list(str),
    }, ["pilot", "minutesToCity", "neighbours"]),
    1,
  ),
});

/** Most counties a prefecture may have (a run is one job per county and seed). */
export const MAX_COUNTIES = 64;


/** Load and check a prefecture file and every county file it names; problems name the file and field path. */
export function loadPrefecture(path: string): Prefecture {
  const file = shownPath(resolve(path));
  const raw = readYaml(resolve(path), "prefecture description");
  if (!isPlainObject(raw)) throw new InputError([`${file}: must be a YAML mapping (name, title, source, hospitals, counties)`]);
  const kind = wrongKindProblem(raw, "prefecture", file);
  if (kind) throw new InputError([kind]);
  const problems = [...sourceCitationProblems(raw, file), ...validate(raw, PREFECTURE_SPEC, "", file)];
  if (problems.length) throw new InputError(problems);
  const p = raw as unknown as PrefectureDescription;
  if (p.counties.length > MAX_COUNTIES) problems.push(`${file}: counties: ${p.counties.length} counties; at most ${MAX_COUNTIES} are supported`);
  const dup = (what: string, ids: string[]) => {
    const seen = new Map<string, number>();
    ids.forEach((id, i) => {
      const first = seen.get(id);
      if (first !== undefined) problems.push(`${file}: ${what}[${i}].id = ${JSON.stringify(id)}: used twice (also ${what}[${first}].id); ids must be unique`);
      else seen.set(id, i);
    });
  };
  dup("counties", p.counties.map((c) => c.id));
  dup("hospitals", p.hospitals.map((h) => h.id));
  const countyIds = new Set(p.counties.map((c) => c.id));
  p.hospitals.forEach((h, i) => {
    if (countyIds.has(h.id)) problems.push(`${file}: hospitals[${i}].id = ${JSON.stringify(h.id)}: also a county's id; a county's id names its lead hospital in other counties' files, so the city's hospitals need other ids`);
  });
  p.counties.forEach((c, i) => {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(c.id)) problems.push(`${file}: counties[${i}].id = ${JSON.stringify(c.id)}: must be lower-case letters, digits and dashes (it names the county's jobs and output rows)`);
    (c.neighbours ?? []).forEach((n, j) => {
      if (!countyIds.has(n)) problems.push(`${file}: counties[${i}].neighbours[${j}] = ${JSON.stringify(n)}: not a county of this prefecture (${[...countyIds].join(", ")})`);
      else if (n === c.id) problems.push(`${file}: counties[${i}].neighbours[${j}] = ${JSON.stringify(n)}: a county is not its own neighbour`);
    });
  });
  if (problems.length) throw new InputError(problems);

  const hospitalById = new Map(p.hospitals.map((h) => [h.id, h]));
  const countyFiles: Record<string, string> = {};
  const countyDescriptions: Record<string, CountyDescription> = {};
  const fileOwner = new Map<string, number>();
  p.counties.forEach((c, i) => {
    const abs = resolve(dirname(resolve(path)), c.file);
    countyFiles[c.id] = abs;
    // two counties in one file would count its residents twice, the second under the first's hospitals and flows
    // (compared by real path, so a symbolic link to the same file is the same file)
    const real = existsSync(abs) ? realpathSync(abs) : abs;
    const first = fileOwner.get(real);
    if (first !== undefined) {
      problems.push(`${file}: counties[${i}].file = ${JSON.stringify(c.file)}: already the file of counties[${first}] (${p.counties[first].id}); each county needs its own county file`);
      return;
    }
    fileOwner.set(real, i);
    let d: CountyDescription;
    try {
      d = loadCounty(abs);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      problems.push(`${file}: counties[${i}].file = ${JSON.stringify(c.file)}: the county file has problems (below)`, ...e.problems);
      return;
    }
    countyDescriptions[c.id] = d;
    // every in-prefecture option is a city hospital or another county's lead hospital; the province is not in the prefecture
    d.outOfCounty.forEach((h, j) => {
      const where = `${shownPath(abs)}: outOfCounty[${j}]`;
      const city = hospitalById.get(h.id);
      if (h.inPrefecture) {
        if (h.id === c.id) problems.push(`${where}.id = ${JSON.stringify(h.id)}: the county's own id; its own hospitals are countyHospitals`);
        else if (!countyIds.has(h.id) && !(city && city.inPrefecture))
          problems.push(`${where}.id = ${JSON.stringify(h.id)}: inPrefecture is true, so the id must be another county of ${file} (${[...countyIds].filter((x) => x !== c.id).join(", ")}) or one of its hospitals inside the prefecture (${p.hospitals.filter((x) => x.inPrefecture).map((x) => x.id).join(", ")})`);
      } else if (countyIds.has(h.id) || (city && city.inPrefecture)) {
        problems.push(`${where}.inPrefecture: missing or false, but ${JSON.stringify(h.id)} is inside the prefecture ${file}; set inPrefecture: true`);
      }
    });
    // neighbours documents which counties' lead hospitals the residents may choose: it must say what the county file does
    if (c.neighbours !== undefined) {
      const chosen = d.outOfCounty.filter((h) => h.inPrefecture && countyIds.has(h.id) && h.id !== c.id).map((h) => h.id);
      const listed = [...new Set(c.neighbours)];
      if (chosen.length !== listed.length || chosen.some((x) => !listed.includes(x)))
        problems.push(`${file}: counties[${i}].neighbours = ${JSON.stringify(c.neighbours)}: the county file ${shownPath(abs)} lets its residents choose the lead hospitals of ${chosen.length ? chosen.join(", ") : "no other county"} (outOfCounty with inPrefecture: true); list those, or leave neighbours out`);
    }
  });
  if (problems.length) throw new InputError(problems);
  return { ...p, file, countyFiles, countyDescriptions };
}

/** Where each out-of-county facility of a county lies in the prefecture: another county's id, "city" (a city hospital), or "province" (outside). */
export function placeOfCare(pref: Pick<PrefectureDescription, "counties" | "hospitals">, facilityId: string): { kind: "county" | "city" | "outside"; id: string } {
  if (pref.counties.some((c) => c.id === facilityId)) return { kind: "county", id: facilityId };
  const h = pref.hospitals.find((x) => x.id === facilityId);
  if (h?.inPrefecture) return { kind: "city", id: facilityId };
  return { kind: "outside", id: facilityId };
}

/** Residents of each county by its description (full size). */
export const countyPopulation = (d: CountyDescription) => d.townships.reduce((n, t) => n + t.population, 0);


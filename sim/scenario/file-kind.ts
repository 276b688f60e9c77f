/**
 * Which of the project's five YAML file kinds a parsed mapping is, from its top-level keys:
 * so a file given where another kind is expected (a prefecture scenario to `run`, a
 * scenario as `parameterFile:`) gets one line saying what it is and how to use it, rather
 * than a page of unknown keys.
 *
 * Each kind's keys are its spec's top-level fields; a kind's characteristic keys are those
 * no other kind has (`name`, `title`, `source`, `population` are shared). Recognition is
 * conservative: a file is called another kind only when it has none of the expected
 * kind's characteristic keys and clearly has the other kind's — a county file with
 * `townships` deleted is still a county file with a missing field.
 */
import { COUNTY_SPEC } from "../county/description";
import { PARAMETERS_SPEC } from "../parameters";
import { PREFECTURE_SPEC } from "../prefecture/description";
import { PREFECTURE_SCENARIO_SPEC } from "../prefecture/scenario";
import type { Spec } from "./schema";

export type FileKind = "scenario" | "county" | "parameters" | "prefecture" | "prefectureScenario";

/** Keys a scenario file may have (each is checked where it is read, sim/scenario/load.ts). */
export const SCENARIO_KEYS = ["name", "title", "description", "extends", "county", "parameterFile", "parameters", "start", "years", "population", "policy", "timeline"];

/** How problems name each kind. */
export const KIND_NAMES: Record<FileKind, string> = {
  scenario: "county scenario",
  county: "county description",
  parameters: "parameter file",
  prefecture: "prefecture description",
  prefectureScenario: "prefecture scenario",
};

/** What a kind has, as problems show it (its main keys, not all of them). */
const KIND_HAS: Record<FileKind, string> = {
  scenario: "extends (or county, parameterFile, start), policy, timeline",
  county: "townships, countyHospitals, communities, demographics",
  parameters: "choice, incidence, costs, simulation, …",
  prefecture: "hospitals, counties",
  prefectureScenario: "prefecture, baseline, reform, rollout, pooling",
};

const fieldsOf = (s: Spec): string[] => (s.kind === "object" ? Object.keys(s.fields) : []);

// Computed on first use: the prefecture modules import the loader, which imports this module.
let keysCache: Record<FileKind, { all: Set<string>; own: string[] }> | undefined;
function kindKeys(): Record<FileKind, { all: Set<string>; own: string[] }> {
  if (keysCache) return keysCache;
  const all: Record<FileKind, string[]> = {
    scenario: SCENARIO_KEYS,
    county: fieldsOf(COUNTY_SPEC),
    parameters: fieldsOf(PARAMETERS_SPEC),
    prefecture: fieldsOf(PREFECTURE_SPEC),
    prefectureScenario: fieldsOf(PREFECTURE_SCENARIO_SPEC),
  };
  const kinds = Object.keys(all) as FileKind[];
  keysCache = Object.fromEntries(
    kinds.map((k) => [k, { all: new Set(all[k]), own: all[k].filter((key) => kinds.every((o) => o === k || !all[o].includes(key))) }]),
  ) as Record<FileKind, { all: Set<string>; own: string[] }>;
  return keysCache;
}

/** The characteristic keys of a kind: those no other kind's files have. */
export const characteristicKeys = (kind: FileKind): readonly string[] => kindKeys()[kind].own;

/**
 * The other kind a mapping's keys clearly belong to, or null: it has none of `expected`'s
 * characteristic keys, and either at least two of the other kind's with most of its keys
 * that kind's, or one of them with every key that kind's — and no third kind fits as well.
 */
export function otherKind(raw: Record<string, unknown>, expected: FileKind): FileKind | null {
  const keys = Object.keys(raw);
  const kinds = kindKeys();
  if (kinds[expected].own.some((k) => keys.includes(k))) return null;
  const fits = (Object.keys(kinds) as FileKind[]).filter((k) => {
    if (k === expected) return false;
    const own = kinds[k].own.filter((key) => keys.includes(key)).length;
    const known = keys.filter((key) => kinds[k].all.has(key)).length;
    // two of its own keys and mostly its keys; or one of its own when every key is its (a child scenario of extends, name, title)
    return (own >= 2 && known * 2 >= keys.length) || (own >= 1 && known === keys.length);
  });
  return fits.length === 1 ? fits[0] : null;
}

/** How to use a file of one kind found where another was expected; "" when nothing useful can be said. */
function howToUse(kind: FileKind, expected: FileKind, file: string, raw: Record<string, unknown>): string {
  switch (kind) {
    case "prefectureScenario":
      return `run it with yigongti prefecture ${file}`;
    case "prefecture":
      return expected === "county"
        ? "name one of the county description files it lists under counties[].file instead"
        : "run a prefecture scenario that names it as prefecture:, e.g. yigongti prefecture scenarios/prefecture/qujing-rollout.yaml";
    case "county":
      return expected === "parameters" ? "a scenario names it as county:, not parameterFile:" : "to simulate it, name it as county: in a scenario file (as scenarios/wuhua-baseline.yaml does for data/counties/wuhua-like.yaml)";
    case "parameters":
      return expected === "county" ? "a scenario names it as parameterFile:, not county:" : "a scenario names it as parameterFile: (or changes single values under parameters:)";
    case "scenario": {
      if (expected === "prefectureScenario") return `run it with yigongti run ${file}`;
      // the file the user probably meant: the one this scenario itself names
      const field = expected === "county" ? "county" : expected === "parameters" ? "parameterFile" : "";
      return field && typeof raw[field] === "string" ? `its own ${field}: is ${JSON.stringify(raw[field])} (relative to the folder of ${file})` : "";
    }
  }
}

/**
 * One problem line when `raw` (read from `file`, as shown) is clearly another kind than
 * `expected`: `FILE: this is a <kind>, not a <expected> (it has …; a <expected> has …); how
 * to use it` — or `hint`, where the field that named the file can say what belongs there.
 * Null when it is not recognisably another kind (then validate it as `expected`).
 */
export function wrongKindProblem(raw: Record<string, unknown>, expected: FileKind, file: string, hint?: string): string | null {
  const kind = otherKind(raw, expected);
  if (!kind) return null;
  const has = characteristicKeys(kind).filter((k) => k in raw);
  const listed = has.length > 5 ? `${has.slice(0, 4).join(", ")} and ${has.length - 4} more` : has.join(", ");
  // where the field that named the file knows better (a prefecture scenario's baseline:), it says what to name instead
  const how = hint ?? howToUse(kind, expected, file, raw);
  return `${file}: this is a ${KIND_NAMES[kind]}, not a ${KIND_NAMES[expected]} (it has ${listed}; a ${KIND_NAMES[expected]} has ${KIND_HAS[expected]})${how ? `; ${how}` : ""}`;
}

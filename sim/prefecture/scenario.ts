/**
 * A prefecture scenario (scenarios/prefecture/*.yaml): a prefecture file, a baseline and a
 * reform scenario (files), which counties join the reform when (000 §五(一): pilot
 * counties first, all counties from 2020), and the level the insurance fund pools at
 * (003 §三, 市级统筹), optionally changing at a date. It expands into one ordinary county
 * scenario per county — the reform run on that county's description, its timeline taking
 * effect at max(entry date, the county's join date), the baseline before it — so counties
 * run as independent jobs on worker threads and across machines.
 *
 * A county's scenario is named `<prefecture scenario file>#<county id>`: a job's
 * scenarioFile, which any thread or machine rebuilds from the files (countyScenario), so
 * the results store, `--shard` and `store merge` treat it like a scenario file.
 */
import { dirname, resolve } from "node:path";
import type { Bilingual } from "../county/description";
import type { Policy } from "../policy";
import { InputError, showValue, shownPath } from "../scenario/errors";
import { sourceCitationProblems } from "../scenario/citations";
import { wrongKindProblem } from "../scenario/file-kind";
import { canonicalJson, extend, formatYearMonth, monthsBetween, parseYearMonth, policyTimeline, readYaml, scenarioContentHash, scenarioPolicyProblems, verdictFreeParameters, type Scenario, type TimelineEntry, type YearMonth } from "../scenario/load";
import { isPlainObject, list, obj, oneOf, str, validate, type Spec } from "../scenario/schema";
import { loadPrefecture, type Prefecture } from "./description";

export type PoolingLevel = "county" | "city";

export interface PrefectureScenario {
  name: string;
  title: Bilingual;
  description: string;
  /** the file as shown (relative to the working directory) */
  file: string;
  prefecture: Prefecture;
  baselineFile: string;
  reformFile: string;
  rolloutSource: string;
  /** each county's join date (null: never joins, runs the baseline throughout) */
  joins: Record<string, YearMonth | null>;
  pooling: { source: string; level: PoolingLevel; inPoolRateReduction: number; changes: { from: YearMonth; level: PoolingLevel }[] };
  /** the county scenarios' names as jobs' scenarioFile, in prefecture order */
  countyRefs: string[];
}

const month = { kind: "string", doc: "a month written YYYY-MM" } as const;
export const PREFECTURE_SCENARIO_SPEC: Spec = obj({
  name: str,
  title: { kind: "bilingual" },
  description: str,
  prefecture: { kind: "string", doc: "prefecture description file (data/prefectures/*.yaml), relative to this file" },
  baseline: { kind: "string", doc: "scenario file each county runs before it joins (and throughout if it never joins)" },
  reform: { kind: "string", doc: "scenario file whose policy (its base policy and timeline) a county takes up from its join date" },
  rollout: obj({
    source: str,
    join: list(obj({ from: month, counties: { kind: "string", doc: '"all", "pilots" (the counties marked pilot: true), or a list of county ids (or ids separated by commas)' } }), 1),
  }),
  pooling: obj({
    source: str,
    level: oneOf("county", "city"),
    inPoolRateReduction: { kind: "number", min: 0, max: 1, unit: "rate points", doc: "under city pooling: points below the county tier's rate for care at an in-prefecture hospital outside the county (policy insurance.pooling.inPoolRateReduction)" },
    changes: list(obj({ from: month, level: oneOf("county", "city") })),
  }, ["changes"]),
}, ["title", "description"]);


/** Whether a job's scenarioFile names a county of a prefecture scenario (`file#county`, or its baseline twin `file#county@baseline`). */
export const isCountyRef = (scenarioFile: string): boolean => /#[^/\\]+$/.test(scenarioFile);
/** what follows a county id in the reference of its baseline twin (county ids are [a-z0-9-]) */
const TWIN_SUFFIX = "@baseline";
export const countyRef = (file: string, county: string, baselineTwin = false) => `${file}#${county}${baselineTwin ? TWIN_SUFFIX : ""}`;
export function splitCountyRef(ref: string): { file: string; county: string; baselineTwin: boolean } {
  const i = ref.lastIndexOf("#");
  const county = ref.slice(i + 1);
  const baselineTwin = county.endsWith(TWIN_SUFFIX);
  return { file: ref.slice(0, i), county: baselineTwin ? county.slice(0, -TWIN_SUFFIX.length) : county, baselineTwin };
}

/** Whether a YAML file is a prefecture scenario (has `prefecture:`), so the CLI can tell one from a county scenario. */
export function isPrefectureScenario(raw: unknown): boolean {
  return isPlainObject(raw) && "prefecture" in raw;
}

/** Load and check a prefecture scenario file (the prefecture and its county files with it). */
export function loadPrefectureScenario(path: string): PrefectureScenario {
  const abs = resolve(path);
  const file = shownPath(abs);
  const raw = readYaml(abs, "prefecture scenario");
  if (!isPlainObject(raw)) throw new InputError([`${file}: must be a YAML mapping (name, prefecture, baseline, reform, rollout, pooling)`]);
  // a prefecture description or a county scenario given to the prefecture command: say so once
  const kind = wrongKindProblem(raw, "prefectureScenario", file);
  if (kind) throw new InputError([kind]);
  // rollout.join[].counties may be a list of ids as well as "all", "pilots" or "a, b"
  const r = structuredClone(raw) as Record<string, any>;
  if (isPlainObject(r.rollout) && Array.isArray(r.rollout.join))
    for (const j of r.rollout.join) if (isPlainObject(j) && Array.isArray(j.counties) && j.counties.every((x: unknown) => typeof x === "string")) j.counties = j.counties.join(", ");
  const problems = [...sourceCitationProblems(raw, file), ...validate(r, PREFECTURE_SCENARIO_SPEC, "", file)];
  if (problems.length) throw new InputError(problems);
  const dir = dirname(abs);
  let prefecture: Prefecture;
  try {
    prefecture = loadPrefecture(resolve(dir, r.prefecture));
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    throw new InputError([`${file}: prefecture = ${JSON.stringify(r.prefecture)}: the file it names has problems (below)`, ...e.problems]);
  }
  const ids = prefecture.counties.map((c) => c.id);
  const joins: Record<string, YearMonth | null> = Object.fromEntries(ids.map((id) => [id, null]));
  (r.rollout.join as { from: string; counties: string }[]).forEach((j, i) => {
    const from = parseYearMonth(j.from);
    if (!from) return void problems.push(`${file}: rollout.join[${i}].from = ${showValue(j.from)}: must be a month written YYYY-MM`);
    const named = j.counties.trim() === "all" ? ids : j.counties.trim() === "pilots" ? prefecture.counties.filter((c) => c.pilot).map((c) => c.id) : j.counties.split(",").map((x) => x.trim());
    if (j.counties.trim() === "pilots" && named.length === 0) problems.push(`${file}: rollout.join[${i}].counties = "pilots": no county of ${prefecture.file} is marked pilot: true`);
    for (const id of named) {
      if (!ids.includes(id)) problems.push(`${file}: rollout.join[${i}].counties: ${JSON.stringify(id)} is not a county of ${prefecture.file} (${ids.join(", ")}; or "all", "pilots")`);
      else if (joins[id] === null || monthsBetween(from, joins[id]!) > 0) joins[id] = from; // the earliest entry naming a county is its join date
    }
  });
  const changes = ((r.pooling.changes ?? []) as { from: string; level: PoolingLevel }[]).map((c, i) => {
    const from = parseYearMonth(c.from);
    if (!from) problems.push(`${file}: pooling.changes[${i}].from = ${showValue(c.from)}: must be a month written YYYY-MM`);
    return { from: from!, level: c.level };
  });
  for (let i = 1; i < changes.length; i++) if (changes[i].from && changes[i - 1].from && monthsBetween(changes[i - 1].from, changes[i].from) <= 0) problems.push(`${file}: pooling.changes[${i}].from = "${formatYearMonth(changes[i].from)}": must be after pooling.changes[${i - 1}].from (list changes in date order)`);
  // baseline and reform are read again per county; one that cannot be read or is not a scenario is said once here, not once per county
  for (const field of ["baseline", "reform"] as const) {
    const named = `${file}: ${field} = ${JSON.stringify(r[field])}: the file it names has problems (below)`;
    try {
      const s = readYaml(resolve(dir, r[field]), "scenario");
      const kind = isPlainObject(s) ? wrongKindProblem(s, "scenario", shownPath(resolve(dir, r[field])), `${field}: must name a county scenario, such as scenarios/${field === "baseline" ? "baseline-2018" : "full-package-qujing"}.yaml`) : null;
      if (kind) problems.push(named, kind);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      problems.push(named, ...e.problems);
    }
  }
  if (problems.length) throw new InputError(problems);
  return {
    name: r.name,
    title: r.title ?? { zh: r.name, en: r.name },
    description: r.description ?? "",
    file,
    prefecture,
    baselineFile: resolve(dir, r.baseline),
    reformFile: resolve(dir, r.reform),
    rolloutSource: r.rollout.source,
    joins,
    pooling: { source: r.pooling.source, level: r.pooling.level, inPoolRateReduction: r.pooling.inPoolRateReduction, changes },
    countyRefs: ids.map((id) => countyRef(file, id)),
  };
}

/**
 * Leaves of `to` that differ from `from`, as {dotted path: value}: what a timeline entry
 * must set to turn one policy into the other. A subtree `from` lacks is set whole.
 */
export function policyDifference(from: unknown, to: unknown, path = "", out: Record<string, unknown> = {}): Record<string, unknown> {
  if (isPlainObject(to) && isPlainObject(from)) {
    for (const k of Object.keys(from)) if (!(k in to)) throw new InputError([`prefecture rollout: ${path ? `${path}.` : ""}${k} is set in the baseline's policy but not in the reform's; a reform extends the baseline, so it cannot remove a lever`]);
    for (const k of Object.keys(to)) policyDifference(from[k], to[k], path ? `${path}.${k}` : k, out);
  } else if (canonicalJson(from) !== canonicalJson(to)) out[path] = to;
  return out;
}

const expanded = new Map<string, PrefectureScenario>();

/** A prefecture scenario loaded once per thread (files do not change during a run). */
export function cachedPrefectureScenario(file: string): PrefectureScenario {
  const abs = resolve(file);
  let p = expanded.get(abs);
  if (!p) {
    p = loadPrefectureScenario(file);
    expanded.set(abs, p);
  }
  return p;
}

/** The county scenario a `file#county` (or `file#county@baseline`) reference names. */
export function countyScenarioOf(ref: string): Scenario {
  const { file, county, baselineTwin } = splitCountyRef(ref);
  return countyScenario(cachedPrefectureScenario(file), county, { baselineTwin });
}

/**
 * One county's scenario: the reform run on the county's description, with the baseline's
 * policy until its join date; at the join date the policy becomes the reform's policy in
 * force then (so every reform entry dated earlier takes effect at the join date), later
 * reform entries at their own dates. The fund pools as `pooling` says (policy
 * insurance.pooling). Parameters are the reform's (they cannot change at a date).
 *
 * Its baseline twin (`baselineTwin`) is the same county never joining: the baseline's
 * policy throughout, the same pooling, parameters, start and horizon. Run with the same
 * seed (common random numbers) it is what the county would have done without the reform,
 * identical to the bit until the join date, so it is the siphon verdict's reference
 * (sim/prefecture/results.ts); a worker forks it from the rollout run's state at its first
 * policy change (sim/experiments/forks.ts) instead of running those months again.
 */
export function countyScenario(ps: PrefectureScenario, countyId: string, options: { baselineTwin?: boolean } = {}): Scenario {
  const c = ps.prefecture.counties.find((x) => x.id === countyId);
  if (!c) throw new InputError([`${ps.file}: no county ${JSON.stringify(countyId)} (counties: ${ps.prefecture.counties.map((x) => x.id).join(", ")})`]);
  const countyFile = ps.prefecture.countyFiles[c.id];
  const label = (what: string) => `${ps.file} (${what} on county ${c.id})`;
  const onCounty = (scenarioFile: string, what: string) => {
    try {
      return extend(scenarioFile, { county: countyFile, name: `${ps.name}-${c.id}-${what}` }, { label: label(what), dir: "/" });
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      throw new InputError([`${ps.file}: ${what} = ${JSON.stringify(shownPath(scenarioFile))} on county ${c.id} (${shownPath(countyFile)}): problems (below)`, ...e.problems]);
    }
  };
  const base = onCounty(ps.baselineFile, "baseline");
  const reform = onCounty(ps.reformFile, "reform");
  // (the verdicts' thresholds may differ: they are read after the run, and the reform's judge it)
  if (canonicalJson(verdictFreeParameters(base.parameters)) !== canonicalJson(verdictFreeParameters(reform.parameters)))
    throw new InputError([`${ps.file}: baseline and reform have different parameters; a county switches from one to the other at its join date, and parameters cannot change at a date — set them the same in both (or as policy levers)`]);
  if (base.population !== reform.population) throw new InputError([`${ps.file}: baseline has population: ${base.population} but reform population: ${reform.population}; a county's residents cannot switch between a fixed and a changing population at its join date — set the same in both`]);
  if (monthsBetween(base.start, reform.start) !== 0) throw new InputError([`${ps.file}: baseline starts ${formatYearMonth(base.start)} but reform ${formatYearMonth(reform.start)}; they must start in the same month`]);
  const start = reform.start;
  const twin = options.baselineTwin === true;
  const join = twin ? null : ps.joins[c.id];
  let basePolicy: Policy;
  let timeline: TimelineEntry[];
  if (join === null) {
    basePolicy = base.basePolicy;
    timeline = base.timeline;
  } else if (monthsBetween(start, join) <= 0) {
    basePolicy = reform.basePolicy;
    timeline = reform.timeline;
  } else {
    const at = policyTimeline(reform.basePolicy, reform.timeline)(join);
    // the baseline's changes before the join date stay; from it on the policy is the reform's
    const kept = base.timeline.filter((t) => monthsBetween(t.from, join) > 0);
    const set = policyDifference(policyTimeline(base.basePolicy, kept)(join), at);
    basePolicy = base.basePolicy;
    timeline = [
      ...kept,
      { from: join, source: ps.rolloutSource, note: `county ${c.id} joins the reform ${shownPath(ps.reformFile)}: its policy in force at ${formatYearMonth(join)}`, set, file: ps.file, label: `${ps.file}: rollout (${c.id})` },
      ...reform.timeline.filter((t) => monthsBetween(join, t.from) > 0),
    ];
  }
  // 统筹层次: the starting level, and its changes as dated entries
  basePolicy = { ...basePolicy, insurance: { ...basePolicy.insurance, pooling: { level: levelAt(ps, start), inPoolRateReduction: ps.pooling.inPoolRateReduction, source: ps.pooling.source } } };
  const pooling = ps.pooling.changes.filter((ch) => monthsBetween(start, ch.from) > 0).map((ch): TimelineEntry => ({ from: ch.from, source: ps.pooling.source, note: `the fund pools at ${ch.level} level`, set: { "insurance.pooling.level": ch.level }, file: ps.file, label: `${ps.file}: pooling` }));
  timeline = [...timeline, ...pooling].sort((a, b) => monthsBetween(b.from, a.from));
  const years = reform.years;
  const scenario: Scenario = {
    name: `${ps.name}-${c.id}${twin ? "-baseline" : ""}`,
    title: twin ? { zh: `${ps.title.zh} · ${c.name.zh}（基线：不加入改革）`, en: `${ps.title.en} · ${c.name.en} (baseline: never joins)` } : { zh: `${ps.title.zh} · ${c.name.zh}`, en: `${ps.title.en} · ${c.name.en}` },
    description: ps.description,
    file: countyRef(ps.file, c.id, twin),
    chain: [ps.file, ps.prefecture.file, shownPath(ps.baselineFile), shownPath(ps.reformFile)],
    countyFile: shownPath(countyFile),
    county: reform.county,
    parameterFile: reform.parameterFile,
    parameters: reform.parameters,
    start,
    years,
    population: reform.population,
    basePolicy,
    timeline,
    hash: "",
  };
  const bad = scenarioPolicyProblems(scenario, scenario.file);
  if (bad.length) throw new InputError(bad);
  // the loader's content hash (sim/scenario/load.ts scenarioContentHash)
  scenario.hash = scenarioContentHash(scenario);
  return scenario;
}

/** The pooling level in force at a month. */
export function levelAt(ps: PrefectureScenario, at: YearMonth): PoolingLevel {
  let level = ps.pooling.level;
  for (const ch of ps.pooling.changes) if (monthsBetween(ch.from, at) >= 0) level = ch.level;
  return level;
}

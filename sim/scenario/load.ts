/**
 * Load a scenario file: follow its `extends:` chain, read the county description and the
 * parameter file it names, apply overrides, validate everything, and return a resolved
 * Scenario. Every problem is reported as `file: field.path = value: what is allowed`,
 * gathered into one InputError — never a stack trace, never a silent default.
 *
 * Scenario file keys:
 *   name, title, description  — identification (name defaults to the file name)
 *   extends                   — parent scenario file (relative to this file)
 *   county                    — county description file (inherited if omitted)
 *   parameterFile             — parameter file (inherited if omitted)
 *   parameters                — overrides {path: value} (sim/scenario/overrides.ts): parameter leaves
 *                               (bare or parameters.*) and policy levers (policy.*, held for the whole run)
 *   start, years              — first simulated month (YYYY-MM) and default horizon
 *   population                — fixed (default: the county description's residents throughout) or
 *                               changing (births, deaths, migration, ageing: sim/population/)
 *   policy                    — policy tree (full in a root scenario; partial overrides in a child)
 *   timeline                  — dated policy changes: [{from: YYYY-MM, source, note?, set: {dotted.path: value}}]
 *                               (bare paths are policy levers; parameters cannot change at a date yet)
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { parseDocument } from "yaml";
import { COUNTY_SPEC, checkCountyReferences, type Bilingual, type CountyDescription } from "../county/description";
import { PARAMETERS_SPEC, checkShares, pathAsWritten, stripProvenance, type Parameters } from "../parameters";
import { POLICY_SPEC, type Policy } from "../policy";
import { sourceCitationProblems } from "./citations";
import { SCENARIO_KEYS, wrongKindProblem } from "./file-kind";
import { InputError, showValue, shownPath } from "./errors";
import { formatYearMonth, monthsBetween, parseYearMonth, type YearMonth } from "./months";
import { applyPolicyLeaves, checkOverrides, splitRoot, type OverrideLeaf } from "./overrides";
import { deepMerge, isPlainObject, setPath, str, validate, int, type Spec } from "./schema";


export { formatYearMonth, monthsBetween, parseYearMonth, type YearMonth };

export interface TimelineEntry {
  from: YearMonth;
  source: string;
  note?: string;
  set: Record<string, unknown>;
  file: string;
  /** where it was written, e.g. `scenarios/x.yaml: timeline[1]` */
  label?: string;
}

export interface Scenario {
  name: string;
  title: Bilingual;
  description: string;
  file: string;
  /** files of the extends chain, root first */
  chain: string[];
  countyFile: string;
  county: CountyDescription;
  parameterFile: string;
  parameters: Parameters;
  start: YearMonth;
  years: number;
  /** fixed: the county description's residents throughout; changing: births, deaths, migration, ageing (sim/population/) */
  population: PopulationMode;
  basePolicy: Policy;
  timeline: TimelineEntry[];
  /** sha256 of the resolved content (county, parameters, policy, timeline, start) */
  hash: string;
}

export const POPULATION_MODES = ["fixed", "changing"] as const;
export type PopulationMode = (typeof POPULATION_MODES)[number];

/** Display a path relative to the working directory, as users typed it. */

/** Read and parse a YAML file; syntax errors become InputErrors with line and column. */
/**
 * A file's text. UTF-8 (with or without a byte-order mark) and UTF-16 with a byte-order
 * mark are unambiguous and read as they are; anything else — typically GB18030/GBK or
 * Windows-1252, as spreadsheet tools on Chinese Windows save — is an error saying what it
 * looks like and how to convert it, rather than text read as mojibake.
 */
export function decodeText(bytes: Uint8Array, file: string): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder("utf-16le").decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder("utf-16be").decode(bytes.subarray(2));
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    const gb = new TextDecoder("gb18030").decode(bytes);
    const looksChinese = /[\u4e00-\u9fff]/.test(gb) && !gb.includes("\ufffd");
    const enc = looksChinese ? "GB18030 (GBK)" : "Windows-1252 (Latin-1)";
    throw new InputError([`${file}: not UTF-8 text; it looks like ${enc}. Save it as UTF-8, e.g. iconv -f ${looksChinese ? "GB18030" : "WINDOWS-1252"} -t UTF-8 ${file} > ${file}.utf8`]);
  }
}

export function readYaml(path: string, what: string): unknown {
  if (!existsSync(path)) throw new InputError([`${shownPath(path)}: ${what} file not found`]);
  const st = statSync(path);
  if (!st.isFile()) {
    const kind = st.isDirectory() ? "a directory" : st.isFIFO() ? "a named pipe (FIFO)" : st.isCharacterDevice() || st.isBlockDevice() ? "a device" : st.isSocket() ? "a socket" : "not a regular file";
    throw new InputError([`${shownPath(path)}: ${what} file expected, but this is ${kind}`]);
  }
  return parseYamlText(decodeText(readFileSync(path), shownPath(path)), shownPath(path));
}

/**
 * Texts parsed before, by their text: loading county after county of a prefecture reads the
 * same parameter and scenario files for each (`npm run bench:prefecture` parsed 286 files,
 * data/parameters.yaml 72 times, on its three threads; 51 with this). Only texts that parsed cleanly are kept, so
 * errors are reported afresh each time; a copy is handed out, so a caller changing what it
 * got cannot change what the next caller gets. Bounded: the oldest go first.
 */
const parsedTexts = new Map<string, unknown>();
const PARSED_TEXTS_KEPT = 64;

/** Parse YAML text read from `file` (a path as shown, or a label such as `extend(…)`); syntax errors name its line and column. */
export function parseYamlText(text: string, file: string): unknown {
  if (parsedTexts.has(text)) return structuredClone(parsedTexts.get(text));
  const value = parseYamlTextAfresh(text, file);
  if (parsedTexts.size >= PARSED_TEXTS_KEPT) parsedTexts.delete(parsedTexts.keys().next().value!);
  parsedTexts.set(text, value);
  return structuredClone(value);
}

function parseYamlTextAfresh(text: string, file: string): unknown {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new InputError(
      doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        return `${file}:${pos ? `${pos.line}:${pos.col}` : ""} YAML syntax error: ${e.message.split("\n")[0]}`;
      }),
    );
  }
  try {
    return doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (e) {
    throw new InputError([yamlAliasProblem(file, text, (e as Error).message)]);
  }
}

/**
 * How many alias expansions (`*name`) a file may make. yaml's default, 100, refuses the
 * aliases yaml.stringify itself writes for a large county; this still stops an alias
 * bomb (each level multiplying the last) long before memory runs out.
 */
const MAX_YAML_ALIASES = 100_000;

/** An alias that cannot be resolved, or too many expansions, as a problem naming the file and line. */
function yamlAliasProblem(file: string, text: string, message: string): string {
  const unresolved = /Unresolved alias[^:]*: (.+)$/.exec(message);
  if (unresolved) {
    const name = unresolved[1].trim();
    const at = text.split("\n").findIndex((l) => l.includes(`*${name}`));
    return `${file}:${at >= 0 ? `${at + 1}:${text.split("\n")[at].indexOf(`*${name}`) + 1}` : ""} YAML alias *${name}: no anchor &${name} is set before it (an alias repeats an earlier value marked &${name})`;
  }
  if (/alias count/i.test(message)) return `${file}: YAML aliases (*name) expand to more than ${MAX_YAML_ALIASES.toLocaleString("en-US")} values; write the values out instead of nesting aliases of aliases`;
  return `${file}: YAML: ${message.split("\n")[0]}`;
}


/** Where `parameters:` paths are shown in problems: bare ones inside `parameters.`, rooted ones as written. */
const inParameters = (p: string) => (splitRoot(p).explicit ? p : `parameters.${p}`);

/** Why a timeline cannot set a parameter (the engine reads parameters once, at the start). */
const TIMELINE_PARAMETERS =
  "parameters cannot change at a date yet (the engine reads them once, at the start); set it for the whole run under parameters:, or write a policy.* lever here";

interface RawChainLink {
  /** absolute path of the file (for a link built in code, the label it is shown as) */
  file: string;
  raw: Record<string, unknown>;
  /** a link built in code (extend): how problems name it, and the folder its relative paths start from */
  inCode?: { label: string; dir: string };
}

/** How a link is named in problems. */
const linkName = (l: RawChainLink): string => l.inCode?.label ?? shownPath(l.file);
/** The folder a link's relative paths (extends, county, parameterFile) start from. */
const linkDir = (l: RawChainLink): string => l.inCode?.dir ?? dirname(l.file);

/** The raw chain each scenario was resolved from (loadScenario, extend), so extend can build on it. */
const CHAINS = new WeakMap<Scenario, readonly RawChainLink[]>();

function readChain(path: string, problems: string[]): RawChainLink[] {
  const chain: RawChainLink[] = [];
  const seen: string[] = [];
  let current = resolve(path);
  // where the file being read was named (`child.yaml: extends = "…"`); "" for the scenario itself
  let from = "";
  for (;;) {
    if (seen.includes(current)) {
      throw new InputError([`${shownPath(seen[seen.length - 1])}: extends = ${JSON.stringify(shownPath(current))}: extends cycle (${[...seen, current].map(shownPath).join(" → ")})`]);
    }
    seen.push(current);
    // a parent's problems (unreadable, not a scenario, bad keys) follow the child field that named it
    const own = (lines: string[]) => (from ? [`${from}: the file it names has problems (below)`, ...lines] : lines);
    let raw: unknown;
    try {
      raw = readYaml(current, chain.length === 0 ? "scenario" : "parent scenario");
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      throw new InputError([...problems, ...own(e.problems)]);
    }
    if (!isPlainObject(raw)) throw new InputError([...problems, ...own([`${shownPath(current)}: must be a YAML mapping of scenario keys`])]);
    const top = validateTopLevel(raw, shownPath(current));
    if (top.length) problems.push(...own(top));
    chain.unshift({ file: current, raw });
    if (raw.extends === undefined) break;
    if (typeof raw.extends !== "string") break;
    if (raw.extends.trim() === "") throw new InputError(problems);
    const parent = resolve(dirname(current), raw.extends);
    if (!existsSync(parent)) {
      throw new InputError([...problems, `${shownPath(current)}: extends = ${JSON.stringify(raw.extends)}: parent scenario not found (looked for ${shownPath(parent)})`]);
    }
    from = `${shownPath(current)}: extends = ${JSON.stringify(raw.extends)}`;
    current = parent;
  }
  return chain;
}

/** What an empty file field must name instead ("must be a text string" would not say). */
const EMPTY_FILE_FIELD: Record<string, string> = {
  extends: "must name the parent scenario file, e.g. baseline-2018.yaml (or leave extends out)",
  county: "must name a county description file, e.g. ../data/counties/qujing-like.yaml (or leave county out to inherit it)",
  parameterFile: "must name a parameter file, e.g. ../data/parameters.yaml (or leave parameterFile out to inherit it)",
};

function validateTopLevel(raw: Record<string, unknown>, file: string): string[] {
  const problems: string[] = [];
  // another kind of file (a county, a prefecture scenario, …) given as a scenario: say so once, not a page of unknown keys
  const kind = wrongKindProblem(raw, "scenario", file);
  if (kind) return [kind];
  for (const k of Object.keys(raw)) {
    if (!SCENARIO_KEYS.includes(k)) problems.push(`${file}: ${k}: unknown key; allowed: ${SCENARIO_KEYS.join(", ")}`);
  }
  for (const k of ["name", "description", "extends", "county", "parameterFile"]) {
    if (k in raw && typeof raw[k] === "string" && k in EMPTY_FILE_FIELD && (raw[k] as string).trim() === "") problems.push(`${file}: ${k} = ${JSON.stringify(raw[k])}: ${EMPTY_FILE_FIELD[k]}`);
    else if (k in raw) problems.push(...validate(raw[k], str, k, file));
  }
  if ("title" in raw) problems.push(...validate(raw.title, { kind: "bilingual" }, "title", file));
  if ("years" in raw) problems.push(...validate(raw.years, int(1, 50), "years", file));
  if ("population" in raw && !POPULATION_MODES.includes(raw.population as PopulationMode)) problems.push(`${file}: population = ${showValue(raw.population)}: must be one of ${POPULATION_MODES.join(", ")}`);
  if ("start" in raw && !parseYearMonth(raw.start)) problems.push(`${file}: start = ${showValue(raw.start)}: must be a month written YYYY-MM`);
  if ("timeline" in raw && !Array.isArray(raw.timeline)) problems.push(`${file}: timeline = ${showValue(raw.timeline)}: must be a list of {from, source, set}`);
  return problems;
}

/**
 * Problems inside a file another one points at (a scenario's county: or parameterFile:)
 * start with where it was named, so a user knows which file and field to look at.
 */
function pointedAt<T>(from: string, load: () => T): T {
  try {
    return load();
  } catch (e) {
    if (!(e instanceof InputError) || !from) throw e;
    throw new InputError([`${from}: the file it names has problems (below)`, ...e.problems]);
  }
}

/** Load a county description (its demographics leaves carry {value, unit, source}). */
export function loadCounty(path: string): CountyDescription {
  const file = shownPath(path);
  const raw = readYaml(path, "county description");
  if (!isPlainObject(raw)) throw new InputError([`${file}: must be a YAML mapping`]);
  // a scenario, parameter or prefecture file given as a county: say so once instead of a page of unknown keys
  const kind = wrongKindProblem(raw, "county", file);
  if (kind) throw new InputError([kind]);
  const problems: string[] = sourceCitationProblems(raw, file);
  let demographics: unknown = raw.demographics;
  let leaves: string[] = [];
  if (isPlainObject(raw.demographics)) {
    const stripped = stripProvenance(raw.demographics, file, "demographics");
    problems.push(...stripped.problems);
    demographics = stripped.values;
    leaves = stripped.leaves;
  }
  const county = { ...raw, demographics } as unknown;
  problems.push(...validate(county, COUNTY_SPEC, "", file).map((p) => pathAsWritten(p, file, leaves)));
  if (problems.length) throw new InputError(problems);
  const c = county as CountyDescription;
  const refs = checkCountyReferences(c, file);
  if (refs.length) throw new InputError(refs);
  return c;
}

/** Load a parameter file and apply dotted-path overrides. */
export function loadParameters(path: string, overrides: Record<string, unknown> = {}, overrideFile = ""): Parameters {
  const file = shownPath(path);
  const raw = readYaml(path, "parameter");
  const kind = isPlainObject(raw) ? wrongKindProblem(raw, "parameters", file) : null;
  if (kind) throw new InputError([kind]);
  const { values, problems } = stripProvenance(raw, file);
  problems.push(...sourceCitationProblems(raw, file));
  if (problems.length) throw new InputError(problems);
  let params = values;
  for (const [p, v] of Object.entries(overrides)) params = setPath(params, p, v);
  const all = validate(params, PARAMETERS_SPEC, "", Object.keys(overrides).length ? `${file} (with overrides from ${overrideFile})` : file);
  if (all.length) throw new InputError(all);
  const shares = checkShares(params as Parameters, Object.keys(overrides).length ? `${file} (with overrides from ${overrideFile})` : file);
  if (shares.length) throw new InputError(shares);
  return params as Parameters;
}

/** Load, resolve and validate a scenario file. */
export function loadScenario(path: string): Scenario {
  const problems: string[] = [];
  const chain = readChain(path, problems);
  if (problems.length) throw new InputError(problems);
  return resolveChain(chain);
}

/** The changes `extend` applies to a parent: any scenario file key but `extends` (the parent is given). */
export type ScenarioChanges = Record<string, unknown>;

export interface ExtendOptions {
  /** how problems and captions name the changes (default `extend(<parent file>)`) */
  label?: string;
  /** folder that relative `county:` / `parameterFile:` paths in the changes start from (default the working directory) */
  dir?: string;
}

/**
 * A scenario built in code: a parent (a loaded scenario, or a scenario file) plus changes
 * written as a scenario file's keys — an object `{timeline, parameters, policy, name, …}`
 * or the same as YAML text. The changes are the last link of the parent's extends chain
 * and go through the loader's own checks, so a problem reads as in a file
 * (`extend(scenarios/baseline-2018.yaml): timeline[0].source: missing; …`), and the
 * result is hashed afresh from its resolved content (a spread copy `{...s, timeline}`
 * is not checked and keeps the parent's hash; this is the supported way).
 *
 *     const reform = extend(loadScenario("scenarios/baseline-2018.yaml"), {
 *       name: "earlier-package",
 *       timeline: [{ from: "2019-01", source: "assumption", set: { "payment.regime": "capitation" } }],
 *     });
 *
 * A timeline given here is added to the parent's (as in a child file); `name` defaults to
 * `<parent name>-extended`.
 */
export function extend(base: Scenario | string, changes: ScenarioChanges | string, options: ExtendOptions = {}): Scenario {
  const parent = typeof base === "string" ? (() => {
    const problems: string[] = [];
    const chain = readChain(base, problems);
    if (problems.length) throw new InputError(problems);
    return { chain, name: undefined as string | undefined, file: shownPath(resolve(base)) };
  })() : { chain: CHAINS.get(base), name: base.name, file: base.file };
  if (!parent.chain) {
    throw new InputError([
      `extend: the parent scenario ${JSON.stringify(typeof base === "string" ? base : base.name)} was not returned by loadScenario or extend (a copy such as {...scenario} is not checked); pass the loaded scenario itself, or its file path`,
    ]);
  }
  const label = options.label ?? `extend(${parent.file})`;
  const raw = typeof changes === "string" ? parseYamlText(changes, label) : changes;
  if (!isPlainObject(raw)) throw new InputError([`${label}: the changes must be a mapping of scenario keys (name, parameters, policy, timeline, …), got ${showValue(raw)}`]);
  const problems = validateTopLevel(raw, label);
  if ("extends" in raw) problems.push(`${label}: extends: not allowed here; the parent is extend's first argument`);
  if (problems.length) throw new InputError(problems);
  const parentName = parent.name ?? resolveChain(parent.chain).name;
  const named = "name" in raw ? raw : { ...raw, name: `${parentName}-extended` };
  return resolveChain([...parent.chain, { file: label, raw: named, inCode: { label, dir: resolve(options.dir ?? process.cwd()) } }]);
}

/**
 * Whether a scenario is exactly what loadScenario gives for its file — so a worker thread
 * can load it from the file — rather than one built in code (extend) or a modified copy.
 */
export function loadedFromFile(s: Scenario): boolean {
  const chain = CHAINS.get(s);
  return chain !== undefined && chain.every((l) => !l.inCode);
}

/** Resolve and validate a read chain (root first) into a Scenario. */
function resolveChain(chain: readonly RawChainLink[]): Scenario {
  const problems: string[] = [];

  let county: string | undefined;
  let parameterFile: string | undefined;
  let start: YearMonth | undefined;
  // the link that set start, for a timeline entry (perhaps a parent's) dated before it
  let startFrom = "";
  let years: number | undefined;
  let population: PopulationMode = "fixed";
  let policy: unknown = {};
  // `parameters:` leaves of the whole chain by canonical path (a child's value wins)
  const overrideLeaves = new Map<string, OverrideLeaf>();
  // where the county and parameter files were named, for problems found inside them
  let countyFrom = "";
  let parameterFileFrom = "";
  const timeline: TimelineEntry[] = [];
  const leaf = chain[chain.length - 1];
  for (const [linkIndex, link] of chain.entries()) {
    const { raw } = link;
    const f = linkName(link);
    const dir = linkDir(link);
    // every seed citation in a source: names a clause of the index (data/seed-clauses.md §D)
    problems.push(...sourceCitationProblems(raw, f));
    if (typeof raw.county === "string") {
      county = resolve(dir, raw.county);
      countyFrom = `${f}: county = ${JSON.stringify(raw.county)}`;
    }
    if (typeof raw.parameterFile === "string") {
      parameterFile = resolve(dir, raw.parameterFile);
      parameterFileFrom = `${f}: parameterFile = ${JSON.stringify(raw.parameterFile)}`;
    }
    if (raw.start !== undefined) {
      start = parseYearMonth(raw.start);
      startFrom = f;
    }
    if (typeof raw.years === "number") years = raw.years;
    if (typeof raw.population === "string") population = raw.population as PopulationMode;
    if (raw.parameters !== undefined) {
      const checked = checkOverrides(raw.parameters, { where: f, defaultRoot: "parameters", show: inParameters, what: "parameters", noDates: "in a scenario file, write a change at a date as a timeline entry (from, source, set)" });
      problems.push(...checked.problems);
      for (const l of checked.leaves) overrideLeaves.set(l.full, l);
    }
    if (raw.policy !== undefined) {
      problems.push(...validate(raw.policy, POLICY_SPEC, "policy", f, linkIndex > 0));
      problems.push(...checkLeverSources(raw.policy, POLICY_SPEC, "policy", f));
      policy = deepMerge(policy, raw.policy);
    }
    if (Array.isArray(raw.timeline)) {
      raw.timeline.forEach((entry, i) => {
        const p = `timeline[${i}]`;
        if (!isPlainObject(entry)) return void problems.push(`${f}: ${p} = ${showValue(entry)}: must be a mapping {from, source, note?, set}`);
        for (const k of Object.keys(entry)) {
          if (!["from", "source", "note", "set"].includes(k)) problems.push(`${f}: ${p}.${k}: unknown key; allowed: from, source, note, set`);
        }
        const from = parseYearMonth(entry.from);
        if (!from) problems.push(`${f}: ${p}.from = ${showValue(entry.from)}: must be a month written YYYY-MM`);
        if (typeof entry.source !== "string" || !entry.source) problems.push(`${f}: ${p}.source: missing; every policy change must cite its clause (e.g. 000_d976d86ac1f892b7.txt §二(二))`);
        if (entry.note !== undefined && typeof entry.note !== "string") problems.push(`${f}: ${p}.note = ${showValue(entry.note)}: must be a text string`);
        const checked = checkOverrides(entry.set, { where: f, defaultRoot: "policy", show: (q) => `${p}.set.${q}`, what: `${p}.set`, forbidden: { parameters: TIMELINE_PARAMETERS }, noDates: "a timeline entry has one date (its from:); write one entry per date" });
        problems.push(...checked.problems);
        // paths are kept as written (minus a `policy.` root), so an unchanged file hashes as before
        const set = isPlainObject(entry.set) ? Object.fromEntries(Object.entries(entry.set).map(([k, v]) => [splitRoot(k, "policy").path, v])) : {};
        if (from) timeline.push({ from, source: String(entry.source), note: entry.note as string | undefined, set, file: f, label: `${f}: ${p}` });
      });
    }
  }
  const leafFile = linkName(leaf);
  if (!county) problems.push(`${leafFile}: county: missing; name a county description file (e.g. ../data/counties/qujing-like.yaml) here or in a parent`);
  if (!parameterFile) problems.push(`${leafFile}: parameterFile: missing; name a parameter file (e.g. ../data/parameters.yaml) here or in a parent`);
  if (!start) problems.push(`${leafFile}: start: missing; the first simulated month, YYYY-MM`);
  // The merged policy must be complete; values were range-checked file by file above,
  // so this pass only adds what is missing once the chain is merged.
  if (problems.length === 0) problems.push(...validate(policy, POLICY_SPEC, "policy", `${leafFile} (after extends)`));
  if (problems.length) throw new InputError(problems);

  const countyDescription = pointedAt(countyFrom, () => loadCounty(county!));
  const leaves = [...overrideLeaves.values()];
  const parameterOverrides = Object.fromEntries(leaves.filter((l) => l.root === "parameters").map((l) => [l.path, l.value]));
  const parameters = pointedAt(parameterFileFrom, () => loadParameters(parameterFile!, parameterOverrides, leafFile));
  problems.push(...entriesBeforeStart(timeline, start!, startFrom));
  timeline.sort((a, b) => monthsBetween(b.from, a.from));
  // policy.* leaves under parameters: set the starting policy and hold for the whole run
  const held = applyPolicyLeaves(policy as Policy, timeline, leaves);
  const basePolicy = held.basePolicy;
  timeline.splice(0, timeline.length, ...held.timeline);
  problems.push(...scenarioPolicyProblems({ start: start!, timeline, basePolicy, parameters, county: countyDescription, countyFile: shownPath(county!) }, leafFile));
  if (problems.length) throw new InputError([...new Set(problems)]);

  const name = typeof leaf.raw.name === "string" ? leaf.raw.name : basename(leaf.file).replace(/\.ya?ml$/, "");
  const title = (leaf.raw.title as Bilingual | string | undefined) ?? name;
  const hash = scenarioContentHash({ county: countyDescription, parameters, basePolicy, timeline, start: start!, population });
  const scenario: Scenario = {
    name,
    title: typeof title === "string" ? { zh: title, en: title } : title,
    description: typeof leaf.raw.description === "string" ? leaf.raw.description : "",
    file: leafFile,
    chain: chain.map(linkName),
    countyFile: shownPath(county!),
    county: countyDescription,
    parameterFile: shownPath(parameterFile!),
    parameters,
    start: start!,
    years: years ?? 3,
    population,
    basePolicy,
    timeline,
    hash,
  };
  CHAINS.set(scenario, chain);
  return scenario;
}

/**
 * Timeline entries dated before the scenario start, at most one line per file: one entry
 * is named with its date; several (typically a parent's whole timeline under a child's
 * later start) are counted with their dates' range. Where start was set in another file
 * (a child's start over a parent's timeline), the line says which.
 */
function entriesBeforeStart(timeline: readonly TimelineEntry[], start: YearMonth, startFrom: string): string[] {
  const byFile = new Map<string, TimelineEntry[]>();
  for (const t of timeline) {
    const entries = byFile.get(t.file);
    if (entries) entries.push(t);
    else byFile.set(t.file, [t]);
  }
  const problems: string[] = [];
  for (const [file, entries] of byFile) {
    const early = entries.filter((t) => monthsBetween(start, t.from) < 0);
    if (early.length === 0) continue;
    const setIn = startFrom && startFrom !== file ? ` (start, set in ${startFrom})` : "";
    const at = `before the scenario start ${formatYearMonth(start)}${setIn}`;
    if (early.length === 1) {
      const t = early[0];
      problems.push(`${t.label ?? `${t.file}: timeline`}.from = "${formatYearMonth(t.from)}": ${at}`);
      continue;
    }
    const months = early.map((t) => formatYearMonth(t.from)).sort();
    const which = early.length === entries.length ? (early.length === 2 ? "both entries" : `all ${early.length} entries`) : `${early.length} of its ${entries.length} entries`;
    const dates = early.length === 2 ? `${months[0]} and ${months[1]}` : `from ${months[0]} to ${months[months.length - 1]}`;
    problems.push(`${file}: timeline: ${which} (${dates}) are ${at}; start the scenario no later than ${months[0]}`);
  }
  return problems;
}

/**
 * A scenario's content hash: what its runs depend on (county, parameters, policy and its
 * timeline, start, population mode), not where its files are. The loader's and every
 * scenario built from files in code (a prefecture's counties) — one definition, so the
 * same content has the same hash however it was put together.
 */
export function scenarioContentHash(s: Pick<Scenario, "county" | "parameters" | "basePolicy" | "timeline" | "start" | "population">): string {
  const { county, parameters, basePolicy, timeline, start, population } = s;
  return createHash("sha256")
    // a changing population and its rates enter the hash; a fixed one (which never reads them) hashes as before the switch existed
    .update(canonicalJson({ county, parameters: runParameters(parameters, population), basePolicy, timeline: timeline.map(({ file: _f, label: _l, ...t }) => t), start, ...(population === "changing" ? { population } : {}) }))
    .digest("hex");
}

/**
 * The parameters a run reads: without the population block (sim/population/) when the
 * population is fixed, and never the siphon rule's threshold (siphonCheck), which only the
 * verdict read after the run uses — so runs hash, and are stored and forked, as before it
 * existed, and a stored run is judged by the threshold of the day.
 */
function runParameters(p: Parameters, population: Scenario["population"]): Partial<Parameters> {
  const { population: rates, ...rest } = verdictFreeParameters(p);
  return population === "changing" ? { ...rest, population: rates } : rest;
}

/** The parameters without what only verdicts read after a run (siphonCheck): what a run's state depends on (also sim/engine/snapshot.ts runIdentity). */
export function verdictFreeParameters(p: Parameters): Omit<Parameters, "siphonCheck"> {
  const { siphonCheck: _verdictOnly, ...rest } = p;
  return rest;
}

/**
 * Checks of a resolved policy against its county and start (every month's policy names
 * only the county's communities; a claims-based package has a year of claims to size it
 * on). Run by the loader and again after overrides change a scenario's policy.
 */
export function scenarioPolicyProblems(s: Pick<Scenario, "start" | "timeline" | "basePolicy" | "parameters" | "county" | "countyFile">, file: string): string[] {
  const problems: string[] = [];
  const communityIds = s.county.communities.map((c) => c.id);
  // the policy from each date of the timeline on, each entry applied once (linear in its length)
  for (const p of [s.basePolicy, ...policySchedule(s.basePolicy, s.timeline).map((x) => x.policy)]) {
    const c = p.payment.capitation.communities;
    if (c !== "all") for (const id of c) if (!communityIds.includes(id)) problems.push(`${file}: policy.payment.capitation.communities: ${JSON.stringify(id)} is not a community of ${s.countyFile} (${communityIds.join(", ")})`);
    problems.push(...caseSchemeProblems(p, communityIds, s.countyFile, file));
  }
  problems.push(...checkClaimsBasis(s.start, s.timeline, s.basePolicy, s.parameters.simulation.burnInMonths, file));
  return [...new Set(problems)];
}

/** The case-based schemes' terms (payment.perDisease / drg / perDiem): complete where set or in force, naming only the county's communities. */
function caseSchemeProblems(p: Policy, communityIds: string[], countyFile: string, file: string): string[] {
  const problems: string[] = [];
  const payment = POLICY_SPEC.fields.payment;
  for (const name of ["perDisease", "drg", "perDiem"] as const) {
    const terms = p.payment[name];
    if (terms === undefined) {
      if (p.payment.regime === name) problems.push(`${file}: policy.payment.${name}: missing; payment.regime = ${name} needs its terms (${Object.keys(payment.fields[name].fields).filter((k) => k !== "source").join(", ")})`);
      continue;
    }
    // a timeline that sets one leaf of a block the policy never set leaves it incomplete
    problems.push(...validate(terms, payment.fields[name], `policy.payment.${name}`, file));
    const c = terms.communities;
    if (Array.isArray(c)) for (const id of c) if (!communityIds.includes(id)) problems.push(`${file}: policy.payment.${name}.communities: ${JSON.stringify(id)} is not a community of ${countyFile} (${communityIds.join(", ")})`);
  }
  return problems;
}

/** Whether a policy sizes a package or a case budget on last year's claims. */
const claimsSized = (p: Policy): string | null =>
  p.payment.regime === "capitation" && p.payment.capitation.basis === "lastYearClaims" ? "payment.capitation.basis" : p.payment.regime === "drg" && p.payment.drg?.basis === "lastYearClaims" ? "payment.drg.basis" : null;

/**
 * A package (or a DRG budget) sized on last year's claims needs a full calendar year of
 * simulated claims (burn-in included) before its first month.
 */
function checkClaimsBasis(start: YearMonth, timeline: TimelineEntry[], base: Policy, burnIn: number, file: string): string[] {
  const firstSimulated = start.year * 12 + start.month - 1 - burnIn;
  const first = formatYearMonth({ year: Math.floor(firstSimulated / 12), month: (firstSimulated % 12) + 1 });
  const policyAt = policyTimeline(base, timeline);
  for (const at of [start, ...timeline.map((t) => t.from)]) {
    const p = policyAt(at);
    const lever = claimsSized(p);
    if (!lever) continue;
    if (at === start) {
      // The burn-in months run under the starting policy, so a package in force at the
      // start is in force from the first simulated month: no earlier claims exist.
      return [
        `${file}: ${lever} = "lastYearClaims" at the scenario start (${formatYearMonth(start)}): the ${burnIn} burn-in months run under the starting policy, so the package would need claims from before the first simulated month (${first}); start it with a timeline entry after the start (e.g. from ${start.year + 1}-01${burnIn < start.month - 1 ? `, with simulation.burnInMonths ≥ ${start.month - 1}` : ""}), or size the starting package on basis: premium`,
      ];
    }
    const needed = (at.year - 1) * 12; // January of the previous calendar year
    if (firstSimulated > needed) {
      return [
        `${file}: ${lever} = "lastYearClaims" from ${formatYearMonth(at)}: needs the claims of all of ${at.year - 1}, but simulation starts ${formatYearMonth({ year: Math.floor(firstSimulated / 12), month: (firstSimulated % 12) + 1 })} (start ${formatYearMonth(start)} minus ${burnIn} burn-in months); start the package later or raise simulation.burnInMonths`,
      ];
    }
  }
  return [];
}

/** Levers (policy objects marked `lever`) set in a file must say where they come from. */
function checkLeverSources(tree: unknown, spec: Spec, path: string, file: string): string[] {
  if (!isPlainObject(tree) || spec.kind !== "object") return [];
  const problems: string[] = [];
  if (spec.lever && typeof tree.source !== "string") {
    problems.push(`${file}: ${path}.source: missing; a lever set here must cite its clause or publication`);
  }
  for (const [k, v] of Object.entries(tree)) {
    const s = spec.fields[k];
    if (s) problems.push(...checkLeverSources(v, s, `${path}.${k}`, file));
  }
  return problems;
}

/**
 * The policy in force from each date of a timeline in date order (as loadScenario leaves
 * it) on: one {from, policy} per distinct date, every entry applied once — linear in the
 * timeline's length, where applyTimeline at each date was quadratic. Each policy equals
 * applyTimeline(base, timeline, from).
 */
export function policySchedule(base: Policy, timeline: readonly TimelineEntry[]): { from: YearMonth; policy: Policy }[] {
  const out: { from: YearMonth; policy: Policy }[] = [];
  let p = base;
  timeline.forEach((t, i) => {
    for (const [path, v] of Object.entries(t.set)) p = setPath(p, path, v);
    const next = timeline[i + 1];
    if (!next || monthsBetween(t.from, next.from) !== 0) out.push({ from: t.from, policy: p });
  });
  return out;
}

/**
 * The policy in force at any month, as applyTimeline gives it, from the schedule built
 * once (a binary search per call): what the engine asks each month and the loader's checks
 * at each date. A timeline not in date order (not one loadScenario returns) is applied
 * entry by entry at each call, as applyTimeline does.
 */
export function policyTimeline(base: Policy, timeline: readonly TimelineEntry[]): (at: YearMonth) => Policy {
  const sorted = timeline.every((t, i) => i === 0 || monthsBetween(timeline[i - 1].from, t.from) >= 0);
  if (!sorted) return (at) => applyTimeline(base, timeline, at);
  const schedule = policySchedule(base, timeline);
  return (at) => {
    // the last date on or before `at`
    let lo = 0;
    let hi = schedule.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (monthsBetween(schedule[mid].from, at) >= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? base : schedule[lo - 1].policy;
  };
}

/** The policy in force at a month: the base policy with every change dated on or before it. */
export function applyTimeline(base: Policy, timeline: readonly TimelineEntry[], at: YearMonth): Policy {
  let p = base;
  for (const t of timeline) {
    if (monthsBetween(t.from, at) < 0) continue;
    for (const [path, v] of Object.entries(t.set)) p = setPath(p, path, v);
  }
  return p;
}

/** Policy in force for each simulated month, index 0 = scenario start. */
export function policyByMonth(s: Scenario, months: number): Policy[] {
  const out: Policy[] = [];
  const policyAt = policyTimeline(s.basePolicy, s.timeline);
  for (let m = 0; m < months; m++) {
    const total = s.start.month - 1 + m;
    out.push(policyAt({ year: s.start.year + Math.floor(total / 12), month: (total % 12) + 1 }));
  }
  return out;
}

/** JSON with object keys sorted, so equal content always hashes equal. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  if (isPlainObject(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`).join(",")}}`;
  return JSON.stringify(v);
}

/**
 * A regression reference: what `yigongti regress record` writes and `regress check` reads.
 * Plain files meant to be committed — small, diff-friendly, stable order:
 *
 *   DIR/reference.json          settings (seed, seeds, scale, years), model version and
 *                               fingerprint, Node, and each scenario's file (relative to
 *                               DIR), content hash, county, start and horizon
 *   DIR/<scenario>/yearly.csv   period,indicator,value    every yearly indicator, fixed seed
 *   DIR/<scenario>/monthly.csv  period,indicator,value    every monthly indicator, fixed seed
 *   DIR/<scenario>/counters.csv period,counter,value      yearly counter totals, fixed seed
 *                               (what the siphon verdict and the README's tables read)
 *   DIR/<scenario>/ensemble.csv period,indicator,<seed>…  every yearly indicator for each of
 *                               the N seeds S … S+N−1 (the fixed seed is S)
 *
 * Values are written as JavaScript's shortest round-trip decimal (String(x)), so reading
 * them back gives the same double to the bit; an empty cell is null (no value, e.g.
 * growth in the first year).
 */
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { COUNTER_NAMES, type Totals } from "../indicators";
import { OUTPUT_KINDS, csvText, jsonText, safeDirName, writeOutputFolder } from "../output";
import { InputError } from "../scenario/errors";

export const REFERENCE_FORMAT = "yigongti-regress/1";
export const REFERENCE_FILE = "reference.json";

export interface ReferenceSettings {
  /** the fixed seed of the exact reference; the ensemble runs seeds seed … seed+seeds−1 */
  seed: number;
  seeds: number;
  scale: number;
  /** simulated years for every scenario, or null: each scenario through the target year */
  years: number | null;
}

export interface ReferenceScenario {
  name: string;
  /** the scenario file, relative to the reference folder (posix separators) */
  file: string;
  /** sub-folder holding this scenario's tables */
  dir: string;
  /** Scenario.hash: sha256 of the resolved content (policy, parameters, county) */
  hash: string;
  /** the county file, relative to the reference folder */
  county: string;
  /** first simulated month, YYYY-MM */
  start: string;
  years: number;
  residents: number;
}

/** Values of one period: id → value (null: no value). */
export type PeriodValues = Record<string, number | null>;
/** Periods in order, each with its values. */
export type PeriodTable = { period: string; values: PeriodValues }[];

export interface ScenarioTables {
  yearly: PeriodTable;
  monthly: PeriodTable;
  counters: PeriodTable;
  /** ensemble[k] is the yearly table of seed `seed + k` */
  ensemble: PeriodTable[];
}

export interface Reference {
  format: typeof REFERENCE_FORMAT;
  model: { version: string; fingerprint: string; node: string };
  settings: ReferenceSettings;
  /** the command that recorded it (for a person reading the file) */
  command: string;
  scenarios: ReferenceScenario[];
}

export interface LoadedReference {
  dir: string;
  reference: Reference;
  tables: Map<string, ScenarioTables>;
}

const toPosix = (p: string) => p.split(sep).join("/");
/** A path as stored in reference.json: relative to the reference folder. */
export function relativeToReference(dir: string, path: string): string {
  return toPosix(relative(resolve(dir), resolve(path)));
}
/** A path from reference.json, resolved against the reference folder. */
export function resolveInReference(dir: string, path: string): string {
  return isAbsolute(path) ? path : resolve(dir, path);
}

/** Exact text of a value: the shortest decimal that reads back to the same double. */
export function valueText(v: number | null): string {
  return v === null ? "" : Object.is(v, -0) ? "-0" : String(v);
}

function tableCsv(table: PeriodTable, column: string): string {
  const rows: unknown[][] = [];
  for (const p of table) for (const [id, v] of Object.entries(p.values)) rows.push([p.period, id, valueText(v)]);
  return csvText(["period", column, "value"], rows);
}

function ensembleCsv(seeds: number[], tables: PeriodTable[]): string {
  const rows: unknown[][] = [];
  tables[0].forEach((p, i) => {
    for (const id of Object.keys(p.values)) rows.push([p.period, id, ...tables.map((t) => valueText(t[i].values[id] ?? null))]);
  });
  return csvText(["period", "indicator", ...seeds.map((s) => `seed_${s}`)], rows);
}

/** Counter totals as a table (counter names in their defined order). */
export function countersTable(periods: string[], totals: Totals[]): PeriodTable {
  // an optional module's counters only where the run used it (sim/indicators.ts OPTIONAL_MODULES: yearTotals leaves them out)
  return totals.map((t, i) => ({ period: periods[i], values: Object.fromEntries(COUNTER_NAMES.filter((c) => c in t).map((c) => [c, t[c]])) }));
}

/** Unique, safe folder names for the scenarios, in order. */
export function scenarioDirs(names: string[]): string[] {
  // compared without case: on macOS and Windows "Baseline" and "baseline" are one folder
  const used = new Set<string>([REFERENCE_FILE.toLowerCase()]);
  return names.map((n) => {
    const base = safeDirName(n);
    let d = base;
    for (let k = 2; used.has(d.toLowerCase()); k++) d = `${base}-${k}`;
    used.add(d.toLowerCase());
    return d;
  });
}

/** Every file of a reference, path (relative to its folder) → content. */
export function referenceFiles(ref: Reference, tables: Map<string, ScenarioTables>): Record<string, string> {
  const files: Record<string, string> = { [REFERENCE_FILE]: jsonText(ref) };
  const seeds = Array.from({ length: ref.settings.seeds }, (_, k) => ref.settings.seed + k);
  for (const s of ref.scenarios) {
    const t = tables.get(s.dir)!;
    files[`${s.dir}/yearly.csv`] = tableCsv(t.yearly, "indicator");
    files[`${s.dir}/monthly.csv`] = tableCsv(t.monthly, "indicator");
    files[`${s.dir}/counters.csv`] = tableCsv(t.counters, "counter");
    files[`${s.dir}/ensemble.csv`] = ensembleCsv(seeds, t.ensemble);
  }
  return files;
}

/**
 * Write a reference folder whole (sim/output.ts writeOutputFolder): it replaces an
 * earlier reference as a unit, so the folder always describes exactly one recording —
 * scenario folders the new one no longer has go with the old one, and a kill while
 * writing leaves the old reference.
 */
export function writeReference(dir: string, ref: Reference, tables: Map<string, ScenarioTables>, inputs: readonly string[] = []): string[] {
  const files = referenceFiles(ref, tables);
  try {
    return writeOutputFolder(dir, OUTPUT_KINDS.reference, files, inputs);
  } catch (e) {
    throw new Error(`cannot write the reference to ${dir}: ${(e as Error).message.replace(/^cannot write results to [^:]*: /, "")}`, { cause: e });
  }
}

// ---- reading, with errors that name the file and the field ----

type Problems = string[];

function field(obj: unknown, key: string, file: string, path: string, problems: Problems, check: (v: unknown) => string | null): unknown {
  const v = (obj as Record<string, unknown> | null)?.[key];
  const bad = check(v);
  if (bad) problems.push(`${file}: ${path}${path ? "." : ""}${key} = ${v === undefined ? "(missing)" : JSON.stringify(v)}: ${bad}`);
  return v;
}
const str = (v: unknown) => (typeof v === "string" && v.length > 0 ? null : "must be a non-empty string");
const int = (min: number) => (v: unknown) => (Number.isSafeInteger(v) && (v as number) >= min ? null : `must be a whole number ≥ ${min}`);
const scaleCheck = (v: unknown) => (typeof v === "number" && v > 0 && v <= 1 ? null : "must be a number greater than 0 and at most 1");

function parseReferenceJson(file: string, text: string): Reference {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new InputError([`${file}: not valid JSON (${(e as Error).message}); record a reference with yigongti regress record`]);
  }
  const problems: Problems = [];
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new InputError([`${file}: must be a JSON object written by yigongti regress record`]);
  field(raw, "format", file, "", problems, (v) => (v === REFERENCE_FORMAT ? null : `must be "${REFERENCE_FORMAT}" (a reference written by this version's yigongti regress record)`));
  const model = field(raw, "model", file, "", problems, (v) => (typeof v === "object" && v !== null ? null : "must be an object {version, fingerprint, node}"));
  if (typeof model === "object" && model !== null) for (const k of ["version", "fingerprint", "node"]) field(model, k, file, "model", problems, str);
  const settings = field(raw, "settings", file, "", problems, (v) => (typeof v === "object" && v !== null ? null : "must be an object {seed, seeds, scale, years}"));
  if (typeof settings === "object" && settings !== null) {
    field(settings, "seed", file, "settings", problems, int(0));
    field(settings, "seeds", file, "settings", problems, int(1));
    field(settings, "scale", file, "settings", problems, scaleCheck);
    field(settings, "years", file, "settings", problems, (v) => (v === null || (Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 50) ? null : "must be null (through the target year) or a whole number from 1 to 50"));
  }
  const scenarios = field(raw, "scenarios", file, "", problems, (v) => (Array.isArray(v) && v.length > 0 ? null : "must be a non-empty list of scenarios"));
  if (Array.isArray(scenarios)) {
    const dirs = new Set<string>();
    scenarios.forEach((s, i) => {
      const at = `scenarios[${i}]`;
      if (typeof s !== "object" || s === null) return problems.push(`${file}: ${at}: must be an object`);
      for (const k of ["name", "file", "hash", "county", "start"]) field(s, k, file, at, problems, str);
      field(s, "dir", file, at, problems, (v) => (typeof v === "string" && v === safeDirName(v) ? (dirs.has(v) ? "is used twice" : (dirs.add(v), null)) : "must be a plain folder name"));
      field(s, "years", file, at, problems, int(1));
      field(s, "residents", file, at, problems, int(1));
    });
  }
  if (problems.length) throw new InputError(problems);
  return raw as Reference;
}

function readCsv(file: string, expectHeader: (header: string[]) => string | null): string[][] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new InputError([`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); the reference is incomplete — record it again with yigongti regress record`]);
  }
  // Our own writer quotes nothing we write (ids, periods, numbers): a plain split suffices.
  const lines = text.split("\n").filter((l, i, a) => l.length > 0 || i < a.length - 1);
  if (lines.length === 0) throw new InputError([`${file}: empty; expected a header row`]);
  const header = lines[0].replace(/\r$/, "").split(",");
  const bad = expectHeader(header);
  if (bad) throw new InputError([`${file}: header ${JSON.stringify(lines[0])}: ${bad}`]);
  return lines.slice(1).map((l) => l.replace(/\r$/, "").split(","));
}

function parseValue(file: string, line: number, column: string, text: string): number | null {
  if (text === "") return null;
  const v = Number(text);
  if (Number.isNaN(v) && text !== "NaN") throw new InputError([`${file}: row ${line}, column ${column} = ${JSON.stringify(text)}: must be a number or empty`]);
  return v;
}

function readTable(file: string, column: string): PeriodTable {
  const rows = readCsv(file, (h) => (h.length === 3 && h[0] === "period" && h[1] === column && h[2] === "value" ? null : `must be period,${column},value`));
  const out: PeriodTable = [];
  rows.forEach((r, i) => {
    if (r.length !== 3) throw new InputError([`${file}: row ${i + 2}: has ${r.length} fields, expected 3 (period,${column},value)`]);
    const [period, id, value] = r;
    if (!period || !id) throw new InputError([`${file}: row ${i + 2}: period and ${column} must not be empty`]);
    let p = out[out.length - 1];
    if (!p || p.period !== period) out.push((p = { period, values: {} }));
    if (id in p.values) throw new InputError([`${file}: row ${i + 2}: ${period} ${id} appears twice`]);
    p.values[id] = parseValue(file, i + 2, "value", value);
  });
  return out;
}

function readEnsemble(file: string, seeds: number[]): PeriodTable[] {
  const cols = seeds.map((s) => `seed_${s}`);
  const rows = readCsv(file, (h) =>
    h[0] === "period" && h[1] === "indicator" && h.slice(2).join(",") === cols.join(",") ? null : `must be period,indicator,${cols.join(",")} (the ${seeds.length} seeds of ${REFERENCE_FILE})`,
  );
  const tables: PeriodTable[] = seeds.map(() => []);
  rows.forEach((r, i) => {
    if (r.length !== cols.length + 2) throw new InputError([`${file}: row ${i + 2}: has ${r.length} fields, expected ${cols.length + 2}`]);
    const [period, id] = r;
    seeds.forEach((_, k) => {
      const t = tables[k];
      let p = t[t.length - 1];
      if (!p || p.period !== period) t.push((p = { period, values: {} }));
      p.values[id] = parseValue(file, i + 2, cols[k], r[k + 2]);
    });
  });
  return tables;
}

/** Read and check a reference folder; every problem names the file and the field. */
export function readReference(dir: string): LoadedReference {
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    throw new InputError([`${dir}: no such reference folder; record one with yigongti regress record SCENARIO… --out ${dir}`]);
  }
  if (!isDir) throw new InputError([`${dir}: not a folder; a reference is a folder written by yigongti regress record`]);
  const file = join(dir, REFERENCE_FILE);
  if (!existsSync(file)) {
    const entries = readdirSync(dir);
    throw new InputError([`${file}: missing — ${dir} is not a regression reference${entries.length ? ` (it holds ${entries.slice(0, 5).join(", ")}${entries.length > 5 ? ", …" : ""})` : " (it is empty)"}; record one with yigongti regress record`]);
  }
  const reference = parseReferenceJson(file, readFileSync(file, "utf8"));
  const seeds = Array.from({ length: reference.settings.seeds }, (_, k) => reference.settings.seed + k);
  const tables = new Map<string, ScenarioTables>();
  for (const s of reference.scenarios) {
    const at = (f: string) => join(dir, s.dir, f);
    const t: ScenarioTables = {
      yearly: readTable(at("yearly.csv"), "indicator"),
      monthly: readTable(at("monthly.csv"), "indicator"),
      counters: readTable(at("counters.csv"), "counter"),
      ensemble: readEnsemble(at("ensemble.csv"), seeds),
    };
    if (t.yearly.length !== s.years) throw new InputError([`${at("yearly.csv")}: has ${t.yearly.length} years, but ${file} scenarios[${reference.scenarios.indexOf(s)}].years = ${s.years}`]);
    tables.set(s.dir, t);
  }
  return { dir, reference, tables };
}

/**
 * Levers in plain words for committee-facing text: a lever's name and its values
 * ("乡镇卫生院住院报销比例 85% → 90%，2019年1月起" / "Township centre inpatient
 * reimbursement rate 85% → 90% from Jan 2019"), from one bilingual table keyed by
 * override path (data/lever-labels.yaml) — so the briefing and the experiment charts
 * word a lever the same way and no dotted path reaches a reader. A path the table does
 * not know is shown by its last words ("rate · township"), never as a path.
 */
import { join } from "node:path";
import type { Bilingual, Lang } from "../charts/labels";
import { PACKAGE_ROOT } from "../manifest";
import { InputError, showValue } from "./errors";
import { readYaml } from "./load";
import type { YearMonth } from "./months";
import { canonicalPath, type OverrideRoot } from "./overrides";

export const LEVER_UNITS = ["share", "points", "yuan", "factor", "months", "days", "flag", "choice", "scope", "number"] as const;
export type LeverUnit = (typeof LEVER_UNITS)[number];

export interface LeverLabel extends Bilingual {
  unit: LeverUnit;
  /** words for the values of a `choice` lever */
  values?: Record<string, Bilingual>;
}

export interface LeverTable {
  /** words for a placeholder segment ({tier}, {group}) */
  words: Record<string, Bilingual>;
  /** by override path, a segment may be "{tier}" or "{group}" */
  levers: Record<string, LeverLabel>;
  /** parts of the policy tree (those carrying a source in a starting policy), by path */
  groups: Record<string, Bilingual>;
}

export const LEVER_LABELS_FILE = join(PACKAGE_ROOT, "data/lever-labels.yaml");

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
const isBilingual = (v: unknown): v is Bilingual => isObj(v) && typeof v.zh === "string" && typeof v.en === "string";

/** Read and check a lever-label table; every problem names the file and the entry. */
export function loadLeverTable(file = LEVER_LABELS_FILE): LeverTable {
  const raw = readYaml(file, "lever-label");
  const problems: string[] = [];
  const where = file.startsWith(PACKAGE_ROOT) ? file.slice(PACKAGE_ROOT.length + 1) : file;
  if (!isObj(raw) || !isObj(raw.words) || !isObj(raw.levers) || !isObj(raw.groups)) throw new InputError([`${where}: must be a mapping with words:, groups: and levers:`]);
  for (const [k, g] of Object.entries(raw.groups)) if (!isBilingual(g)) problems.push(`${where}: groups."${k}" = ${showValue(g)}: must be {zh, en}`);
  for (const [k, w] of Object.entries(raw.words)) if (!isBilingual(w)) problems.push(`${where}: words.${k} = ${showValue(w)}: must be {zh, en}`);
  for (const [path, l] of Object.entries(raw.levers)) {
    const at = `${where}: levers."${path}"`;
    if (!/^(policy|parameters)\./.test(path)) problems.push(`${at}: a path starts with policy. or parameters.`);
    if (!isBilingual(l)) {
      problems.push(`${at} = ${showValue(l)}: must be {unit, zh, en}`);
      continue;
    }
    const unit = (l as unknown as Record<string, unknown>).unit;
    if (!LEVER_UNITS.includes(unit as LeverUnit)) problems.push(`${at}.unit = ${showValue(unit)}: must be one of ${LEVER_UNITS.join(", ")}`);
    const values = (l as unknown as Record<string, unknown>).values;
    if (unit === "choice" && (!isObj(values) || !Object.values(values).every(isBilingual))) problems.push(`${at}.values: a choice lever needs {value: {zh, en}} for each of its values`);
  }
  if (problems.length) throw new InputError(problems);
  return raw as unknown as LeverTable;
}

let table: LeverTable | undefined;
function leverTable(): LeverTable {
  table ??= loadLeverTable();
  return table;
}

/** The table entry for a canonical path and the word its placeholder stands for, or null. */
export function findLever(fullPath: string, t: LeverTable = leverTable()): { label: LeverLabel; word: Bilingual | null } | null {
  const exact = t.levers[fullPath];
  if (exact) return { label: exact, word: null };
  const segs = fullPath.split(".");
  for (const [key, label] of Object.entries(t.levers)) {
    const ks = key.split(".");
    if (ks.length !== segs.length) continue;
    let word: Bilingual | null = null;
    const ok = ks.every((k, i) => {
      if (k === segs[i]) return true;
      if (/^\{\w+\}$/.test(k) && t.words[segs[i]]) {
        word = t.words[segs[i]];
        return true;
      }
      return false;
    });
    if (ok) return { label, word };
  }
  return null;
}

/** "inpatient rate township" from a path the table does not know: its last words, camelCase split. */
function fallbackName(fullPath: string): string {
  const words = fullPath.split(".").slice(1).slice(-3);
  return words.map((w) => w.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase()).join(" · ");
}

const capitalise = (s: string, lang: Lang) => (lang === "en" ? s.charAt(0).toUpperCase() + s.slice(1) : s);

/** A lever's name: `path` as --param / --set / a timeline writes it (bare = `defaultRoot`). */
export function leverName(path: string, lang: Lang, defaultRoot: OverrideRoot = "policy"): string {
  const full = canonicalPath(path, defaultRoot);
  const found = findLever(full);
  if (!found) return fallbackName(full);
  const text = found.label[lang].replace(/\{\w+\}/g, found.word ? found.word[lang] : "");
  return capitalise(text, lang);
}

/** A lever's unit (number when the table does not know the path). */
export function leverUnit(path: string, defaultRoot: OverrideRoot = "policy"): LeverUnit {
  return findLever(canonicalPath(path, defaultRoot))?.label.unit ?? "number";
}

/** A part of the policy tree in words ("城乡居民医保（…）"); `path` as policySources gives it (no root; "(policy)" for the root). */
export function groupName(path: string, lang: Lang): string {
  const full = path === "(policy)" || path === "" ? "policy" : canonicalPath(path, "policy");
  const g = leverTable().groups[full];
  return g ? capitalise(g[lang], lang) : leverName(path, lang);
}

const pct = (v: number) => `${+(v * 100).toFixed(1)}%`;

/** A lever's value in words: 0.9 → "90%", 700 → "700元" / "¥700", true → "实行" / "on". */
export function leverValue(path: string, value: unknown, lang: Lang, defaultRoot: OverrideRoot = "policy", names: Readonly<Record<string, Bilingual>> = {}): string {
  if (value === undefined || value === null) return lang === "zh" ? "无" : "none";
  const found = findLever(canonicalPath(path, defaultRoot));
  const unit = found?.label.unit ?? (typeof value === "boolean" ? "flag" : "number");
  const n = typeof value === "number" ? value : NaN;
  switch (unit) {
    case "share":
      return Number.isFinite(n) ? pct(n) : String(value);
    case "points":
      return Number.isFinite(n) ? (lang === "zh" ? `${n > 0 ? "+" : ""}${+(n * 100).toFixed(1)}个百分点` : `${n > 0 ? "+" : ""}${+(n * 100).toFixed(1)} pp`) : String(value);
    case "yuan":
      return Number.isFinite(n) ? (lang === "zh" ? `${n.toLocaleString("en-US")}元` : `¥${n.toLocaleString("en-US")}`) : String(value);
    case "factor":
      return Number.isFinite(n) ? `×${+n.toFixed(2)}` : String(value);
    case "months":
      return lang === "zh" ? `${value}个月` : `${value} month${n === 1 ? "" : "s"}`;
    case "days":
      return lang === "zh" ? `${value}天` : `${value} day${n === 1 ? "" : "s"}`;
    case "flag":
      return value === true ? (lang === "zh" ? "实行" : "on") : value === false ? (lang === "zh" ? "不实行" : "off") : String(value);
    case "choice": {
      const w = found?.label.values?.[String(value)];
      return w ? w[lang] : String(value);
    }
    case "scope":
      if (value === "all") return lang === "zh" ? "全部医共体" : "all communities";
      return Array.isArray(value) ? value.map((id) => names[String(id)]?.[lang] ?? String(id)).join(lang === "zh" ? "、" : ", ") : String(value);
    default:
      return Array.isArray(value) ? value.join(", ") : typeof value === "number" ? String(+value.toPrecision(4)) : String(value);
  }
}

/** "2019年1月" / "Jan 2019". */
export function monthWords(m: YearMonth, lang: Lang): string {
  return lang === "zh" ? `${m.year}年${m.month}月` : `${["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][m.month - 1]} ${m.year}`;
}

/**
 * One change in plain words: "乡镇卫生院住院报销比例 85% → 90%，2019年1月起" /
 * "Township centre inpatient reimbursement rate 85% → 90% from Jan 2019"; without a
 * month, the change alone; an unchanged value is said once. `names`: community ids → names
 * (for levers that list communities).
 */
export function leverChange(path: string, before: unknown, after: unknown, from: YearMonth | null, lang: Lang, names: Readonly<Record<string, Bilingual>> = {}): string {
  const name = leverName(path, lang);
  const a = leverValue(path, after, lang, "policy", names);
  const b = before === undefined ? null : leverValue(path, before, lang, "policy", names);
  const values = b === null ? a : b === a ? (lang === "zh" ? `${a}（不变）` : `${a} (unchanged)`) : `${b} → ${a}`;
  const when = from ? (lang === "zh" ? `，${monthWords(from, lang)}起` : ` from ${monthWords(from, lang)}`) : "";
  return `${name} ${values}${when}`;
}

/** A timeline `set:` as leaves: objects written for a subtree ({township: 0.9, county: 0.7}) spread into one path per leaf. */
export function setLeaves(set: Record<string, unknown>): [string, unknown][] {
  const out: [string, unknown][] = [];
  const walk = (p: string, v: unknown) => {
    if (isObj(v)) for (const [k, x] of Object.entries(v)) walk(`${p}.${k}`, x);
    else out.push([p, v]);
  };
  for (const [k, v] of Object.entries(set)) walk(k, v);
  return out;
}

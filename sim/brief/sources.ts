/**
 * Assumptions and sources for the briefing: every `source:` a scenario carries (the
 * levers of its starting policy, each dated change of its timeline), the targets'
 * sources, and the verbatim seed clauses they cite (data/seed-clauses.md).
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { PACKAGE_ROOT } from "../manifest";
import { parseCitations } from "../scenario/citations";
import type { Lang } from "../charts/labels";
import { leverChange, setLeaves } from "../scenario/lever-labels";
import type { Scenario } from "../scenario/load";
import { formatYearMonth } from "../scenario/load";
import { setPath } from "../scenario/schema";

export interface LeverSource {
  /** dotted path of the lever in the policy tree, e.g. insurance.resident */
  path: string;
  source: string;
}

/** Every `source` in a policy tree, with the dotted path of the object carrying it. */
export function policySources(policy: unknown, path = ""): LeverSource[] {
  if (policy === null || typeof policy !== "object" || Array.isArray(policy)) return [];
  const out: LeverSource[] = [];
  for (const [k, v] of Object.entries(policy as Record<string, unknown>)) {
    if (k === "source" && typeof v === "string") out.push({ path: path || "(policy)", source: v });
    else out.push(...policySources(v, path ? `${path}.${k}` : k));
  }
  return out;
}

export interface ChangeSource {
  from: string;
  /** settings changed, as dotted paths */
  set: string[];
  source: string;
  note?: string;
  /** file (and entry) it was written in */
  where: string;
}

/** The scenario's dated changes in time order, with their sources. */
export function timelineSources(s: Scenario): ChangeSource[] {
  return [...s.timeline]
    .map((e) => ({ from: formatYearMonth(e.from), set: Object.keys(e.set), source: e.source, ...(e.note ? { note: e.note } : {}), where: e.label ?? e.file }))
    .sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
}

/** A seed document (title line of data/seed-clauses.md §A). */
export interface SeedDocument {
  file: string;
  /** the heading line after the file name, e.g. "曲靖市…（试行）, 2019-02-01" */
  title: string;
  /** the document's own title, e.g. "曲靖市关于推进县域综合医改的实施意见（试行）" */
  name: string;
  /** its short English name from the index's conventions list, e.g. "Qujing 2019" */
  short: string;
}

export interface SeedClause {
  file: string;
  /** e.g. §二(二), item 12, 附件1 */
  section: string;
  quote: string;
  /** the index's gloss after the quote */
  gloss: string;
}

export interface SeedIndex {
  documents: SeedDocument[];
  clauses: SeedClause[];
}

let index: SeedIndex | undefined;
/** Parse data/seed-clauses.md: document titles and the verbatim quotes of each clause. */
export function seedIndex(path = join(PACKAGE_ROOT, "data/seed-clauses.md")): SeedIndex {
  if (index && path === join(PACKAGE_ROOT, "data/seed-clauses.md")) return index;
  const text = readFileSync(path, "utf8");
  const documents: SeedDocument[] = [];
  const clauses: SeedClause[] = [];
  const shorts = new Map([...text.matchAll(/^- \*\*(\d{3})\*\* ([^:(]+?)\s*[:(]/gm)].map((m) => [m[1], m[2].trim()]));
  for (const line of text.split("\n")) {
    const doc = /^### (\d{3}_[0-9a-f]{16}\.txt) — (.+)$/.exec(line);
    if (doc) documents.push({ file: doc[1], title: doc[2].trim(), name: doc[2].split(/, /)[0].trim(), short: shorts.get(doc[1].slice(0, 3)) ?? doc[2].split(/, /)[0].trim() });
    const c = /^- `(\d{3}_[0-9a-f]{16}\.txt) ([^`]+)`(?: L\d+)? ((?:「[^」]*」\s*)+)(?:—\s*(.*))?$/.exec(line);
    if (c) {
      const quote = [...c[3].matchAll(/「([^」]*)」/g)].map((m) => m[1]).join(" … ");
      clauses.push({ file: c[1], section: c[2].trim(), quote, gloss: (c[4] ?? "").trim() });
    }
  }
  const result = { documents, clauses };
  if (path === join(PACKAGE_ROOT, "data/seed-clauses.md")) index = result;
  return result;
}

export interface Citation {
  file: string;
  /** the section as cited, e.g. §二(二); "" when only the file is named */
  section: string;
}

/**
 * The seed citations in a source string: "000_….txt §二(二) (…); 002_….txt §9" → two
 * citations (sim/scenario/citations.ts reads them, the loader checks them against the index).
 */
export function citations(source: string): Citation[] {
  return parseCitations(source).map((c) => ({ file: c.file, section: c.clause }));
}

/**
 * The seed clauses behind a set of source strings: for each cited (file, section), the
 * quotes the index holds for exactly that section; unique, in citation order.
 */
export function citedClauses(sources: readonly string[], idx: SeedIndex = seedIndex()): { citation: Citation; document: string | null; clauses: SeedClause[] }[] {
  const seen = new Set<string>();
  const out: { citation: Citation; document: string | null; clauses: SeedClause[] }[] = [];
  for (const s of sources) {
    for (const c of citations(s)) {
      const key = `${c.file} ${c.section}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({
        citation: c,
        document: idx.documents.find((d) => d.file === c.file)?.title ?? null,
        clauses: c.section ? idx.clauses.filter((q) => q.file === c.file && (q.section === c.section || q.section.startsWith(`${c.section} `))) : [],
      });
    }
  }
  return out.sort((a, b) => (a.citation.file + a.citation.section).localeCompare(b.citation.file + b.citation.section));
}

/** A seed document as a reader knows it: "《曲靖市关于推进县域综合医改的实施意见（试行）》" / "Qujing 2019". */
export function documentName(file: string, lang: Lang, idx: SeedIndex = seedIndex()): string {
  const d = idx.documents.find((x) => x.file === file || x.file.slice(0, 3) === file);
  if (!d) return file;
  return lang === "zh" ? `《${d.name}》` : d.short;
}

/**
 * A source as committee-facing text: each seed document named by its title instead of its
 * file name ("000_d976d86ac1f892b7.txt §二(二)" → "《曲靖市…（试行）》§二(二)" /
 * "Qujing 2019 §二(二)"), bare seed numbers before a clause ("000 §三") likewise.
 */
export function sourceInWords(source: string, lang: Lang, idx: SeedIndex = seedIndex()): string {
  const name = (f: string) => documentName(f, lang, idx);
  const out = source
    .replace(/(?:\.\.\/shared\/)?domain\.md/g, lang === "zh" ? "项目领域资料" : "the project's domain notes")
    .replace(/\b(?:scenarios\/)?([a-z0-9-]+)\.yaml\b/g, (m, n: string) => {
      const t = scenarioTitles().get(n);
      return t ? (lang === "zh" ? `「${t.zh}」` : `“${t.en}”`) : m;
    })
    .replace(/\b(\d{3}_[0-9a-f]{16}\.txt)\s*/g, (_m, f: string) => (lang === "zh" ? name(f) : `${name(f)} `))
    .replace(/(^|[^0-9A-Za-z_.])(00\d)\s+(?=§|item|附件|台账)/g, (m, pre: string, n: string) => (idx.documents.some((d) => d.file.startsWith(`${n}_`)) ? `${pre}${lang === "zh" ? name(n) : `${name(n)} `}` : m));
  // the index's English clause words, in Chinese: "item 10" → "第10项", "Annex 1" → "附件1"
  return lang === "zh" ? out.replace(/\bitems? (\d+)(?:[–-](\d+))?/g, (_m, a: string, b?: string) => (b ? `第${a}–${b}项` : `第${a}项`)).replace(/\bAnnex (\d+)/g, "附件$1") : out;
}

let titles: Map<string, { zh: string; en: string }> | undefined;
/** The shipped scenarios' titles by name, for sources and notes that name a scenario file. */
function scenarioTitles(): Map<string, { zh: string; en: string }> {
  if (titles) return titles;
  titles = new Map();
  const dir = join(PACKAGE_ROOT, "scenarios");
  for (const f of existsSync(dir) ? readdirSync(dir) : []) {
    if (!f.endsWith(".yaml")) continue;
    const t = (parseYaml(readFileSync(join(dir, f), "utf8")) as { title?: { zh?: unknown; en?: unknown } } | null)?.title;
    if (typeof t?.zh === "string" && typeof t.en === "string") titles.set(f.slice(0, -5), { zh: t.zh, en: t.en });
  }
  return titles;
}

/** One dated change of a scenario in plain words. */
export interface ChangeInWords {
  from: string;
  /** each lever set, with its value before → after and the month ("乡镇卫生院住院报销比例 85% → 90%，2019年1月起") */
  changes: string[];
  source: string;
  note?: string;
  where: string;
}

/**
 * The scenario's dated changes in time order, each lever in words with the value in force
 * just before the change (the starting policy with the earlier changes applied) and after it.
 */
export function timelineInWords(s: Scenario, lang: Lang): ChangeInWords[] {
  let policy: unknown = s.basePolicy;
  const names = Object.fromEntries(s.county.communities.map((c) => [c.id, c.name]));
  const get = (p: string) => p.split(".").reduce<unknown>((t, k) => (t !== null && typeof t === "object" ? (t as Record<string, unknown>)[k] : undefined), policy);
  // s.timeline is in date order (loadScenario sorts it), as the engine applies it
  return s.timeline.map((e) => {
    const leaves = setLeaves(e.set);
    const changes = leaves.map(([p, v]) => leverChange(p, get(p), v, e.from, lang, names));
    for (const [p, v] of leaves) policy = setPath(policy, p, v);
    return { from: formatYearMonth(e.from), changes, source: e.source, ...(e.note ? { note: e.note } : {}), where: e.label ?? e.file };
  });
}

/**
 * Every raw source and note text the briefing's sources section shows for a scenario (its
 * starting policy's sources, its timeline's sources and notes), before any rewriting —
 * the keys data/briefing-zh.yaml translates. The indicator targets'
 * texts are their `target.source`/`target.note` (sim/study/comparison.ts ORDERED).
 */
export function scenarioTexts(s: Scenario): string[] {
  return [...policySources(s.basePolicy).map((l) => l.source), ...s.timeline.flatMap((e) => [e.source, ...(e.note ? [e.note] : [])])];
}

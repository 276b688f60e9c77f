/**
 * Assumptions and sources for the briefing: every `source:` a scenario carries (the
 * levers of its starting policy, each dated change of its timeline), the targets'
 * sources, and the verbatim seed clauses they cite (data/seed-clauses.md).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PACKAGE_ROOT } from "../manifest";
import { parseCitations } from "../scenario/citations";
import type { Scenario } from "../scenario/load";
import { formatYearMonth } from "../scenario/load";

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
  title: string;
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
  for (const line of text.split("\n")) {
    const doc = /^### (\d{3}_[0-9a-f]{16}\.txt) — (.+)$/.exec(line);
    if (doc) documents.push({ file: doc[1], title: doc[2].trim() });
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

/**
 * Seed citations in `source:` fields, checked against the clause index.
 *
 * A citation names one of the five seed documents — by file name
 * (`000_d976d86ac1f892b7.txt §二(二)`) or by its three-digit number (`001 §三`) — and
 * the clauses after it, written as data/seed-clauses.md writes them:
 *
 *   §二(二)            part 二、, sub-heading （二） (000, 003, 004; 001 and 002 parts)
 *   §二(三)(四)        two sub-headings of one part: §二(三) and §二(四)
 *   §9                 002's numbered items 1–32 (numbered across its sub-headings)
 *   item 10 (§六(四))  001's numbered items 1–19, optionally with the sub-heading they sit in
 *   items 6–10         a range of items
 *   台账二(五)          003's attached ledger, row 二、 task (五)
 *   附件1 / Annex 1     an annex
 *
 * and several clauses of one document may follow one another: `§二(三)(四), §三(一)`.
 * A document named without a clause cites the document as a whole.
 *
 * The index is section D of data/seed-clauses.md: for each seed the clauses it has (read
 * from the seeds' headings). The loader rejects a citation of a clause the index does
 * not have — a wrong section, an item placed under the wrong sub-heading, a document that
 * is not a seed — naming the file, the field, the clause and what the index has for that
 * seed (sim/scenario/load.ts).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PACKAGE_ROOT } from "../manifest";

export interface SeedCitation {
  /** the seed's file name, e.g. 000_d976d86ac1f892b7.txt */
  file: string;
  /** the clause in canonical form (§二(二), item 12, 台账二(五), 附件1), or "" for the whole document */
  clause: string;
  /** for 001's items: the sub-heading written with it, e.g. §六(五) ("" when none) */
  within: string;
  /** the citation as written (document and clause), for messages */
  text: string;
}

const NUM = "[一二三四五六七八九十]+";
const SUB = `[(（]${NUM}[)）]`;
const FILE_NAME = /(\d{3})_[0-9a-f]{16}\.txt/y;
/** a bare seed number followed by a clause: `001 §三` */
const SHORT = /(\d{3})(?=\s+(?:§|items?\s|台账|附件|Annex\s))/y;
const SECTION = new RegExp(`§(${NUM}|\\d+)((?:${SUB})*)`, "y");
const ITEM = new RegExp(`items?\\s+(\\d+)(?:\\s*[–-]\\s*(\\d+))?(?:\\s*[(（](§${NUM}${SUB})[)）])?`, "y");
const LEDGER = new RegExp(`台账(${NUM})((?:${SUB})*)`, "y");
const ANNEX = new RegExp(`(?:附件\\s*|Annex\\s+)(\\d+|${NUM})?`, "y");
/** a range's second end: `–§三`, `–(六)` */
const RANGE_END = new RegExp(`\\s*[–-]\\s*(?:§(${NUM}|\\d+))?((?:${SUB})*)`, "y");
/** between two clauses of one document */
const SEPARATOR = /\s*(?:,|，|、|\/|and)\s*/y;

const ascii = (sub: string) => sub.replace(/（/g, "(").replace(/）/g, ")");
const subs = (s: string) => (s ? [...ascii(s).matchAll(/\([^)]+\)/g)].map((m) => m[0]) : []);

function at(re: RegExp, text: string, pos: number): RegExpExecArray | null {
  re.lastIndex = pos;
  return re.exec(text);
}

/** The clauses of one token at `pos` (none: not a clause), and where it ends. */
function clauseAt(text: string, pos: number): { clauses: { clause: string; within: string }[]; end: number } | null {
  let m = at(SECTION, text, pos);
  if (m) {
    const part = m[1];
    const parts = subs(m[2]);
    const clauses = parts.length ? parts.map((s) => ({ clause: `§${part}${s}`, within: "" })) : [{ clause: `§${part}`, within: "" }];
    let end = pos + m[0].length;
    const r = at(RANGE_END, text, end);
    if (r && (r[1] || r[2])) {
      // a range: both ends are checked
      const endSubs = subs(r[2]);
      const endPart = r[1] ?? part;
      if (endSubs.length) for (const s of endSubs) clauses.push({ clause: `§${endPart}${s}`, within: "" });
      else clauses.push({ clause: `§${endPart}`, within: "" });
      end += r[0].length;
    }
    return { clauses, end };
  }
  m = at(ITEM, text, pos);
  if (m) {
    const from = Number(m[1]);
    const to = m[2] ? Number(m[2]) : from;
    const within = m[3] ? ascii(m[3]) : "";
    const clauses: { clause: string; within: string }[] = [];
    for (let k = from; k <= Math.max(from, Math.min(to, from + 100)); k++) clauses.push({ clause: `item ${k}`, within });
    return { clauses, end: pos + m[0].length };
  }
  m = at(LEDGER, text, pos);
  if (m) {
    const parts = subs(m[2]);
    const clauses = parts.length ? parts.map((s) => ({ clause: `台账${m![1]}${s}`, within: "" })) : [{ clause: `台账${m[1]}`, within: "" }];
    return { clauses, end: pos + m[0].length };
  }
  m = at(ANNEX, text, pos);
  if (m) return { clauses: [{ clause: `附件${m[1] ?? ""}`, within: "" }], end: pos + m[0].length };
  return null;
}

/**
 * Every seed citation in a text. `seeds` maps a three-digit number to the seed's file name
 * (from the index); a bare number is read as a citation only when it names a seed.
 */
export function parseCitations(text: string, seeds: ReadonlyMap<string, string> = seedNumbers()): SeedCitation[] {
  const out: SeedCitation[] = [];
  for (let pos = 0; pos < text.length; pos++) {
    // a document: its file name, or a bare seed number followed by a clause
    let file = "";
    let m = at(FILE_NAME, text, pos);
    if (m && (pos === 0 || !/[0-9A-Za-z_]/.test(text[pos - 1]))) file = m[0];
    else {
      m = at(SHORT, text, pos);
      if (!m || (pos > 0 && /[0-9A-Za-z_.]/.test(text[pos - 1])) || !seeds.has(m[1])) continue;
      file = seeds.get(m[1])!;
    }
    const start = pos;
    let end = pos + m[0].length;
    const found: { clause: string; within: string; end: number }[] = [];
    let next = end;
    for (;;) {
      const ws = /\s*/y;
      ws.lastIndex = next;
      ws.exec(text);
      const c = clauseAt(text, ws.lastIndex);
      if (!c) break;
      for (const x of c.clauses) found.push({ ...x, end: c.end });
      end = c.end;
      const sep = at(SEPARATOR, text, end);
      if (!sep) break;
      // a separator continues the list only when a clause follows it
      if (!clauseAt(text, end + sep[0].length)) break;
      next = end + sep[0].length;
    }
    const written = text.slice(start, end).trim();
    if (found.length === 0) out.push({ file, clause: "", within: "", text: written });
    else for (const f of found) out.push({ file, clause: f.clause, within: f.within, text: written });
    pos = end - 1;
  }
  return out;
}

/** The clause index: for each seed file, its clauses (and, for 001's items, the sub-heading each sits in). */
export interface ClauseIndex {
  /** seed file → clause → the sub-heading it sits in ("" when none is recorded) */
  seeds: Map<string, Map<string, string>>;
  /** where it was read from, for messages */
  file: string;
}

let cached: ClauseIndex | undefined;
/** data/seed-clauses.md of this package (computed when first needed: sim/manifest.ts imports the loader) */
const indexFile = () => join(PACKAGE_ROOT, "data/seed-clauses.md");

/**
 * Section D of data/seed-clauses.md: one line per seed,
 * "- `<file>`: <clause>, <clause>, …" in the citation syntax above.
 */
export function clauseIndex(path = indexFile()): ClauseIndex {
  const own = path === indexFile();
  if (cached && own) return cached;
  const text = readFileSync(path, "utf8");
  const section = text.split(/^## /m).find((s) => s.startsWith("D. "));
  if (!section) throw new Error(`${path}: no section "## D. …" (the clause list the loader checks citations against)`);
  const seeds = new Map<string, Map<string, string>>();
  for (const line of section.split("\n")) {
    const m = /^- `(\d{3}_[0-9a-f]{16}\.txt)`: (.+)$/.exec(line);
    if (!m) continue;
    const clauses = new Map<string, string>();
    for (const c of parseCitations(`${m[1]} ${m[2]}`, new Map())) if (c.clause) clauses.set(c.clause, c.within);
    seeds.set(m[1], clauses);
  }
  const idx = { seeds, file: "data/seed-clauses.md" };
  if (own) cached = idx;
  return idx;
}

/** Three-digit number → seed file name, from the index. */
export function seedNumbers(idx: ClauseIndex = clauseIndex()): Map<string, string> {
  return new Map([...idx.seeds.keys()].map((f) => [f.slice(0, 3), f]));
}

/** What the index has near a clause: the clauses of the same kind and part, or all of the seed's. */
function nearby(clauses: Map<string, string>, clause: string): string {
  const all = [...clauses.keys()];
  const kind = clause.startsWith("item") ? "item" : clause.startsWith("台账") ? "台账" : clause.startsWith("附件") ? "附件" : "§";
  const part = /^(§[^(]+|台账[^(]+)/.exec(clause)?.[1];
  let near = part ? all.filter((c) => c === part || c.startsWith(`${part}(`)) : [];
  if (near.length === 0) near = all.filter((c) => c.startsWith(kind));
  if (near.length === 0) near = all;
  return near.map((c) => (clauses.get(c) ? `${c} (${clauses.get(c)})` : c)).join(", ");
}

/** Problems with the seed citations of one source text at `where` (e.g. `scenarios/x.yaml: timeline[0].source`). */
export function citationProblems(source: string, where: string, idx: ClauseIndex = clauseIndex()): string[] {
  const problems: string[] = [];
  for (const c of parseCitations(source, seedNumbers(idx))) {
    const clauses = idx.seeds.get(c.file);
    const cited = `${c.text}`;
    if (!clauses) {
      problems.push(`${where}: cites ${c.file}, which is not a seed document in ${idx.file} (seeds: ${[...idx.seeds.keys()].join(", ")})`);
      continue;
    }
    if (!c.clause) continue;
    if (!clauses.has(c.clause)) {
      problems.push(`${where}: "${cited}" cites ${c.clause} of ${c.file}, which is not in the clause index (${idx.file} §D); it has for ${c.file}: ${nearby(clauses, c.clause)}`);
      continue;
    }
    const sits = clauses.get(c.clause)!;
    if (c.within && sits && c.within !== sits)
      problems.push(`${where}: "${cited}" places ${c.clause} of ${c.file} under ${c.within}, but the index (${idx.file} §D) has it under ${sits}`);
  }
  return problems;
}

/**
 * Check every `source:` string in a raw YAML tree (a scenario, parameter or county file)
 * and name each by its field path: `policy.insurance.resident.source`, `timeline[2].source`,
 * `choice.quality.source`, `demographics.income.source`.
 */
export function sourceCitationProblems(tree: unknown, file: string, idx?: ClauseIndex): string[] {
  const index = idx ?? clauseIndex();
  const problems: string[] = [];
  const walk = (node: unknown, path: string) => {
    if (Array.isArray(node)) node.forEach((v, i) => walk(v, `${path}[${i}]`));
    else if (node !== null && typeof node === "object") {
      for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
        const p = path ? `${path}.${k}` : k;
        if (k === "source" && typeof v === "string") problems.push(...citationProblems(v, `${file}: ${p}`, index));
        else walk(v, p);
      }
    }
  };
  walk(tree, "");
  return problems;
}

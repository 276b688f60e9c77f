/**
 * The briefing as one self-contained HTML file: inline CSS (A4 print rules), charts as
 * inline SVG (text stays text in the PDF; ids prefixed per chart), no script and no
 * external URL, so it opens offline and prints the same as the PDF.
 *
 * Order: page 1 — title, run, summary table of targets met/missed, key findings (the
 * charts' titles, the benefits verdict and the financial-protection line); the siphon-risk
 * verdict; benefits (待遇不降低) and financial protection; the charts; assumptions and sources
 * (levers, timeline, targets, seed clauses quoted); appendix of every indicator;
 * provenance (model version, commit, seed, scenario hashes).
 */
import type { Chart } from "../charts/chart";
import { pick, type Lang } from "../charts/labels";
import { valueText } from "../charts/format";
import { FONT_STACK, escapeHtml } from "../charts/style";
import { EFFECT_INDICATORS, KEY_INDICATORS, ORDERED } from "../study/comparison";
import { formatPoints, formatTarget, formatValue } from "../study/format";
import type { IndicatorSummary, ScenarioSummary } from "../study/summary";
import type { GitState } from "../manifest";
import { loadScenario, type Scenario } from "../scenario/load";
import { protectionSection, type ProtectionSection } from "./protection";
import { LEVEL, type SiphonRow, type SiphonSection } from "./siphon";
import { citedClauses, documentName, policySources, sourceInWords, timelineInWords } from "./sources";
import { groupName } from "../scenario/lever-labels";
import { t, type TextKey } from "./text";
import { translated } from "./translate";
import type { CompareEntryLike } from "./types";

export interface BriefFigure {
  chart: Chart;
  svg: string;
  /** file stem under charts/ */
  file: string;
}

export interface BriefDocument {
  lang: Lang;
  entries: CompareEntryLike[];
  scenarios: Scenario[];
  figures: BriefFigure[];
  siphon: SiphonSection;
  /** benefits verdict and financial protection (computed from the entries when not given) */
  protection?: ProtectionSection;
  notes: TextKey[];
  /** the answer across runs (sim/study/summary.ts), scenario by scenario as `entries`; absent or one run: the single run's values */
  answer?: { summaries: ScenarioSummary[]; seeds: number[]; parameterDraws: boolean; baselineOwn: boolean[] };
  modelVersion: string;
  git: GitState;
  command: string;
}

const e = escapeHtml;
const QUOTES_PER_CLAUSE = 3;

const mark = (met: boolean | null) => (met === null ? "" : met ? " ✓" : " ×");
const cls = (met: boolean | null) => (met === null ? "na" : met ? "met" : "missed");

/** Several runs: the answer has bands and probabilities. */
const ensemble = (doc: BriefDocument) => (doc.answer?.seeds.length ?? 1) > 1;

/** A median and its band in the briefing's language: "63.6%", "(62.1–64.5%)"; money in 万/亿 in Chinese. */
function bandCell(unit: Parameters<typeof valueText>[0], b: IndicatorSummary["band"], lang: Lang): { mid: string; band: string } {
  const v = (x: number | null) => valueText(unit, x, lang);
  if (b.median === null) return { mid: "—", band: "" };
  return { mid: v(b.median), band: b.n > 1 ? `${v(b.lo)} – ${v(b.hi)}` : "" };
}

/** An effect in the briefing's language: "+12.4 (+12.2 to +12.7) pts" or its "not distinguishable from zero". */
function effectCell(unit: Parameters<typeof valueText>[0], x: IndicatorSummary["effect"], lang: Lang): { text: string; nd: boolean } {
  if (!x || x.median === null) return { text: "—", nd: false };
  const points = unit === "share" || unit === "growth";
  const f = (v: number | null) => (points ? formatPoints(v, { suffix: "", minus: "−" }) : `${v !== null && v > 0 ? "+" : ""}${valueText(unit, v, lang)}`);
  const band = x.n > 1 ? (lang === "zh" ? `（${f(x.lo)} 至 ${f(x.hi)}）` : ` (${f(x.lo)} to ${f(x.hi)})`) : "";
  return { text: `${f(x.median)}${band}`, nd: x.n > 1 && x.distinguishableFromZero === false };
}

function answerTable(doc: BriefDocument): string {
  const { lang, entries } = doc;
  const answer = doc.answer!;
  const keys = KEY_INDICATORS.map((id) => ORDERED.find((d) => d.id === id)!).filter(Boolean);
  const head = `<tr><th>${t("scenarioCol", lang)}</th>${keys.map((d) => `<th>${e(pick(d.label, lang))}<br><span class="tgt">${e(t("target", lang))} ${e(targetText(d, lang))}</span></th>`).join("")}<th>${t("siphonRiskCol", lang)}</th></tr>`;
  const rows = entries.map((en, i) => {
    const s = answer.summaries[i];
    const cells = keys.map((d) => {
      const x = s.indicators[d.id];
      if (!x) return `<td class="num na">—</td>`;
      const c = bandCell(d.unit, x.band, lang);
      const p = x.target?.probability ?? null;
      const klass = p === null ? "na" : p >= 0.9 ? "met" : p <= 0.1 ? "missed" : "uncertain";
      return `<td class="num ${klass}">${e(c.mid)}${c.band ? `<div class="band">${e(c.band)}</div>` : ""}${p === null ? "" : `<div class="chance">${e(t("chanceMet", lang, { p: `${Math.round(p * 100)}%` }))}</div>`}</td>`;
    });
    const own = answer.baselineOwn[i];
    const siphon = `${LEVEL[s.siphon.level][lang]} (${Math.round(s.siphon.probability * 100)}%)${own ? `<div class="sub">${e(lang === "zh" ? "对照：" : "against ")}${e(t("ownFirstYear", lang))}</div>` : ""}`;
    return `<tr><th scope="row">${e(pick(en.title, lang))}<div class="sub">${e(en.name)}</div></th>${cells.join("")}<td class="num">${siphon}</td></tr>`;
  });
  return `<table class="summary-table"><thead>${head}</thead><tbody>${rows.join("")}</tbody></table>`;
}

/** The reforms' paired effects against their baselines, with bands; "not distinguishable from zero" said in words. */
function effectsTable(doc: BriefDocument): string {
  const { lang, entries } = doc;
  const answer = doc.answer!;
  const ids = EFFECT_INDICATORS.map((id) => ORDERED.find((d) => d.id === id)!).filter(Boolean);
  const reforms = entries.map((en, i) => ({ en, i })).filter(({ i }) => !answer.baselineOwn[i]);
  if (!reforms.length) return "";
  const bases = new Set(reforms.map(({ i }) => answer.summaries[i].baseline));
  const oneBase = bases.size === 1 ? [...bases][0] : null;
  const unitOf = (d: (typeof ids)[number]) => (d.unit === "share" || d.unit === "growth" ? t("pointsUnit", lang) : "");
  const head = `<tr><th>${t("scenarioCol", lang)}</th>${oneBase ? "" : `<th>${t("againstCol", lang)}</th>`}${ids.map((d) => `<th>Δ ${e(pick(d.label, lang))}${e(unitOf(d))}</th>`).join("")}</tr>`;
  const titleOf = (name: string) => {
    const x = doc.entries.find((y) => y.name === name);
    return x ? pick(x.title, lang) : name;
  };
  const rows = reforms.map(({ en, i }) => {
    const s = answer.summaries[i];
    const cells = ids.map((d) => {
      const c = effectCell(d.unit, s.indicators[d.id]?.effect ?? null, lang);
      return `<td class="num${c.nd ? " na" : ""}">${e(c.text)}${c.nd ? `<div class="sub">${e(t("notDistinguishable", lang))}</div>` : ""}</td>`;
    });
    return `<tr><th scope="row">${e(pick(en.title, lang))}<div class="sub">${e(en.name)}</div></th>${oneBase ? "" : `<td>${e(titleOf(s.baseline))}</td>`}${cells.join("")}</tr>`;
  });
  return `<h3>${t("effects", lang)}${oneBase ? e(t("effectsAgainst", lang, { name: titleOf(oneBase) })) : ""}</h3><table class="summary-table effects"><thead>${head}</thead><tbody>${rows.join("")}</tbody></table><p class="small">${e(t("effectsNote", lang))}</p>`;
}

function summaryTable(doc: BriefDocument): string {
  if (ensemble(doc)) return answerTable(doc);
  const { lang, entries } = doc;
  const keys = KEY_INDICATORS.map((id) => ORDERED.find((d) => d.id === id)!).filter(Boolean);
  const targeted = ORDERED.filter((d) => d.target);
  const head = `<tr><th>${t("scenarioCol", lang)}</th>${keys.map((d) => `<th>${e(pick(d.label, lang))}<br><span class="tgt">${e(t("target", lang))} ${e(targetText(d, lang))}</span></th>`).join("")}<th>${t("targetsMet", lang)}<br><span class="tgt">${t("allTargets", lang)}</span></th></tr>`;
  const rows = entries.map((en) => {
    const cells = keys.map((d) => {
      const v = en.indicators[d.id];
      return `<td class="num ${cls(v?.met ?? null)}">${e(v ? (v.value === null ? "—" : formatValue(d.unit, v.value)) : "—")}${mark(v?.met ?? null)}</td>`;
    });
    const met = targeted.filter((d) => en.indicators[d.id]?.met === true).length;
    return `<tr><th scope="row">${e(pick(en.title, lang))}<div class="sub">${e(en.name)}</div></th>${cells.join("")}<td class="num">${met}/${targeted.length}</td></tr>`;
  });
  return `<table class="summary-table"><thead>${head}</thead><tbody>${rows.join("")}</tbody></table>`;
}

/**
 * Page 1's key findings: each chart's title (they state the finding), then the siphon
 * verdict — with many scenarios only its high/moderate lines and the largest siphon, and
 * without the yearly siphon-indicator charts it already summarises, so page 1 stays one page.
 */
function findings(doc: BriefDocument): string[] {
  const compact = doc.entries.length > 5;
  const siphonCharts = new Set(["trajectory-patientSiphonShare", "trajectory-primaryDoctorsPer10k"]);
  // several runs: the targets are said from all of them (as the summary table gives them);
  // the charts draw one run (seed 1), so what their titles find is said as seed 1's
  const many = ensemble(doc);
  const targetCharts = new Set(["scenarios-vs-targets", "trajectory-primaryVisitShare", "trajectory-withinCountyVisitRate"]);
  // "…（种子 1 的一次模拟）。": the label inside the sentence's full stop
  const seedOne = (x: string) => {
    if (!many) return x;
    const stop = /[。.]$/.exec(x)?.[0] ?? "";
    return t("seedOneFinding", doc.lang, { finding: stop ? x.slice(0, -1) : x, seed: doc.entries[0]?.seed ?? 1 }) + stop;
  };
  const charts = doc.figures
    .filter((f) => !(compact && doc.siphon.modelled && siphonCharts.has(f.chart.name)) && !(many && targetCharts.has(f.chart.name)))
    .map((f) => seedOne(f.chart.title));
  if (many) charts.unshift(...targetFindings(doc));
  // the benefits verdict (待遇不降低) and the financial-protection line, short (one run's)
  const protection = protectionOf(doc).summary.map(seedOne);
  if (!doc.siphon.modelled) return [...charts, t("siphonAbsentShort", doc.lang), ...protection];
  const levelLine = /^(High|Moderate|Low) siphon risk|^虹吸风险[高中低]：/;
  const low = doc.siphon.rows.some((r) => r.level === "low") ? doc.siphon.sentences.find((x) => /^Low siphon risk|^虹吸风险低/.test(x)) : undefined;
  // several runs: the levels as page 1's table gives them (the level most runs reach, its chance); the rest is seed 1's
  const siphon = many
    ? [...siphonLevelFindings(doc, compact), ...doc.siphon.sentences.filter((x) => !levelLine.test(x)).map(seedOne)]
    : doc.siphon.sentences.filter((x) => !(compact && x === low));
  return [...charts, ...siphon, ...protection];
}

const percent = (p: number) => `${Math.round(p * 100)}%`;
/** "Name (75%)" / "名称（75%）": a scenario with the share of runs behind what is said of it. */
const withShare = (title: string, p: number, lang: Lang) => (lang === "zh" ? `${title}（${percent(p)}）` : `${title} (${percent(p)})`);
const nameList = (names: readonly string[], lang: Lang) => names.join(lang === "zh" ? "、" : "; ");

/** The siphon levels across runs: the scenarios at each level most of their runs reach, with that level's share (low left out when compact). */
function siphonLevelFindings(doc: BriefDocument, compact: boolean): string[] {
  const { lang, entries } = doc;
  const answer = doc.answer!;
  const runs = answer.seeds.length;
  return (["high", "moderate", "low"] as const).flatMap((level) => {
    if (level === "low" && compact) return [];
    const at = entries.map((en, i) => ({ title: pick(en.title, lang), s: answer.summaries[i].siphon })).filter((x) => x.s.level === level);
    if (!at.length) return [];
    return [t("siphonLevelFinding", lang, { level: LEVEL[level][lang], runs, names: nameList(at.map((x) => withShare(x.title, x.s.probability, lang)), lang) })];
  });
}

/**
 * The target findings across runs: for each key target, the scenarios meeting it in at
 * least half of the runs (with their chance), or, when none does, the closest by median.
 */
function targetFindings(doc: BriefDocument): string[] {
  const { lang, entries } = doc;
  const answer = doc.answer!;
  const runs = answer.seeds.length;
  const year = entries[0]?.year ?? "";
  return KEY_INDICATORS.flatMap((id) => {
    const d = ORDERED.find((x) => x.id === id);
    if (!d?.target) return [];
    const rows = entries.map((en, i) => ({ title: pick(en.title, lang), s: answer.summaries[i].indicators[id] })).filter((r) => r.s?.target?.probability !== null && r.s?.target?.probability !== undefined);
    if (!rows.length) return [];
    const what = { indicator: pick(d.label, lang), target: targetText(d, lang), year, runs, n: rows.length };
    const met = rows.filter((r) => r.s.target!.probability! >= 0.5).sort((a, b) => b.s.target!.probability! - a.s.target!.probability!);
    if (met.length) {
      const more = met.length > 3 ? t("andMore", lang, { k: met.length - 3 }) : "";
      return [t("targetFindingMet", lang, { ...what, k: met.length, names: nameList(met.slice(0, 3).map((r) => withShare(r.title, r.s.target!.probability!, lang)), lang) + more })];
    }
    const closest = rows.reduce((a, b) => ((b.s.band.median ?? -Infinity) > (a.s.band.median ?? -Infinity) ? b : a));
    return [t("targetFindingNone", lang, { ...what, name: closest.title, median: valueText(d.unit, closest.s.band.median, lang), chance: percent(closest.s.target!.probability!) })];
  });
}

const protectionOf = (doc: BriefDocument): ProtectionSection => doc.protection ?? protectionSection(doc.entries, doc.lang);

function protectionHtml(doc: BriefDocument): string {
  const { lang } = doc;
  const p = protectionOf(doc);
  if (!p.modelled) return `<p class="verdict none">${e(t("protectionAbsent", lang))}</p>`;
  const head = `<tr><th>${t("scenarioCol", lang)}</th>${p.columns.map((c) => `<th>${e(c.label)}</th>`).join("")}</tr>`;
  const rows = p.rows.map(
    (r) => `<tr><th scope="row">${e(r.scenario)}</th>${p.columns.map((c) => `<td class="num ${c.id === "benefits" ? (r.notLower === null ? "na" : r.notLower ? "met" : "missed") : ""}">${e(r.cells[c.id] ?? "—")}</td>`).join("")}</tr>`,
  );
  return `<ul class="verdict">${p.sentences.map((x) => `<li>${e(x)}</li>`).join("")}</ul><table class="siphon">${head}${rows.join("")}</table>${p.notes.map((x) => `<p class="small">${e(x)}</p>`).join("")}`;
}

function runFacts(doc: BriefDocument): string {
  const { lang, entries } = doc;
  const e0 = entries[0];
  const same = <K extends keyof CompareEntryLike>(k: K) => entries.every((x) => x[k] === e0[k]);
  const facts: [string, string][] = [
    [t("modelVersion", lang), `${doc.modelVersion}`],
    [t("commit", lang), doc.git.commit ? `${doc.git.commit.slice(0, 12)}${doc.git.dirty ? t("dirty", lang) : ""}` : "—"],
    [
      t("seed", lang),
      ensemble(doc)
        ? t("seedsValue", lang, { first: doc.answer!.seeds[0], last: doc.answer!.seeds[doc.answer!.seeds.length - 1], runs: doc.answer!.seeds.length, draws: doc.answer!.parameterDraws ? t("drawsShort", lang) : "" })
        : same("seed") ? String(e0.seed) : entries.map((x) => x.seed).join(", "),
    ],
    [t("years", lang), same("years") ? `${e0.years} (→ ${e0.year})` : entries.map((x) => `${x.years} (→ ${x.year})`).join(", ")],
    [t("scale", lang), same("scale") ? String(e0.scale) : entries.map((x) => x.scale).join(", ")],
    [t("residents", lang), same("residents") ? e0.residents.toLocaleString("en-US") : `${Math.min(...entries.map((x) => x.residents)).toLocaleString("en-US")}–${Math.max(...entries.map((x) => x.residents)).toLocaleString("en-US")}`],
  ];
  return `<dl class="facts">${facts.map(([k, v]) => `<div><dt>${e(k)}</dt><dd>${e(v)}</dd></div>`).join("")}</dl>`;
}

function figures(doc: BriefDocument): string {
  return doc.figures
    .map((f, i) => {
      return `<figure id="fig-${e(f.file)}">${inlineSvg(f.svg, `c${i + 1}-`, f.chart.title)}<figcaption><b>${t("figure", doc.lang)} ${i + 1}.</b> ${e(f.chart.subtitle)} <span class="files">charts/${e(f.file)}.{png,svg,csv}</span></figcaption></figure>`;
    })
    .join("\n");
}

/**
 * A chart's SVG as markup inside the page, not an <img>: Chromium prints the text of an
 * SVG image without its characters (only glyphs, which the PDF's ToUnicode map then names
 * by the first code point sharing each glyph — 目 as the Kangxi radical ⽬), while inline
 * SVG text is printed as text and stays searchable and copyable. Ids (clip paths,
 * gradients) get a per-chart prefix so charts cannot clash; the namespaced provenance
 * metadata stays in the chart files (charts/<name>.svg, .json).
 */
export function inlineSvg(svg: string, idPrefix: string, label: string): string {
  return svg
    .replace(/^<\?xml[^>]*>\s*/, "")
    .replace(/<metadata>[\s\S]*?<\/metadata>/g, "")
    .replace(/\sxmlns(?::\w+)?="[^"]*"/g, "")
    .replace(/\bid="([^"]+)"/g, `id="${idPrefix}$1"`)
    .replace(/url\(#([^)]+)\)/g, `url(#${idPrefix}$1)`)
    .replace(/(\b(?:xlink:)?href)="#([^"]+)"/g, `$1="#${idPrefix}$2"`)
    .replace(/^<svg\b/, `<svg role="img" aria-label="${e(label)}"`);
}

function siphonHtml(doc: BriefDocument): string {
  const { lang, siphon } = doc;
  if (!siphon.modelled) return `<p class="verdict none">${e(t("siphonAbsent", lang))}</p>`;
  const head = `<tr><th>${t("scenarioCol", lang)}</th>${siphon.columns.map((c) => `<th>${e(c.label)}</th>`).join("")}</tr>`;
  const levelClass = (r: SiphonRow) => (r.level === "high" ? "missed" : r.level === "moderate" ? "warn" : r.level === "low" ? "met" : "");
  const rows = siphon.rows.map(
    (r) => `<tr><th scope="row">${e(r.scenario)}</th>${siphon.columns.map((c) => `<td class="${c.id === "against" ? "" : "num"} ${c.id === "level" ? levelClass(r) : ""}">${e(r.cells[c.id] ?? "—")}</td>`).join("")}</tr>`,
  );
  const missing = siphon.missing.length ? `<p class="small">${e(t("siphonMissingSome", lang, { ids: siphon.missing.join(", ") }))}</p>` : "";
  return `<ul class="verdict">${siphon.sentences.map((x) => `<li>${e(x)}</li>`).join("")}</ul><table class="siphon">${head}${rows.join("")}</table><p class="small">${e(siphon.rule)}</p>${missing}`;
}

/** A scenario named by its title: one of the briefing's scenarios, else the file's scenario (loaded), else the file's name. */
function scenarioTitle(file: string, doc: BriefDocument, lang: Lang): string {
  const s = doc.scenarios.find((x) => x.file === file);
  if (s) return pick(s.title, lang);
  try {
    return pick(loadScenario(file).title, lang);
  } catch {
    return file.replace(/^.*\//, "").replace(/\.ya?ml$/, "");
  }
}

/** A target as the briefing shows it: "≥ 65%"; zh says "~75%（±5个百分点）" for "~75% (±5 pts)". */
function targetText(d: (typeof ORDERED)[number], lang: Lang): string {
  const text = formatTarget(d).replace(">=", "≥");
  return lang === "zh" ? text.replace(/ \(±(\d+) pts\)/, "（±$1个百分点）") : text;
}

function assumptionsSection(doc: BriefDocument): string {
  const { lang } = doc;
  const parts: string[] = [`<p>${e(t("assumptionsLead", lang))}</p>`, `<h3>${t("levers", lang)}</h3>`];
  const allSources: string[] = [];
  const roots = new Set<string>();
  // committee-facing: levers in words, documents by title, scenarios by title — no file names or dotted paths
  // zh: the raw English text translated first (data/briefing-zh.yaml), so the table's keys are the files' own texts
  const src = (x: string) => e(sourceInWords(translated(x, lang), lang));
  for (const s of doc.scenarios) {
    const root = s.chain[0];
    if (!roots.has(root)) {
      roots.add(root);
      const levers = policySources(s.basePolicy);
      allSources.push(...levers.map((l) => l.source));
      parts.push(
        `<h4>${e(t("baseLevers", lang, { file: scenarioTitle(root, doc, lang) }))}</h4><table class="sources"><tr><th>${t("lever", lang)}</th><th>${t("source", lang)}</th></tr>${levers.map((l) => `<tr><td>${e(groupName(l.path, lang))}</td><td>${src(l.source)}</td></tr>`).join("")}</table>`,
      );
    }
  }
  // Dated changes: each written entry once; a scenario that inherits entries already
  // listed (its parent's) names the scenarios they come from instead of repeating them.
  const listed = new Set<string>();
  for (const s of doc.scenarios) {
    const changes = timelineInWords(s, lang);
    allSources.push(...changes.map((c) => c.source));
    const fresh = changes.filter((c) => !listed.has(c.where));
    const inheritedFrom = [...new Set(changes.filter((c) => listed.has(c.where)).map((c) => c.where.replace(/: timeline\[\d+\]$/, "")))];
    fresh.forEach((c) => listed.add(c.where));
    if (!changes.length) continue;
    const inherited = inheritedFrom.length ? `<p class="small">${e(t("inherits", lang, { files: inheritedFrom.map((f) => scenarioTitle(f, doc, lang)).join(lang === "zh" ? "、" : ", ") }))}</p>` : "";
    const table = fresh.length
      ? `<table class="sources timeline"><colgroup><col class="c-set"><col class="c-src"></colgroup><tr><th>${t("changes", lang)}</th><th>${t("source", lang)}</th></tr>${fresh
          .map((c) => `<tr><td>${c.changes.map((x) => `<div class="change">${e(x)}</div>`).join("")}${c.note ? `<div class="sub">${src(c.note)}</div>` : ""}</td><td>${src(c.source)}</td></tr>`)
          .join("")}</table>`
      : "";
    parts.push(`<h4>${e(pick(s.title, lang))}</h4>${inherited}${table}`);
  }
  const targeted = ORDERED.filter((d) => d.target);
  allSources.push(...targeted.map((d) => d.target!.source));
  parts.push(
    `<h3>${t("targetsSources", lang)}</h3><table class="sources"><tr><th>${t("indicator", lang)}</th><th>${t("target", lang)}</th><th>${t("source", lang)}</th></tr>${targeted
      .map((d) => `<tr><td>${e(pick(d.label, lang))}</td><td class="nowrap">${e(targetText(d, lang))}</td><td>${src(d.target!.source)}${d.target!.note ? `<div class="sub">${src(d.target!.note)}</div>` : ""}</td></tr>`)
      .join("")}</table>`,
  );
  const cited = citedClauses(allSources);
  parts.push(
    `<h3>${t("seedClauses", lang)}</h3><p class="small">${e(t("seedClausesLead", lang))}</p><ul class="clauses">${cited
      .map((c) => {
        const quotes = c.clauses.slice(0, QUOTES_PER_CLAUSE).map((q) => `<li>「${e(q.quote)}」${lang === "en" && q.gloss ? ` <span class="sub">— ${e(q.gloss)}</span>` : ""}</li>`);
        const more = c.clauses.length > QUOTES_PER_CLAUSE ? `<li class="sub">… ${c.clauses.length - QUOTES_PER_CLAUSE} ${lang === "zh" ? "条更多，见条款索引" : "more in the clause index"}</li>` : "";
        const title = documentName(c.citation.file, "zh");
        return `<li><b>${e(lang === "zh" ? title : documentName(c.citation.file, "en"))} ${e(lang === "zh" ? sourceInWords(c.citation.section, "zh") : c.citation.section)}</b>${lang === "en" && c.document ? ` <span class="doc">${e(title)}</span>` : ""}${quotes.length || more ? `<ul>${quotes.join("")}${more}</ul>` : ""}</li>`;
      })
      .join("")}</ul>`,
  );
  parts.push(`<h3>${t("limitations", lang)}</h3><p>${e(t("limitationsList", lang))}</p>`);
  return parts.join("\n");
}

const APPENDIX_COLUMNS = 5;

function appendix(doc: BriefDocument): string {
  const { lang, entries } = doc;
  // At most five scenarios per table, so every column stays readable on A4.
  const tables: string[] = [];
  for (let k = 0; k < entries.length; k += APPENDIX_COLUMNS) {
    const part = entries.slice(k, k + APPENDIX_COLUMNS);
    const head = `<tr><th class="ind">${t("indicator", lang)}</th><th>${t("target", lang)}</th>${part.map((x) => `<th class="num">${e(x.name)}</th>`).join("")}</tr>`;
    // an optional module's indicators only when some scenario used it (sim/indicators.ts OPTIONAL_MODULES)
    const rows = ORDERED.filter((d) => entries.some((x) => d.id in x.indicators)).map(
      (d) =>
        `<tr><td class="ind">${e(pick(d.label, lang))}</td><td class="nowrap">${e(targetText(d, lang))}</td>${part
          .map((x) => {
            const v = x.indicators[d.id];
            return `<td class="num ${d.target ? cls(v?.met ?? null) : ""}">${e(v && v.value !== null ? valueText(d.unit, v.value, lang) : "—")}${d.target ? mark(v?.met ?? null) : ""}</td>`;
          })
          .join("")}</tr>`,
    );
    tables.push(`<table class="appendix">${head}${rows.join("")}</table>`);
  }
  return tables.join("\n");
}

function provenance(doc: BriefDocument): string {
  const { lang, entries } = doc;
  const rows = entries.map((x) => `<tr><td>${e(x.name)}</td><td><code>${e(x.file)}</code></td><td><code class="hash">${e(x.hash)}</code></td></tr>`);
  return `<table class="prov"><tr><th>${t("scenarioCol", lang)}</th><th>${t("scenarioFile", lang)}</th><th>${t("hash", lang)}</th></tr>${rows.join("")}</table><p class="small">${e(t("generated", lang))}: <code>${e(doc.command)}</code></p><p class="small">${e(t("chartFiles", lang))}</p>`;
}

const CSS = `
@page { size: A4; margin: 14mm 13mm 16mm 13mm; }
* { box-sizing: border-box; }
html { font-family: ${FONT_STACK}; color: #1a1a1a; background: #fff; }
body { margin: 0 auto; max-width: 190mm; font-size: 10pt; line-height: 1.5; padding: 6mm 0; }
@media print { body { padding: 0; max-width: none; } }
h1 { font-size: 19pt; line-height: 1.25; margin: 0 0 2mm; }
h2 { font-size: 14pt; margin: 7mm 0 2.5mm; border-bottom: 1.5px solid #0072B2; padding-bottom: 1mm; break-after: avoid; }
h3 { font-size: 11.5pt; margin: 5mm 0 2mm; break-after: avoid; }
h4 { font-size: 10.5pt; margin: 4mm 0 1.5mm; break-after: avoid; }
p { margin: 0 0 2mm; }
.lead { font-size: 10.5pt; color: #333; }
.facts { display: grid; grid-template-columns: 1fr 1.3fr 1fr; gap: 1mm 5mm; margin: 3mm 0 2mm; padding: 2mm 3mm; background: #f3f6f9; border-radius: 2mm; }
.facts div { display: flex; gap: 2mm; } .facts dt { color: #555; white-space: nowrap; } .facts dd { margin: 0; font-weight: bold; }
table { border-collapse: collapse; width: 100%; margin: 1mm 0 3mm; font-size: 9pt; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { border: 0.6pt solid #c8c8c8; padding: 1.2mm 1.8mm; vertical-align: top; text-align: left; }
thead th, tr:first-child th { background: #eef2f6; }
th[scope=row] { font-weight: bold; background: #fafafa; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.met { color: #005a8c; background: #e6f1f8; font-weight: bold; }
td.missed { color: #a33c00; background: #fbece4; font-weight: bold; }
td.na { color: #777; }
td.warn { color: #8a5a00; background: #fdf3dc; font-weight: bold; }
.siphon { font-size: 8.5pt; }
.summary-table .band { font-size: 0.8em; color: #555; } .summary-table .chance { font-size: 0.8em; font-weight: 600; }
.summary-table td.uncertain { background: #fff6d6; }
.effects { font-size: 9pt; } .effects th[scope=row] { width: 24%; }
.summary-table { font-size: 10pt; } .summary-table th, .summary-table td { padding: 2mm 2.2mm; }
.tgt { font-weight: normal; color: #555; font-size: 8.5pt; }
.sub { font-weight: normal; color: #666; font-size: 8pt; }
.small { font-size: 8.5pt; color: #444; }
.nowrap { white-space: nowrap; }
code { font-family: "DejaVu Sans Mono", monospace; font-size: 8pt; }
code.hash { font-size: 7pt; }
ul { margin: 1mm 0 3mm; padding-left: 5mm; } li { margin: 0.6mm 0; }
.findings li { font-size: 10.5pt; }
figure { margin: 0 0 5mm; break-inside: avoid; page-break-inside: avoid; }
figure svg { display: block; width: auto; height: auto; max-width: 100%; max-height: 122mm; border: 0.5pt solid #e0e0e0; }
figcaption { font-size: 8.5pt; color: #333; margin-top: 1mm; }
figcaption .files { color: #777; font-size: 7.5pt; }
.verdict { font-size: 10.5pt; } .verdict.none { padding: 3mm; background: #fff7e0; border-left: 3px solid #E69F00; }
.clauses > li { margin-bottom: 1.5mm; } .doc { color: #333; }
.sources td:first-child { width: 22%; }
.page-break { break-before: page; page-break-before: always; }
/* Many scenarios: keep the summary on one page. */
.compact .lead { font-size: 9.5pt; }
.compact .summary-table { font-size: 9pt; } .compact .summary-table th, .compact .summary-table td { padding: 0.9mm 1.8mm; }
.compact .summary-table .sub { display: none; } .compact .summary-table th[scope=row] { width: 44%; }
.compact .findings li { font-size: 9pt; margin: 0.2mm 0; line-height: 1.4; }
.compact h2 { margin-top: 4mm; } .compact h3 { margin-top: 3mm; }
.compact h1 { font-size: 17pt; } .compact .facts { margin: 2mm 0 1mm; padding: 1.2mm 3mm; font-size: 9pt; grid-template-columns: 1fr 1.5fr 1fr; }
.appendix { font-size: 8pt; } .appendix th, .appendix td { padding: 0.8mm 1.2mm; } .appendix .ind { width: 34%; }
.timeline .c-set { width: 50%; } .timeline .c-src { width: 50%; } .change + .change { margin-top: 0.6mm; }
code { overflow-wrap: normal; word-break: normal; }
.prov { font-size: 8.5pt; }
`;

export function briefingHtml(doc: BriefDocument): string {
  const { lang } = doc;
  const year = doc.entries[0]?.year ?? "";
  const small = doc.entries.some((x) => x.scale < 1) ? `<p class="small">${e(t(ensemble(doc) ? "smallRunEnsemble" : "smallRun", lang, { scale: doc.entries[0].scale }))}</p>` : "";
  const notes = doc.notes.map((k) => `<p class="small">${e(t(k, lang))}</p>`).join("");
  // sections drawn from one run when the answer has several: say which
  const seedNote = ensemble(doc) ? `<p class="small">${e(t("seedSection", lang, { seed: doc.entries[0]?.seed ?? 1, runs: doc.answer!.seeds.length }))}</p>` : "";
  return `<!DOCTYPE html>
<html lang="${lang === "zh" ? "zh-CN" : "en"}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="yigongti ${e(doc.modelVersion)}">
<title>${e(t("docTitle", lang))}</title>
<style>${CSS}</style>
</head>
<body class="${doc.entries.length > 5 ? "compact" : ""}">
<header>
<h1>${e(t("docTitle", lang))}</h1>
<p class="lead">${e(ensemble(doc) ? t("leadEnsemble", lang, { runs: doc.answer!.seeds.length, draws: doc.answer!.parameterDraws ? t("drawsNote", lang) : "" }) : t("lead", lang))}</p>
${runFacts(doc)}
${small}
</header>
<section id="summary">
<h2>${t("summary", lang)}</h2>
${summaryTable(doc)}
<p class="small">${e(ensemble(doc) ? t("summaryNoteEnsemble", lang, { year, runs: doc.answer!.seeds.length, draws: doc.answer!.parameterDraws ? t("drawsNote", lang) : "" }) : t("summaryNote", lang, { year }))}</p>
${ensemble(doc) ? effectsTable(doc) : ""}
<h3>${t("findings", lang)}</h3>
<ul class="findings">${findings(doc).map((x) => `<li>${e(x)}</li>`).join("")}</ul>
</section>
<section id="siphon" class="page-break">
<h2>${t("siphon", lang)}</h2>
${seedNote}${siphonHtml(doc)}
</section>
<section id="protection">
<h2>${t("protection", lang)}</h2>
${seedNote}${protectionHtml(doc)}
</section>
<section id="charts">
<h2>${t("charts", lang)}</h2>
${figures(doc)}
${notes}
</section>
<section id="assumptions" class="page-break">
<h2>${t("assumptions", lang)}</h2>
${assumptionsSection(doc)}
</section>
<section id="appendix" class="page-break">
<h2>${ensemble(doc) ? t("appendixSeed", lang, { seed: doc.entries[0]?.seed ?? 1 }) : t("appendix", lang)}</h2>
${appendix(doc)}
<h2>${t("provenance", lang)}</h2>
${provenance(doc)}
</section>
</body>
</html>
`;
}

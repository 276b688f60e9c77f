/** Briefing sections on hand data: the siphon verdict, sources and seed clauses, the HTML's own rules. */
import { describe, expect, it } from "vitest";
import { briefingHtml, type BriefDocument } from "../../sim/brief/html";
import { protectionSection } from "../../sim/brief/protection";
import { SIPHON_IDS, siphonSection } from "../../sim/brief/siphon";
import { citations, citedClauses, policySources, seedIndex, timelineSources } from "../../sim/brief/sources";
import type { CompareEntryLike } from "../../sim/brief/types";
import { loadScenario } from "../../sim/scenario/load";
import { ROOT } from "../cli/cli";

const entry = (name: string, indicators: CompareEntryLike["indicators"]): CompareEntryLike => ({
  name,
  title: { zh: `情景${name}`, en: `Scenario ${name}` },
  file: `scenarios/${name}.yaml`,
  hash: `${name}hash`,
  year: "2020",
  seed: 1,
  years: 3,
  scale: 1,
  residents: 600000,
  indicators,
});
const v = (value: number | null, met: boolean | null = null) => ({ value, target: null, met });

describe("siphon verdict", () => {
  it("says plainly that siphoning is not modelled when the entries carry no siphon fields", () => {
    const s = siphonSection([entry("a", { primaryVisitShare: v(0.5) })], "en");
    expect(s.modelled).toBe(false);
    expect(s.missing).toEqual([...SIPHON_IDS]);
    expect(briefingHtml(doc({ siphon: s }))).toContain("Not modelled in this version");
  });

  it("reads the verdict compare computes: level per scenario against its baseline, the three changes, patient and staff siphon", () => {
    const risk = (level: "high" | "moderate" | "low", county: number, primary: number, staff: number, against: string) => ({ level, flag: level === "high", countyVolumeChange: county, primaryVolumeChange: primary, primaryStaffChange: staff, against });
    const entries: CompareEntryLike[] = [
      { ...entry("base", {}), baseline: "base", patientSiphon: 0, staffSiphon: 1, primaryDoctorsPer10k: 12.5, siphonRisk: risk("low", 0.01, 0.02, 0.0, "2018 (own first year)") },
      { ...entry("cap", {}), baseline: "base", patientSiphon: 0.031, staffSiphon: 14, primaryDoctorsPer10k: 11.2, siphonRisk: risk("high", 0.05, -0.03, -0.04, "base") },
      { ...entry("fd", {}), baseline: "base", patientSiphon: -0.01, staffSiphon: 3, primaryDoctorsPer10k: 12.9, siphonRisk: risk("moderate", 0.02, -0.01, 0.01, "base") },
    ];
    const s = siphonSection(entries, "en");
    expect(s.modelled).toBe(true);
    expect(s.present).toEqual(["patientSiphon", "staffSiphon", "primaryDoctorsPer10k", "siphonRisk"]);
    expect(s.rows.map((r) => [r.scenario, r.cells.level, r.cells.against])).toEqual([
      ["Scenario base", "low", "own first year"],
      ["Scenario cap", "high ⚠", "base"],
      ["Scenario fd", "moderate", "base"],
    ]);
    expect(s.rows[1].cells).toMatchObject({ county: "+5.0%", primary: "-3.0%", staff: "-4.0%", patientSiphon: "+3.1", staffSiphon: "+14", primaryDoctorsPer10k: "11.20" });
    expect(s.rows[0].cells.patientSiphon).toBe("—");
    expect(s.sentences).toEqual([
      "High siphon risk: Scenario cap.",
      "Moderate siphon risk: Scenario fd.",
      "Low siphon risk: Scenario base.",
      "Largest patient siphon: Scenario cap — the share of primary-treatable episodes treated at county hospitals is 3.1 points higher than the reference.",
    ]);
    const html = briefingHtml(doc({ siphon: s, entries }));
    expect(html).not.toContain("Not modelled in this version");
    expect(html).toMatch(/<td class="num missed">high ⚠<\/td>/);
    const zh = siphonSection(entries, "zh");
    expect(zh.sentences[0]).toBe("虹吸风险高：情景cap。");
    expect(zh.rule).toContain("三项同时出现为“高”风险");
  });
});

describe("benefits and financial protection", () => {
  const fall = { group: "residentPoor" as const, metric: "oopPerEpisode" as const, period: "2020", against: "baseline" as const, reference: "base", worsening: 0.063 };
  const entries: CompareEntryLike[] = [
    { ...entry("base", { catastrophicExpenditure10: v(0.204), catastrophicExpenditure25: v(0.078), oopPerResidentQ1: v(970), oopPerResidentQ5: v(1768), oopPerResidentPoor: v(984), actualCompensationRatio: v(0.5) }), benefits: { notLower: true, baseline: "base", falls: [] }, oopPerResidentByTownship: [{ township: "t1", name: { zh: "一", en: "One" }, value: 1062 }, { township: "t2", name: { zh: "二", en: "Two" }, value: 1675 }], forgoneCare: { modelled: false, note: "" } },
    { ...entry("cut", { catastrophicExpenditure10: v(0.231), actualCompensationRatio: v(0.45) }), benefits: { notLower: false, baseline: "base", falls: [fall, { ...fall, group: "resident", metric: "ratio", worsening: 0.016, against: "previousYear", reference: "2019" }] } },
  ];

  it("says which scenarios lowered benefits and how, and gives one financial-protection line", () => {
    const p = protectionSection(entries, "en");
    expect(p.modelled).toBe(true);
    expect(p.sentences).toEqual([
      "Benefits fell: Scenario cut — resident scheme, registered poor: OOP per episode +6.3% vs Scenario base (2020); resident scheme, not registered poor: reimbursement ratio -1.6 pts vs 2019 (2020).",
      "Benefits not lower: Scenario base.",
      "Financial protection (2020): catastrophic health expenditure (OOP above 10% of income) 20.4% (Scenario base) to 23.1% (Scenario cut); in Scenario base the poorest fifth pays ¥970 per resident, the richest ¥1,768, the registered poor ¥984; actual compensation ratio of inpatients 50.0%. Forgone care is not modelled in this run.",
    ]);
    expect(p.summary[0]).toBe("Benefits not lower (待遇不降低, 003 §三): 1 of 2 scenarios; benefits fell in Scenario cut.");
    expect(p.rows.map((r) => [r.cells.benefits, r.cells.che10, r.cells.towns])).toEqual([
      ["✓ not lower", "20.4%", "¥1,062–¥1,675"],
      ["× 2 fell", "23.1%", "—"],
    ]);
    expect(p.notes.some((x) => x.startsWith("Forgone care: not modelled in this run"))).toBe(true);
    // with the outside option: the first scenario's forgone care by group, and what it means
    const on = [{ ...entries[0], forgoneCare: { modelled: true, note: "", share: 0.18, byQuintile: [0.24, 0.2, 0.18, 0.16, 0.11], poor: 0.2, nonPoor: 0.17 } }, entries[1]];
    const q = protectionSection(on, "en");
    expect(q.sentences[2]).toMatch(/Forgone care \(episodes not taken to any facility\) 18\.0%: the poorest fifth 24\.0%, the richest 11\.0%, the registered poor 20\.0%\.$/);
    expect(q.notes.some((x) => x.startsWith("Forgone care: illness episodes not taken to any facility"))).toBe(true);
    expect(protectionSection(on, "zh").sentences[2]).toMatch(/患病未就诊比例 18\.0%（最低收入组 24\.0%、最高收入组 11\.0%，建档立卡贫困人口 20\.0%）。$/);
    const html = briefingHtml(doc({ entries }));
    expect(html).toContain('<section id="protection">');
    expect(html).toMatch(/<td class="num missed">× 2 fell<\/td>/);
    expect(html).toContain("<li>Benefits not lower (待遇不降低, 003 §三): 1 of 2 scenarios; benefits fell in Scenario cut.</li>");
    expect(protectionSection(entries, "zh").sentences[0]).toBe("群众待遇降低：情景cut——居民医保·建档立卡贫困人口每病例自付 +6.3%，较 情景base（2020）；居民医保·非建档立卡实际报销比 -1.6 个百分点，较上年 2019（2020）。");
  });

  it("says plainly that it is not modelled when the entries carry none of it", () => {
    const p = protectionSection([entry("a", { primaryVisitShare: v(0.5) })], "en");
    expect(p.modelled).toBe(false);
    expect(briefingHtml(doc({}))).toContain("computes neither the benefits verdict (待遇不降低) nor the financial-protection indicators");
  });
});

describe("sources", () => {
  it("finds seed citations in a source string", () => {
    expect(citations("000_d976d86ac1f892b7.txt §三(三) (医共体外…); 002_cfc78cb0d70fb95d.txt §16; 001_ca634c5edf7b7e03.txt item 12 (§六(五)); 002_cfc78cb0d70fb95d.txt 附件1")).toEqual([
      { file: "000_d976d86ac1f892b7.txt", section: "§三(三)" },
      { file: "002_cfc78cb0d70fb95d.txt", section: "§16" },
      { file: "001_ca634c5edf7b7e03.txt", section: "item 12" },
      { file: "002_cfc78cb0d70fb95d.txt", section: "附件1" },
    ]);
    expect(citations("an assumption")).toEqual([]);
  });

  it("quotes the cited clauses verbatim from data/seed-clauses.md with the document's title", () => {
    const idx = seedIndex();
    expect(idx.documents.map((d) => d.file.slice(0, 3))).toEqual(["000", "001", "002", "003", "004"]);
    const [c] = citedClauses(["000_d976d86ac1f892b7.txt §一 (targets)"]);
    expect(c.document).toMatch(/^曲靖市关于推进县域综合医改的实施意见/);
    expect(c.clauses.length).toBeGreaterThan(0);
    expect(c.clauses.every((q) => q.file === "000_d976d86ac1f892b7.txt" && q.section === "§一")).toBe(true);
    const [item] = citedClauses(["001_ca634c5edf7b7e03.txt item 12"]);
    expect(item.clauses.every((q) => q.section.startsWith("item 12 "))).toBe(true);
  });

  it("collects every lever source of the starting policy and every dated change of a scenario", () => {
    expect(policySources({ a: { source: "s1", b: { source: "s2", x: 1 } }, c: 3 })).toEqual([
      { path: "a", source: "s1" },
      { path: "a.b", source: "s2" },
    ]);
    const s = loadScenario(`${ROOT}/scenarios/capitation-package.yaml`);
    const levers = policySources(s.basePolicy);
    expect(levers.some((l) => l.path === "payment" && l.source.length > 0)).toBe(true);
    const changes = timelineSources(s);
    expect(changes.map((c) => c.from)).toEqual([...changes.map((c) => c.from)].sort());
    expect(changes.find((c) => c.from === "2019-03")).toMatchObject({ set: ["payment.regime", "payment.capitation.communities"], source: expect.stringContaining("000_d976d86ac1f892b7.txt §二(二)") });
  });
});

describe("briefing HTML", () => {
  it("is one self-contained document: inline CSS, no script, no external URL, A4 print rules", () => {
    const html = briefingHtml(doc({}));
    expect(html).toContain("@page { size: A4;");
    expect(html).not.toMatch(/<script|<link\b|@import|https?:\/\//i);
  });
});

function doc(over: Partial<BriefDocument>): BriefDocument {
  const entries = over.entries ?? [entry("a", { primaryVisitShare: v(0.5, false) })];
  return {
    lang: "en",
    entries,
    scenarios: [loadScenario(`${ROOT}/scenarios/capitation-package.yaml`)],
    figures: [],
    siphon: siphonSection(entries, over.lang ?? "en"),
    notes: [],
    modelVersion: "0.0.0",
    git: { commit: null, dirty: null },
    command: "yigongti brief x.yaml --out y",
    ...over,
  };
}

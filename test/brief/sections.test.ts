/** Briefing sections on hand data: the siphon verdict, sources and seed clauses, the HTML's own rules. */
import { describe, expect, it } from "vitest";
import { briefingHtml, type BriefDocument } from "../../sim/brief/html";
import { SIPHON_IDS, siphonVerdict } from "../../sim/brief/siphon";
import { citations, citedClauses, policySources, seedIndex, timelineSources } from "../../sim/brief/sources";
import type { CompareEntryLike } from "../../sim/brief/types";
import { INDICATORS } from "../../sim/indicators";
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
  it("says plainly that siphoning is not modelled when no siphon indicator is in the entries", () => {
    const s = siphonVerdict([entry("a", { primaryVisitShare: v(0.5) })], "en");
    expect(s.modelled).toBe(false);
    expect(s.missing).toEqual([...SIPHON_IDS]);
    const html = briefingHtml(doc({ siphon: s }));
    expect(html).toContain("Not modelled in this version");
  });

  it("reads the siphon indicators when present: a table per scenario and which scenario is highest", () => {
    const entries = [
      entry("ffs", { patientSiphon: v(0.12), staffSiphon: v(0.05), primaryDoctorsPer10k: v(2.1), siphonRisk: v(0.7, false) }),
      entry("cap", { patientSiphon: v(0.04), staffSiphon: v(0.02), primaryDoctorsPer10k: v(2.6), siphonRisk: v(0.3, true) }),
    ];
    const s = siphonVerdict(entries, "en");
    expect(s.modelled).toBe(true);
    expect(s.present).toEqual(["patientSiphon", "staffSiphon", "primaryDoctorsPer10k", "siphonRisk"]);
    expect(s.rows.map((r) => r.scenario)).toEqual(["Scenario ffs", "Scenario cap"]);
    expect(s.rows[1].values.siphonRisk.met).toBe(true);
    expect(s.sentences.some((x) => /highest under Scenario ffs .* lowest under Scenario cap/.test(x))).toBe(true);
    const html = briefingHtml(doc({ siphon: s, entries }));
    expect(html).not.toContain("Not modelled in this version");
    expect(html).toMatch(/<td class="num missed">[^<]*×<\/td>/);
  });

  it("lists what is missing when only some siphon indicators exist", () => {
    const s = siphonVerdict([entry("a", { siphonRisk: v(0.4) })], "zh");
    expect(s.present).toEqual(["siphonRisk"]);
    expect(s.missing).toEqual(["patientSiphon", "staffSiphon", "primaryDoctorsPer10k"]);
    expect(briefingHtml(doc({ lang: "zh", siphon: s }))).toContain("部分虹吸指标本版本未提供：patientSiphon, staffSiphon, primaryDoctorsPer10k");
  });

  it("uses the model's labels for siphon indicators once sim/indicators.ts defines them", () => {
    const defined = INDICATORS.filter((d) => (SIPHON_IDS as readonly string[]).includes(d.id));
    const s = siphonVerdict([entry("a", Object.fromEntries(SIPHON_IDS.map((id) => [id, v(1)])))], "zh");
    for (const d of defined) expect(s.headers.find((h) => h.id === d.id)!.label).toBe(d.label.zh);
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
    siphon: siphonVerdict(entries, over.lang ?? "en"),
    notes: [],
    modelVersion: "0.0.0",
    git: { commit: null, dirty: null },
    command: "yigongti brief x.yaml --out y",
    ...over,
  };
}

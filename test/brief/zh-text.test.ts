/**
 * The zh briefing's sources section reads in Chinese: every source and note text the shipped
 * scenarios and the indicator targets show, once translated (data/briefing-zh.yaml) and with
 * seed documents named by title, has no English word left outside a short allow-list. The en
 * briefing never uses the table. Calls the functions the sources section is built from; no simulation.
 */
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { briefingHtml, type BriefDocument } from "../../sim/brief/html";
import { siphonSection } from "../../sim/brief/siphon";
import { scenarioTexts, sourceInWords } from "../../sim/brief/sources";
import { translated, zhTable } from "../../sim/brief/translate";
import { InputError } from "../../sim/scenario/errors";
import { loadScenario } from "../../sim/scenario/load";
import { ORDERED } from "../../sim/study/comparison";
import { ROOT, removeTempDirs, tempDir } from "../cli/cli";

/** Latin words a Chinese policy reader sees as they are: abbreviations, formats, cited publications. */
const ALLOWED = new Set(["yigongti", "README", "DRG", "DRGs", "DIP", "OOP", "CT", "MRI", "PDF", "SVG", "PNG", "CSV", "JSON", "YAML", "BMJ", "Open", "Lancet", "et", "al"]);
/** Runs of 4+ Latin letters not in the allow-list. */
const english = (text: string) => [...text.matchAll(/[A-Za-z]{4,}/g)].map((m) => m[0]).filter((w) => !ALLOWED.has(w));

const scenarioFiles = readdirSync(join(ROOT, "scenarios")).filter((f) => f.endsWith(".yaml"));

/** Every raw text the sources section shows, with where it comes from. */
function shownTexts(): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of scenarioFiles) for (const t of scenarioTexts(loadScenario(join(ROOT, "scenarios", f)))) if (!out.has(t)) out.set(t, `scenarios/${f}`);
  for (const d of ORDERED) {
    if (!d.target) continue;
    for (const t of [d.target.source, d.target.note]) if (t && !out.has(t)) out.set(t, `indicator ${d.id} target`);
  }
  return out;
}

afterAll(removeTempDirs);

describe("zh briefing texts", () => {
  it("every source and note text of the shipped scenarios and targets reads in Chinese", () => {
    const texts = shownTexts();
    expect(scenarioFiles.length).toBeGreaterThanOrEqual(10);
    expect(texts.size).toBeGreaterThan(40);
    const missing = [...texts]
      .map(([raw, where]) => ({ raw, where, left: english(sourceInWords(translated(raw, "zh"), "zh")) }))
      .filter((x) => x.left.length);
    const message = missing.map((x) => `${x.where}: ${JSON.stringify(x.raw)} (English left: ${x.left.join(", ")})`).join("\n");
    expect(missing, `add these texts to data/briefing-zh.yaml (texts: English → Chinese):\n${message}`).toEqual([]);
  });

  it("the table has no stale entries: each key is a text some scenario or target shows", () => {
    const texts = shownTexts();
    expect([...zhTable().keys()].filter((k) => !texts.has(k))).toEqual([]);
  });

  it("the check catches an English note, so it can fail", () => {
    expect(english(sourceInWords(translated("pilot in one community (pilot timing is illustrative)", "zh", new Map()), "zh"))).toEqual(["pilot", "community", "pilot", "timing", "illustrative"]);
    expect(english("Yu et al., BMJ Open 2021；DRG点数法")).toEqual([]);
    expect(english("按项目付费 (assumption)")).toEqual(["assumption"]);
  });

  it("a text without a translation is shown as written; en never translates", () => {
    const table = new Map([["county-wide", "全县推开"]]);
    expect(translated("county-wide", "zh", table)).toBe("全县推开");
    expect(translated("county-wide", "en", table)).toBe("county-wide");
    expect(translated("not in the table", "zh", table)).toBe("not in the table");
  });

  it("the briefing's sources section: Chinese on the zh page, the files' own text on the en page", () => {
    const scenarios = [loadScenario(join(ROOT, "scenarios/capitation-package.yaml")), loadScenario(join(ROOT, "scenarios/siphon-risk.yaml"))];
    const doc = (lang: "zh" | "en"): BriefDocument => ({
      lang,
      entries: [
        { name: "cap", title: { zh: "情景", en: "Scenario" }, file: "scenarios/capitation-package.yaml", hash: "h", year: "2020", seed: 1, years: 3, scale: 1, residents: 600000, indicators: {} },
      ],
      scenarios,
      figures: [],
      siphon: siphonSection([], lang),
      notes: [],
      modelVersion: "0.0.0",
      git: { commit: null, dirty: null },
      command: "yigongti brief x.yaml --out y",
    });
    const zh = briefingHtml(doc("zh"));
    const en = briefingHtml(doc("en"));
    expect(zh).toContain("从成员单位自由招聘是本情景要说明的风险，并非建议的做法");
    expect(zh).not.toContain("free recruitment from members is the risk being illustrated");
    expect(zh).toContain("≈75%：在±5个百分点以内即视为达标");
    expect(en).toContain("free recruitment from members is the risk being illustrated, not a recommended setting");
    expect(en).toContain("≈75%: met within ±5 points");
    expect(en).not.toMatch(/[从将]成员单位自由招聘|视为达标/);
    // the seed clause list and the targets' column in Chinese words too; en as before
    expect(zh).toMatch(/《五华区[^》]*》 第10项<\/b>/);
    expect(zh).not.toMatch(/\bitem \d/);
    expect(en).toMatch(/Wuhua 2020 item 10<\/b>/);
    expect(zh).toContain("~75%（±5个百分点）");
    expect(zh).not.toContain("pts");
    expect(en).toContain("~75% (±5 pts)");
  });

  it("the siphon table names the reference scenario by its title on the zh page, by its name on the en page", () => {
    const risk = { level: "low" as const, flag: false, countyVolumeChange: 0, primaryVolumeChange: 0, primaryStaffChange: 0, against: "base" };
    const entries = [
      { name: "base", title: { zh: "改革前基线", en: "Baseline" }, file: "b.yaml", hash: "h", year: "2020", seed: 1, years: 3, scale: 1, residents: 1, indicators: {}, baseline: "base", siphonRisk: { ...risk, against: "2018 (own first year)" } },
      { name: "cap", title: { zh: "打包付费", en: "Capitation" }, file: "c.yaml", hash: "h", year: "2020", seed: 1, years: 3, scale: 1, residents: 1, indicators: {}, baseline: "base", siphonRisk: risk },
    ];
    expect(siphonSection(entries, "zh").rows.map((r) => r.cells.against)).toEqual(["自身首年", "改革前基线"]);
    expect(siphonSection(entries, "en").rows.map((r) => r.cells.against)).toEqual(["own first year", "base"]);
  });

  it("a malformed table is a clear error naming the file and the entry", () => {
    const path = join(tempDir("yigongti-zh-"), "briefing-zh.yaml");
    writeFileSync(path, 'texts:\n  "county-wide": 3\n');
    expect(() => zhTable(path)).toThrow(InputError);
    expect(() => zhTable(path)).toThrow(/briefing-zh\.yaml: texts\["county-wide"\] = 3: must be a non-empty Chinese text/);
  });
});

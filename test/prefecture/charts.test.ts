/**
 * Charts of `yigongti prefecture` (sim/charts/prefecture.ts), end to end at a small scale:
 * in zh and en, each chart's CSV holds the command's own figures (prefecture.json), the
 * SVG draws the dashed target line, pilots are marked, county names are in the chart's
 * language, and prefecture.md links the charts; the siphon chart (sim/charts/prefecture-siphon.ts)
 * draws prefecture.json's verdict, says the levels in its title, and is left out without twins.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT, cli, removeTempDirs, tempDir } from "../cli/cli";
import { prefectureSiphonChart } from "../../sim/charts/prefecture-siphon";
import type { PrefectureResults, SiphonCell } from "../../sim/prefecture/results";
import type { SiphonLevel } from "../../sim/siphon";

const ROLLOUT = join(ROOT, "scenarios/prefecture/qujing-rollout.yaml");
const NAMES = ["prefecture-targets", "prefecture-trajectory-primaryVisitShare", "prefecture-trajectory-withinCountyVisitRate", "prefecture-flows", "prefecture-siphon"];
const TARGET_LINE = 'stroke-dasharray="7,4"';
afterAll(removeTempDirs);

/** CSV text → objects by header (quoted fields may hold commas). */
function csv(path: string): Record<string, string>[] {
  const lines = readFileSync(path, "utf8").trim().split("\n");
  const split = (l: string) => [...l.matchAll(/("(?:[^"]|"")*"|[^,]*)(?:,|$)/g)].map((m) => m[1].replace(/^"|"$/g, "").replace(/""/g, '"')).slice(0, -1);
  const head = split(lines[0]);
  return lines.slice(1).map((l) => Object.fromEntries(split(l).map((v, i) => [head[i], v])));
}
const close = (a: string | number | null, b: string | number | null) => expect(Number(a)).toBeCloseTo(Number(b), 10);

interface Band { median: number | null; lo: number | null; hi: number | null }
interface Area { id: string; name: { zh: string; en: string }; indicators: Record<string, Record<string, { band: Band; pMeet: number | null }>> }

describe("prefecture charts", () => {
  it("zh and en: targets, trajectories and flows, each CSV equal to prefecture.json, target lines drawn, pilots marked, linked from prefecture.md", () => {
    const out = join(tempDir("yigongti-prefcharts-"), "p");
    const r = cli(["prefecture", ROLLOUT, "--seeds", "2", "--scale", "0.005", "--years", "2", "--workers", "2", "--no-progress", "--lang", "zh,en", "--out", out], { timeout: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/and 10 charts \(zh, en\) in .*charts\/, rendered in [\d.]+ s/);
    const json = JSON.parse(readFileSync(join(out, "prefecture.json"), "utf8"));
    const year = json.periods[json.periods.length - 1]; // no 2020 in two years: the final year, as prefecture.md
    const areas: Area[] = [json.prefecture, ...json.counties];
    const pilots = ["xihe", "luoshui"]; // pilot: true in data/prefectures/qujing-like.yaml

    for (const lang of ["zh", "en"] as const) {
      const dir = join(out, "charts", lang);
      expect(readdirSync(dir).sort()).toEqual(NAMES.flatMap((n) => ["csv", "json", "png", "svg"].map((x) => `${n}.${x}`)).sort());
      for (const n of NAMES) expect(readFileSync(join(dir, `${n}.png`)).subarray(1, 4).toString()).toBe("PNG");

      // 1. every area × both targets, the band as prefecture.json has it
      const targets = csv(join(dir, "prefecture-targets.csv"));
      expect(targets).toHaveLength(2 * areas.length);
      for (const t of targets) {
        const a = areas.find((x) => x.id === t.area)!;
        const cell = a.indicators[t.indicator][year];
        expect(t.period).toBe(year);
        close(t.median, cell.band.median);
        close(t.lo, cell.band.lo);
        close(t.hi, cell.band.hi);
        close(t.pMeet, cell.pMeet);
        expect(t.pilot).toBe(String(pilots.includes(a.id)));
        if (a !== json.prefecture) expect(t.areaLabel).toBe(`${a.name[lang]}${pilots.includes(a.id) ? " ★" : ""}`);
      }
      expect(new Set(targets.map((t) => t.target))).toEqual(new Set(["0.65", "0.9"]));
      const svg = readFileSync(join(dir, "prefecture-targets.svg"), "utf8");
      expect(svg.split(TARGET_LINE).length - 1).toBeGreaterThanOrEqual(2); // one dashed target per panel
      expect(svg).toContain(lang === "zh" ? "西河县 ★" : "Xihe county ★");

      // 2. the prefecture's band and each county's median, every year
      for (const id of ["primaryVisitShare", "withinCountyVisitRate"]) {
        const rows = csv(join(dir, `prefecture-trajectory-${id}.csv`));
        expect(rows).toHaveLength(areas.length * json.periods.length);
        for (const [i, a] of areas.entries())
          for (const p of json.periods) {
            const row = rows.filter((x) => x.period === p)[i];
            const band = a.indicators[id][p].band;
            close(row.value, band.median);
            if (i === 0) {
              close(row.lo, band.lo);
              close(row.hi, band.hi);
            } else expect(row.lo).toBe("");
          }
        expect(readFileSync(join(dir, `prefecture-trajectory-${id}.svg`), "utf8")).toContain(TARGET_LINE);
      }

      // 3. each county's shares by place in the final year, as json.flows; they add to 1
      const flows = csv(join(dir, "prefecture-flows.csv"));
      const final = json.periods[json.periods.length - 1];
      for (const c of json.counties as Area[]) {
        const mine = flows.filter((f) => f.residence === c.id);
        const src = json.flows.filter((f: { period: string; residence: string }) => f.period === final && f.residence === c.id);
        const sum = (kind: (f: { kind: string; place: string }) => boolean) => src.filter(kind).reduce((s: number, f: { share: number }) => s + f.share, 0);
        close(mine.find((f) => f.place === "own")!.share, sum((f) => f.kind === "own"));
        close(mine.find((f) => f.place === "otherCounties")!.share, sum((f) => f.kind === "county"));
        close(mine.find((f) => f.place === "city")!.share, sum((f) => f.place === "city"));
        close(mine.find((f) => f.place === "province")!.share, sum((f) => f.place === "province"));
        expect(mine.reduce((s, f) => s + Number(f.share), 0)).toBeCloseTo(1, 9);
      }
      const pref = flows.filter((f) => f.residence === json.prefecture.id);
      expect(pref.reduce((s, f) => s + Number(f.share), 0)).toBeCloseTo(1, 9);
      // the title names the county keeping the least of its residents' care at home, with the share drawn
      const least = flows.filter((f) => f.place === "own" && f.residence !== json.prefecture.id).sort((a, b) => Number(a.share) - Number(b.share))[0];
      const title = JSON.parse(readFileSync(join(dir, "prefecture-flows.json"), "utf8")).title;
      expect(title).toContain(`${least.residenceLabel.replace(/ ★$/, "")}`);
      expect(title).toContain(`${Math.round(Number(least.share) * 100)}%`);
      const flowSvg = readFileSync(join(dir, "prefecture-flows.svg"), "utf8");
      expect(flowSvg).toContain(lang === "zh" ? "市第一人民医院" : "City No.1 People");

      // 4. the siphon verdict against the twins: four measures per area, as json.siphon has them
      const siphon = csv(join(dir, "prefecture-siphon.csv"));
      expect(siphon).toHaveLength(4 * areas.length);
      for (const row of siphon) {
        const cell = row.area === json.prefecture.id ? json.siphon.prefecture[year] : json.siphon.counties[row.area][year];
        expect(row.period).toBe(year);
        close(row.median, cell[row.measure].median);
        close(row.lo, cell[row.measure].lo);
        close(row.hi, cell[row.measure].hi);
        for (const l of ["high", "moderate", "low"]) close(row[l], cell.levels[l]);
        expect(Number(row.levelShare)).toBe(cell.levels[row.level]);
      }
      // a county joining in 2020 equals its twin in 2019: no change at all, low risk
      const fuyuan = siphon.filter((x) => x.area === "fuyuan");
      expect(fuyuan.map((x) => [x.median, x.level])).toEqual(fuyuan.map(() => ["0", "low"]));
      expect(readFileSync(join(dir, "prefecture-siphon.svg"), "utf8")).toContain(lang === "zh" ? "基层医生数" : "Primary-care doctors");
    }
    const md = readFileSync(join(out, "prefecture.md"), "utf8");
    for (const n of NAMES) expect(md).toContain(`(charts/en/${n}.png)`);
  }, 180_000);

  it("the siphon chart's title names the counties at high and moderate risk; without twins there is no siphon chart", () => {
    const band = (v: number) => ({ runs: 4, n: 4, median: v, lo: v - 0.01, hi: v + 0.01, levels: [0.1, 0.9] as [number, number] });
    const cell = (levels: Record<SiphonLevel, number>, county: number): SiphonCell => ({ levels, patientSiphon: band(0.02), countyVolumeChange: band(county), primaryVolumeChange: band(-0.05), primaryStaffChange: band(-0.01), staffSiphon: band(3), staffSiphonChange: band(2) });
    const name = (zh: string, en: string) => ({ zh, en });
    const results = {
      seeds: [1, 2, 3, 4],
      periods: ["2019", "2020"],
      prefecture: { id: "p", name: name("全市", "P") },
      counties: [
        { id: "a", name: name("甲县", "A county") },
        { id: "b", name: name("乙县", "B county") },
        { id: "c", name: name("丙县", "C county") },
        { id: "d", name: name("丁县", "D county") },
      ],
      siphon: {
        against: "twin",
        rule: "rule",
        prefecture: { "2020": cell({ high: 0.25, moderate: 0.5, low: 0.25 }, 0.04) },
        counties: {
          a: { "2020": cell({ high: 0.75, moderate: 0.25, low: 0 }, 0.1) },
          b: { "2020": cell({ high: 0.5, moderate: 0.5, low: 0 }, 0.05) }, // a tie goes to the more serious level
          c: { "2020": cell({ high: 0, moderate: 0.75, low: 0.25 }, -0.2) },
          d: { "2020": cell({ high: 0, moderate: 0.25, low: 0.75 }, -0.2) },
        },
      },
    } as unknown as PrefectureResults;
    const input = { results, pilots: ["a"], hospitals: {} };
    const en = prefectureSiphonChart({ ...input, lang: "en" })!;
    expect(en.title).toBe("2020: against their never-joining baselines, siphon risk is high in 2 of 4 counties (A county, B county), moderate in 1 of 4 counties (C county); the prefecture: moderate");
    const zh = prefectureSiphonChart({ ...input, lang: "zh" })!;
    expect(zh.title).toBe("2020年：与未实施改革的基线情景相比，2个县区虹吸风险为“高”（甲县、乙县），1个为“中”（丙县）；全市为“中”");
    const levelOf = (c: typeof en, area: string) => c.rows.find((x) => x.area === area)!.level;
    expect(["p", "a", "b", "c", "d"].map((id) => levelOf(en, id))).toEqual(["moderate", "high", "high", "moderate", "low"]);
    expect(en.rows.find((x) => x.area === "a" && x.measure === "countyVolumeChange")!.median).toBe(0.1);
    expect(en.rows.find((x) => x.area === "a")!.areaLabel).toBe("A county ★");
    const allLow = (c: SiphonCell) => ({ "2020": { ...c, levels: { high: 0, moderate: 0, low: 1 } } });
    const low = { ...results, siphon: { ...results.siphon!, prefecture: allLow(results.siphon!.prefecture["2020"]), counties: Object.fromEntries(Object.entries(results.siphon!.counties).map(([id, c]) => [id, allLow(c["2020"])])) } };
    expect(prefectureSiphonChart({ ...input, lang: "zh", results: low })!.title).toBe("2020年：与未实施改革的基线情景相比，4个县区虹吸风险均为“低”，全市为“低”");
    expect(prefectureSiphonChart({ ...input, lang: "en", results: low })!.title).toBe("2020: against their never-joining baselines, siphon risk is low in all 4 counties; the prefecture: low");
    expect(prefectureSiphonChart({ ...input, lang: "en", results: { ...results, siphon: null } })).toBeNull();
  });
});

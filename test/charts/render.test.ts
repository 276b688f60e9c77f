/**
 * Headless rendering: Vega-Lite → SVG with provenance, SVG → PNG with the Noto CJK fonts
 * (Chinese glyphs drawn, byte-identical twice, and byte-identical to the full font
 * collections when drawn with fonts cut down to the chart's characters: sim/charts/fonts.ts),
 * and saved charts (svg, png, csv, json).
 * Needs Debian's fonts-noto-cjk (npm run setup installs it); fails with that message if absent.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chartCsv, chartSvg, cjkFontFiles, rasterize, saveChart, svgsToPng, svgToPng, targetBarsChart, trajectoryChart, type Provenance } from "../../sim/charts";
import { chartFontFiles, faceFamilies, svgCodepoints } from "../../sim/charts/fonts";

const provenance: Provenance = { modelVersion: "9.9.9", seed: 42, years: 2, scale: 0.1, commit: "abc123", scenarios: [{ name: "baseline-2018", hash: "d4328df7f7aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" }] };
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

beforeAll(() => {
  cjkFontFiles(); // throws "Noto Sans CJK fonts not found … apt-get install fonts-noto-cjk" when missing
});

const chart = (lang: "zh" | "en") =>
  trajectoryChart({
    lang,
    indicator: { id: "primaryVisitShare", label: { zh: "基层诊疗量占比", en: "Primary-care visit share" }, unit: "share" },
    target: { value: 0.65, comparison: ">=" },
    series: [
      { label: lang === "zh" ? "改革前基线" : "Baseline", points: ["2018", "2019", "2020"].map((p, i) => ({ period: p, value: 0.54 - i * 0.01, lo: 0.52 - i * 0.01, hi: 0.56 - i * 0.01 })) },
      { label: lang === "zh" ? "全套改革" : "Full package", points: ["2018", "2019", "2020"].map((p, i) => ({ period: p, value: 0.55 + i * 0.03 })) },
    ],
  });

/** Dark pixels (any channel < 128) in an RGBA buffer. */
function ink(pixels: Buffer): number {
  let n = 0;
  for (let i = 0; i < pixels.length; i += 4) if (pixels[i] < 128 || pixels[i + 1] < 128 || pixels[i + 2] < 128) n++;
  return n;
}

describe("SVG", () => {
  it("is a standalone SVG whose text is the chart's, with provenance in <desc>, <metadata> and a caption", async () => {
    const c = chart("zh");
    const svg = await chartSvg(c, provenance);
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(svg).toMatch(/<desc>[^<]*基层诊疗量占比[^<]*<\/desc>/);
    expect(svg).toMatch(/<yg:provenance chart="trajectory-primaryVisitShare" model-version="9\.9\.9" seed="42" years="2" scale="0\.1" commit="abc123">/);
    expect(svg).toContain(`<yg:scenario name="baseline-2018" hash="${provenance.scenarios[0].hash}"/>`);
    expect(svg).toContain(">目标 ≥ 65%</text>");
    expect(svg).toMatch(/>yigongti 模型 9\.9\.9 · 种子 42[^<]*baseline-2018 d4328df7</);
    // the canvas grew to hold the caption
    const plain = await chartSvg(c);
    expect(Number(/height="(\d+)"/.exec(svg)![1])).toBeGreaterThan(Number(/height="(\d+)"/.exec(plain)![1]));
  });

  it("does not clip long English labels (vega measures text with the CJK font's widths; long ones wrap onto lines)", async () => {
    const c = targetBarsChart({
      lang: "en",
      year: "2020",
      indicators: [{ id: "primaryVisitShare", label: "Primary-care visit share", unit: "share", target: { value: 0.65, comparison: ">=" } }],
      scenarios: [{ label: "Pre-reform baseline (2018, fee-for-service)", values: { primaryVisitShare: 0.53 } }],
    });
    const svg = await chartSvg(c);
    expect(svg).toContain("<tspan>Pre-reform baseline (2018,</tspan><tspan x=\"0\" dy=\"14\">fee-for-service)</tspan>");
    expect(svg).not.toContain("…");
  });
});

describe("PNG", () => {
  it("draws Chinese glyphs with the Noto CJK fonts (ink where the text is)", async () => {
    const text = (s: string) => `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><text x="4" y="30" font-family="Noto Sans CJK SC" font-size="24">${s}</text></svg>`;
    const cjk = await rasterize(text("基层诊疗"), 1);
    const blank = await rasterize(text(""), 1);
    expect(ink(blank.pixels)).toBe(0);
    expect(ink(cjk.pixels)).toBeGreaterThan(300);
  });

  it("renders a chart at 2× as a non-blank PNG, byte-identical run to run", async () => {
    const svg = await chartSvg(chart("zh"), provenance);
    const a = await rasterize(svg);
    const b = await rasterize(svg);
    expect(a.png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(a.width).toBe(2 * Number(/width="(\d+)"/.exec(svg)![1]));
    expect(a.png.equals(b.png)).toBe(true);
    expect(ink(a.pixels)).toBeGreaterThan(a.width * a.height * 0.01);
  });

  it("renders several SVGs on worker threads, byte-identical to one by one", async () => {
    const text = (s: string) => `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><text x="4" y="30" font-family="Noto Sans CJK SC" font-size="24">${s}</text></svg>`;
    const svgs = [text("基层诊疗"), text("Within county"), text("县域内就诊率")];
    const parallel = await svgsToPng(svgs, 1, 2);
    const serial = await Promise.all(svgs.map((s) => svgToPng(s, 1)));
    expect(parallel.map((p) => p.toString("base64"))).toEqual(serial.map((p) => p.toString("base64")));
    await expect(svgsToPng(["<svg", text("x")], 1, 2)).rejects.toThrow(/rendering chart 1 to PNG/);
  });

  it("draws with the CJK fonts cut down to the chart's characters the same bytes as with the full collections, far smaller", async () => {
    const svg = await chartSvg(chart("zh"), provenance);
    const full = cjkFontFiles();
    // each collection has the Simplified Chinese face the charts name
    for (const f of full) expect(faceFamilies(readFileSync(f))).toContain("Noto Sans CJK SC");
    const cut = chartFontFiles(svg, full);
    expect(cut).toHaveLength(full.length);
    cut.forEach((f, i) => {
      expect(f).not.toBe(full[i]);
      expect(statSync(f).size).toBeLessThan(statSync(full[i]).size / 50);
    });
    expect(chartFontFiles(svg, full)).toBe(cut); // cut once per character set
    // resvg itself with the full collections, as the charts were drawn before fonts.ts
    const { Resvg } = createRequire(import.meta.url)("@resvg/resvg-js");
    const withFull = (s: string) => new Resvg(s, { font: { fontFiles: full, loadSystemFonts: false, defaultFontFamily: "Noto Sans CJK SC", sansSerifFamily: "Noto Sans CJK SC" }, fitTo: { mode: "zoom", value: 1 }, background: "#ffffff" }).render().asPng();
    expect((await svgToPng(svg, 1)).equals(withFull(svg))).toBe(true);
    // characters outside the chart's, drawn (one as a character reference): a new cut that has them
    const text = `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><text x="4" y="30" font-family="Noto Sans CJK SC" font-size="24">龘&#x9F8D;&#40858;</text></svg>`;
    expect(svg).not.toMatch(/[龘龍龚]/);
    expect(svgCodepoints(text)).toEqual(expect.arrayContaining([0x9f98, 0x9f8d, 0x9f9a]));
    const other = chartFontFiles(text, full);
    expect(other).not.toEqual(cut);
    const drawn = await rasterize(text, 1);
    expect(ink(drawn.pixels)).toBeGreaterThan(100);
    expect(drawn.png.equals(withFull(text))).toBe(true);
  });

  it("falls back to the full font files when they cannot be cut", () => {
    const notAFont = join(tmpdir(), `yigongti-not-a-font-${process.pid}.ttc`);
    writeFileSync(notAFont, "not a font");
    try {
      expect(chartFontFiles("<svg>基层</svg>", [notAFont])).toEqual([notAFont]);
    } finally {
      rmSync(notAFont, { force: true });
    }
  });

  it("says how to install the fonts when they are missing", () => {
    expect(() => cjkFontFiles(["/nonexistent/fonts"])).toThrow(/Noto Sans CJK fonts not found.*apt-get install fonts-noto-cjk/);
  });
});

describe("saveChart", () => {
  it("writes name.svg, name.png, name.csv (the data) and name.json (provenance, specs)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "yigongti-charts-"));
    dirs.push(dir);
    const c = chart("en");
    const saved = await saveChart(c, dir, provenance);
    for (const ext of ["svg", "png", "csv", "json"]) expect(existsSync(join(dir, `${c.name}.${ext}`))).toBe(true);
    expect(saved.files).toHaveLength(4);
    expect(readFileSync(join(dir, `${c.name}.csv`), "utf8")).toBe(chartCsv(c));
    expect(readFileSync(join(dir, `${c.name}.png`)).equals(saved.png)).toBe(true);
    const side = JSON.parse(readFileSync(join(dir, `${c.name}.json`), "utf8"));
    expect(side).toMatchObject({ name: c.name, lang: "en", title: c.title, provenance: { seed: 42, modelVersion: "9.9.9" } });
    expect(side.vegaLite.layer).toBeDefined();
    expect(side.plotly.data.length).toBeGreaterThan(0);
  });
});

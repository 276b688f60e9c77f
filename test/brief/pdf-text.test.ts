/**
 * The briefing PDF's text is searchable, charts included (issue 11 item 4): Chromium prints
 * the text of an SVG <img> as bare glyphs, and the PDF's ToUnicode map then names a glyph
 * shared by two code points by the Kangxi radical (目标 extracts as ⽬标); charts are
 * therefore inline SVG (sim/brief/html.ts inlineSvg), whose text prints as text.
 * Needs Chromium, the Noto CJK fonts and poppler's pdftotext (npm run setup installs them).
 */
import { spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { htmlToPdf } from "../../sim/brief/browser";
import { inlineSvg } from "../../sim/brief/html";
import { chartSvg, targetBarsChart } from "../../sim/charts";
import { removeTempDirs, tempDir } from "../cli/cli";

afterAll(removeTempDirs);

const PDFTOTEXT = "/usr/bin/pdftotext";
const CHROMIUM = process.env.YIGONGTI_CHROMIUM || "/usr/bin/chromium";

/** CJK Radicals Supplement and Kangxi Radicals: what shared glyphs extract as. */
const RADICALS = /[\u2e80-\u2fdf]/u;

function pdfText(pdf: Buffer): string {
  const file = join(tempDir("yigongti-pdf-"), "t.pdf");
  writeFileSync(file, pdf);
  const r = spawnSync(PDFTOTEXT, ["-enc", "UTF-8", file, "-"], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`pdftotext: ${r.stderr}`);
  return r.stdout;
}

describe.skipIf(!existsSync(PDFTOTEXT) || !existsSync(CHROMIUM))("briefing PDF text", () => {
  const chart = targetBarsChart({
    lang: "zh",
    year: "2020",
    indicators: [{ id: "p", label: "基层诊疗量占比", unit: "share", target: { value: 0.65, comparison: ">=" } }],
    scenarios: [{ label: "改革前基线（按项目付费）", values: { p: 0.52 } }],
  });

  it("extracts a chart's Chinese text as written, not as Kangxi radicals", async () => {
    const svg = await chartSvg(chart);
    const steps: number[] = [];
    const pdf = await htmlToPdf(`<!DOCTYPE html><html lang="zh-CN"><body><figure>${inlineSvg(svg, "c1-", chart.title)}</figure></body></html>`, "t", { onProgress: (_s, done) => steps.push(done) });
    const text = pdfText(pdf);
    expect(text).toContain("2020年：1个情景中没有一个达到全部1项目标");
    expect(text).toContain("虚线为目标");
    expect(text).not.toMatch(RADICALS);
    expect(steps).toEqual([0, 1, 2, 3, 4]);
  }, 90_000);

  it("(the cause) the same chart as an <img> extracts with radicals", async () => {
    const svg = await chartSvg(chart);
    const pdf = await htmlToPdf(`<!DOCTYPE html><html><body><img src="data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}"></body></html>`, "t");
    expect(pdfText(pdf)).toMatch(RADICALS);
  }, 90_000);
});

/**
 * `yigongti brief` end to end on a tiny run (2 scenarios, scale 0.02, 2 years): it writes
 * briefing.html, briefing.pdf and every chart as png/svg/csv/json; the HTML opens in real
 * headless Chromium with no console error, no network request and every chart drawn.
 * Needs Debian's chromium and fonts-noto-cjk (npm run setup installs both).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchOffline, chromiumPath } from "../../sim/brief/browser";
import { buildBriefing } from "../../sim/brief/build";
import { SIPHON_IDS } from "../../sim/brief/siphon";
import { cjkFontFiles } from "../../sim/charts/render";
import { INDICATORS } from "../../sim/indicators";
import { loadScenarios } from "../../sim/cli/results";
import { runStudySync } from "../../sim/study/study";
import { BASELINE, BIN, ROOT, cli, removeTempDirs, tempDir } from "../cli/cli";

const CAPITATION = join(ROOT, "scenarios/capitation-package.yaml");
const TINY = ["--scale", "0.02", "--years", "2", "--seed", "3", "--seeds", "1"];
const out = join(tempDir("yigongti-brief-"), "brief");
let run: { code: number | null; stdout: string; stderr: string };

afterAll(removeTempDirs);

beforeAll(() => {
  // Clear failures when the machine lacks what the briefing needs.
  chromiumPath();
  cjkFontFiles();
  const r = spawnSync(process.execPath, [BIN, "brief", BASELINE, CAPITATION, ...TINY, "--lang", "en", "--out", out, "--no-progress"], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, YIGONGTI_DEBUG: "1" },
    timeout: 240_000,
  });
  if (r.error) throw r.error;
  run = { code: r.status, stdout: r.stdout, stderr: r.stderr };
}, 250_000);

const siphonModelled = INDICATORS.some((d) => (SIPHON_IDS as readonly string[]).includes(d.id));

describe("yigongti brief (en, tiny run)", () => {
  it("exits 0 and says what it wrote", () => {
    expect(run.stderr).toMatch(/^wrote .*briefing\.html, .*briefing\.pdf and \d+ charts in .*charts\/\n$/);
    expect(run.code).toBe(0);
  });

  it("writes briefing.html, a PDF, and each chart as png, svg, csv and json", () => {
    const pdf = readFileSync(join(out, "briefing.pdf"));
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    expect(pdf.length).toBeGreaterThan(20_000);
    const files = readdirSync(join(out, "charts"));
    const names = [...new Set(files.map((f) => f.replace(/\.\w+$/, "")))].sort();
    expect(names).toEqual(expect.arrayContaining(["fund-balance", "referral-flows", "scenarios-vs-targets", "trajectory-primaryVisitShare", "trajectory-withinCountyVisitRate"]));
    for (const n of names) {
      for (const ext of ["png", "svg", "csv", "json"]) expect(files).toContain(`${n}.${ext}`);
      const png = readFileSync(join(out, "charts", `${n}.png`));
      expect(png.subarray(1, 4).toString()).toBe("PNG");
      const svg = readFileSync(join(out, "charts", `${n}.svg`), "utf8");
      expect(svg).toContain('seed="3"');
      const csv = readFileSync(join(out, "charts", `${n}.csv`), "utf8").trimEnd().split("\n");
      expect(csv.length).toBeGreaterThan(1);
    }
  });

  it("the HTML holds the summary table, every chart, the siphon section, sources and provenance", () => {
    const html = readFileSync(join(out, "briefing.html"), "utf8");
    expect(html).toContain("Summary: targets met or missed");
    expect(html).toContain("Pre-reform baseline");
    expect(html).toContain("Capitation package for the medical communities");
    const charts = readdirSync(join(out, "charts")).filter((f) => f.endsWith(".svg"));
    expect((html.match(/<figure /g) ?? []).length).toBe(charts.length);
    if (siphonModelled) expect(html).not.toContain("Not modelled in this version");
    else expect(html).toContain("Not modelled in this version");
    expect(html).toContain("Qujing 2019 §二(二) (总额预拨、年终结算"); // documents by title, not file name
    const assumptions = html.slice(html.indexOf('<section id="assumptions"'), html.indexOf("</section>", html.indexOf('<section id="assumptions"')));
    expect(assumptions).not.toMatch(/\d{3}_[0-9a-f]{16}\.txt|\b[a-z][A-Za-z]*(?:\.[a-z][A-Za-z]*){2,}\b|<code>/); // no seed file names or dotted paths
    expect(assumptions).toContain("Resident scheme funding per insured person ¥710 → ¥770 from Jan 2019");
    expect(assumptions).toContain("How the medical communities are paid fee for service → capitation package from Mar 2019");
    // the benefits verdict (待遇不降低) and the financial-protection line, on page 1 and in their section
    expect(html).toContain('<section id="protection">');
    expect(html).toMatch(/<li>Benefits not lower \(待遇不降低, 003 §三\)[^<]*<\/li>/);
    expect(html).toMatch(/<li>Financial protection \(2019\): catastrophic health expenditure[^<]*Forgone care \(episodes not taken to any facility\) [\d.]+%: the poorest fifth [\d.]+%[^<]*<\/li>/);
    expect(html).toMatch(/「[^」]+」/); // verbatim seed clause quotes
    expect(html).toContain("--seed 3");
    const manifestHash = (f: string) => loadScenarios([f])[0].hash;
    expect(html).toContain(manifestHash(BASELINE));
    expect(html).toContain(manifestHash(CAPITATION));
    // self-contained: no external reference (charts are inline SVG, without namespace URIs)
    expect(html).not.toMatch(/https?:|<script|<link\b|<img\b/i);
  });

  it("opens in headless Chromium with no console error, no network request, and every chart drawn", async () => {
    const b = await launchOffline();
    try {
      const page = await b.newPage();
      const errors: string[] = [];
      const requests: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error") errors.push(m.text());
      });
      page.on("pageerror", (e) => errors.push(e.message));
      page.on("request", (r) => requests.push(r.url()));
      await page.goto(pathToFileURL(join(out, "briefing.html")).href, { waitUntil: "load" });
      const figures = await page.$$eval("figure > svg", (svgs) =>
        (svgs as unknown as { querySelectorAll(s: string): { length: number }; getBoundingClientRect(): { width: number; height: number } }[]).map((svg) => {
          const r = svg.getBoundingClientRect();
          return { texts: svg.querySelectorAll("text").length, width: r.width, height: r.height };
        }),
      );
      expect(errors).toEqual([]);
      expect(requests.filter((u) => !u.startsWith("file:") && !u.startsWith("data:"))).toEqual([]);
      expect(b.blocked).toEqual([]);
      expect(figures.length).toBeGreaterThanOrEqual(5);
      for (const f of figures) {
        expect(f.texts).toBeGreaterThan(3);
        expect(f.width).toBeGreaterThan(100);
        expect(f.height).toBeGreaterThan(100);
      }
    } finally {
      await b.close();
    }
  }, 90_000);
});

describe("briefing in Chinese", () => {
  it("labels the document and its charts in Chinese", async () => {
    const scenarios = loadScenarios([BASELINE, CAPITATION]);
    const study = runStudySync({ scenarios, seeds: [3], scale: 0.02, years: 2 });
    const b = await buildBriefing(study, { lang: "zh", command: "yigongti brief …", pdf: false });
    expect(b.pdf).toBeNull();
    expect(b.html).toContain('<html lang="zh-CN">');
    expect(b.html).toContain("摘要：目标达成情况");
    expect(b.html).toContain("改革前基线");
    expect(b.html).toContain(siphonModelled ? "虹吸" : "本版本模型尚未模拟虹吸效应");
    const svg = String(b.chartFiles["trajectory-primaryVisitShare.svg"]);
    expect(svg).toContain(">月份</text>");
    expect(svg).toContain("目标 ≥ 65%");
    expect(svg).not.toContain(">Month</text>");
    // levers in words, values before → after and the month; communities by name; documents by title
    expect(b.html).toContain("居民医保人均筹资 710元 → 770元，2019年1月起");
    expect(b.html).toMatch(/实行打包付费的医共体 全部医共体 → [^<a-z]+，2019年3月起/);
    expect(b.html).toContain("《曲靖市关于推进县域综合医改的实施意见（试行）》§二(二)");
  }, 120_000);
});

describe("yigongti brief --lang zh,en", () => {
  it("builds both languages from one set of runs, each in its own folder", () => {
    const dir = tempDir();
    const r = cli(["brief", BASELINE, CAPITATION, "--scale", "0.02", "--years", "1", "--seeds", "2", "--lang", "zh,en", "--no-pdf", "--out", dir], { timeout: 170_000 });
    expect(r.code, r.stderr).toBe(0);
    const zh = readFileSync(join(dir, "zh", "briefing.html"), "utf8");
    expect(zh).toContain('<html lang="zh-CN">');
    // page 1 in Chinese: chances, the paired effects, the runs
    expect(zh).toMatch(/达标概率 \d+%/);
    expect(zh).toContain("改革效果（与对照情景逐次配对比较）");
    expect(zh).toContain("每个情景模拟 2 次");
    expect(readFileSync(join(dir, "en", "briefing.html"), "utf8")).toContain('<html lang="en">');
    expect(existsSync(join(dir, "briefing.html"))).toBe(false);
    expect(readdirSync(join(dir, "en", "charts")).some((f) => f.endsWith(".svg"))).toBe(true);
    const twice = cli(["brief", BASELINE, "--lang", "zh,zh", "--out", tempDir()]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain("names a language twice");
  }, 240_000);
});

describe("yigongti compare --brief", () => {
  it("writes the comparison and the briefing from one set of runs; needs --out", () => {
    const dir = tempDir();
    // the default answer: several runs (seeds and parameter draws), so page 1 has bands, chances and effects
    const r = cli(["compare", BASELINE, CAPITATION, "--scale", "0.02", "--years", "1", "--seeds", "3", "--brief", "en", "--out", dir], { timeout: 170_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(dir, "compare.json"))).toBe(true);
    const html = readFileSync(join(dir, "brief", "en", "briefing.html"), "utf8");
    expect(html).toContain('<html lang="en">');
    expect(html).toContain("capitation-package");
    const answer = JSON.parse(readFileSync(join(dir, "compare.json"), "utf8")).answer;
    const p = answer.scenarios[1].indicators.primaryVisitShare;
    // page 1 shows the study's median, its band and the chance met, as compare.json has them
    expect(html).toContain(`${(p.band.median * 100).toFixed(1)}%`);
    expect(html).toContain(`${(p.band.lo * 100).toFixed(1)}% – ${(p.band.hi * 100).toFixed(1)}%`);
    expect(html).toContain(`chance met ${Math.round(p.target.probability * 100)}%`);
    expect(html).toMatch(/Effects of each reform \(paired with its baseline, run by run\) \(baseline: Pre-reform baseline \(2018, fee-for-service\)\)/); // named by its title
    expect(html).toMatch(/Seed<\/dt><dd>1–3 \(3 runs, with parameter draws\)/);
    expect(html).toContain("against its own first year (the no-reform trend)");
    // the key findings say the targets across the runs, as page 1's table does: the scenarios meeting
    // each in at least half of them — never one run's count beside the table's medians
    const findings = html.slice(html.indexOf('<ul class="findings">'), html.indexOf("</ul>", html.indexOf('<ul class="findings">')));
    for (const id of ["primaryVisitShare", "withinCountyVisitRate", "downwardReferralGrowth"]) {
      const k = answer.scenarios.filter((x: { indicators: Record<string, { target: { probability: number | null } }> }) => (x.indicators[id]?.target.probability ?? 0) >= 0.5).length;
      expect(findings, id).toMatch(k > 0 ? new RegExp(`met in at least half of the 3 runs by ${k} of 2 scenarios`) : /met in at least half of the 3 runs by none of 2 scenarios; the closest is/);
    }
    // the siphon levels as page 1's table gives them: each scenario at the level most runs reach, with its share
    for (const [i, sc] of answer.scenarios.entries()) {
      const title = i === 0 ? "Pre-reform baseline (2018, fee-for-service)" : "Capitation package for the medical communities (Qujing)";
      expect(findings).toMatch(new RegExp(`Siphon risk ${sc.siphon.level} \\(in most of the 3 runs\\): [^<]*${title.replace(/[()]/g, "\\$&")} \\(${Math.round(sc.siphon.probability * 100)}%\\)`));
    }
    // what is drawn from one run says so: the charts' other findings, the siphon and protection sections, the appendix
    expect(findings).toContain("(the run with seed 1)");
    expect(html.split("This section is the run with seed 1; page 1's table gives the median, band and chance over the 3 runs.").length - 1).toBe(2);
    expect(html).toContain("Appendix: every indicator (final year, the run with seed 1)");
    expect(readFileSync(join(dir, "brief", "en", "briefing.pdf")).subarray(0, 5).toString()).toBe("%PDF-");
    const noOut = cli(["compare", BASELINE, "--brief", "zh"]);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain("--brief needs --out DIR");
  }, 240_000);
});

describe("yigongti brief: bad command lines", () => {
  it("needs --out and a known language", () => {
    const noOut = cli(["brief", BASELINE]);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain("missing --out DIR");
    const lang = cli(["brief", BASELINE, "--lang", "fr", "--out", tempDir()]);
    expect(lang.code).toBe(2);
    expect(lang.stderr).toContain("must be zh or en");
    expect(existsSync(join(out, "briefing.html"))).toBe(true);
  });
});

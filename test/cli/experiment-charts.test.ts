/**
 * Charts of `ensemble`, `sweep` and `sensitivity` (sim/charts/experiments.ts via
 * sim/cli/experiment-charts.ts), end to end on a tiny county: the files exist beside
 * each other in DIR/charts/, the CSV beside each chart holds the numbers the command's
 * own CSV output reports, and the SVG draws the target line and the band.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BASELINE, FAST, cli, removeTempDirs, tempDir } from "./cli";

const REFORM = "scenarios/full-package-qujing.yaml";
const LEVER = "policy.insurance.resident.inpatient.rate.township";
afterAll(removeTempDirs);

/** CSV text → objects by header (quoted fields may hold commas). */
function csv(path: string): Record<string, string>[] {
  const lines = readFileSync(path, "utf8").trim().split("\n");
  const split = (l: string) => [...l.matchAll(/("(?:[^"]|"")*"|[^,]*)(?:,|$)/g)].map((m) => m[1].replace(/^"|"$/g, "").replace(/""/g, '"')).slice(0, -1);
  const head = split(lines[0]);
  return lines.slice(1).map((l) => Object.fromEntries(split(l).map((v, i) => [head[i], v])));
}

const close = (a: string | number, b: string | number) => expect(Number(a)).toBeCloseTo(Number(b), 10);
const TARGET_LINE = 'stroke-dasharray="7,4"';
const BAND = 'aria-roledescription="area mark"';

describe("experiment charts", () => {
  it("ensemble: a band chart per headline indicator with its target, the paired effects, numbers as in summary.csv and differences.csv", () => {
    const out = join(tempDir(), "ens");
    const r = cli(["ensemble", REFORM, "--baseline", BASELINE, ...FAST, "--years", "2", "--seeds", "2", "--workers", "1", "--no-progress", "--out", out], { timeout: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/and 6 charts \(en\) in .*charts\/, rendered in [\d.]+ s/);
    const names = ["primaryVisitShare", "withinCountyVisitRate", "downwardReferralGrowth", "insurerFundBalance", "oopShare"].map((id) => `ensemble-${id}`).concat("ensemble-effects");
    expect(readdirSync(join(out, "charts")).sort()).toEqual(names.flatMap((n) => ["csv", "json", "png", "svg"].map((x) => `${n}.${x}`)).sort());
    for (const n of names) expect(readFileSync(join(out, "charts", `${n}.png`)).subarray(1, 4).toString()).toBe("PNG");

    const summary = csv(join(out, "summary.csv")).filter((x) => x.granularity === "year" && x.indicator === "primaryVisitShare");
    const drawn = csv(join(out, "charts/ensemble-primaryVisitShare.csv"));
    expect(drawn).toHaveLength(4); // 2 scenarios × 2 years
    const titles: Record<string, string> = { "Pre-reform baseline (2018, fee-for-service)": "baseline-2018", "Full Qujing county reform package": "full-package-qujing" };
    for (const d of drawn) {
      const s = summary.find((x) => x.scenario === titles[d.series] && x.period === d.period)!;
      close(d.value, s.median);
      close(d.lo, s.p10);
      close(d.hi, s.p90);
    }
    const svg = readFileSync(join(out, "charts/ensemble-primaryVisitShare.svg"), "utf8");
    expect(svg).toContain(TARGET_LINE);
    expect(svg).toContain("Target ≥ 65%");
    expect(svg).toContain(BAND);

    const diffs = csv(join(out, "differences.csv")).filter((x) => x.granularity === "year" && x.period === "2019");
    const effects = csv(join(out, "charts/ensemble-effects.csv"));
    expect(effects.map((e) => e.indicator)).toEqual(["primaryVisitShare", "withinCountyVisitRate", "downwardReferralGrowth", "insurerFundBalance", "oopShare"]);
    for (const e of effects) {
      const d = diffs.find((x) => x.indicator === e.indicator)!;
      close(e.median, d.median);
      close(e.p10, d.p10);
      close(e.p90, d.p90);
    }
    expect(effects.find((e) => e.indicator === "primaryVisitShare")!.unit).toBe("points");
    const esvg = readFileSync(join(out, "charts/ensemble-effects.svg"), "utf8");
    expect(esvg).toMatch(/pp<\/text>/); // share differences in percentage points, not "%"
    expect(esvg).not.toMatch(/[\d.]%<\/text>/);
  });

  it("sweep: a response curve per headline indicator in Chinese, lever in words, mean and seeds' range as in sweep.csv", () => {
    const out = join(tempDir(), "sweep");
    const r = cli(["sweep", BASELINE, "--param", `${LEVER}=0.8:0.9:2`, ...FAST, "--years", "1", "--seeds", "2", "--workers", "1", "--no-progress", "--lang", "zh", "--out", out], { timeout: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    const rows = csv(join(out, "sweep.csv")).filter((x) => x.indicator === "withinCountyVisitRate");
    const drawn = csv(join(out, "charts/sweep-withinCountyVisitRate.csv"));
    expect(drawn.map((d) => Number(d.x))).toEqual([0.8, 0.9]);
    for (const d of drawn) {
      const s = rows.find((x) => Number(x[LEVER]) === Number(d.x))!;
      close(d.value, s.mean);
      close(d.lo, s.min);
      close(d.hi, s.max);
    }
    const svg = readFileSync(join(out, "charts/sweep-withinCountyVisitRate.svg"), "utf8");
    expect(svg).toContain(TARGET_LINE);
    expect(svg).toContain("目标 ≥ 90%");
    expect(svg).toContain(BAND);
    expect(svg).toContain("乡镇卫生院住院报销比例");
    expect(svg).toContain('stroke="#0072B2"'); // the swept scenario's own colour (baseline-2018), as in every chart
    expect(svg).not.toContain(LEVER);
    // growth has no value in the first year: no chart for it
    expect(existsSync(join(out, "charts/sweep-downwardReferralGrowth.svg"))).toBe(false);
  });

  it("sensitivity: the tornado's effects (percentage points) as in tornado.csv; Sobol bars with intervals as in sobol.csv; --no-charts writes none", () => {
    const d = tempDir();
    const params = ["--param", `${LEVER}=0.7:0.95`, "--param", "choice.habit=0:1.4"];
    const t = cli(["sensitivity", BASELINE, ...params, ...FAST, "--years", "1", "--workers", "1", "--no-progress", "--lang", "zh,en", "--out", join(d, "t")], { timeout: 120_000 });
    expect(t.code, t.stderr).toBe(0);
    const bars = csv(join(d, "t/tornado.csv")).filter((x) => x.indicator === "primaryVisitShare");
    for (const lang of ["zh", "en"]) {
      const drawn = csv(join(d, `t/charts/${lang}/tornado-primaryVisitShare.csv`));
      expect(drawn).toHaveLength(4);
      for (const x of drawn) close(x.change, bars.find((b) => b.path === x.path)![x.case === "low" ? "effectLow" : "effectHigh"]);
    }
    const en = readFileSync(join(d, "t/charts/en/tornado-primaryVisitShare.svg"), "utf8");
    expect(en).toContain("Township centre inpatient reimbursement rate");
    expect(en).toMatch(/pp<\/text>/);
    expect(readFileSync(join(d, "t/charts/zh/tornado-primaryVisitShare.svg"), "utf8")).toMatch(/个百分点<\/text>/);

    const s = cli(["sensitivity", BASELINE, "--method", "sobol", "--samples", "3", "--bootstrap", "20", ...params, ...FAST, "--years", "1", "--workers", "1", "--no-progress", "--out", join(d, "s")], { timeout: 120_000 });
    expect(s.code, s.stderr).toBe(0);
    const sob = csv(join(d, "s/sobol.csv")).filter((x) => x.indicator === "primaryVisitShare");
    const drawn = csv(join(d, "s/charts/sobol-primaryVisitShare.csv"));
    expect(drawn).toHaveLength(4);
    for (const x of drawn) {
      const row = sob.find((b) => b.path === x.path)!;
      close(x.value, row[x.index]);
      close(x.lo, row[`${x.index}Low`]);
      close(x.hi, row[`${x.index}High`]);
    }
    expect(readFileSync(join(d, "s/charts/sobol-primaryVisitShare.svg"), "utf8")).toContain("95% bootstrap intervals");

    const n = cli(["sensitivity", BASELINE, ...params, ...FAST, "--years", "1", "--workers", "1", "--no-progress", "--no-charts", "--out", join(d, "n")]);
    expect(n.code, n.stderr).toBe(0);
    expect(existsSync(join(d, "n/charts"))).toBe(false);
  });
});

/**
 * Charts a committee can read (issue 11 items 4 and 6): one colour per scenario by name in
 * every chart, tiers never in a scenario's colour, charts narrow enough to print at full
 * size on A4, counts of a scaled county marked, effects in percentage points, monthly
 * titles naming the month, ensemble captions naming their seeds, rendering progress.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  CASE_COLOURS,
  PALETTE,
  SCENARIO_COLOURS,
  TIER_COLOURS,
  chartSvg,
  flowsChart,
  fundBalanceChart,
  provenanceCaption,
  referralFlows,
  renderCharts,
  scenarioColours,
  staffChart,
  tornadoChart,
  trajectoryChart,
  valueText,
  type Chart,
} from "../../sim/charts";
import { briefingCharts } from "../../sim/brief/charts";
import { loadScenario } from "../../sim/scenario/load";
import { runStudySync, seedRuns, type StudyRun } from "../../sim/study/study";
import { ROOT } from "../cli/cli";

const SHIPPED = readdirSync(join(ROOT, "scenarios"))
  .filter((f) => f.endsWith(".yaml"))
  .map((f) => f.replace(/\.yaml$/, ""));

const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
const achromatic = (hex: string) => {
  const [r, g, b] = rgb(hex);
  return Math.max(r, g, b) - Math.min(r, g, b) < 8;
};

/** label → colour of every colour scale (Vega-Lite) in a chart, wherever it is nested. */
function colourScales(chart: Chart): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === "object") {
      const o = node as Record<string, unknown>;
      const color = o.color as { field?: string; scale?: { domain?: unknown[]; range?: unknown[] } } | undefined;
      if (color?.scale?.domain && color.scale.range && (color.field === "series" || color.field === "scenario"))
        out.push(Object.fromEntries(color.scale.domain.map((d, i) => [String(d), String(color.scale!.range![i])])));
      Object.values(o).forEach(walk);
    }
  };
  walk(chart.vegaLite);
  return out;
}

describe("scenario colours", () => {
  it("every shipped scenario has its own colour from the palette, and tiers are greys no scenario uses", () => {
    expect(Object.keys(SCENARIO_COLOURS).sort()).toEqual([...SHIPPED].sort());
    const colours = Object.values(SCENARIO_COLOURS);
    expect(new Set(colours).size).toBe(colours.length);
    for (const c of colours) expect(PALETTE).toContain(c);
    expect(PALETTE.length).toBeGreaterThan(colours.length + 3); // spare colours for scenarios of other names
    for (const c of PALETTE) expect(achromatic(c)).toBe(false);
    for (const c of [...Object.values(TIER_COLOURS), ...CASE_COLOURS]) {
      expect(achromatic(c)).toBe(true);
      expect(PALETTE).not.toContain(c);
    }
  });

  it("a scenario keeps its colour whichever scenarios are shown with it, and in whatever order", () => {
    const a = scenarioColours(["baseline-2018", "siphon-risk"]);
    const b = scenarioColours(["siphon-risk", "capitation-package", "baseline-2018"]);
    expect(a["siphon-risk"]).toBe(b["siphon-risk"]);
    expect(a["baseline-2018"]).toBe(b["baseline-2018"]);
    // by name, whatever the label: a title in either language gets the name's colour
    const zh = scenarioColours([{ name: "siphon-risk", label: "虹吸风险" }]);
    const en = scenarioColours([{ name: "siphon-risk", label: "Siphon risk" }]);
    expect(zh["虹吸风险"]).toBe(SCENARIO_COLOURS["siphon-risk"]);
    expect(en["Siphon risk"]).toBe(SCENARIO_COLOURS["siphon-risk"]);
  });

  it("scenarios of other names get colours no shipped scenario has, stable by name and distinct within a set", () => {
    const one = scenarioColours(["my-reform"]);
    const set = scenarioColours(["baseline-2018", "my-reform", "my-other-reform", "third"]);
    expect(set["my-reform"]).toBe(one["my-reform"]);
    expect(Object.values(SCENARIO_COLOURS)).not.toContain(one["my-reform"]);
    expect(new Set(Object.values(set)).size).toBe(4);
  });

  it("charts built without colours colour scenario labels by name too", () => {
    const t = trajectoryChart({
      lang: "en",
      indicator: { id: "x", label: "X", unit: "share" },
      series: ["siphon-risk", "baseline-2018"].map((label) => ({ label, points: [{ period: "2019", value: 0.5 }] })),
    });
    expect(colourScales(t)[0]).toEqual({ "siphon-risk": SCENARIO_COLOURS["siphon-risk"], "baseline-2018": SCENARIO_COLOURS["baseline-2018"] });
  });
});

describe("the briefing's charts", () => {
  let runs: StudyRun[];
  const charts: Record<"zh" | "en", Chart[]> = { zh: [], en: [] };
  beforeAll(() => {
    const scenarios = ["siphon-risk", "baseline-2018", "full-package-qujing"].map((n) => loadScenario(join(ROOT, "scenarios", `${n}.yaml`)));
    runs = seedRuns(runStudySync({ scenarios, seeds: [2], scale: 0.02, years: 2, baseline: "baseline-2018" }));
    for (const lang of ["zh", "en"] as const) charts[lang] = briefingCharts(lang, runs).charts;
  }, 120_000);

  it("give each scenario its own colour in every chart and both languages; tiers are never coloured like a scenario", () => {
    for (const lang of ["zh", "en"] as const) {
      const byLabel = Object.fromEntries(runs.map((r) => [r.scenario.title[lang], SCENARIO_COLOURS[r.scenario.name]]));
      let scales = 0;
      for (const chart of charts[lang]) {
        for (const scale of colourScales(chart)) {
          scales++;
          for (const [label, colour] of Object.entries(scale)) expect({ chart: chart.name, label, colour }).toEqual({ chart: chart.name, label, colour: byLabel[label] });
        }
      }
      // trajectories (4), referral flows, fund balance and staff: every scenario-coloured chart checked
      expect(scales).toBeGreaterThanOrEqual(6);
      const staff = charts[lang].find((c) => c.name === "staff-by-tier")!;
      expect(staff.rows.every((r) => String(r.series) in byLabel)).toBe(true); // colour = scenario, dash = tier
    }
  });

  it("print at full size on A4: no chart wider than the page's 695 px, so 11 px text prints at ≥ 8 pt", async () => {
    for (const lang of ["zh", "en"] as const)
      for (const chart of charts[lang]) {
        const svg = await chartSvg(chart);
        const width = Number(/width="([\d.]+)"/.exec(svg)![1]);
        const minFont = Math.min(...[...svg.matchAll(/font-size(?::\s*|=")([\d.]+)px/g)].map((m) => Number(m[1])));
        const printedPt = minFont * Math.min(1, 695 / width) * 0.75;
        expect({ lang, chart: chart.name, width: width <= 700, printedPt: printedPt >= 8 }).toEqual({ lang, chart: chart.name, width: true, printedPt: true });
      }
  }, 60_000);

  it("mark counts and money of a scaled county in the subtitle or axis", () => {
    for (const lang of ["zh", "en"] as const) {
      const marked = (name: string) => JSON.stringify(charts[lang].find((c) => c.name === name)?.vegaLite ?? {}).includes(lang === "zh" ? "规模 0.02" : "scale-0.02 county");
      expect(marked("referral-flows")).toBe(true);
      expect(marked("fund-balance")).toBe(true);
      // shares are scale-free: not marked
      expect(marked("trajectory-primaryVisitShare")).toBe(false);
    }
  });

  it("report progress as each PNG is rendered", async () => {
    const calls: [string, number, number][] = [];
    await renderCharts(charts.en.slice(0, 2), { modelVersion: "t", seed: 2, scenarios: [] }, { onProgress: (s, d, t) => calls.push([s, d, t]), workers: 1 });
    expect(calls).toEqual([["charts", 0, 2], ["charts", 1, 2], ["charts", 2, 2]]);
  }, 60_000);
});

describe("notebook chart defects (issue 11 item 6)", () => {
  it("a tornado of an effect (unit points) labels its axis in percentage points, never %", async () => {
    const c = tornadoChart({ lang: "en", outcome: "Reform effect", unit: "points", base: 0.084, bars: [{ parameter: "p", low: 0.06, high: 0.1 }] });
    expect(c.title).toBe("Reform effect is most sensitive to p: +6.0 pp to +10.0 pp");
    const svg = await chartSvg(c);
    const ticks = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]).filter((t) => /^[+−-]?\d/.test(t));
    expect(ticks.length).toBeGreaterThan(2);
    for (const t of ticks) expect(t).toMatch(/^[+-]\d+\.\d pp$/);
    expect(valueText("points", -0.012, "zh")).toBe("−1.2个百分点");
  });

  it("a tornado whose parameter moves the outcome the same way at both ends shows both bars, ranks by the largest effect, and its tick labels do not collide", async () => {
    // "habit": +0.19 pp at the low end, +0.38 pp at the high end (swing 0.19, largest effect 0.38);
    // "crowding": −0.30 / +0.05 (swing 0.35, largest effect 0.30)
    const c = tornadoChart({ lang: "en", outcome: "Change", unit: "points", base: 0, bars: [{ parameter: "crowding", low: -0.003, high: 0.0005 }, { parameter: "habit", low: 0.0019, high: 0.0038 }] });
    expect(c.rows.map((r) => r.parameter)).toEqual(["habit", "habit", "crowding", "crowding"]);
    expect(c.title).toBe("Change is most sensitive to habit: +0.2 pp to +0.4 pp");
    const svg = await chartSvg(c);
    // both of habit's bars are drawn, neither under the other: four bars in four distinct vertical bands
    const bars = [...svg.matchAll(/<path[^>]*aria-roledescription="bar"[^>]*d="M([\d.-]+),([\d.-]+)h([\d.-]+)v([\d.-]+)/g)].map((m) => ({ y: Number(m[2]), h: Number(m[4]) }));
    expect(bars).toHaveLength(4);
    const spans = bars.map((b) => [Math.min(b.y, b.y + b.h), Math.max(b.y, b.y + b.h)]).sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < spans.length; i++) expect(spans[i][0]).toBeGreaterThanOrEqual(spans[i - 1][1] - 1e-6);
    // few ticks, each label distinct (no "−1.0 pp−0.8 pp")
    const ticks = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]).filter((t) => /^([+−-]?\d|0$)/.test(t));
    expect(ticks.length).toBeGreaterThan(2);
    expect(ticks.length).toBeLessThanOrEqual(8);
    expect(new Set(ticks).size).toBe(ticks.length);
    for (const t of ticks) expect(t).toMatch(/^(0|[+−-]\d+\.\d+ pp)$/);
    expect((c.plotly.layout as { barmode: string }).barmode).toBe("group");
  });

  it("a staff chart of scenarios says 'by scenario' with a Scenario legend; by tier its lines are tier greys", () => {
    const series = ["baseline-2018", "siphon-risk"].map((label) => ({ label, points: [{ period: "2019", value: 10 }, { period: "2020", value: 12 }] }));
    const c = staffChart({ lang: "en", series, by: "scenario", what: "Primary-care doctors" });
    expect(c.subtitle).toBe("Primary-care doctors by scenario");
    expect(JSON.stringify(c.vegaLite)).toContain('"title":"Scenario"');
    expect(JSON.stringify(c.vegaLite)).not.toContain('"title":"Tier"');
    expect(colourScales(c)[0]["siphon-risk"]).toBe(SCENARIO_COLOURS["siphon-risk"]);
    const tiers = staffChart({ lang: "en", series: [{ label: "Village clinics", points: [{ period: "2019", value: 1 }] }] });
    expect(colourScales(tiers)[0]["Village clinics"]).toBe(TIER_COLOURS.village);
  });

  it("a monthly trajectory's finding names the month (December's monthly value is not the year's); trailing 12 months may name the year", () => {
    const points = ["2020-11", "2020-12"].map((period) => ({ period, value: 0.52 }));
    const input = { lang: "en" as const, indicator: { id: "primaryVisitShare", label: "Primary-care visit share", unit: "share" }, target: { value: 0.65, comparison: ">=" as const }, series: [{ label: "Baseline", points }] };
    expect(trajectoryChart(input).title).toBe("Primary-care visit share stays short of the ≥ 65% target in 2020-12 (52.0%)");
    expect(trajectoryChart({ ...input, rolling: true }).title).toBe("Primary-care visit share stays short of the ≥ 65% target in 2020 (52.0%)");
    expect(trajectoryChart({ ...input, lang: "zh" }).title).toContain("2020年12月未达到");
  });

  it("an ensemble chart's caption names its seeds, not seed 1", () => {
    const p = { modelVersion: "0.2.0", seed: 1, seeds: [1, 2, 3, 4, 5, 6, 7, 8], scenarios: [{ name: "a", hash: "0123456789" }] };
    expect(provenanceCaption(p, "en")).toContain("seeds 1–8");
    expect(provenanceCaption(p, "zh")).toContain("种子 1–8");
    expect(provenanceCaption({ ...p, seeds: undefined }, "en")).toContain("seed 1 ");
  });

  it("the referral-flows panel colours bars by scenario and wraps long names", () => {
    const t = { upwardReferrals: 100, outOfCountyReferrals: 30, downwardReferralsInpatient: 12, downwardReferralsChronic: 8 };
    const c = flowsChart({ lang: "en", scale: 0.1, scenarios: [{ label: "Pre-reform baseline (2018, fee-for-service)", name: "baseline-2018", links: referralFlows(t) }] });
    expect(colourScales(c)[0]).toEqual({ "Pre-reform baseline (2018, fee-for-service)": SCENARIO_COLOURS["baseline-2018"] });
    expect(c.subtitle).toContain("scale-0.1 county");
    const axis = JSON.stringify((c.vegaLite.concat as unknown[])[0]);
    expect(axis).toContain("labelExpr");
  });
});

describe("Chinese axes", () => {
  it("count and money axes read 万 / 亿 in Chinese, not the SI M / k", async () => {
    const series = [{ label: "baseline-2018", group: "甲", points: ["2019-01", "2019-02", "2019-03"].map((period, i) => ({ period, value: 1e6 * (i + 1) })) }];
    const zh = await chartSvg(fundBalanceChart({ lang: "zh", series }));
    const ticks = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]).filter((t) => /^\d/.test(t) && !/^\d{4}-/.test(t));
    expect(ticks(zh).some((t) => t.endsWith("万"))).toBe(true);
    expect(ticks(zh).some((t) => /[MkG]$/.test(t))).toBe(false);
    const en = await chartSvg(fundBalanceChart({ lang: "en", series }));
    expect(ticks(en).some((t) => t.endsWith("M"))).toBe(true);
  });
});

/** Chart builders on hand-made data: target lines, bands, language, findings, and the CSV behind each chart. */
import { describe, expect, it } from "vitest";
import {
  chartCsv,
  flowsChart,
  fundBalanceChart,
  indicatorTrajectory,
  packageSeries,
  referralFlows,
  rollingIndicators,
  seriesChart,
  staffChart,
  targetBarsChart,
  targetBarsFromEntries,
  textWidth,
  tornadoChart,
  trajectoryChart,
  wrapText,
  type Chart,
} from "../../sim/charts";
import { newCounters, yearlyIndicators, type PeriodIndicators } from "../../sim/indicators";

type Layer = { mark: { type: string } | string; encoding: Record<string, Record<string, unknown>> };
const layers = (c: Chart) => (c.vegaLite.layer ?? []) as Layer[];
const markType = (l: Layer) => (typeof l.mark === "string" ? l.mark : l.mark.type);
const titleText = (c: Chart) => {
  const t = c.vegaLite.title as { text: string[]; subtitle: string[] };
  return `${t.text.join("")} ${t.subtitle.join("")}`;
};

/** Parse simple CSV text (no quoted commas in these tests) back to rows of strings. */
function parseCsv(text: string): string[][] {
  return text.trimEnd().split("\n").map((l) => l.split(","));
}

function expectCsvMatchesRows(c: Chart): void {
  const [header, ...lines] = parseCsv(chartCsv(c));
  expect(header).toEqual(c.columns);
  expect(lines).toHaveLength(c.rows.length);
  lines.forEach((line, i) => {
    c.columns.forEach((col, j) => {
      const v = c.rows[i][col];
      expect(line[j]).toBe(v === null || v === undefined ? "" : String(v));
    });
  });
}

const share = { id: "primaryVisitShare", label: { zh: "基层诊疗量占比", en: "Primary-care visit share" }, unit: "share" as const };
const months = ["2019-01", "2019-02", "2019-03"];

describe("trajectoryChart", () => {
  const series = [
    { label: "Baseline", points: months.map((p, i) => ({ period: p, value: 0.54 + i * 0.001, lo: 0.52, hi: 0.56 })) },
    { label: "Reform", points: months.map((p, i) => ({ period: p, value: 0.6 + i * 0.03 })) },
  ];

  it("draws the target as a dashed rule at the target value, labelled, and states how many scenarios reach it", () => {
    const c = trajectoryChart({ lang: "en", indicator: share, series, target: { value: 0.65, comparison: ">=" } });
    const rules = layers(c).filter((l) => markType(l) === "rule");
    expect(rules).toHaveLength(1);
    expect(rules[0].encoding.y.datum).toBe(0.65);
    const label = layers(c).find((l) => markType(l) === "text")!;
    expect(label.encoding.text.value).toBe("Target ≥ 65%");
    // Reform ends at 0.66 ≥ 0.65, the baseline at 0.542; monthly values: the finding names the month, not the year
    expect(c.title).toBe("Primary-care visit share: 1 of 2 scenarios reaches the ≥ 65% target in 2019-03");
    expect(c.plotly.layout.shapes).toEqual([expect.objectContaining({ y0: 0.65, y1: 0.65 })]);
  });

  it("draws the uncertainty band (lo–hi) only when the data have one", () => {
    const withBand = trajectoryChart({ lang: "en", indicator: share, series, target: null });
    const area = layers(withBand).find((l) => markType(l) === "area")!;
    expect(area.encoding.y.field).toBe("lo");
    expect(area.encoding.y2.field).toBe("hi");
    expect(withBand.subtitle).toContain("10–90% band");
    expect(withBand.plotly.data.some((t) => t.fill === "tonexty")).toBe(true);
    const noBand = trajectoryChart({ lang: "en", indicator: share, series: [series[1]], target: null });
    expect(layers(noBand).some((l) => markType(l) === "area")).toBe(false);
    expect(layers(noBand).some((l) => markType(l) === "rule")).toBe(false);
  });

  it("speaks the chosen language: Chinese titles, axis and target label with --lang zh", () => {
    const c = trajectoryChart({ lang: "zh", indicator: share, series, target: { value: 0.65, comparison: ">=" } });
    expect(titleText(c)).toContain("基层诊疗量占比");
    expect(c.title).toContain("2个情景中1个");
    const line = layers(c).find((l) => markType(l) === "line")!;
    expect(line.encoding.x.title).toBe("月份");
    expect(layers(c).find((l) => markType(l) === "text")!.encoding.text.value).toBe("目标 ≥ 65%");
    expect(titleText(c)).not.toMatch(/Primary|Month|Target/);
  });

  it("without a target, the finding names the highest and lowest series at the end (or the change of a single one)", () => {
    const c = trajectoryChart({ lang: "en", indicator: share, series, target: null });
    expect(c.title).toBe("Primary-care visit share in 2019-03: highest under Reform (66.0%), lowest under Baseline (54.2%)");
    const one = trajectoryChart({ lang: "zh", indicator: share, series: [series[1]], target: null });
    expect(one.title).toBe("基层诊疗量占比：2019-01 60.0% → 2019-03 66.0%");
  });

  it("puts months on a time axis and years on an ordered axis", () => {
    const monthly = trajectoryChart({ lang: "en", indicator: share, series, target: null });
    expect(layers(monthly).find((l) => markType(l) === "line")!.encoding.x.type).toBe("temporal");
    const yearly = trajectoryChart({ lang: "en", indicator: share, series: [{ label: "A", points: [{ period: "2019", value: 0.5 }, { period: "2020", value: 0.6 }] }], target: null });
    expect(layers(yearly).find((l) => markType(l) === "line")!.encoding.x.type).toBe("ordinal");
  });

  it("its CSV is exactly the data drawn (series, period, value, lo, hi)", () => {
    const c = trajectoryChart({ lang: "en", indicator: share, series, target: null });
    expect(c.columns).toEqual(["series", "period", "value", "lo", "hi"]);
    expect(c.rows).toHaveLength(6);
    expect(c.rows[0]).toEqual({ series: "Baseline", period: "2019-01", value: 0.54, lo: 0.52, hi: 0.56 });
    expect(c.rows[3]).toEqual({ series: "Reform", period: "2019-01", value: 0.6, lo: null, hi: null });
    expectCsvMatchesRows(c);
  });

  it("from model indicators: the target comes from sim/indicators.ts", () => {
    const p = (period: string, v: number): PeriodIndicators => ({ period, values: { primaryVisitShare: { value: v, target: 0.65, comparison: ">=", met: v >= 0.65, gap: v - 0.65 } } });
    const c = indicatorTrajectory("en", "primaryVisitShare", [{ label: "X", periods: [p("2019", 0.5), p("2020", 0.7)] }]);
    expect(layers(c).find((l) => markType(l) === "rule")!.encoding.y.datum).toBe(0.65);
    expect(c.title).toBe("Primary-care visit share reaches the ≥ 65% target in 2020 (70.0%)");
    expect(() => indicatorTrajectory("en", "noSuchIndicator", [])).toThrow(/unknown indicator "noSuchIndicator"/);
  });
});

describe("targetBarsChart", () => {
  const indicators = [
    { id: "primaryVisitShare", label: share.label, unit: "share" as const, target: { value: 0.65, comparison: ">=" as const } },
    { id: "downwardReferralGrowth", label: { zh: "下转人次增长率", en: "Downward-referral growth" }, unit: "growth" as const, target: { value: 0.1, comparison: ">=" as const } },
  ];
  const scenarios = [
    { label: "Baseline", values: { primaryVisitShare: 0.54, downwardReferralGrowth: null } },
    { label: "Full package", values: { primaryVisitShare: 0.66, downwardReferralGrowth: 0.2 } },
  ];

  it("judges met / missed / no value per bar, marks values ✓ / ×, and counts scenarios meeting every target", () => {
    const c = targetBarsChart({ lang: "en", year: "2020", indicators, scenarios });
    expect(c.rows.map((r) => [r.scenario, r.indicator, r.met, r.text])).toEqual([
      ["Baseline", "primaryVisitShare", false, "54.0% ×"],
      ["Full package", "primaryVisitShare", true, "66.0% ✓"],
      ["Baseline", "downwardReferralGrowth", null, "—"],
      ["Full package", "downwardReferralGrowth", true, "+20.0% ✓"],
    ]);
    expect(c.title).toBe("2020: 1 of 2 scenarios meets all 2 targets");
    expectCsvMatchesRows(c);
  });

  it("draws one panel per indicator, each with its own target rule", () => {
    const c = targetBarsChart({ lang: "zh", year: "2020", indicators, scenarios });
    const panels = c.vegaLite.hconcat as { layer: Layer[]; title: { text: string[] } }[];
    expect(panels).toHaveLength(2);
    expect(panels.map((p) => p.layer.find((l) => markType(l) === "rule")!.encoding.x.datum)).toEqual([0.65, 0.1]);
    expect(panels[0].title.text).toEqual(["基层诊疗量占比 ≥ 65%"]); // wrapped to the panel's width
    expect(c.title).toBe("2020年：2个情景中1个达到全部2项目标");
    expect(c.rows.map((r) => r.status)).toEqual(["未达标", "达标", "无数据", "达标"]);
  });

  it("from compare entries uses the indicators' own targets", () => {
    const entry = (name: string, p: number, w: number, g: number | null) => ({
      title: { zh: name, en: name },
      year: "2020",
      indicators: { primaryVisitShare: { value: p }, withinCountyVisitRate: { value: w }, downwardReferralGrowth: { value: g } },
    });
    const c = targetBarsFromEntries("en", [entry("A", 0.7, 0.95, 0.15), entry("B", 0.5, 0.8, 0.01)], ["primaryVisitShare", "withinCountyVisitRate", "downwardReferralGrowth"]);
    expect(c.rows.filter((r) => r.scenario === "A").every((r) => r.met === true)).toBe(true);
    expect(c.rows.filter((r) => r.scenario === "B").every((r) => r.met === false)).toBe(true);
    expect(c.title).toBe("2020: 1 of 2 scenarios meets all 3 targets");
    expect(() => targetBarsFromEntries("en", [], ["visitsPerResident"])).toThrow(/has no target/);
  });
});

describe("flows", () => {
  const totals = { upwardReferrals: 100, outOfCountyReferrals: 30, downwardReferralsInpatient: 12, downwardReferralsChronic: 8, visitsVillage: 500, admissionsVillage: 0, visitsTownship: 400, admissionsTownship: 20, visitsCounty: 300, admissionsCounty: 50, visitsOutOfCounty: 90, admissionsOutOfCounty: 10 };

  it("referralFlows splits upward referrals into within-county and out-of-county, downward into recovery stays and chronic", () => {
    expect(referralFlows(totals)).toEqual([
      { from: "firstFacility", to: "withinCountyHigher", value: 70, direction: "up" },
      { from: "firstFacility", to: "outOfCounty", value: 30, direction: "up" },
      { from: "county", to: "township", value: 12, direction: "down" },
      { from: "county", to: "village", value: 8, direction: "down" },
    ]);
    const withEncounters = referralFlows(totals, { encounters: true });
    expect(withEncounters.slice(0, 4).map((l) => [l.to, l.value])).toEqual([["village", 500], ["township", 420], ["county", 350], ["outOfCounty", 100]]);
  });

  it("flowsChart: bars per link and scenario, a Sankey per scenario in Plotly, the finding compares downward referrals", () => {
    const c = flowsChart({
      lang: "en",
      scenarios: [
        { label: "Baseline", links: referralFlows(totals) },
        { label: "Reform", links: referralFlows({ ...totals, downwardReferralsInpatient: 30, downwardReferralsChronic: 10 }) },
      ],
    });
    expect(c.rows).toHaveLength(8);
    expect(c.rows[2]).toMatchObject({ scenario: "Baseline", direction: "down", from: "county", to: "township", value: 12, link: "↓ County hospitals → Township centres" });
    expect(c.title).toBe("Baseline: 100 upward and 20 downward referrals; the other scenario: 2.0× its downward referrals");
    const sankeys = c.plotly.data;
    expect(sankeys.map((t) => t.type)).toEqual(["sankey", "sankey"]);
    const link = sankeys[0].link as { source: number[]; target: number[]; value: number[] };
    const nodes = (sankeys[0].node as { label: string[] }).label;
    expect(link.source.map((i, k) => `${nodes[i]}→${nodes[link.target[k]]}:${link.value[k]}`)).toEqual([
      "First facility→Higher tier in county:70",
      "First facility→Out of county:30",
      "County hospitals→Township centres:12",
      "County hospitals→Village clinics:8",
    ]);
    expectCsvMatchesRows(c);
    const panels = c.vegaLite.concat as { title: { text: string } }[];
    expect(c.vegaLite.columns).toBe(2); // two panels a row: the chart prints at full size on A4
    expect(panels.map((p) => p.title.text)).toEqual([
      "↑ First facility → Higher tier in county",
      "↑ First facility → Out of county",
      "↓ County hospitals → Township centres",
      "↓ County hospitals → Village clinics",
    ]);
  });
});

describe("rollingIndicators", () => {
  it("applies the annual definition to each trailing 12 months; the last window equals the final calendar year", () => {
    const months = 24;
    const c = newCounters(months);
    for (let m = 0; m < months; m++) {
      c.visitsVillage[m] = m < 12 ? 1 : 3;
      c.visitsCounty[m] = 1;
      c.downwardReferralsChronic[m] = m < 12 ? 10 : 12;
      c.residents[m] = 100;
    }
    const r = rollingIndicators(c, { year: 2019, month: 1 }, months);
    expect(r.map((p) => p.period)).toEqual(["2019-12", ...Array.from({ length: 12 }, (_, i) => `2020-${String(i + 1).padStart(2, "0")}`)]);
    expect(r[0].values.primaryVisitShare.value).toBe(0.5);
    expect(r[6].values.primaryVisitShare.value).toBeCloseTo((6 + 18) / (24 + 12), 12); // Jul 2019–Jun 2020
    const yearly = yearlyIndicators(c, { year: 2019, month: 1 }, months);
    expect(r[12].values).toEqual(yearly[1].values);
    expect(r[12].values.downwardReferralGrowth.value).toBeCloseTo(0.2, 12);
    expect(r[0].values.downwardReferralGrowth.value).toBeNull();
  });
});

describe("series, staff, fund balance, tornado", () => {
  it("seriesChart: lines (or stacked areas) per series, dash per group, reference line, CSV of the points", () => {
    const c = seriesChart({
      lang: "en",
      name: "x",
      title: "T",
      subtitle: "S",
      yTitle: "Y",
      unit: "count",
      series: [
        { label: "A", group: "g1", points: [{ period: "2019", value: 1 }, { period: "2020", value: 2 }] },
        { label: "A", group: "g2", points: [{ period: "2019", value: 3 }, { period: "2020", value: null }] },
      ],
      reference: { value: 0, label: "zero" },
    });
    const line = layers(c).find((l) => markType(l) === "line")!;
    expect(line.encoding.strokeDash.field).toBe("group");
    expect(layers(c).find((l) => markType(l) === "rule")!.encoding.y.datum).toBe(0);
    expect(c.columns).toEqual(["series", "group", "period", "value"]);
    expectCsvMatchesRows(c);
    const stacked = seriesChart({ lang: "en", name: "s", title: "T", subtitle: "S", yTitle: "Y", unit: "count", stacked: true, series: [{ label: "A", points: [{ period: "2019", value: 1 }] }] });
    expect(markType(layers(stacked)[0])).toBe("area");
    expect(layers(stacked)[0].encoding.y.stack).toBe("zero");
  });

  it("staffChart takes any series by tier and states the change in the first tier's share", () => {
    const c = staffChart({
      lang: "en",
      series: [
        { label: "Village clinics", points: [{ period: "2019", value: 20 }, { period: "2020", value: 30 }] },
        { label: "County hospitals", points: [{ period: "2019", value: 80 }, { period: "2020", value: 70 }] },
      ],
    });
    expect(c.title).toBe("Share of staff in village clinics: 20.0% in 2019 → 30.0% in 2020");
    expect(c.name).toBe("staff-by-tier");
    const zh = staffChart({ lang: "zh", series: [{ label: "村卫生室", points: [{ period: "2019", value: 1 }] }] });
    expect(zh.title).toBe("村卫生室占人员数比例：2019 100.0% → 2019 100.0%");
  });

  it("fundBalanceChart: zero line, and the finding names the lowest balance", () => {
    const c = fundBalanceChart({
      lang: "en",
      series: [
        { label: "Cap", group: "North", points: [{ period: "2019-01", value: 5 }, { period: "2019-02", value: -2000 }] },
        { label: "Cap", group: "South", points: [{ period: "2019-01", value: 10 }, { period: "2019-02", value: 20 }] },
      ],
    });
    expect(c.title).toBe("Package balance: 1 of 2 community series run a deficit; lowest −¥2,000 (Cap, North, 2019-02)");
    expect(layers(c).find((l) => markType(l) === "rule")!.encoding.y.datum).toBe(0);
  });

  it("packageSeries: one series per community paid by package, from its first non-zero month", () => {
    const C = 2;
    const communityPackage = new Float64Array([0, 0, 5, 0, 7, 0]); // months × communities; the second never paid
    const s = packageSeries("en", "Cap", { start: { year: 2019, month: 11 }, months: 3, communities: [{ id: "a", name: { zh: "甲", en: "A" } }, { id: "b", name: { zh: "乙", en: "B" } }], communityPackage });
    expect(C).toBe(2);
    expect(s).toEqual([{ label: "Cap", group: "A", points: [{ period: "2019-12", value: 5 }, { period: "2020-01", value: 7 }] }]);
  });

  it("tornadoChart: widest swing first, bars from the base", () => {
    const c = tornadoChart({ lang: "en", outcome: "Primary share", unit: "share", base: 0.55, bars: [{ parameter: "narrow", low: 0.54, high: 0.56 }, { parameter: "wide", low: 0.5, high: 0.62 }] });
    expect(c.rows.map((r) => r.parameter)).toEqual(["wide", "wide", "narrow", "narrow"]);
    expect(c.rows[0]).toMatchObject({ case: "low", value: 0.5, base: 0.55 });
    expect((c.rows[0].change as number).toFixed(2)).toBe("-0.05");
    const bar = layers(c).find((l) => markType(l) === "bar")!;
    expect(bar.encoding.x2.datum).toBe(0.55);
    expect(c.title).toBe("Primary share is most sensitive to wide: 50.0% to 62.0%");
    expectCsvMatchesRows(c);
  });
});

describe("text measurement and wrapping", () => {
  it("Chinese characters are 1 em, Latin narrower; wrapped lines fit the width", () => {
    expect(textWidth("基层", 10)).toBe(20);
    expect(textWidth("ii", 10)).toBeLessThan(textWidth("MM", 10));
    const long = "Most downward referrals: Capitation package for the medical communities (Qujing), 3.2× the pre-reform baseline";
    const lines = wrapText(long, 300, 17, true);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.join(" ")).toBe(long);
    for (const l of lines) expect(textWidth(l, 17, true)).toBeLessThanOrEqual(300);
    const zh = wrapText("下转最多：医共体按人头总额打包付费（曲靖），为改革前基线的3.2倍", 200, 17, true);
    expect(zh.join("")).toBe("下转最多：医共体按人头总额打包付费（曲靖），为改革前基线的3.2倍");
    for (const l of zh) expect(textWidth(l, 17, true)).toBeLessThanOrEqual(200);
    expect(zh.some((l) => /^[，。；：）]/.test(l))).toBe(false);
  });
});

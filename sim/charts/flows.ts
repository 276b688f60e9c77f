/**
 * Flows of patients between tiers: a Sankey diagram in Plotly; in Vega-Lite (static
 * SVG/PNG) the same links as bars: one panel per link ("↓ County hospitals → Township
 * centres"), one bar per scenario, coloured by direction (up / down).
 *
 * `referralFlows` turns the model's monthly counters into links. The counters record
 * how many episodes were referred up (and how many of those left the county) but not the
 * tier that referred them, so upward links start at "first facility" rather than a tier.
 */
import type { Chart, Row } from "./chart";
import { axisLabels, bigNumber, scaleNote } from "./format";
import { label, tierLabel, type Lang, type LabelKey } from "./labels";
import { TIER_COLOURS, colourScale, plotlyLayout, scenarioColours, vegaConfig, titleBlock, wrappedLabels } from "./style";
import { wrapText } from "./text";
import { hexAlpha } from "./trajectory";

export type FlowDirection = "up" | "down" | "entry";

export interface FlowLink {
  /** node keys: tier names (village, township, county, outOfCounty), "residents", "firstFacility", or any text */
  from: string;
  to: string;
  value: number;
  direction: FlowDirection;
}

export interface FlowsInput {
  lang: Lang;
  name?: string;
  /** what the values count, e.g. "referrals in 2020" */
  what?: string;
  /** each scenario's `name` (default its label) picks its colour (scenarioColours) */
  scenarios: { label: string; name?: string; links: FlowLink[] }[];
  title?: string;
  /** fixed colour per scenario label (default: scenarioColours by name) */
  colours?: Readonly<Record<string, string>>;
  /** the runs' scale: below 1, the counts are marked as a scaled county's */
  scale?: number;
}

/** Counter totals over a period (as sim/indicators.ts `totals` gives them). */
export interface FlowTotals {
  upwardReferrals: number;
  outOfCountyReferrals: number;
  downwardReferralsInpatient: number;
  downwardReferralsChronic: number;
  visitsVillage?: number;
  visitsTownship?: number;
  visitsCounty?: number;
  visitsOutOfCounty?: number;
  admissionsVillage?: number;
  admissionsTownship?: number;
  admissionsCounty?: number;
  admissionsOutOfCounty?: number;
}

/**
 * Referral links from counter totals: upward (first facility → higher tier in the county,
 * first facility → out of county) and downward (county hospitals → township recovery
 * stays, county hospitals → village clinics for stable chronic patients). With
 * `encounters`, also residents → each tier (visits + admissions) for a full Sankey.
 */
export function referralFlows(t: FlowTotals, options: { encounters?: boolean } = {}): FlowLink[] {
  const links: FlowLink[] = [];
  if (options.encounters) {
    for (const tier of ["village", "township", "county", "outOfCounty"] as const) {
      const cap = tier[0].toUpperCase() + tier.slice(1);
      const v = ((t as unknown as Record<string, number | undefined>)[`visits${cap}`] ?? 0) + ((t as unknown as Record<string, number | undefined>)[`admissions${cap}`] ?? 0);
      links.push({ from: "residents", to: tier, value: v, direction: "entry" });
    }
  }
  links.push(
    { from: "firstFacility", to: "withinCountyHigher", value: t.upwardReferrals - t.outOfCountyReferrals, direction: "up" },
    { from: "firstFacility", to: "outOfCounty", value: t.outOfCountyReferrals, direction: "up" },
    { from: "county", to: "township", value: t.downwardReferralsInpatient, direction: "down" },
    { from: "county", to: "village", value: t.downwardReferralsChronic, direction: "down" },
  );
  return links;
}

export function nodeLabel(key: string, lang: Lang): string {
  if (key === "firstFacility") return lang === "zh" ? "首诊机构" : "First facility";
  if (key === "residents" || key === "withinCountyHigher") return label(key as LabelKey, lang);
  return tierLabel(key, lang);
}

const dirLabel = (d: FlowDirection, lang: Lang) => label(d === "up" ? "upward" : d === "down" ? "downward" : "entry", lang);

export function flowsChart(input: FlowsInput): Chart {
  const { lang } = input;
  const rows: Row[] = input.scenarios.flatMap((s) =>
    s.links.map((l) => ({
      scenario: s.label,
      direction: l.direction,
      from: l.from,
      to: l.to,
      link: `${l.direction === "up" ? "↑" : l.direction === "down" ? "↓" : "·"} ${nodeLabel(l.from, lang)} → ${nodeLabel(l.to, lang)}`,
      value: l.value,
    })),
  );
  const what = input.what ?? label("referrals", lang);
  // Finding: the first scenario's counts and the others' downward referrals relative to it —
  // stated, not ranked: a count is not the target (growth of downward referrals, Figure 1's),
  // and the most downward referrals can come with the most upward ones (a siphon).
  const down = input.scenarios.map((s) => s.links.filter((l) => l.direction === "down").reduce((a, l) => a + l.value, 0));
  const up = input.scenarios.map((s) => s.links.filter((l) => l.direction === "up").reduce((a, l) => a + l.value, 0));
  let title = input.title;
  if (!title) {
    const first = input.scenarios[0]?.label ?? "";
    title = lang === "zh" ? `${first}：上转${bigNumber(up[0] ?? 0, lang)}人次，下转${bigNumber(down[0] ?? 0, lang)}人次` : `${first}: ${bigNumber(up[0] ?? 0, lang)} upward and ${bigNumber(down[0] ?? 0, lang)} downward referrals`;
    const ratios = down.slice(1).map((d) => (down[0] > 0 ? d / down[0] : null)).filter((r): r is number => r !== null);
    if (ratios.length) {
      const lo = Math.min(...ratios).toFixed(1);
      const hi = Math.max(...ratios).toFixed(1);
      const span = lo === hi ? `${lo}` : `${lo}–${hi}`;
      title += lang === "zh" ? `；其他情景下转人次为其${span}倍` : `; the other scenario${ratios.length > 1 ? "s" : ""}: ${span}× its downward referrals`;
    }
  }
  const scaled = scaleNote(input.scale, lang);
  const subtitle =
    (lang === "zh"
      ? `${what}，每格一个流向（各自刻度）；↑ 上转（首诊机构无法诊治，或基层首诊时医生转诊），↓ 下转；颜色为情景`
      : `${what}, one panel per flow (own scale); ↑ upward: the first facility could not treat, or its doctor referred at a required first contact; ↓ downward; colour: scenario`) +
    (scaled ? (lang === "zh" ? `；${scaled}` : `; ${scaled}`) : "");
  // One panel per link (its own scale: upward referrals outnumber the others), two panels a
  // row so the chart prints at full size on A4; one bar per scenario in its scenario colour
  // (the same as in every other chart); scenario names wrapped, in the left column only.
  const linkOrder = [...new Set(rows.map((r) => String(r.link)))];
  const scenarioOrder = input.scenarios.map((s) => s.label);
  const colours = input.colours ?? scenarioColours(input.scenarios.map((s) => ({ name: s.name ?? s.label, label: s.label })));
  const labelLines = scenarioOrder.map((l) => wrapText(l, 190, 12).length);
  const rowHeight = Math.max(22, 15 * Math.max(1, ...labelLines) + 6);
  const columns = linkOrder.length > 2 ? 2 : linkOrder.length;
  const panels = linkOrder.map((link, i) => {
    const data = rows.filter((r) => r.link === link);
    const max = Math.max(1, ...data.map((r) => Number(r.value) || 0));
    return {
      title: { text: link, fontSize: 13, anchor: "start" },
      width: 190,
      height: Math.max(50, rowHeight * scenarioOrder.length),
      data: { values: data.map((r) => ({ ...r, valueText: bigNumber(Number(r.value) || 0, lang) })) },
      layer: [
        {
          mark: { type: "bar", height: 15 },
          encoding: {
            y: { field: "scenario", type: "nominal", sort: scenarioOrder, title: null, axis: i % columns === 0 ? { ...wrappedLabels(scenarioOrder, 190), labelFontSize: 12 } : null },
            x: { field: "value", type: "quantitative", title: null, axis: { ...axisLabels("count", lang), tickCount: 3, labelFontSize: 12 }, scale: { domain: [0, max * 1.35], nice: false } },
            color: { field: "scenario", type: "nominal", scale: colourScale(scenarioOrder, colours), legend: null },
            tooltip: [{ field: "scenario" }, { field: "link" }, { field: "value", format: "," }],
          },
        },
        {
          mark: { type: "text", align: "left", dx: 3, fontSize: 12, color: "#222222" },
          encoding: { y: { field: "scenario", type: "nominal", sort: scenarioOrder }, x: { field: "value", type: "quantitative" }, text: { field: "valueText" } },
        },
      ],
    };
  });
  const vegaLite = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: titleBlock(title, subtitle, 640),
    config: { ...vegaConfig(), concat: { spacing: 22 } },
    concat: panels,
    columns,
    resolve: { scale: { x: "independent" } },
  };

  // Plotly: one Sankey per scenario, stacked vertically.
  const n = input.scenarios.length;
  const data = input.scenarios.map((s, i) => {
    const keys = [...new Set(s.links.flatMap((l) => [l.from, l.to]))];
    const gap = 0.04;
    const h = (1 - gap * (n - 1)) / n;
    const y0 = 1 - (i + 1) * h - i * gap;
    return {
      type: "sankey",
      name: s.label,
      domain: { x: [0, 1], y: [Math.max(0, y0), Math.min(1, y0 + h)] },
      arrangement: "snap",
      node: { label: keys.map((k) => nodeLabel(k, lang)), pad: 14, thickness: 16, color: keys.map((k) => TIER_COLOURS[k] ?? "#C8C8C8") },
      link: {
        source: s.links.map((l) => keys.indexOf(l.from)),
        target: s.links.map((l) => keys.indexOf(l.to)),
        value: s.links.map((l) => Math.max(0, l.value)),
        label: s.links.map((l) => dirLabel(l.direction, lang)),
        color: s.links.map((l) => hexAlpha(l.direction === "down" ? "#4D4D4D" : l.direction === "up" ? "#A6A6A6" : "#D0D0D0", 0.5)),
      },
    };
  });
  const layout = {
    ...plotlyLayout(title, subtitle),
    height: Math.max(420, 320 * n),
    annotations: input.scenarios.map((s, i) => ({ xref: "paper", yref: "paper", x: 0, y: 1 - i / n, yanchor: "bottom", showarrow: false, text: `<b>${s.label}</b>` })),
  };
  return { name: input.name ?? "referral-flows", lang, title, subtitle, columns: ["scenario", "direction", "from", "to", "value"], rows, vegaLite, plotly: { data, layout } };
}

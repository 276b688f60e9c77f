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
import { bigNumber } from "./format";
import { label, tierLabel, type Lang, type LabelKey } from "./labels";
import { PALETTE, plotlyLayout, vegaConfig, titleBlock } from "./style";
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
  scenarios: { label: string; links: FlowLink[] }[];
  title?: string;
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
  // Finding: the scenario with the most downward referrals, relative to the first scenario.
  const down = input.scenarios.map((s) => s.links.filter((l) => l.direction === "down").reduce((a, l) => a + l.value, 0));
  const up = input.scenarios.map((s) => s.links.filter((l) => l.direction === "up").reduce((a, l) => a + l.value, 0));
  let title = input.title;
  if (!title) {
    const best = down.indexOf(Math.max(...down));
    const base = down[0];
    const ratio = base > 0 ? down[best] / base : null;
    if (input.scenarios.length > 1 && ratio !== null && best !== 0)
      title = lang === "zh"
        ? `下转最多：${input.scenarios[best].label}，为${input.scenarios[0].label}的${ratio.toFixed(1)}倍`
        : `Most downward referrals: ${input.scenarios[best].label}, ${ratio.toFixed(1)}× ${input.scenarios[0].label}`;
    else
      title = lang === "zh"
        ? `上转${bigNumber(up[0] ?? 0, lang)}人次，下转${bigNumber(down[0] ?? 0, lang)}人次`
        : `${bigNumber(up[0] ?? 0, lang)} upward and ${bigNumber(down[0] ?? 0, lang)} downward referrals`;
  }
  const subtitle = lang === "zh" ? `${what}，每格一个流向（各自刻度）；↑ 上转（首诊机构无法诊治，或基层首诊时医生转诊；橙红），↓ 下转（绿）` : `${what}, one panel per flow (own scale); ↑ upward: the first facility could not treat, or its doctor referred at a required first contact (vermillion), ↓ downward (green)`;
  // One panel per link (its own scale: upward referrals outnumber the others), one bar per
  // scenario, coloured by direction; compact however many scenarios there are.
  const linkOrder = [...new Set(rows.map((r) => String(r.link)))];
  const scenarioOrder = input.scenarios.map((s) => s.label);
  const barHeight = 22;
  const panels = linkOrder.map((link, i) => {
    const data = rows.filter((r) => r.link === link);
    const max = Math.max(1, ...data.map((r) => Number(r.value) || 0));
    return {
      title: { text: link, fontSize: 12, anchor: "middle" },
      width: 125,
      height: Math.max(50, barHeight * scenarioOrder.length),
      data: { values: data.map((r) => ({ ...r, valueText: bigNumber(Number(r.value) || 0, lang) })) },
      layer: [
        {
          mark: { type: "bar", height: barHeight - 7 },
          encoding: {
            y: { field: "scenario", type: "nominal", sort: scenarioOrder, title: null, axis: i === 0 ? { labelLimit: 330 } : null },
            x: { field: "value", type: "quantitative", title: null, axis: { format: "~s", tickCount: 3 }, scale: { domain: [0, max * 1.45], nice: false } },
            color: { field: "direction", type: "nominal", scale: { domain: ["up", "down", "entry"], range: [PALETTE[5], PALETTE[2], "#999999"] }, legend: null },
            tooltip: [{ field: "scenario" }, { field: "link" }, { field: "value", format: "," }],
          },
        },
        {
          mark: { type: "text", align: "left", dx: 3, fontSize: 11, color: "#222222" },
          encoding: { y: { field: "scenario", type: "nominal", sort: scenarioOrder }, x: { field: "value", type: "quantitative" }, text: { field: "valueText" } },
        },
      ],
    };
  });
  const vegaLite = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: titleBlock(title, subtitle, 760),
    config: { ...vegaConfig(), concat: { spacing: 14 } },
    hconcat: panels,
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
      node: { label: keys.map((k) => nodeLabel(k, lang)), pad: 14, thickness: 16, color: keys.map((_, j) => PALETTE[j % PALETTE.length]) },
      link: {
        source: s.links.map((l) => keys.indexOf(l.from)),
        target: s.links.map((l) => keys.indexOf(l.to)),
        value: s.links.map((l) => Math.max(0, l.value)),
        label: s.links.map((l) => dirLabel(l.direction, lang)),
        color: s.links.map((l) => hexAlpha(l.direction === "down" ? PALETTE[2] : l.direction === "up" ? PALETTE[5] : "#999999", 0.45)),
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

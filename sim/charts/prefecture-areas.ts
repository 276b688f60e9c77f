/**
 * What every prefecture chart (sim/charts/prefecture.ts, prefecture-siphon.ts) shares:
 * its input, the year it reports and the areas drawn — the prefecture first, then each
 * county by name in the chart's language, pilots marked ★.
 */
import type { PrefectureResults } from "../prefecture/results";
import { pick, type Bilingual, type Lang } from "./labels";
import { wrappedLabels } from "./style";

export interface PrefectureChartInput {
  lang: Lang;
  results: PrefectureResults;
  /** ids of the pilot counties (the prefecture file's pilot: true) */
  pilots: readonly string[];
  /** names of the city's and outside hospitals, by id (the prefecture file's hospitals) */
  hospitals: Readonly<Record<string, Bilingual>>;
}

/** The prefecture's row label (its counties' summed counts), by language. */
export const PREFECTURE_NAME = { zh: "全市（各县合计）", en: "Prefecture (all counties)" } as const;
/** The legend title of the areas, by language. */
export const AREA = { zh: "地区", en: "Area" } as const;

/** The target year the md reports (2020 when simulated, else the final year). */
export function prefectureTargetYear(r: PrefectureResults): string {
  return r.periods.includes("2020") ? "2020" : r.periods[r.periods.length - 1];
}

/** Axis label of an area: its name in the chart's language, ★ for a pilot. */
export function areaLabels(input: PrefectureChartInput): { id: string; label: string; pilot: boolean; prefecture: boolean }[] {
  const { results: r, lang } = input;
  return [
    { id: r.prefecture.id, label: PREFECTURE_NAME[lang], pilot: false, prefecture: true },
    ...r.counties.map((c) => ({ id: c.id, label: `${pick(c.name, lang)}${input.pilots.includes(c.id) ? " ★" : ""}`, pilot: input.pilots.includes(c.id), prefecture: false })),
  ];
}

/** The area axis's labels: wrapped to `width` pixels, the prefecture's row in bold. */
export function areaAxis(order: readonly string[], lang: Lang, width: number): Record<string, unknown> {
  return { ...wrappedLabels(order, width), labelFontWeight: { condition: { test: `datum.value === ${JSON.stringify(PREFECTURE_NAME[lang])}`, value: "bold" }, value: "normal" } };
}

/**
 * Numbers on charts: the same units as sim/indicators.ts (share, growth, yuan, count,
 * per resident), as d3-format strings for axes and as text for labels and titles.
 */
import { meetsTarget, type Comparison } from "../indicators";
import type { Lang } from "./labels";

/** Units of indicators (sim/indicators.ts) plus any free text unit of a plain series. */
export type Unit = "share" | "count" | "yuan" | "growth" | "per resident" | "points" | (string & {});
export type { Comparison };

/** d3-format string for an axis in this unit. */
export function axisFormat(unit: Unit): string {
  switch (unit) {
    case "share":
      return ".0%";
    case "growth":
      return "+.0%";
    case "yuan":
    case "count":
      return "~s";
    case "per resident":
      return ".2f";
    case "points":
      return "+.1f";
    default:
      return "~s";
  }
}

/**
 * Vega axis settings for a unit: a d3 format, or for "points" (a difference of two
 * shares, e.g. a reform's effect on the primary-care share) a label expression in
 * percentage points ("+2.5 pp", "+2.5个百分点"), never "%", which would read as a share.
 */
export function axisLabels(unit: Unit, lang: Lang = "en"): { format: string } | { labelExpr: string } {
  if (unit === "points") return { labelExpr: `datum.value == 0 ? '0' : format(datum.value * 100, '+.1f') + '${lang === "zh" ? "个百分点" : " pp"}'` };
  // Chinese counts and money in 万 / 亿, as the text does (bigNumber), not the SI "M" / "k"
  if (lang === "zh" && axisFormat(unit) === "~s")
    return { labelExpr: "abs(datum.value) >= 1e8 ? format(datum.value / 1e8, '~r') + '亿' : abs(datum.value) >= 1e4 ? format(datum.value / 1e4, '~r') + '万' : format(datum.value, ',')" };
  return { format: axisFormat(unit) };
}

const INT = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const ONE = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });

/** A value as text in its unit: 65.3%, +10.2%, ¥1.2M / ¥120万, 12,345, 5.92; null → "—". */
export function valueText(unit: Unit, v: number | null | undefined, lang: Lang = "en"): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "—";
  switch (unit) {
    case "share":
      return `${(v * 100).toFixed(1)}%`;
    case "growth":
      return `${v > 0 ? "+" : ""}${(v * 100).toFixed(1)}%`;
    case "yuan":
      return `${v < 0 ? "−" : ""}¥${bigNumber(Math.abs(v), lang)}`;
    case "count":
      return INT.format(v);
    case "per resident":
      return v.toFixed(2);
    case "points":
      return `${v > 0 ? "+" : v < 0 ? "−" : "±"}${Math.abs(v * 100).toFixed(1)}${lang === "zh" ? "个百分点" : " pp"}`;
    default:
      return Math.abs(v) >= 1000 ? INT.format(v) : String(+v.toFixed(2));
  }
}

/** 1,234 / 12.3k / 4.5M in English; 1,234 / 1.2万 / 4.5亿 in Chinese. */
export function bigNumber(v: number, lang: Lang): string {
  if (lang === "zh") {
    if (v >= 1e8) return `${+(v / 1e8).toFixed(2)}亿`;
    if (v >= 1e4) return `${ONE.format(v / 1e4)}万`;
    return INT.format(v);
  }
  if (v >= 1e9) return `${+(v / 1e9).toFixed(2)}bn`;
  if (v >= 1e6) return `${+(v / 1e6).toFixed(2)}M`;
  if (v >= 1e4) return `${+(v / 1e3).toFixed(1)}k`;
  return INT.format(v);
}

/**
 * What a run's scale does to counts and money, for a chart's subtitle ("" at full scale):
 * "scale-0.05 county: counts and money are 5% of the full county's".
 */
export function scaleNote(scale: number | undefined, lang: Lang): string {
  if (scale === undefined || !(scale < 1)) return "";
  const share = `${+(scale * 100).toFixed(2)}%`;
  return lang === "zh" ? `规模 ${scale} 的县：人次与金额为全县的 ${share}` : `scale-${scale} county: counts and money are ${share} of the full county's`;
}

/** The same, short, for an axis title: " (scale 0.05)" / "（规模 0.05）"; "" at full scale. */
export function scaleTag(scale: number | undefined, lang: Lang): string {
  if (scale === undefined || !(scale < 1)) return "";
  return lang === "zh" ? `（规模 ${scale}）` : ` (scale ${scale})`;
}

/** A month "2020-12" as text: "2020-12" / "2020年12月". */
export function monthText(period: string, lang: Lang): string {
  const m = /^(\d{4})-(\d{2})$/.exec(period);
  return m && lang === "zh" ? `${m[1]}年${Number(m[2])}月` : period;
}

/** A target as text: "≥ 65%", "< 8%", "≈ 75%", "≥ +10%". */
export function targetText(unit: Unit, target: { value: number; comparison: Comparison }, lang: Lang = "en"): string {
  const sym = { ">=": "≥", "<=": "≤", "<": "<", about: "≈" }[target.comparison];
  const v = unit === "share" || unit === "growth" ? `${unit === "growth" && target.value > 0 ? "+" : ""}${+(target.value * 100).toFixed(1)}%` : valueText(unit, target.value, lang);
  return `${sym} ${v}`;
}

/** Does `value` meet the target (sim/indicators.ts meetsTarget, the one rule)? null without a finite value. */
export function meets(value: number | null | undefined, target: { value: number; comparison: Comparison }): boolean | null {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  return meetsTarget(value, target);
}

/**
 * Numbers as text, in an indicator's unit — one set of formatters for the command line's
 * tables, the briefing, the notebooks and the README's generated figures: shares and
 * growth as percentages, money as yuan with thousands separators, a target as
 * ">= 65%", and a difference of shares in percentage points. (Charts label their axes and
 * bars with sim/charts/format.ts, which also writes 万/亿 in Chinese.)
 */
import type { IndicatorDefinition } from "../indicators";

const grouped = (digits: number) => new Intl.NumberFormat("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const INT = grouped(0);
const ONE = grouped(1);

const percent = (v: number, signed: boolean) => `${signed && v > 0 ? "+" : ""}${(v * 100).toFixed(1)}%`;

/** An indicator value in its unit: 65.3%, +10.2%, ¥1,234, 12,345, 5.92. null → "-". */
export function formatValue(unit: IndicatorDefinition["unit"], v: number | null): string {
  if (v === null || !Number.isFinite(v)) return "-";
  switch (unit) {
    case "share":
      return percent(v, false);
    case "growth":
      return percent(v, true);
    case "yuan": {
      const s = Math.abs(v) < 1000 ? ONE.format(Math.abs(v)) : INT.format(Math.abs(v));
      return `${v < 0 ? "-" : ""}¥${s}`;
    }
    case "count":
      return INT.format(v);
    case "per resident":
    case "per 10k":
      return v.toFixed(2);
    case "index":
      return v.toFixed(3);
  }
}

/** A target as text: ">= 65%", "< 8%", "~75% (±5 pts)", ">= ¥0"; "" without a target. */
export function formatTarget(def: IndicatorDefinition): string {
  const t = def.target;
  if (!t) return "";
  const value = def.unit === "share" || def.unit === "growth" ? `${+(t.value * 100).toFixed(1)}%` : formatValue(def.unit, t.value).replace(/\.0$/, "");
  return t.comparison === "about" ? `~${value} (±5 pts)` : `${t.comparison} ${value}`;
}

/** How a difference in percentage points is written; the defaults are `compare`'s table. */
export interface PointsStyle {
  /** decimals (default 1) */
  digits?: number;
  /** after the number (default " pts"; the notebooks write " points", the briefing's table "") */
  suffix?: string;
  /** the minus sign (default "-"; prose uses "−", U+2212) */
  minus?: string;
  /** the sign of a difference that rounds to zero (default none; the notebooks write "±") */
  zero?: string;
  /** the text for no value (default "-") */
  missing?: string;
}

/**
 * A difference of two shares (or growth rates), given as a fraction, in percentage
 * points: 0.0123 → "+1.2 pts", −0.004 → "-0.4 pts". The only percentage-point formatter:
 * the value is rounded to `digits` decimals of a point first and the sign follows the
 * rounded value, so a difference that rounds to zero never reads "-0.0" or "+0.0".
 * null, undefined or not finite → `missing`.
 */
export function formatPoints(v: number | null | undefined, style: PointsStyle = {}): string {
  const { digits = 1, suffix = " pts", minus = "-", zero = "", missing = "-" } = style;
  if (v === null || v === undefined || !Number.isFinite(v)) return missing;
  const f = 10 ** digits;
  const r = Math.round(v * (100 * f)) / f;
  return `${r > 0 ? "+" : r < 0 ? minus : zero}${Math.abs(r).toFixed(digits)}${suffix}`;
}

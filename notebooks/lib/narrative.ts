/**
 * Numbers in sentences: notebooks write their findings as markdown built from the run
 * (`tslab.display.markdown(...)`), never typed in by hand; these keep the formatting
 * consistent with the CLI tables (sim/study/format.ts).
 */
import { formatPoints, formatValue } from "../../sim/study/format";

/** 0.5432 → "54.3%"; null → "n/a". */
export const pct = (v: number | null | undefined): string => (v === null || v === undefined ? "n/a" : formatValue("share", v));

/** A growth rate: 0.102 → "+10.2%". */
export const growthPct = (v: number | null | undefined): string => (v === null || v === undefined ? "n/a" : formatValue("growth", v));

/** A difference of two shares in percentage points: 0.0123 → "+1.2 points". */
export function points(d: number | null | undefined): string {
  return formatPoints(d, { suffix: " points", minus: "−", zero: "±", missing: "n/a" });
}

/** Yuan: 1234567 → "¥1,234,567"; -12.3 → "-¥12.3". */
export const yuan = (v: number | null | undefined): string => (v === null || v === undefined ? "n/a" : formatValue("yuan", v));

/** "a, b and c" */
export function listText(items: readonly string[], none = "none"): string {
  if (items.length === 0) return none;
  if (items.length === 1) return items[0];
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/**
 * A verdict against a target: "met, 2.1 points to spare" / "missed by 12.2 points" for
 * shares and growth rates, "met, ¥1,234 to spare" for yuan; "no value" when null.
 */
export function verdict(v: { value: number | null; met: boolean | null; gap: number | null }, unit: "share" | "growth" | "yuan" = "share"): string {
  if (v.value === null || v.met === null || v.gap === null) return "no value";
  const size = unit === "yuan" ? formatValue("yuan", Math.abs(v.gap)) : points(Math.abs(v.gap)).replace(/^[+−±]/, "");
  return v.met ? `met, ${size} to spare` : `missed by ${size}`;
}

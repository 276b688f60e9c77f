/** Simulated months: YYYY-MM as written in scenario files, and month arithmetic. */

export interface YearMonth {
  year: number;
  month: number; // 1–12
}

export function parseYearMonth(v: unknown): YearMonth | undefined {
  const s = typeof v === "string" ? v : v instanceof Date ? v.toISOString().slice(0, 7) : undefined;
  const m = s?.match(/^(\d{4})-(\d{2})$/);
  if (!m) return undefined;
  const month = Number(m[2]);
  return month >= 1 && month <= 12 ? { year: Number(m[1]), month } : undefined;
}

export const formatYearMonth = (ym: YearMonth) => `${ym.year}-${String(ym.month).padStart(2, "0")}`;
export const monthsBetween = (a: YearMonth, b: YearMonth) => (b.year - a.year) * 12 + (b.month - a.month);

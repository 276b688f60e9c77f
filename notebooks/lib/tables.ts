/**
 * Tables for notebooks: a danfojs DataFrame (or anything with `columns` and `values`)
 * as an HTML table, each column formatted in its indicator's unit (54.3%, +10.2%, ¥1,234).
 * Display with `tslab.display.html(tableHtml(df))`. danfojs itself stays in the notebook
 * cells: it is heavy (TensorFlow.js) and not needed by the simulator.
 */
import { formatValue } from "../../sim/study/format";
import { INDICATORS, type IndicatorDefinition } from "../../sim/indicators";

export type ColumnFormat = IndicatorDefinition["unit"] | "text" | ((v: unknown) => string);

export interface TableLike {
  columns: string[];
  values: unknown[][] | unknown[];
}

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** The display unit of a column: an explicit format, else the indicator's own unit when the column is an indicator id. */
function columnFormat(column: string, formats: Record<string, ColumnFormat>): ColumnFormat {
  return formats[column] ?? INDICATORS.find((d) => d.id === column)?.unit ?? "text";
}

/** One value formatted: indicator units via the study layer's formatter (as the CLI), booleans as ✓/✗, null as "-". */
export function formatCell(v: unknown, format: ColumnFormat): string {
  if (typeof format === "function") return format(v);
  if (v === null || v === undefined || (typeof v === "number" && Number.isNaN(v))) return "-";
  if (typeof v === "boolean") return v ? "✓" : "✗";
  if (typeof v === "number" && format !== "text") return formatValue(format, v);
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : v.toPrecision(6);
  return String(v);
}

/**
 * HTML for a table. `formats` maps column → unit ("share", "growth", "yuan", "count",
 * "per resident", "text") or a function; indicator-id columns are formatted by default;
 * `labels` maps column → header text (e.g. the indicator's bilingual label).
 */
export function tableHtml(
  df: TableLike,
  options: { formats?: Record<string, ColumnFormat>; labels?: Record<string, string>; caption?: string } = {},
): string {
  const formats = options.formats ?? {};
  const labels = options.labels ?? {};
  const rows = (df.values.length > 0 && !Array.isArray(df.values[0]) ? [df.values] : df.values) as unknown[][];
  const head = df.columns.map((c) => `<th>${escapeHtml(labels[c] ?? c)}</th>`).join("");
  const body = rows
    .map((row) => `<tr>${row.map((v, i) => {
      const f = columnFormat(df.columns[i], formats);
      const align = typeof v === "number" || typeof v === "boolean" || v === null ? "right" : "left";
      return `<td style="text-align:${align}">${escapeHtml(formatCell(v, f))}</td>`;
    }).join("")}</tr>`)
    .join("\n");
  const caption = options.caption ? `<caption style="caption-side:top;text-align:left">${escapeHtml(options.caption)}</caption>` : "";
  return `<table class="yigongti-table">${caption}<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table>`;
}

/** Header labels "English 中文" for indicator-id columns (others unchanged). */
export function indicatorLabels(columns: readonly string[], lang: "en" | "zh" | "both" = "both"): Record<string, string> {
  return Object.fromEntries(
    columns.map((c) => {
      const d = INDICATORS.find((x) => x.id === c);
      if (!d) return [c, c];
      return [c, lang === "both" ? `${d.label.en} ${d.label.zh}` : d.label[lang]];
    }),
  );
}

/**
 * Writing results as an Excel workbook (.xlsx) for the people who open them in a
 * spreadsheet: one sheet per table, a bold frozen header row, numbers as numbers (not
 * text), and a "About" sheet saying what was run. Write-only (exceljs); reading county
 * spreadsheets is a separate module.
 *
 * As the CSV writer (sim/output.ts): text a spreadsheet would run as a formula is prefixed
 * with ' (spreadsheetSafeText, OWASP); null, undefined and non-finite numbers are empty
 * cells. exceljs writes a string as a string cell, never a formula, but a user who copies
 * a cell or saves the sheet as CSV would carry the formula on, so it is neutralised here too.
 */
import ExcelJS from "exceljs";
import JSZip from "jszip";
import { spreadsheetSafeText } from "./output";

export type CellValue = string | number | boolean | null | undefined;

export interface WorkbookSheet {
  /** sheet name (Excel allows ≤ 31 characters, none of \ / ? * [ ] :) */
  name: string;
  header: readonly string[];
  rows: readonly (readonly CellValue[])[];
}

/** One cell's value as written: safe text, real numbers and booleans, empty for missing. */
export function xlsxCell(v: CellValue): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v === "boolean") return v;
  return spreadsheetSafeText(v);
}

const INVALID_SHEET_NAME = /[\\/?*[\]:]/g;

/** A valid, distinct sheet name for each table (Excel's rules: ≤ 31 characters, no \ / ? * [ ] :). */
function sheetNames(names: readonly string[]): string[] {
  const used = new Set<string>();
  return names.map((n) => {
    const base = (n.replace(INVALID_SHEET_NAME, "_").trim() || "Sheet").slice(0, 31);
    let name = base;
    for (let k = 2; used.has(name.toLowerCase()); k++) name = `${base.slice(0, 31 - String(k).length - 1)}-${k}`;
    used.add(name.toLowerCase());
    return name;
  });
}

/**
 * The workbook's bytes. `about` rows (label, value) go on a first sheet "About"; its dates
 * are fixed (`created`, default 2000-01-01) so the same tables give the same workbook content.
 */
export async function workbookBytes(sheets: readonly WorkbookSheet[], options: { about?: readonly (readonly [string, CellValue])[]; created?: Date } = {}): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "yigongti";
  wb.created = wb.modified = options.created ?? new Date(Date.UTC(2000, 0, 1));
  const all: WorkbookSheet[] = options.about ? [{ name: "About", header: ["", ""], rows: options.about }, ...sheets] : [...sheets];
  const names = sheetNames(all.map((s) => s.name));
  all.forEach((sheet, i) => {
    const ws = wb.addWorksheet(names[i], sheet === all[0] && options.about ? {} : { views: [{ state: "frozen", ySplit: 1 }] });
    const isAbout = Boolean(options.about) && i === 0;
    if (!isAbout) {
      ws.addRow(sheet.header.map((h) => spreadsheetSafeText(h))).font = { bold: true };
    }
    for (const row of sheet.rows) ws.addRow(row.map(xlsxCell));
    // column widths from the longest text (capped), so a reader need not resize
    const widths = (isAbout ? [] : sheet.header.map((h) => h.length)).slice();
    for (const row of sheet.rows) row.forEach((v, j) => (widths[j] = Math.max(widths[j] ?? 0, v === null || v === undefined ? 0 : String(v).length)));
    widths.forEach((w, j) => (ws.getColumn(j + 1).width = Math.min(60, Math.max(8, w + 2))));
  });
  return fixedZipDates(new Uint8Array(await wb.xlsx.writeBuffer()), wb.created);
}

/**
 * The same zip with every entry dated `date`: exceljs stamps each part with the time of
 * writing, so the same results would give different bytes on every run (the project's
 * outputs are byte-identical for the same inputs, whatever the number of workers).
 */
async function fixedZipDates(bytes: Uint8Array, date: Date): Promise<Uint8Array> {
  const zip = await JSZip.loadAsync(bytes);
  const out = new JSZip();
  for (const [name, entry] of Object.entries(zip.files)) {
    if (entry.dir) out.file(name, null, { dir: true, date });
    else out.file(name, await entry.async("uint8array"), { date, createFolders: false });
  }
  return out.generateAsync({ type: "uint8array", compression: "DEFLATE", compressionOptions: { level: 6 } });
}

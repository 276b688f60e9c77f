/**
 * Read the tables a county health commission or statistical yearbook keeps — a folder of
 * CSV files (one per table) or one XLSX workbook (one sheet per table) — into rows of
 * cells that remember where they came from (file, sheet, spreadsheet row, column), so
 * every bad cell can be reported as `tables.xlsx, sheet 乡镇 (townships), row 7, column
 * C 人口 (population): …`. Reading only: XLSX through exceljs, CSV through csv-parse.
 *
 * Tables and columns are recognised by their Chinese or English names, or both as the
 * templates write them ("人口 population", "人口（population）", "population").
 * CSV text may be UTF-8 (with or without a byte-order mark), UTF-16 with a byte-order mark
 * or GB18030/GBK — what spreadsheet tools on Chinese Windows save as "CSV".
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, extname, join } from "node:path";
// exceljs and csv-parse are loaded when tables are read: exceljs alone takes ~0.5 s to
// load, which every other CLI command would otherwise pay at start-up.
import type ExcelJS from "exceljs";
import { InputError, showValue, shownPath } from "../scenario/errors";
import { decodeText } from "../scenario/load";

export interface ColumnDef {
  key: string;
  zh: string;
  en: string;
  required?: boolean;
}

export interface TableDef {
  key: string;
  zh: string;
  en: string;
  /** a table the import can do without (its default is said where it is used) */
  optional?: boolean;
  columns: ColumnDef[];
}

/** A cell after reading: text, number, or empty (null); formulas give their cached result. */
export type CellValue = string | number | null;

export interface Row {
  /** spreadsheet row number (the header is row 1 when it is the first line) */
  row: number;
  values: Map<string, CellValue>;
}

export interface Table {
  def: TableDef;
  /** `tables.xlsx, sheet 乡镇 (townships)` or `townships.csv` */
  where: string;
  /** the columns found: key → column letter (XLSX) or number (CSV) */
  columns: Map<string, string>;
  rows: Row[];
}

/** Columns every table may have besides its own: a row's source and a free note. */
export const SOURCE_COLUMN: ColumnDef = { key: "source", zh: "来源", en: "source" };
export const NOTE_COLUMN: ColumnDef = { key: "note", zh: "备注", en: "note" };

/** A sheet or file the import skips: instructions (the templates have one). */
export const NOTES = [{ zh: "说明", en: "notes" }, { zh: "说明", en: "readme" }];

/** `village-clinics.csv`: the file a table is read from in a folder of CSVs (its Chinese name works too). */
export const csvName = (d: { en: string }): string => `${d.en.replace(/\s+/g, "-")}.csv`;
/** `人口 (population)`: how a table or column is named in messages. */
export const label = (d: { zh: string; en: string }): string => `${d.zh} (${d.en})`;
/** `人口 population`: the header the templates write. */
export const templateHeader = (d: { zh: string; en: string }): string => `${d.zh} ${d.en}`;

/** Lower case, without spaces, brackets, underscores, hyphens or the ".csv" ending. */
function norm(s: string): string {
  return s
    .normalize("NFKC")
    .toLowerCase()
    .replace(/\.csv$/, "")
    .replace(/[\s()[\]（）【】_\-–—/:：,，.。]+/g, "");
}

/** A name without its bracketed unit: "人口(人)" → "人口". */
const unitless = (s: string) => s.replace(/\s*[(（][^)）]*[)）]\s*/g, " ").trim();

/**
 * Does a header (or sheet or file name) name this table or column? Either name, both
 * (either order), each with or without its bracketed unit, in any case and spacing.
 */
export function names(text: string, d: { zh: string; en: string }): boolean {
  const forms = (zh: string, en: string) => [zh, en, zh + en, en + zh];
  const wanted = new Set([...forms(d.zh, d.en), ...forms(unitless(d.zh), unitless(d.en))].map(norm));
  return [text, unitless(text)].some((t) => norm(t) !== "" && wanted.has(norm(t)));
}

/** Spreadsheet column letter of a 1-based column number. */
function letter(n: number): string {
  let s = "";
  for (; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}


/** The text of a CSV file: UTF-8/UTF-16 as decodeText reads them, or GB18030 when the bytes are that. */
export function decodeCsv(bytes: Uint8Array, file: string): string {
  try {
    return decodeText(bytes, file);
  } catch (e) {
    const gb = new TextDecoder("gb18030").decode(bytes);
    if (/[\u4e00-\u9fff]/.test(gb) && !gb.includes("\ufffd")) return gb;
    throw e;
  }
}

interface RawSheet {
  where: string;
  /** rows of cells with their spreadsheet row numbers */
  rows: { row: number; cells: CellValue[] }[];
  /** cell → column label ("C" or "3") */
  col: (i: number) => string;
}

function cellOf(v: ExcelJS.CellValue): CellValue | { error: string } {
  if (v === null || v === undefined) return null;
  if (typeof v === "number") return v;
  if (typeof v === "string") return v.trim() === "" ? null : v.trim();
  if (typeof v === "boolean") return String(v);
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === "object") {
    if ("error" in v) return { error: String(v.error) };
    if ("richText" in v) return cellOf(v.richText.map((r) => r.text).join(""));
    if ("result" in v) return v.result === undefined ? { error: "a formula without a saved result (open and save the file in a spreadsheet program)" } : cellOf(v.result as ExcelJS.CellValue);
    if ("text" in v) return cellOf((v as { text: string }).text);
  }
  return String(v);
}

async function readXlsx(path: string, problems: string[]): Promise<RawSheet[]> {
  const { default: Excel } = await import("exceljs");
  const wb = new Excel.Workbook();
  try {
    await wb.xlsx.readFile(path);
  } catch (e) {
    throw new InputError([`${shownPath(path)}: not a readable XLSX workbook (${(e as Error).message.split("\n")[0]}); save it as .xlsx (Excel 2007 or later) or export each sheet as CSV`]);
  }
  const sheets: RawSheet[] = [];
  wb.eachSheet((ws) => {
    const where = `${shownPath(path)}, sheet ${ws.name}`;
    const rows: RawSheet["rows"] = [];
    ws.eachRow({ includeEmpty: false }, (r, n) => {
      const cells: CellValue[] = [];
      r.eachCell({ includeEmpty: true }, (c, i) => {
        const v = cellOf(c.value);
        if (v !== null && typeof v === "object") {
          problems.push(`${where}, row ${n}, column ${letter(i)}: the cell holds an error (${v.error}); put a value there`);
          cells[i - 1] = null;
        } else cells[i - 1] = v;
      });
      for (let i = 0; i < cells.length; i++) if (cells[i] === undefined) cells[i] = null;
      rows.push({ row: n, cells });
    });
    sheets.push({ where, rows, col: (i) => letter(i + 1) });
  });
  return sheets;
}

async function readCsv(path: string): Promise<RawSheet> {
  const { parse: parseCsv } = await import("csv-parse/sync");
  const file = shownPath(path);
  const text = decodeCsv(readFileSync(path), file);
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parseCsv(text, { info: true, relax_column_count: true, skip_empty_lines: true, trim: true, bom: true }) as unknown as typeof records;
  } catch (e) {
    const err = e as Error & { lines?: number; code?: string; bytes?: number };
    // An unclosed quote is only found at the end of the file (err.lines): say where it opened.
    if (err.code === "CSV_QUOTE_NOT_CLOSED") throw new InputError([unclosedQuote(file, text, err)]);
    throw new InputError([`${file}${err.lines ? `, row ${err.lines}` : ""}: not valid CSV: ${err.message.replace(/^Invalid\s+/, "")}`]);
  }
  return {
    where: file,
    rows: records.map((r) => ({ row: r.info.lines, cells: r.record.map((c) => (c === "" ? null : c)) })),
    col: (i) => String(i + 1),
  };
}

/**
 * The problem line for a quote that is never closed. csv-parse's `bytes` is the offset
 * (UTF-8, BOM included) of the last comma or line end it handled before the quoted cell
 * began, so the first `"` from there on is the opening quote and its line is the row.
 */
function unclosedQuote(file: string, text: string, err: { lines?: number; bytes?: number }): string {
  const end = err.lines ? ` (the file ends inside it, at row ${err.lines})` : "";
  const buf = Buffer.from(text, "utf8");
  const at = err.bytes === undefined ? -1 : buf.indexOf(0x22, err.bytes);
  if (at < 0) {
    const from = err.bytes === undefined ? "" : `, from row ${lineAt(buf, err.bytes)}`;
    return `${file}${from}: not valid CSV: a quoted cell is not closed${end}; close it with another " or remove the quote`;
  }
  return `${file}, row ${lineAt(buf, at)}: not valid CSV: the quote that opens a cell on this row is not closed${end}; close it with another " or remove the quote`;
}

/** The 1-based line of byte offset `at`. */
function lineAt(buf: Buffer, at: number): number {
  let line = 1;
  for (let i = buf.indexOf(0x0a); i >= 0 && i < at; i = buf.indexOf(0x0a, i + 1)) line++;
  return line;
}

/** `what the sheet or file is called` → the table it is, by name. */
function tableFor(name: string, defs: readonly TableDef[]): TableDef | undefined {
  return defs.find((d) => names(name, d));
}

/**
 * The header row (the first row that is not empty) names the columns; every other row is
 * data. A header that names no column of the table is an error listing the columns it may
 * have; so is a required column that is missing, or a column given twice.
 */
function toTable(raw: RawSheet, def: TableDef, problems: string[]): Table {
  const where = raw.where;
  const columns = new Map<string, string>();
  const index = new Map<string, number>();
  const all = [...def.columns, SOURCE_COLUMN, NOTE_COLUMN];
  const [header, ...data] = raw.rows;
  if (!header) {
    problems.push(`${where}: empty; the first row names the columns: ${def.columns.map(templateHeader).join(", ")}`);
    return { def, where, columns, rows: [] };
  }
  header.cells.forEach((h, i) => {
    if (h === null) return;
    const text = String(h);
    const c = all.find((d) => names(text, d));
    if (!c) {
      problems.push(`${where}, row ${header.row}, column ${raw.col(i)}: header ${JSON.stringify(text)} names no column of ${label(def)}; allowed: ${all.map(label).join(", ")}`);
      return;
    }
    if (index.has(c.key)) {
      problems.push(`${where}, row ${header.row}, column ${raw.col(i)}: ${label(c)} is already column ${raw.col(index.get(c.key)!)}; give each column once`);
      return;
    }
    index.set(c.key, i);
    columns.set(c.key, raw.col(i));
  });
  for (const c of def.columns) {
    if (c.required && !index.has(c.key)) problems.push(`${where}: no column ${label(c)}; the header row (row ${header.row}) must have it (template header: ${JSON.stringify(templateHeader(c))})`);
  }
  const rows: Row[] = [];
  for (const r of data) {
    if (r.cells.every((c) => c === null)) continue;
    const values = new Map<string, CellValue>();
    for (const [k, i] of index) values.set(k, r.cells[i] ?? null);
    r.cells.forEach((c, i) => {
      if (c !== null && !header.cells[i] && ![...index.values()].includes(i))
        problems.push(`${where}, row ${r.row}, column ${raw.col(i)}: ${showValue(c)} is in a column without a header; name the column in row ${header.row} or clear the cell`);
    });
    rows.push({ row: r.row, values });
  }
  return { def, where, columns, rows };
}

/**
 * Read the tables of `input` (a folder of CSV files or one .xlsx workbook). Files or
 * sheets named like no table are an error (listing the table names); a required table
 * that is missing is an error. Problems are gathered and thrown as one InputError.
 */
export async function readTables(input: string, defs: readonly TableDef[]): Promise<Map<string, Table>> {
  if (!existsSync(input)) throw new InputError([`${shownPath(input)}: not found; give a folder of CSV tables or an .xlsx workbook`]);
  const problems: string[] = [];
  const raws: { raw: RawSheet; name: string }[] = [];
  let place: string;
  if (statSync(input).isDirectory()) {
    place = `${shownPath(input)}/`;
    const files = readdirSync(input).filter((f) => extname(f).toLowerCase() === ".csv").sort();
    if (!files.length) throw new InputError([`${shownPath(input)}: no .csv files; expected one CSV per table: ${defs.map(csvName).join(", ")} (templates in data/county-tables/template/)`]);
    for (const f of files) raws.push({ raw: await readCsv(join(input, f)), name: basename(f, extname(f)) });
  } else if (extname(input).toLowerCase() === ".xlsx") {
    place = shownPath(input);
    for (const raw of await readXlsx(input, problems)) raws.push({ raw, name: raw.where.slice(raw.where.lastIndexOf(", sheet ") + 8) });
  } else {
    throw new InputError([`${shownPath(input)}: expected a folder of .csv tables or an .xlsx workbook`]);
  }
  const tables = new Map<string, Table>();
  for (const { raw, name } of raws) {
    if (NOTES.some((n) => names(name, n))) continue; // instructions for the people filling the tables in
    const def = tableFor(name, defs);
    if (!def) {
      problems.push(`${raw.where}: ${JSON.stringify(name)} names no table; tables: ${defs.map(label).join(", ")} (a sheet or file named 说明 (notes) is skipped)`);
      continue;
    }
    if (tables.has(def.key)) {
      problems.push(`${raw.where}: table ${label(def)} is already read from ${tables.get(def.key)!.where}; give each table once`);
      continue;
    }
    tables.set(def.key, toTable(raw, def, problems));
  }
  for (const d of defs) {
    if (!d.optional && !tables.has(d.key))
      problems.push(`${place}: no table ${label(d)}; ${statSync(input).isDirectory() ? `add ${csvName(d)}` : `add a sheet named ${JSON.stringify(templateHeader(d))}`} (templates in data/county-tables/template/)`);
  }
  if (problems.length) throw new InputError(problems);
  return tables;
}

/**
 * Write the county table templates (data/county-tables/template/: one CSV per table and
 * template.xlsx with a sheet per table, headers in Chinese and English) and the filled
 * example (data/county-tables/example/): the tables of the shipped Qujing-like county,
 * data/counties/qujing-like.yaml, as a health commission would keep them — so that
 * `yigongti county import data/county-tables/example` gives that county back
 * (test/county/import.test.ts checks it).
 *
 *   node --import tsx scripts/county-tables/make.ts
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { COUNTY_ITEMS, COUNTY_TABLES } from "../../sim/county/import";
import { SOURCE_COLUMN, csvName, label, templateHeader, type TableDef } from "../../sim/county/tables";
import { csvText } from "../../sim/output";
import { loadCounty } from "../../sim/scenario/load";
import { parse } from "yaml";
import { readFileSync } from "node:fs";
import { AGE_BANDS, CHRONIC_CONDITIONS } from "../../sim/tier";

const ROOT = new URL("../../", import.meta.url).pathname;
const OUT = join(ROOT, "data/county-tables");
const COUNTY_FILE = join(ROOT, "data/counties/qujing-like.yaml");

type Cell = string | number;
type Rows = Record<string, Record<string, Cell>[]>;

const headers = (d: TableDef, keys: string[]) => keys.map((k) => templateHeader([...d.columns, SOURCE_COLUMN].find((c) => c.key === k)!));

/** The columns a table is written with: all of them for a template, those with values in the example. */
function columnsOf(d: TableDef, rows: Record<string, Cell>[] | undefined): string[] {
  const all = [...d.columns.map((c) => c.key), "source"];
  return rows ? all.filter((k) => rows.some((r) => r[k] !== undefined)) : all;
}

async function write(dir: string, workbook: string, rows: Rows | undefined) {
  mkdirSync(dir, { recursive: true });
  const wb = new ExcelJS.Workbook();
  wb.created = wb.modified = new Date("2026-01-01T00:00:00Z");
  for (const d of COUNTY_TABLES) {
    const r: Record<string, Cell>[] | undefined = rows?.[d.key] ?? (rows ? undefined : d.key === "county" ? COUNTY_ITEMS.map((i) => ({ item: templateHeader(i) })) : []);
    if (!r) continue; // an optional table the example does not need
    const keys = columnsOf(d, rows ? r : undefined);
    const body = r.map((x) => keys.map((k) => x[k] ?? ""));
    // UTF-8 with a byte-order mark, so that Excel on Chinese Windows opens it as UTF-8
    writeFileSync(join(dir, csvName(d)), "\ufeff" + csvText(headers(d, keys), body));
    const ws = wb.addWorksheet(label(d));
    ws.addRow(headers(d, keys)).font = { bold: true };
    for (const b of body) ws.addRow(b.map((v) => (v === "" ? null : v)));
    ws.columns.forEach((c, i) => (c.width = Math.min(60, Math.max(12, ...[headers(d, keys)[i], ...body.map((b) => String(b[i]))].map((s) => s.length + 2)))));
    ws.views = [{ state: "frozen", ySplit: 1 }];
  }
  if (!rows) {
    // a sheet the import skips: how to fill the template in, and which columns are required
    const ws = wb.addWorksheet("说明 (notes)");
    ws.addRow(["每个工作表是一张表，第一行是列名（中文、英文或两者）。必填列不能留空；可选表可以删除。", "Each sheet is one table; row 1 names the columns (Chinese, English or both). Required columns must be filled in; optional tables may be deleted."]);
    ws.addRow(["导入：yigongti county import 本文件.xlsx --out 县.yaml", "Import: yigongti county import this-file.xlsx --out my-county.yaml"]);
    ws.addRow([]);
    ws.addRow(["表 table", "列 column", "必填 required"]).font = { bold: true };
    for (const d of COUNTY_TABLES) for (const c of d.columns) ws.addRow([`${label(d)}${d.optional ? " — 可选 optional" : ""}`, templateHeader(c), c.required ? "必填 required" : "可选 optional"]);
    ws.addRow([]);
    ws.addRow(["县 (county) 表的项目 items of the county table:"]);
    for (const i of COUNTY_ITEMS) ws.addRow([templateHeader(i), i.default ? `默认 default: ${i.default.value} — ${i.default.source}` : i.optional ? "可选 optional" : "必填 required"]);
    ws.getColumn(1).width = 60;
    ws.getColumn(2).width = 60;
    ws.getColumn(3).width = 16;
  }
  await wb.xlsx.writeFile(join(dir, workbook));
}

/** The Qujing-like county as the tables a health commission keeps. */
function exampleRows(): Rows {
  const d = loadCounty(COUNTY_FILE);
  const raw = parse(readFileSync(COUNTY_FILE, "utf8"));
  const src = (k: string) => raw.demographics[k].source as string;
  const item = (key: string, value: Cell, source = "") => ({ item: templateHeader(COUNTY_ITEMS.find((i) => i.key === key)!), value, ...(source ? { source } : {}) });
  const population = d.townships.reduce((s, t) => s + t.population, 0);
  // yearbooks give five-year age groups; the census shares of the model's bands split evenly-ish
  const groups: [string, number][] = [];
  const split: Record<string, number[]> = { "0-14": [0.31, 0.33, 0.36], "15-44": [1, 1, 1, 1, 1, 1].map((x) => x / 6), "45-64": [0.25, 0.25, 0.25, 0.25], "65+": [30, 22, 16, 10, 6].map((x) => x / 84) };
  const starts: Record<string, number> = { "0-14": 0, "15-44": 15, "45-64": 45, "65+": 65 };
  for (const b of AGE_BANDS) {
    const total = Math.round(d.demographics.ageBands[b] * population);
    const parts = split[b].map((w) => Math.round(w * total));
    parts[parts.length - 1] += total - parts.reduce((s, x) => s + x, 0);
    parts.forEach((n, i) => {
      const lo = starts[b] + 5 * i;
      groups.push([b === "65+" && i === parts.length - 1 ? `${lo}+` : `${lo}-${lo + 4}`, n]);
    });
  }
  const byTownship = (f: (t: (typeof d.townships)[number]) => Record<string, Cell>) => d.townships.map((t) => ({ township: t.id, ...f(t) }));
  return {
    county: [
      item("name", d.name), item("titleZh", d.title.zh), item("titleEn", d.title.en), item("source", d.source), item("seed", d.seed),
      item("residentMedianMonthly", d.demographics.income.residentMedianMonthly, src("income")),
      item("employeeMedianMonthly", d.demographics.income.employeeMedianMonthly, src("income")),
      item("logSd", d.demographics.income.logSd, "assumption"), item("annualGrowth", d.demographics.income.annualGrowth, src("income")),
      item("kmPerHour", d.geography.kmPerHour, d.geography.source ?? ""), item("villageClinicMinutes", d.geography.villageClinicMinutes, d.geography.source ?? ""),
    ],
    townships: d.townships.map((t) => ({
      id: t.id, name: t.name.zh, nameEn: t.name.en, population: t.population, villages: t.villages, minutesToSeat: t.minutesToSeat, radiusKm: t.radiusKm,
      centreDoctors: t.centre.doctors, centreBeds: t.centre.beds, community: d.communities.find((m) => m.townships.includes(t.id))!.id,
    })),
    clinics: d.townships.flatMap((t) => Array.from({ length: t.villages }, (_, v) => ({ township: t.id, name: `${t.name.zh}第${v + 1}村卫生室`, doctors: t.villageDoctorsPerClinic }))),
    hospitals: d.countyHospitals.map((h) => ({ id: h.id, name: h.name.zh, nameEn: h.name.en, doctors: h.doctors, beds: h.beds, qualityOffset: h.qualityOffset })),
    outOfCounty: d.outOfCounty.map((h) => ({ id: h.id, name: h.name.zh, nameEn: h.name.en, minutesFromSeat: h.minutesFromSeat, qualityOffset: h.qualityOffset })),
    communities: d.communities.map((m) => ({ id: m.id, name: m.name.zh, nameEn: m.name.en, lead: m.lead })),
    ages: groups.map(([band, n], i) => ({ band, population: n, female: Math.round(n * d.demographics.femaleShare), ...(i === 0 ? { source: src("ageBands") } : {}) })),
    chronic: AGE_BANDS.map((b, i) => ({ band: b, ...Object.fromEntries(CHRONIC_CONDITIONS.map((k) => [k, d.demographics.chronicPrevalence[k][b]])), ...(i === 0 ? { source: src("chronicPrevalence") } : {}) })),
    insured: byTownship((t) => ({ employee: Math.round(t.population * t.employeeShare), resident: t.population - Math.round(t.population * t.employeeShare) })),
    poor: byTownship((t) => ({ poor: Math.round(t.population * t.poorShare) })),
    income: byTownship((t) => ({ income: Math.round(12 * d.demographics.income.residentMedianMonthly * t.incomeFactor) })),
  };
}

await write(join(OUT, "template"), "template.xlsx", undefined);
await write(join(OUT, "example"), "example.xlsx", exampleRows());
process.stdout.write(`wrote ${OUT}/template and ${OUT}/example\n`);

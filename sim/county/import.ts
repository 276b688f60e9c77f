/**
 * `yigongti county import`: a county description (sim/county/description.ts) from the
 * tables a county already keeps — townships, village clinics, county hospitals, age
 * structure, chronic prevalence, insured by scheme, registered poor, income — read by
 * sim/county/tables.ts. Each value's table and column is kept in the description's
 * `sources:` (and in the `source:` of each demographics value); where no table gives a
 * field, the default used and where it comes from is written there too.
 *
 * How tables become fields:
 *   townships           → townships[] (id, name, population, villages, minutesToSeat or km, radiusKm or area, centre)
 *   village clinics     → townships[].villageDoctorsPerClinic = the township's village doctors ÷ its villages
 *                         (villages = the township's clinic rows when the townships table has no 行政村 column)
 *   county hospitals    → countyHospitals[]; out-of-county hospitals (optional) → outOfCounty[]
 *   communities (optional), townships' 医共体 column → communities[]
 *   age structure       → demographics.ageBands (counts or shares, any bands that nest in 0-14/15-44/45-64/65+)
 *                         and femaleShare (its 女性 column, or the county table)
 *   chronic prevalence  → demographics.chronicPrevalence
 *   insured             → townships[].employeeShare = employee insured ÷ (employee + resident insured)
 *   registered poor     → townships[].poorShare = registered poor ÷ population
 *   income              → townships[].incomeFactor = per-capita disposable income ÷ (12 × county resident median)
 *   county (item/value) → name, title, source, seed, income medians, geography
 * Shares computed from counts are rounded to 9 decimals, so 27 500 of 110 000 gives 0.25 exactly.
 */
import { stringify } from "yaml";
import { AGE_BANDS, CHRONIC_CONDITIONS, type AgeBand, type ChronicCondition } from "../tier";
import { InputError, showValue, shownPath } from "../scenario/errors";
import { validate } from "../scenario/schema";
import { COUNTY_SPEC, checkCountyReferences, type CountyDescription, type TownshipDescription } from "./description";
import { label, names, readTables, templateHeader, type CellValue, type ColumnDef, type Row, type Table, type TableDef } from "./tables";

const col = (key: string, zh: string, en: string, required = false): ColumnDef => ({ key, zh, en, required });
const TOWNSHIP_REF = col("township", "乡镇", "township", true);

/** The tables, their Chinese and English names and columns (the templates' headers). */
export const COUNTY_TABLES: TableDef[] = [
  { key: "county", zh: "县", en: "county", columns: [col("item", "项目", "item", true), col("value", "值", "value", true)] },
  {
    key: "townships", zh: "乡镇", en: "townships",
    columns: [
      col("id", "编码", "id"), col("name", "名称", "name", true), col("nameEn", "英文名", "english name"),
      col("population", "人口", "population", true), col("villages", "行政村数", "villages"),
      col("minutesToSeat", "到县城时间(分钟)", "minutes to seat"), col("kmToSeat", "到县城距离(公里)", "km to seat"),
      col("radiusKm", "半径(公里)", "radius (km)"), col("areaKm2", "面积(平方公里)", "area (km²)"),
      col("centreDoctors", "卫生院医生", "centre doctors", true), col("centreBeds", "卫生院床位", "centre beds", true),
      col("community", "医共体", "community"),
    ],
  },
  { key: "clinics", zh: "村卫生室", en: "village clinics", columns: [TOWNSHIP_REF, col("name", "名称", "name"), col("doctors", "乡村医生", "doctors", true)] },
  {
    key: "hospitals", zh: "县级医院", en: "county hospitals",
    columns: [col("id", "编码", "id"), col("name", "名称", "name", true), col("nameEn", "英文名", "english name"), col("doctors", "医生", "doctors", true), col("beds", "床位", "beds", true), col("qualityOffset", "质量偏移", "quality offset")],
  },
  {
    key: "outOfCounty", zh: "县外医院", en: "out-of-county hospitals", optional: true,
    columns: [col("id", "编码", "id"), col("name", "名称", "name", true), col("nameEn", "英文名", "english name"), col("minutesFromSeat", "距县城时间(分钟)", "minutes from seat", true), col("qualityOffset", "质量偏移", "quality offset")],
  },
  { key: "communities", zh: "医共体", en: "communities", optional: true, columns: [col("id", "编码", "id"), col("name", "名称", "name", true), col("nameEn", "英文名", "english name"), col("lead", "牵头医院", "lead hospital", true)] },
  { key: "ages", zh: "年龄结构", en: "age structure", columns: [col("band", "年龄组", "age group", true), col("population", "人口", "population"), col("share", "占比", "share"), col("female", "女性", "female")] },
  {
    key: "chronic", zh: "慢性病患病率", en: "chronic prevalence",
    columns: [col("band", "年龄组", "age group", true), col("hypertension", "高血压", "hypertension", true), col("diabetes", "糖尿病", "diabetes", true), col("stroke", "脑卒中", "stroke", true), col("coronary", "冠心病", "coronary", true)],
  },
  { key: "insured", zh: "参保", en: "insured", columns: [TOWNSHIP_REF, col("employee", "职工医保", "employee scheme", true), col("resident", "居民医保", "resident scheme", true)] },
  { key: "poor", zh: "建档立卡贫困人口", en: "registered poor", columns: [TOWNSHIP_REF, col("poor", "贫困人口", "registered poor", true)] },
  { key: "income", zh: "收入", en: "income", columns: [TOWNSHIP_REF, col("income", "人均可支配收入(元/年)", "disposable income (yuan/year)", true)] },
];

type Kind = "text" | "int" | "num" | "share";
interface Item {
  key: string; zh: string; en: string; kind: Kind; min?: number; max?: number;
  /** the value used when the item is left out or empty, and where it comes from */
  default?: { value: number | string; source: string };
  /** may be left out or empty: what applies then is said where it is used */
  optional?: boolean;
}
/** Rows of the county table (项目 item / 值 value / 来源 source). */
export const COUNTY_ITEMS: Item[] = [
  { key: "name", zh: "标识", en: "name", kind: "text" },
  { key: "titleZh", zh: "中文名称", en: "title zh", kind: "text" },
  { key: "titleEn", zh: "英文名称", en: "title en", kind: "text", optional: true },
  { key: "source", zh: "资料来源", en: "data source", kind: "text", default: { value: "county tables (no 资料来源 data source given in the county table)", source: "default" } },
  { key: "seed", zh: "随机种子", en: "seed", kind: "int", min: 0, max: 2 ** 32 - 1, default: { value: 1, source: "default 1 (any fixed seed makes the same file give the same county)" } },
  { key: "femaleShare", zh: "女性占比", en: "female share", kind: "share", optional: true },
  { key: "residentMedianMonthly", zh: "居民收入中位数(元/月)", en: "resident median income (yuan/month)", kind: "num", min: 1, max: 1e6 },
  { key: "employeeMedianMonthly", zh: "职工收入中位数(元/月)", en: "employee median income (yuan/month)", kind: "num", min: 1, max: 1e6 },
  { key: "logSd", zh: "收入对数标准差", en: "income log sd", kind: "num", min: 0, max: 3, default: { value: 0.55, source: "default 0.55, assumption as data/counties/qujing-like.yaml" } },
  { key: "annualGrowth", zh: "收入年增长", en: "income annual growth", kind: "num", min: -0.5, max: 1, default: { value: 0.08, source: "default 0.08, National Bureau of Statistics 2018 rural income growth 8.8% (as data/counties/qujing-like.yaml)" } },
  { key: "kmPerHour", zh: "车速(公里/小时)", en: "speed (km/h)", kind: "num", min: 1, max: 200, default: { value: 25, source: "default 25 km/h, assumption — mountain county roads (as data/counties/qujing-like.yaml)" } },
  { key: "villageClinicMinutes", zh: "到村卫生室时间(分钟)", en: "village clinic minutes", kind: "num", min: 0, max: 600, default: { value: 10, source: "default 10 minutes, assumption — a village clinic within ~10 minutes of its residents (as data/counties/qujing-like.yaml)" } },
];

/** The description field each county item gives. */
const ITEM_FIELD: Record<string, string> = {
  name: "name", titleZh: "title.zh", titleEn: "title.en", source: "source", seed: "seed", femaleShare: "demographics.femaleShare",
  residentMedianMonthly: "demographics.income.residentMedianMonthly", employeeMedianMonthly: "demographics.income.employeeMedianMonthly",
  logSd: "demographics.income.logSd", annualGrowth: "demographics.income.annualGrowth",
  kmPerHour: "geography.kmPerHour", villageClinicMinutes: "geography.villageClinicMinutes",
};

/** Out-of-county hospitals when no table lists them (as the shipped Qujing-like county). */
const DEFAULT_OUT_OF_COUNTY: CountyDescription["outOfCounty"] = [
  { id: "city", name: { zh: "市级医院", en: "City hospital" }, minutesFromSeat: 90, qualityOffset: 0 },
  { id: "province", name: { zh: "省级三甲医院", en: "Provincial tertiary hospital" }, minutesFromSeat: 200, qualityOffset: 0.05 },
];

/** Round to 9 decimals: a share computed from counts reads as the decimal it is. */
const round9 = (x: number) => Math.round(x * 1e9) / 1e9;

/** What a cell must be, in words. */
function expected(kind: Kind, min?: number, max?: number): string {
  const range = (what: string) =>
    min !== undefined && max !== undefined && max <= 1e7 ? `${what} from ${min.toLocaleString("en-US")} to ${max.toLocaleString("en-US")}` : min !== undefined ? `${what} ≥ ${min}` : what;
  if (kind === "int") return range("a whole number");
  if (kind === "share") return "a share from 0 to 1 (or a percentage such as 18%)";
  if (kind === "num") return range("a number");
  return "text";
}

/** Collects every bad cell as `where, row N, column C 名 (name): "x" is …; expected …`. */
class Cells {
  problems: string[] = [];
  /**
   * Where each field of the description was read: `townships[3].population` → its cell,
   * `townships[].population` → its column. The final check's problems, which speak of
   * field paths, are pointed back at the tables with it (locate).
   */
  private cells = new Map<string, string>();

  /** Remember that field `path` was read from column `key` of `t` (row `r`, or the whole column). */
  from(path: string, t: Table, r: Row | undefined, key: string): void {
    if (t.columns.has(key)) this.cells.set(path, this.at(t, r, key));
  }

  /** The cell (or column) field `path` was read from, or of its nearest parent; undefined when a default. */
  locate(path: string): string | undefined {
    const up = (p: string) => p.replace(/(\.[^.[\]]+|\[\d*\])$/, "");
    for (const start of [path, path.replace(/\[\d+\]/g, "[]")])
      for (let p = start, prev = ""; p && p !== prev; prev = p, p = up(p)) {
        const got = this.cells.get(p);
        if (got) return got;
      }
    return undefined;
  }

  at(t: Table, r: Row | undefined, key: string): string {
    const c = t.def.columns.find((x) => x.key === key) ?? { zh: key, en: key };
    return `${t.where}${r ? `, row ${r.row}` : ""}, column ${t.columns.get(key) ?? ""} ${label(c)}`.replace(/column  /, "column ");
  }

  fail(t: Table, r: Row | undefined, key: string, msg: string): undefined {
    this.problems.push(`${this.at(t, r, key)}: ${msg}`);
    return undefined;
  }

  /** The cell's value as `kind`; empty cells are `undefined` (an error when `required`). */
  value(t: Table, r: Row, key: string, kind: Kind, opts: { min?: number; max?: number; required?: boolean } = {}): number | string | undefined {
    const v: CellValue = r.values.get(key) ?? null;
    const want = expected(kind, opts.min, opts.max);
    if (v === null) return opts.required ? this.fail(t, r, key, `empty; expected ${want}`) : undefined;
    if (kind === "text") return String(v);
    let n: number;
    if (typeof v === "number") n = v;
    else {
      const s = v.replace(/\s/g, "");
      const pct = kind === "share" && /%$/.test(s);
      const body = pct ? s.slice(0, -1) : s;
      // 110,000 is a thousands separator; anything else with a comma is not a number
      const plain = /^\d{1,3}(,\d{3})+(\.\d+)?$/.test(body) ? body.replace(/,/g, "") : body;
      n = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(plain) ? Number(plain) / (pct ? 100 : 1) : NaN;
      if (Number.isNaN(n)) return this.fail(t, r, key, `${showValue(v)} is not a number; expected ${want}`);
    }
    const min = kind === "share" ? 0 : opts.min;
    const max = kind === "share" ? 1 : opts.max;
    if (kind === "int" && !Number.isInteger(n)) return this.fail(t, r, key, `${n} is not a whole number; expected ${want}`);
    if ((min !== undefined && n < min) || (max !== undefined && n > max)) return this.fail(t, r, key, `${n} is out of range; expected ${want}`);
    return n;
  }
  num(t: Table, r: Row, key: string, kind: Exclude<Kind, "text">, opts: { min?: number; max?: number; required?: boolean } = {}): number | undefined {
    return this.value(t, r, key, kind, opts) as number | undefined;
  }
  text(t: Table, r: Row, key: string, required = false): string | undefined {
    return this.value(t, r, key, "text", { required }) as string | undefined;
  }

  /**
   * `input, sheet 乡镇 (townships), columns 人口 (population), …`, then how the value was
   * derived (`how`), then the table's own 来源 (source) texts.
   */
  source(t: Table, keys: string[], how = ""): string {
    const cols = keys.map((k) => label(t.def.columns.find((x) => x.key === k)!));
    const own = [...new Set(t.rows.map((r) => r.values.get("source")).filter((s): s is string | number => s !== null && s !== undefined).map(String))];
    return `${t.where}, column${cols.length > 1 ? "s" : ""} ${cols.join(", ")}${how}${own.length ? `; ${own.join("; ")}` : ""}`;
  }
}

/** Age bands a table may use: "0-14", "15-19", "65+", "85岁及以上", "0～4岁" … */
function parseBand(text: string): [number, number] | undefined {
  const s = text.normalize("NFKC").replace(/\s|岁/g, "");
  let m = /^(\d+)[-–~～至](\d+)$/.exec(s);
  if (m) return [Number(m[1]), Number(m[2])];
  m = /^(\d+)(\+|及以上|以上)$/.exec(s);
  if (m) return [Number(m[1]), Infinity];
  return undefined;
}

/** The model band an age group lies in, or undefined when it straddles two. */
function modelBand([lo, hi]: [number, number]): AgeBand | undefined {
  const bounds: [AgeBand, number, number][] = [["0-14", 0, 14], ["15-44", 15, 44], ["45-64", 45, 64], ["65+", 65, Infinity]];
  return bounds.find(([, a, b]) => lo >= a && hi <= b && lo <= hi)?.[0];
}

export interface ImportResult {
  description: CountyDescription;
  /** the description file's text (YAML, with demographics as {value, unit, source}) */
  yaml: string;
}

/** Read `input` (folder of CSVs or .xlsx) and build the county description; every problem in one InputError. */
export async function importCounty(input: string): Promise<ImportResult> {
  const tables = await readTables(input, COUNTY_TABLES);
  const c = new Cells();
  const sources: Record<string, string> = {};
  const T = (k: string) => tables.get(k)!;

  // ---- county items
  const county = T("county");
  const items = new Map<string, { value: number | string; source: string }>();
  const reported = new Set<string>(); // items whose row is there but bad or empty (reported once)
  for (const r of county.rows) {
    const name = c.text(county, r, "item", true);
    if (name === undefined) continue;
    const item = COUNTY_ITEMS.find((i) => names(name, i));
    if (!item) {
      c.fail(county, r, "item", `${showValue(name)} is no item of the county table; items: ${COUNTY_ITEMS.map(label).join(", ")}`);
      continue;
    }
    if (items.has(item.key)) {
      c.fail(county, r, "item", `${label(item)} is given twice; give each item once`);
      continue;
    }
    // an item with a default may be left empty (the templates list every item)
    const v = c.value(county, r, "value", item.kind, { min: item.min, max: item.max, required: !item.default && !item.optional });
    const own = r.values.get("source");
    if (ITEM_FIELD[item.key]) c.from(ITEM_FIELD[item.key], county, r, "value");
    if (v !== undefined) items.set(item.key, { value: v, source: `${county.where}, row ${r.row} ${label(item)}${own ? `; ${own}` : ""}` });
    // a required item whose cell was bad has been reported at the cell: not again as missing
    else if (!item.default && !item.optional) reported.add(item.key);
  }
  const item = (key: string, path: string): number | string | undefined => {
    const it = COUNTY_ITEMS.find((i) => i.key === key)!;
    const got = items.get(key);
    if (got) {
      sources[path] = got.source;
      return got.value;
    }
    if (it.default) {
      sources[path] = it.default.source;
      return it.default.value;
    }
    return undefined;
  };
  const need = (key: string, path: string, why = ""): number | string | undefined => {
    const v = item(key, path);
    if (v === undefined && !reported.has(key)) {
      const it = COUNTY_ITEMS.find((i) => i.key === key)!;
      c.problems.push(`${county.where}: no value for ${label(it)}; give it in a row with 项目 item = ${JSON.stringify(`${it.zh} ${it.en}`)} and 值 value = ${expected(it.kind, it.min, it.max)}${why}`);
    }
    return v;
  };

  // ---- townships
  const tt = T("townships");
  const kmPerHour = (item("kmPerHour", "geography.kmPerHour") as number | undefined) ?? 25;
  const townships: (TownshipDescription & { row: Row })[] = [];
  const byRef = new Map<string, number>();
  const communityOf: (string | undefined)[] = [];
  tt.rows.forEach((r, i) => {
    const name = c.text(tt, r, "name", true) ?? "";
    const id = c.text(tt, r, "id") ?? `t${String(i + 1).padStart(2, "0")}`;
    const population = c.num(tt, r, "population", "int", { min: 1, required: true }) ?? 0;
    const villages = c.num(tt, r, "villages", "int", { min: 1, max: 10_000, required: tt.columns.has("villages") });
    let minutesToSeat = c.num(tt, r, "minutesToSeat", "num", { min: 0, max: 6000 });
    const km = c.num(tt, r, "kmToSeat", "num", { min: 0, max: 100_000 });
    if (minutesToSeat === undefined && km !== undefined) minutesToSeat = round9((km / kmPerHour) * 60);
    if (minutesToSeat === undefined && km === undefined && (tt.columns.has("minutesToSeat") || tt.columns.has("kmToSeat"))) c.fail(tt, r, tt.columns.has("minutesToSeat") || !tt.columns.has("kmToSeat") ? "minutesToSeat" : "kmToSeat", `empty; give ${label(tt.def.columns[5])} or ${label(tt.def.columns[6])}`);
    let radiusKm = c.num(tt, r, "radiusKm", "num", { min: 0, max: 500 });
    const area = c.num(tt, r, "areaKm2", "num", { min: 0, max: 1e6 });
    if (radiusKm === undefined && area !== undefined) radiusKm = round9(Math.sqrt(area / Math.PI));
    if (radiusKm === undefined && area === undefined && (tt.columns.has("radiusKm") || tt.columns.has("areaKm2"))) c.fail(tt, r, tt.columns.has("radiusKm") || !tt.columns.has("areaKm2") ? "radiusKm" : "areaKm2", `empty; give ${label(tt.def.columns[7])} or ${label(tt.def.columns[8])}`);
    const doctors = c.num(tt, r, "centreDoctors", "num", { min: 0, max: 1e4, required: true }) ?? 0;
    const beds = c.num(tt, r, "centreBeds", "num", { min: 0, max: 1e5, required: true }) ?? 0;
    for (const [ref, what] of [[id, "id"], [name, "name"]] as const) {
      if (!ref) continue;
      if (byRef.has(ref) && byRef.get(ref) !== i) c.fail(tt, r, what, `${showValue(ref)} is already the ${what} of the township in row ${townships[byRef.get(ref)!].row.row}; each township once, with its own id and name`);
      else byRef.set(ref, i);
    }
    const f = `townships[${i}]`;
    for (const [field, key] of [["id", "id"], ["name.zh", "name"], ["name.en", "nameEn"], ["population", "population"], ["villages", "villages"], ["centre.doctors", "centreDoctors"], ["centre.beds", "centreBeds"]])
      c.from(`${f}.${field}`, tt, r, key);
    c.from(`${f}.minutesToSeat`, tt, r, (r.values.get("minutesToSeat") ?? null) === null && km !== undefined ? "kmToSeat" : "minutesToSeat");
    c.from(`${f}.radiusKm`, tt, r, (r.values.get("radiusKm") ?? null) === null && area !== undefined ? "areaKm2" : "radiusKm");
    communityOf.push(c.text(tt, r, "community"));
    townships.push({
      id, name: { zh: name, en: c.text(tt, r, "nameEn") ?? name }, population, villages: villages ?? 0,
      minutesToSeat: minutesToSeat ?? 0, radiusKm: radiusKm ?? 0, centre: { doctors, beds },
      villageDoctorsPerClinic: 0, employeeShare: 0, poorShare: 0, incomeFactor: 1, row: r,
    });
  });
  if (!tt.rows.length) c.problems.push(`${tt.where}: no township; list at least one, a row each`);
  for (const [a, b] of [[5, 6], [7, 8]]) {
    const [x, y] = [tt.def.columns[a], tt.def.columns[b]];
    if (!tt.columns.has(x.key) && !tt.columns.has(y.key)) c.problems.push(`${tt.where}: no column ${label(x)} or ${label(y)}; give one of them (template headers: ${JSON.stringify(templateHeader(x))}, ${JSON.stringify(templateHeader(y))})`);
  }
  for (const [field, key] of [["id", "id"], ["name", "name"], ["population", "population"], ["villages", "villages"], ["minutesToSeat", tt.columns.has("minutesToSeat") ? "minutesToSeat" : "kmToSeat"], ["radiusKm", tt.columns.has("radiusKm") ? "radiusKm" : "areaKm2"], ["centre.doctors", "centreDoctors"], ["centre.beds", "centreBeds"]])
    c.from(`townships[].${field}`, tt, undefined, key);
  sources["townships[].id"] = tt.columns.has("id") ? c.source(tt, ["id"]) : `default t01, t02, … in the order of ${tt.where}`;
  sources["townships[].name"] = c.source(tt, ["name", ...(tt.columns.has("nameEn") ? ["nameEn"] : [])]);
  sources["townships[].population"] = c.source(tt, ["population"]);
  sources["townships[].minutesToSeat"] = tt.columns.has("minutesToSeat") ? c.source(tt, ["minutesToSeat"]) + (tt.columns.has("kmToSeat") ? `; where empty, ${label(tt.def.columns[6])} ÷ geography.kmPerHour` : "") : `${c.source(tt, ["kmToSeat"])} ÷ geography.kmPerHour`;
  sources["townships[].radiusKm"] = tt.columns.has("radiusKm") ? c.source(tt, ["radiusKm"]) + (tt.columns.has("areaKm2") ? `; where empty, √(${label(tt.def.columns[8])} ÷ π)` : "") : `√(${c.source(tt, ["areaKm2"])} ÷ π)`;
  sources["townships[].centre"] = c.source(tt, ["centreDoctors", "centreBeds"]);

  /** The township a row of another table names (by id or name), every township once. */
  const perTownship = (t: Table, what: string, each: (ti: number, r: Row) => void, once = true) => {
    const seen = new Map<number, number>();
    for (const r of t.rows) {
      const ref = c.text(t, r, "township", true);
      if (ref === undefined) continue;
      const ti = byRef.get(ref);
      if (ti === undefined) {
        c.fail(t, r, "township", `${showValue(ref)} is no township of ${tt.where}; use a township's 编码 (id) or 名称 (name)`);
        continue;
      }
      if (once && seen.has(ti)) {
        c.fail(t, r, "township", `${showValue(ref)} is already in row ${seen.get(ti)}; one row per township`);
        continue;
      }
      seen.set(ti, r.row);
      each(ti, r);
    }
    if (once)
      townships.forEach((tw, ti) => {
        if (!seen.has(ti)) c.problems.push(`${t.where}: no row for township ${tw.id} (${tw.name.zh}, ${tt.where} row ${tw.row.row}); every township needs its ${what}`);
      });
  };

  // ---- village clinics
  const clinics = T("clinics");
  const villageDoctors = townships.map(() => 0);
  const clinicCount = townships.map(() => 0);
  perTownship(clinics, "village clinics", (ti, r) => {
    villageDoctors[ti] += c.num(clinics, r, "doctors", "num", { min: 0, max: 100, required: true }) ?? 0;
    clinicCount[ti]++;
  }, false);
  townships.forEach((tw, ti) => {
    if (!tt.columns.has("villages")) {
      if (clinicCount[ti] === 0) c.problems.push(`${clinics.where}: no village clinic of township ${tw.id} (${tw.name.zh}); list its clinics, or give the township's ${label(tt.def.columns[4])} in ${tt.where}`);
      tw.villages = Math.max(1, clinicCount[ti]);
    }
    tw.villageDoctorsPerClinic = round9(villageDoctors[ti] / tw.villages);
  });
  if (!tt.columns.has("villages")) c.from("townships[].villages", clinics, undefined, "township");
  c.from("townships[].villageDoctorsPerClinic", clinics, undefined, "doctors");
  sources["townships[].villages"] = tt.columns.has("villages") ? c.source(tt, ["villages"]) : `the number of rows per township in ${clinics.where} (one village clinic per village)`;
  sources["townships[].villageDoctorsPerClinic"] = c.source(clinics, ["doctors"], ": the township's village doctors ÷ its villages");

  // ---- insured, poor, income
  const ins = T("insured");
  perTownship(ins, "employee and resident insured", (ti, r) => {
    const e = c.num(ins, r, "employee", "int", { min: 0, required: true });
    const res = c.num(ins, r, "resident", "int", { min: 0, required: true });
    if (e === undefined || res === undefined) return;
    if (e + res === 0) return void c.fail(ins, r, "employee", "no one is insured in this township (both columns are 0); give the insured counts");
    townships[ti].employeeShare = round9(e / (e + res));
    c.from(`townships[${ti}].employeeShare`, ins, r, "employee");
  });
  sources["townships[].employeeShare"] = c.source(ins, ["employee", "resident"], ": employee ÷ (employee + resident)");
  const poor = T("poor");
  perTownship(poor, "registered poor", (ti, r) => {
    const p = c.num(poor, r, "poor", "int", { min: 0, required: true });
    if (p === undefined || townships[ti].population === 0) return; // (a bad population is reported already)
    if (p > townships[ti].population) return void c.fail(poor, r, "poor", `${p} is more than the township's population (${townships[ti].population}, ${tt.where} row ${townships[ti].row.row})`);
    townships[ti].poorShare = round9(p / townships[ti].population);
    c.from(`townships[${ti}].poorShare`, poor, r, "poor");
  });
  sources["townships[].poorShare"] = c.source(poor, ["poor"], ` ÷ ${label(tt.def.columns[3])} of ${tt.where}`);
  const residentMedian = need("residentMedianMonthly", "demographics.income", " (township incomes are read relative to it)") as number | undefined;
  const inc = T("income");
  perTownship(inc, "per-capita disposable income", (ti, r) => {
    const y = c.num(inc, r, "income", "num", { min: 1, max: 1e7, required: true });
    if (y !== undefined && residentMedian !== undefined) townships[ti].incomeFactor = round9(y / (12 * residentMedian));
    c.from(`townships[${ti}].incomeFactor`, inc, r, "income");
  });
  sources["townships[].incomeFactor"] = c.source(inc, ["income"], " ÷ (12 × the county's resident median income)");

  // ---- hospitals
  const ht = T("hospitals");
  const hospitals: CountyDescription["countyHospitals"] = [];
  const hospitalRef = new Map<string, string>();
  ht.rows.forEach((r, i) => {
    const name = c.text(ht, r, "name", true) ?? "";
    const id = c.text(ht, r, "id") ?? `h${String(i + 1).padStart(2, "0")}`;
    if (hospitalRef.has(id) || hospitalRef.has(name)) c.fail(ht, r, hospitalRef.has(id) ? "id" : "name", `${showValue(hospitalRef.has(id) ? id : name)} names another county hospital already; each hospital once`);
    hospitalRef.set(id, id).set(name, id);
    for (const [field, key] of [["id", "id"], ["name.zh", "name"], ["name.en", "nameEn"], ["doctors", "doctors"], ["beds", "beds"], ["qualityOffset", "qualityOffset"]]) c.from(`countyHospitals[${i}].${field}`, ht, r, key);
    hospitals.push({
      id, name: { zh: name, en: c.text(ht, r, "nameEn") ?? name },
      doctors: c.num(ht, r, "doctors", "num", { min: 0, max: 1e5, required: true }) ?? 0,
      beds: c.num(ht, r, "beds", "num", { min: 0, max: 1e5, required: true }) ?? 0,
      qualityOffset: c.num(ht, r, "qualityOffset", "num", { min: -1, max: 1 }) ?? 0,
    });
  });
  if (!ht.rows.length) c.problems.push(`${ht.where}: no county hospital; list at least one`);
  sources.countyHospitals = c.source(ht, ["id", "name", "nameEn", "doctors", "beds", "qualityOffset"].filter((k) => ht.columns.has(k)), ht.columns.has("qualityOffset") ? " (empty quality offset: 0)" : "; qualityOffset default 0 (no quality difference)");

  let outOfCounty = DEFAULT_OUT_OF_COUNTY;
  sources.outOfCounty = "default (no out-of-county hospitals table): a city hospital 90 minutes and a provincial tertiary hospital 200 minutes from the seat, assumption as data/counties/qujing-like.yaml";
  const ot = tables.get("outOfCounty");
  if (ot?.rows.length) {
    outOfCounty = ot.rows.map((r, i) => {
      const name = c.text(ot, r, "name", true) ?? "";
      for (const [field, key] of [["id", "id"], ["name.zh", "name"], ["name.en", "nameEn"], ["minutesFromSeat", "minutesFromSeat"], ["qualityOffset", "qualityOffset"]]) c.from(`outOfCounty[${i}].${field}`, ot, r, key);
      return {
        id: c.text(ot, r, "id") ?? `o${String(i + 1).padStart(2, "0")}`, name: { zh: name, en: c.text(ot, r, "nameEn") ?? name },
        minutesFromSeat: c.num(ot, r, "minutesFromSeat", "num", { min: 0, max: 6000, required: true }) ?? 0,
        qualityOffset: c.num(ot, r, "qualityOffset", "num", { min: -1, max: 1 }) ?? 0,
      };
    });
    sources.outOfCounty = c.source(ot, ["id", "name", "nameEn", "minutesFromSeat", "qualityOffset"].filter((k) => ot.columns.has(k)));
  }

  // ---- communities: the table, or one per lead hospital named in the townships' 医共体 column
  const communities: CountyDescription["communities"] = [];
  const communityRef = new Map<string, number>();
  const ct = tables.get("communities")?.rows.length ? tables.get("communities") : undefined; // an empty table is no table
  if (ct) {
    ct.rows.forEach((r, i) => {
      const name = c.text(ct, r, "name", true) ?? "";
      const id = c.text(ct, r, "id") ?? `c${String(i + 1).padStart(2, "0")}`;
      const leadRef = c.text(ct, r, "lead", true);
      const lead = leadRef === undefined ? undefined : hospitalRef.get(leadRef);
      if (leadRef !== undefined && lead === undefined) c.fail(ct, r, "lead", `${showValue(leadRef)} is no county hospital of ${ht.where}; use a hospital's 编码 (id) or 名称 (name)`);
      communityRef.set(id, i).set(name, i);
      for (const [field, key] of [["id", "id"], ["name.zh", "name"], ["name.en", "nameEn"], ["lead", "lead"]]) c.from(`communities[${i}].${field}`, ct, r, key);
      communities.push({ id, name: { zh: name, en: c.text(ct, r, "nameEn") ?? name }, lead: lead ?? "", townships: [] });
    });
    if (!tt.columns.has("community") && ct.rows.length > 1)
      c.problems.push(`${tt.where}: no column 医共体 (community); ${ct.where} lists ${ct.rows.length} communities, so each township must name its own (template header: "医共体 community")`);
    sources.communities = tt.columns.has("community") ? `${c.source(ct, ["id", "name", "lead"])}; townships from ${c.source(tt, ["community"])}` : `${c.source(ct, ["id", "name", "lead"])}; every township in it`;
  } else sources.communities = tt.columns.has("community") ? `one per lead hospital named in ${c.source(tt, ["community"])}, named after it` : `default: one community led by the first county hospital (${ht.where}) with every township`;
  townships.forEach((tw, ti) => {
    const ref = communityOf[ti];
    if (ref === undefined) {
      if (tt.columns.has("community")) c.fail(tt, tw.row, "community", `empty; name the township's medical community${ct ? ` (${ct.where})` : " by its lead county hospital"}`);
      else {
        if (!communities.length && hospitals.length) communities.push({ id: hospitals[0].id, name: { zh: `${hospitals[0].name.zh}医共体`, en: `${hospitals[0].name.en} medical community` }, lead: hospitals[0].id, townships: [] });
        communities[0]?.townships.push(tw.id);
      }
      return;
    }
    let ci = communityRef.get(ref);
    if (ci === undefined && !ct && hospitalRef.has(ref)) {
      const h = hospitals.find((x) => x.id === hospitalRef.get(ref))!;
      ci = communities.push({ id: h.id, name: { zh: `${h.name.zh}医共体`, en: `${h.name.en} medical community` }, lead: h.id, townships: [] }) - 1;
      communityRef.set(h.id, ci).set(h.name.zh, ci);
    }
    if (ci === undefined) return void c.fail(tt, tw.row, "community", `${showValue(ref)} is no ${ct ? `community of ${ct.where}` : `county hospital of ${ht.where}`}; use its 编码 (id) or 名称 (name)`);
    c.from(`communities[${ci}].townships[${communities[ci].townships.length}]`, tt, tw.row, "community");
    communities[ci].townships.push(tw.id);
  });
  communities.forEach((m, i) => {
    if (!m.townships.length && ct) c.problems.push(`${ct.where}, row ${ct.rows[i].row}: community ${m.id} has no township; name it in ${tt.where}'s ${label(tt.def.columns[11])} column, or remove the row`);
  });

  // ---- age structure and sex
  const at = T("ages");
  // counts or shares: whichever column is filled in (the template has both)
  const filled = (k: string) => at.columns.has(k) && at.rows.some((r) => r.values.get(k) !== null);
  const hasCounts = filled("population") || (at.columns.has("population") && !filled("share"));
  // neither column: that one problem, not a follow-on one per row, for the shares' sum and for the female counts
  const noValues = !at.columns.has("population") && !at.columns.has("share");
  if (noValues) c.problems.push(`${at.where}: no column 人口 (population) or 占比 (share); give one of them`);
  if (filled("population") && filled("share")) c.problems.push(`${at.where}: both 人口 (population) and 占比 (share) are filled in; give one of them`);
  if (!hasCounts && filled("female") && !noValues) c.problems.push(`${at.where}: column 女性 (female) counts need 人口 (population) counts beside them; give the female share in ${county.where} instead`);
  const bandSum = Object.fromEntries(AGE_BANDS.map((b) => [b, 0])) as Record<AgeBand, number>;
  const bandSeen = Object.fromEntries(AGE_BANDS.map((b) => [b, false])) as Record<AgeBand, boolean>;
  let female = 0;
  for (const r of at.rows) {
    const text = c.text(at, r, "band", true);
    if (text === undefined) continue;
    const range = parseBand(text);
    const band = range && modelBand(range);
    if (!band) {
      c.fail(at, r, "band", `${showValue(text)} is ${range ? "across two of the model's age bands" : "not an age group"}; expected an age group such as 0-4, 15-44 or 85+ inside one of ${AGE_BANDS.join(", ")}`);
      continue;
    }
    const v = noValues ? undefined : hasCounts ? c.num(at, r, "population", "int", { min: 0, required: true }) : c.num(at, r, "share", "share", { required: true });
    if (v !== undefined) bandSum[band] += v;
    bandSeen[band] = true;
    if (hasCounts && filled("female")) {
      const f = c.num(at, r, "female", "int", { min: 0, required: true });
      if (f !== undefined && v !== undefined && f > v) c.fail(at, r, "female", `${f} is more than the age group's population (${v})`);
      else female += f ?? 0;
    }
  }
  const missingBands = AGE_BANDS.filter((b) => !bandSeen[b]);
  if (missingBands.length) c.problems.push(`${at.where}: no age group in ${missingBands.join(", ")}; the table must cover every age`);
  const total = AGE_BANDS.reduce((s, b) => s + bandSum[b], 0);
  let ageBands = bandSum;
  let ageNote = "";
  if (hasCounts) {
    if (total > 0) ageBands = Object.fromEntries(AGE_BANDS.map((b) => [b, round9(bandSum[b] / total)])) as Record<AgeBand, number>;
    else if (at.rows.length) c.problems.push(`${at.where}: the 人口 (population) column sums to 0`);
    ageNote = ": each band's population ÷ the total";
  } else if (!noValues && Math.abs(total - 1) > 1e-6 && !missingBands.length) {
    if (Math.abs(total - 1) <= 0.01) {
      ageBands = Object.fromEntries(AGE_BANDS.map((b) => [b, bandSum[b] / total])) as Record<AgeBand, number>;
      ageNote = `: shares summed to ${total.toFixed(4)} (rounding) and were divided by that sum`;
    } else c.problems.push(`${at.where}, column ${label(at.def.columns[2])}: the shares sum to ${total.toFixed(4)}; they must sum to 1 (within 0.01, for rounding)`);
  }
  const ageSource = c.source(at, ["band", hasCounts ? "population" : "share"], ageNote);
  c.from("demographics.ageBands", at, undefined, hasCounts ? "population" : "share");
  let femaleShare: number | undefined;
  let femaleSource = "";
  if (hasCounts && filled("female")) {
    femaleShare = total > 0 ? round9(female / total) : 0;
    femaleSource = c.source(at, ["female"], ` ÷ ${label(at.def.columns[1])}`);
    c.from("demographics.femaleShare", at, undefined, "female");
  } else if (!(noValues && filled("female"))) {
    // (female counts with the population column missing: the missing column is the problem already said)
    femaleShare = need("femaleShare", "demographics.femaleShare", ` (or a 女性 female column of counts in ${at.where})`) as number | undefined;
    femaleSource = sources["demographics.femaleShare"] ?? "";
  }
  sources["demographics.ageBands"] = ageSource;
  sources["demographics.femaleShare"] = femaleSource;

  // ---- chronic prevalence
  const cht = T("chronic");
  const prevalence = Object.fromEntries(CHRONIC_CONDITIONS.map((k) => [k, {}])) as Record<ChronicCondition, Record<AgeBand, number>>;
  for (const r of cht.rows) {
    const text = c.text(cht, r, "band", true);
    if (text === undefined) continue;
    const range = parseBand(text);
    const band = AGE_BANDS.find((b) => range !== undefined && String(parseBand(b)) === String(range));
    if (!band) {
      c.fail(cht, r, "band", `${showValue(text)} is not one of the model's age bands; expected one of ${AGE_BANDS.join(", ")}`);
      continue;
    }
    if (prevalence.hypertension[band] !== undefined) {
      c.fail(cht, r, "band", `${band} is given twice; one row per age band`);
      continue;
    }
    for (const k of CHRONIC_CONDITIONS) {
      prevalence[k][band] = c.num(cht, r, k, "share", { required: true }) ?? 0;
      c.from(`demographics.chronicPrevalence.${k}.${band}`, cht, r, k);
    }
  }
  const noBand = AGE_BANDS.filter((b) => prevalence.hypertension[b] === undefined);
  if (noBand.length) c.problems.push(`${cht.where}: no row for age band ${noBand.join(", ")}; one row per band: ${AGE_BANDS.join(", ")}`);
  sources["demographics.chronicPrevalence"] = c.source(cht, ["band", ...CHRONIC_CONDITIONS]);

  // ---- county items
  const name = need("name", "name") as string | undefined;
  const titleZh = need("titleZh", "title") as string | undefined;
  const titleEn = (item("titleEn", "title") as string | undefined) ?? titleZh;
  sources.title = [items.get("titleZh")?.source, items.get("titleEn")?.source].filter(Boolean).join("; ");
  const source = item("source", "source") as string;
  const seed = item("seed", "seed") as number;
  const employeeMedian = need("employeeMedianMonthly", "demographics.income") as number | undefined;
  const logSd = item("logSd", "demographics.income.logSd") as number;
  const growth = item("annualGrowth", "demographics.income.annualGrowth") as number;
  const villageClinicMinutes = item("villageClinicMinutes", "geography.villageClinicMinutes") as number;
  sources["demographics.income"] = [items.get("residentMedianMonthly")?.source, items.get("employeeMedianMonthly")?.source].filter(Boolean).join("; ");
  if (name !== undefined && !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name)) c.problems.push(`${county.where}, ${label(COUNTY_ITEMS[0])}: ${showValue(name)}; expected a short identifier of letters, digits, - and _ (e.g. qujing-like)`);

  if (c.problems.length) throw new InputError(c.problems);
  const description: CountyDescription = {
    name: name!, title: { zh: titleZh!, en: titleEn! }, source, seed,
    demographics: {
      ageBands, femaleShare: femaleShare!, chronicPrevalence: prevalence,
      income: { residentMedianMonthly: residentMedian!, employeeMedianMonthly: employeeMedian!, logSd, annualGrowth: growth },
    },
    geography: { kmPerHour, villageClinicMinutes, source: `kmPerHour: ${sources["geography.kmPerHour"]}; villageClinicMinutes: ${sources["geography.villageClinicMinutes"]}` },
    countyHospitals: hospitals, outOfCounty, communities,
    townships: townships.map(({ row: _row, ...t }) => t),
    sources: Object.fromEntries(Object.entries(sources).sort(([a], [b]) => sourceOrder(a) - sourceOrder(b))),
  };
  // What the loader would refuse (population below villages, a hospital id that is a
  // township's, too many hospitals, no primary-care doctor …) is refused before anything is
  // written: each problem led by the cell (or column) its field was read from, then the
  // description's field path, which is all the loader's check knows.
  const invalid = [...validate(description, COUNTY_SPEC, "", "county"), ...checkCountyReferences(description, "county")];
  const located = (p: string) => {
    const text = p.replace(/^county: /, "");
    const path = /^[A-Za-z]\w*(\[\d*\]|\.\w+)*/.exec(text)?.[0];
    const where = path && c.locate(path);
    return `  ${where ? `${where}: ` : ""}${text}`;
  };
  if (invalid.length) throw new InputError([`${shownPath(input)}: the county these tables describe is not a valid county description:`, ...invalid.map(located)]);
  return { description, yaml: countyYaml(description, input) };
}


/** `sources:` in the order of the description's fields. */
const FIELD_ORDER = ["name", "title", "source", "seed", "demographics.ageBands", "demographics.femaleShare", "demographics.chronicPrevalence", "demographics.income", "geography", "countyHospitals", "outOfCounty", "communities", "townships[].id", "townships[].name", "townships[].population", "townships[].villages", "townships[].minutesToSeat", "townships[].radiusKm", "townships[].centre", "townships[].villageDoctorsPerClinic", "townships[].employeeShare", "townships[].poorShare", "townships[].incomeFactor"];
function sourceOrder(path: string): number {
  let best = -1;
  FIELD_ORDER.forEach((f, i) => {
    if (path === f || path.startsWith(`${f}.`)) best = i;
  });
  return best < 0 ? FIELD_ORDER.length : best + (path === FIELD_ORDER[best] ? 0 : 0.5);
}

/** The description file: demographics as {value, unit, source} (as loadCounty reads them), `sources:` last. */
export function countyYaml(d: CountyDescription, input: string): string {
  const s = d.sources ?? {};
  const leaf = (value: unknown, unit: string, source: string) => ({ value, unit, source });
  const tree = {
    name: d.name, title: d.title, source: d.source, seed: d.seed,
    demographics: {
      ageBands: leaf(d.demographics.ageBands, "share of residents", s["demographics.ageBands"]),
      femaleShare: leaf(d.demographics.femaleShare, "share of residents", s["demographics.femaleShare"]),
      chronicPrevalence: leaf(d.demographics.chronicPrevalence, "share of residents in the age band with the condition (drawn independently)", s["demographics.chronicPrevalence"]),
      income: leaf(d.demographics.income, "yuan per month per person in the start year (lognormal), scaled by each township's incomeFactor; annualGrowth = nominal growth per year",
        [s["demographics.income"], `logSd: ${s["demographics.income.logSd"]}`, `annualGrowth: ${s["demographics.income.annualGrowth"]}`].join("; ")),
    },
    geography: d.geography,
    countyHospitals: d.countyHospitals, outOfCounty: d.outOfCounty, communities: d.communities, townships: d.townships,
    sources: s,
  };
  const header = `# County description written by \`yigongti county import ${input}\` from its tables.\n# Edit the tables and import again rather than this file; \`sources:\` (at the end) says\n# which table and column each value came from, or which default applies.\n`;
  return header + stringify(tree, { lineWidth: 0, aliasDuplicateObjects: false, flowCollectionPadding: false });
}

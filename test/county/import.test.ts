/**
 * `yigongti county import`: the shipped example tables (data/county-tables/example/, CSV
 * and XLSX) give back the hand-written Qujing-like county — the same description after
 * loading and the same simulation, bit for bit — and every bad cell is reported with its
 * file, sheet, row and column.
 */
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { afterAll, describe, expect, it } from "vitest";
import { importCounty } from "../../sim/county/import";
import { decodeCsv, names } from "../../sim/county/tables";
import { loadCounty, loadScenario } from "../../sim/scenario/load";
import { simulate } from "../../sim/simulate";
import { InputError } from "../../sim/scenario/errors";
import { BASELINE_SCENARIO, QUJING_COUNTY, REPO_ROOT } from "../helpers/paths";
import { tempDir } from "../helpers/tmp";

const EXAMPLE = join(REPO_ROOT, "data/county-tables/example");
const tmp = tempDir("yigongti-county-import-");
afterAll(() => tmp.cleanup());

/** The problems an import throws (fails the test if it succeeds or throws anything else). */
async function problems(input: string): Promise<string[]> {
  try {
    await importCounty(input);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as InputError).problems;
  }
  throw new Error(`import of ${input} succeeded; expected problems`);
}

/** A copy of the example CSV folder with one file edited. */
let copies = 0;
function exampleWith(file: string, edit: (text: string) => string): string {
  const dir = join(tmp.dir, `tables-${++copies}`);
  cpSync(EXAMPLE, dir, { recursive: true });
  rmSync(join(dir, "example.xlsx"));
  const p = join(dir, file);
  writeFileSync(p, edit(readFileSync(p, "utf8")));
  return dir;
}

/** The loaded description without what only an import writes (its sources, the geography's source text). */
function comparable(file: string) {
  const { sources: _s, geography, ...rest } = loadCounty(file);
  const { source: _g, ...geo } = geography;
  return { ...rest, geography: geo };
}

describe("the shipped example tables give back the hand-written Qujing-like county", () => {
  for (const input of ["example (CSV folder)", "example.xlsx"]) {
    it(`${input}: the same description after loading, with each value's table and column under sources:`, async () => {
      const path = input === "example.xlsx" ? join(EXAMPLE, "example.xlsx") : EXAMPLE;
      const { yaml } = await importCounty(path);
      const out = tmp.write(`imported-${input === "example.xlsx" ? "xlsx" : "csv"}.yaml`, yaml);
      expect(comparable(out), "after editing data/counties/qujing-like.yaml, re-write the example: node --import tsx scripts/county-tables/make.ts").toEqual(comparable(QUJING_COUNTY));
      const d = loadCounty(out);
      expect(d.sources?.["townships[].population"]).toMatch(input === "example.xlsx" ? /example\.xlsx, sheet 乡镇 \(townships\), column 人口 \(population\)$/ : /townships\.csv, column 人口 \(population\)$/);
      expect(d.sources?.["townships[].employeeShare"]).toMatch(/职工医保 \(employee scheme\), 居民医保 \(resident scheme\): employee ÷ \(employee \+ resident\)/);
      expect(yaml).toMatch(/ageBands:\n {4}value:[\s\S]*?source: .*age-structure|ageBands:\n {4}value:[\s\S]*?source: .*sheet 年龄结构/);
    });
  }

  it("a scenario on the imported county simulates bit for bit as on the hand-written one", async () => {
    const county = tmp.write("qujing-imported.yaml", (await importCounty(EXAMPLE)).yaml);
    const scenario = tmp.write("on-imported.yaml", `extends: ${JSON.stringify(BASELINE_SCENARIO)}\nname: baseline-2018\ncounty: ${JSON.stringify(county)}\n`);
    const opts = { seed: 7, scale: 0.02, years: 1 };
    const a = simulate(loadScenario(scenario), opts);
    const b = simulate(loadScenario(BASELINE_SCENARIO), opts);
    expect(a.residents).toBeGreaterThan(10_000);
    expect({ ...a, scenario: null }).toEqual({ ...b, scenario: null });
  });
});

describe("every bad cell names the file, sheet, row and column", () => {
  it("a population that is not a number (CSV: file, row, column number)", async () => {
    const dir = exampleWith("townships.csv", (t) => t.replace("t02,东山镇,Dongshan,52000", "t02,东山镇,Dongshan,abc"));
    expect(await problems(dir)).toEqual([`${join(dir, "townships.csv")}, row 3, column 4 人口 (population): "abc" is not a number; expected a whole number ≥ 1`]);
  });

  it("a required county item with a bad value is reported once, at its cell — not again as missing", async () => {
    const dir = exampleWith("county.csv", (t) => t.replace(/^(居民收入中位数[^,]*),1100,/m, "$1,abc,"));
    const p = await problems(dir);
    expect(p).toEqual([expect.stringMatching(/county\.csv, row 7, column 2 值 \(value\): "abc" is not a number/)]);
  });

  it("a population that is not a number (XLSX: file, sheet, row, column letter)", async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(EXAMPLE, "example.xlsx"));
    wb.getWorksheet("乡镇 (townships)")!.getCell("D7").value = "abc";
    wb.getWorksheet("县级医院 (county hospitals)")!.getCell("E2").value = -5;
    const file = join(tmp.dir, "bad.xlsx");
    await wb.xlsx.writeFile(file);
    expect(await problems(file)).toEqual([
      `${file}, sheet 乡镇 (townships), row 7, column D 人口 (population): "abc" is not a number; expected a whole number ≥ 1`,
      `${file}, sheet 县级医院 (county hospitals), row 2, column E 床位 (beds): -5 is out of range; expected a number from 0 to 100,000`,
    ]);
  });

  it("a duplicate township, a clinic of an unknown township, negative beds, prevalence above 1", async () => {
    const dup = exampleWith("townships.csv", (t) => t.replace("t03,西河乡", "t02,西河乡"));
    expect(await problems(dup)).toContain(`${join(dup, "townships.csv")}, row 4, column 1 编码 (id): "t02" is already the id of the township in row 3; each township once, with its own id and name`);
    const clinic = exampleWith("village-clinics.csv", (t) => t.replace("t05,北坡乡第3村卫生室", "t99,北坡乡第3村卫生室"));
    expect((await problems(clinic)).join("\n")).toMatch(/village-clinics\.csv, row \d+, column 1 乡镇 \(township\): "t99" is no township of .*townships\.csv; use a township's 编码 \(id\) or 名称 \(name\)/);
    const beds = exampleWith("townships.csv", (t) => t.replace(",90,120,renmin", ",90,-1,renmin"));
    expect(await problems(beds)).toEqual([`${join(beds, "townships.csv")}, row 2, column 9 卫生院床位 (centre beds): -1 is out of range; expected a number from 0 to 100,000`]);
    const prev = exampleWith("chronic-prevalence.csv", (t) => t.replace("65+,0.53", "65+,1.53"));
    expect(await problems(prev)).toEqual([`${join(prev, "chronic-prevalence.csv")}, row 5, column 2 高血压 (hypertension): 1.53 is out of range; expected a share from 0 to 1 (or a percentage such as 18%)`]);
  });

  it("age shares that do not sum to 1; an age group across two model bands", async () => {
    const shares = exampleWith("age-structure.csv", () => "年龄组 age group,占比 share\n0-14,0.18\n15-44,0.40\n45-64,0.28\n65+,0.24\n");
    const ps = await problems(shares);
    expect(ps).toContain(`${join(shares, "age-structure.csv")}, column 占比 (share): the shares sum to 1.1000; they must sum to 1 (within 0.01, for rounding)`);
    // the counts' column deleted (female counts left): that one problem, no follow-on one per row, for the sum or the female share
    const noCounts = exampleWith("age-structure.csv", (t) => t.split("\n").map((l) => l.split(",").filter((_c, k) => k !== 1).join(",")).join("\n"));
    expect(await problems(noCounts)).toEqual([`${join(noCounts, "age-structure.csv")}: no column 人口 (population) or 占比 (share); give one of them`]);
    const across = exampleWith("age-structure.csv", (t) => t.replace("10-14,", "10-19,"));
    expect((await problems(across)).join("\n")).toContain(`age-structure.csv, row 4, column 1 年龄组 (age group): "10-19" is across two of the model's age bands`);
  });

  it("a missing table, a missing column, an unknown header", async () => {
    const noPoor = exampleWith("registered-poor.csv", (t) => t);
    rmSync(join(noPoor, "registered-poor.csv"));
    expect(await problems(noPoor)).toEqual([`${noPoor}/: no table 建档立卡贫困人口 (registered poor); add registered-poor.csv (templates in data/county-tables/template/)`]);
    const noCol = exampleWith("county-hospitals.csv", (t) => t.replace("医生 doctors", "医师 physicians"));
    const ps = await problems(noCol);
    expect(ps[0]).toMatch(/county-hospitals\.csv, row 1, column 4: header "医师 physicians" names no column of 县级医院 \(county hospitals\); allowed: 编码 \(id\), /);
    expect(ps[1]).toBe(`${join(noCol, "county-hospitals.csv")}: no column 医生 (doctors); the header row (row 1) must have it (template header: "医生 doctors")`);
  });

  it("what the loader would refuse is refused before writing, led by the cell it was read from, then the field path", async () => {
    const dir = exampleWith("townships.csv", (t) => t.replace("t05,北坡乡,Beipo,30000,14", "t05,北坡乡,Beipo,10,14"));
    const f = join(dir, "registered-poor.csv");
    writeFileSync(f, readFileSync(f, "utf8").replace("t05,3000", "t05,1"));
    expect(await problems(dir)).toEqual([
      `${dir}: the county these tables describe is not a valid county description:`,
      `  ${join(dir, "townships.csv")}, row 6, column 4 人口 (population): townships[4].population = 10: fewer residents than villages (14); every village needs a resident`,
    ]);
    const clash = exampleWith("county-hospitals.csv", (t) => t.replace("tcm,县中医医院", "t03,县中医医院"));
    const f2 = join(clash, "communities.csv");
    writeFileSync(f2, readFileSync(f2, "utf8").replace(/,tcm$/m, ",t03"));
    expect(await problems(clash)).toEqual([
      `${clash}: the county these tables describe is not a valid county description:`,
      `  ${join(clash, "county-hospitals.csv")}, row 3, column 1 编码 (id): countyHospitals[1].id = "t03": already the id of the centre of townships[2] (t03); facility ids must be distinct (village clinics are named <township>-v01, -v02, …)`,
    ]);
  });

  it("a township of 10⁹ residents: the cell and, for the county's total, the column (CSV and XLSX)", async () => {
    const dir = exampleWith("townships.csv", (t) => t.replace("t01,城关镇,Chengguan (county seat),110000", "t01,城关镇,Chengguan (county seat),1000000000"));
    expect(await problems(dir)).toEqual([
      `${dir}: the county these tables describe is not a valid county description:`,
      `  ${join(dir, "townships.csv")}, row 2, column 4 人口 (population): townships[0].population = 1000000000: must be an integer between 1 and 100000000`,
      `  ${join(dir, "townships.csv")}, column 4 人口 (population): townships[].population sum to 1,000,490,000 residents; at most 10,000,000 per county (describe a larger area as several counties)`,
    ]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(EXAMPLE, "example.xlsx"));
    wb.getWorksheet("乡镇 (townships)")!.getCell("D3").value = 1e9;
    const file = join(tmp.dir, "billion.xlsx");
    await wb.xlsx.writeFile(file);
    const ps = await problems(file);
    expect(ps[1]).toBe(`  ${file}, sheet 乡镇 (townships), row 3, column D 人口 (population): townships[1].population = 1000000000: must be an integer between 1 and 100000000`);
    expect(ps[2]).toMatch(new RegExp(`^  ${file.replace(/[.\\/]/g, "\\$&")}, sheet 乡镇 \\(townships\\), column D 人口 \\(population\\): townships\\[\\]\\.population sum to `));
  });

  it("an unclosed quote is reported at the row where it opened, not where the file ends", async () => {
    // row 3's name cell opens a quote; the file has 13 rows, where csv-parse notices
    const dir = exampleWith("townships.csv", (t) => t.replace("t02,东山镇", 't02,"东山镇'));
    const rows = readFileSync(join(dir, "townships.csv"), "utf8").trimEnd().split("\n").length;
    expect(await problems(dir)).toEqual([`${join(dir, "townships.csv")}, row 3: not valid CSV: the quote that opens a cell on this row is not closed (the file ends inside it, at row ${rows}); close it with another " or remove the quote`]);
    // at the start of a row after an empty line, and after a closed quote spanning two rows
    const start = exampleWith("townships.csv", (t) => t.replace("\nt04,", '\n\n"t04,').replace("t02,东山镇", 't02,"东山\n镇"'));
    expect((await problems(start))[0]).toMatch(/townships\.csv, row 7: not valid CSV: the quote that opens a cell on this row is not closed/);
  });

  it("XLSX: a formula gives its saved result, an error cell is an error, a 说明 (notes) sheet is skipped, an unknown sheet is not", async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(EXAMPLE, "example.xlsx"));
    wb.getWorksheet("乡镇 (townships)")!.getCell("D2").value = { formula: "100000+10000", result: 110000 };
    wb.addWorksheet("说明 (notes)").addRow(["how to fill the tables in"]);
    const good = join(tmp.dir, "formula.xlsx");
    await wb.xlsx.writeFile(good);
    expect((await importCounty(good)).description.townships[0].population).toBe(110000);
    wb.getWorksheet("乡镇 (townships)")!.getCell("D3").value = { error: "#DIV/0!" };
    wb.addWorksheet("Sheet1").addRow(["x"]);
    const bad = join(tmp.dir, "formula-bad.xlsx");
    await wb.xlsx.writeFile(bad);
    const ps = await problems(bad);
    expect(ps).toContain(`${bad}, sheet 乡镇 (townships), row 3, column D: the cell holds an error (#DIV/0!); put a value there`);
    expect(ps).toContain(`${bad}, sheet Sheet1: "Sheet1" names no table; tables: 县 (county), 乡镇 (townships), 村卫生室 (village clinics), 县级医院 (county hospitals), 县外医院 (out-of-county hospitals), 医共体 (communities), 年龄结构 (age structure), 慢性病患病率 (chronic prevalence), 参保 (insured), 建档立卡贫困人口 (registered poor), 收入 (income) (a sheet or file named 说明 (notes) is skipped)`);
  });

  it("every township needs its insured, poor and income rows", async () => {
    const dir = exampleWith("income.csv", (t) => t.split("\n").filter((l) => !l.startsWith("t07,")).join("\n"));
    expect(await problems(dir)).toEqual([`${join(dir, "income.csv")}: no row for township t07 (白石乡, ${join(dir, "townships.csv")} row 8); every township needs its per-capita disposable income`]);
  });
});

describe("reading tables", () => {
  it("headers in Chinese, English or both, with or without the unit", () => {
    const col = { zh: "人均可支配收入(元/年)", en: "disposable income (yuan/year)" };
    for (const h of ["人均可支配收入(元/年) disposable income (yuan/year)", "人均可支配收入", "Disposable Income", "人均可支配收入（元/年）", "disposable_income"]) expect(names(h, col), h).toBe(true);
    expect(names("人口", col)).toBe(false);
    expect(names("", col)).toBe(false);
  });

  it("CSV in GB18030 (as Excel on Chinese Windows saves it) and UTF-8 with a byte-order mark", () => {
    // 名称,人口\n城关镇,110000\n in GB18030 (iconv -t GB18030)
    const gb = Uint8Array.from([0xc3, 0xfb, 0xb3, 0xc6, 0x2c, 0xc8, 0xcb, 0xbf, 0xda, 0x0a, 0xb3, 0xc7, 0xb9, 0xd8, 0xd5, 0xf2, 0x2c, 0x31, 0x31, 0x30, 0x30, 0x30, 0x30, 0x0a]);
    expect(decodeCsv(gb, "t.csv")).toBe("名称,人口\n城关镇,110000\n");
    expect(decodeCsv(new TextEncoder().encode("\ufeff名称,人口\n"), "t.csv")).toBe("名称,人口\n");
    expect(() => decodeCsv(Uint8Array.from([0x63, 0x61, 0x66, 0xe9, 0x0a]), "t.csv")).toThrow(/t\.csv: not UTF-8 text; it looks like Windows-1252/);
  });

  it("counts with thousands separators, percentages and age groups written 0～4岁 or 85岁及以上", async () => {
    const dir = exampleWith("townships.csv", (t) => t.replace("t01,城关镇,Chengguan (county seat),110000", 't01,城关镇,Chengguan (county seat),"110,000"'));
    const prev = join(dir, "chronic-prevalence.csv");
    writeFileSync(prev, readFileSync(prev, "utf8").replace("65+,0.53", "65+,53%"));
    const ages = join(dir, "age-structure.csv");
    const written = readFileSync(ages, "utf8").replace("\n0-4,", "\n0～4岁,").replace("\n85+,", "\n85岁及以上,");
    expect(written).toMatch(/\n0～4岁,[\s\S]*\n85岁及以上,/);
    writeFileSync(ages, written);
    const { description } = await importCounty(dir);
    expect(description.townships[0].population).toBe(110000);
    expect(description.demographics.chronicPrevalence.hypertension["65+"]).toBe(0.53);
    expect(description.demographics.ageBands).toEqual({ "0-14": 0.18, "15-44": 0.4, "45-64": 0.28, "65+": 0.14 });
  });
});

describe("a small county from scratch: what the tables leave out takes a stated default", () => {
  /** Tables with only the required columns, distance in km, area instead of radius, no ids. */
  function smallCounty(): string {
    const dir = join(tmp.dir, "small");
    const files: Record<string, string> = {
      "县.csv": "项目,值\n标识,small\n中文名称,小县\n女性占比,48.8%\n居民收入中位数(元/月),1000\n职工收入中位数(元/月),4000\n",
      "乡镇.csv": "名称,人口,到县城距离(公里),面积(平方公里),卫生院医生,卫生院床位,医共体\n甲镇,3000,10,314.159265358979,5,10,县医院\n乙乡,2000,25,78.5398163397448,3,6,县医院\n",
      "村卫生室.csv": "乡镇,乡村医生\n甲镇,2\n甲镇,1\n甲镇,3\n乙乡,1\n乙乡,2\n",
      "县级医院.csv": "名称,医生,床位\n县医院,50,200\n",
      "年龄结构.csv": "年龄组,占比\n0-14,0.2\n15-44,0.4\n45-64,0.25\n65+,0.15\n",
      "慢性病患病率.csv": "年龄组,高血压,糖尿病,脑卒中,冠心病\n0-14,0,0,0,0\n15-44,0.1,0.05,0.002,0.002\n45-64,0.3,0.12,0.01,0.01\n65+,0.5,0.2,0.04,0.05\n",
      "参保.csv": "乡镇,职工医保,居民医保\n甲镇,300,2700\n乙乡,100,1900\n",
      "建档立卡贫困人口.csv": "乡镇,贫困人口\n甲镇,150\n乙乡,200\n",
      "收入.csv": "乡镇,人均可支配收入(元/年)\n甲镇,14400\n乙乡,9600\n",
    };
    mkdirSync(dir);
    for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text);
    return dir;
  }

  it("derives ids, villages, distances and shares, and says which defaults apply", async () => {
    const { yaml } = await importCounty(smallCounty());
    const d = loadCounty(tmp.write("small.yaml", yaml));
    expect(d.townships.map((t) => [t.id, t.name.zh, t.villages, t.minutesToSeat, t.radiusKm, t.villageDoctorsPerClinic, t.employeeShare, t.poorShare, t.incomeFactor])).toEqual([
      ["t01", "甲镇", 3, 24, 10, 2, 0.1, 0.05, 1.2],
      ["t02", "乙乡", 2, 60, 5, 1.5, 0.05, 0.1, 0.8],
    ]);
    expect(d.countyHospitals).toEqual([{ id: "h01", name: { zh: "县医院", en: "县医院" }, doctors: 50, beds: 200, qualityOffset: 0 }]);
    expect(d.communities).toEqual([{ id: "h01", name: { zh: "县医院医共体", en: "县医院 medical community" }, lead: "h01", townships: ["t01", "t02"] }]);
    expect(d.demographics.femaleShare).toBe(0.488);
    expect(d.outOfCounty.map((h) => h.id)).toEqual(["city", "province"]);
    expect(d.seed).toBe(1);
    expect(d.sources).toMatchObject({
      outOfCounty: expect.stringMatching(/^default \(no out-of-county hospitals table\)/),
      "geography.kmPerHour": expect.stringMatching(/^default 25 km\/h, assumption/),
      "townships[].villages": expect.stringMatching(/the number of rows per township in .*村卫生室\.csv/),
      "townships[].minutesToSeat": expect.stringMatching(/到县城距离\(公里\) \(km to seat\)\) ÷ geography\.kmPerHour|column 到县城距离\(公里\) \(km to seat\) ÷ geography\.kmPerHour/),
      seed: expect.stringMatching(/^default 1/),
    });
  });
});

/** The XLSX writer (sim/xlsx-writer.ts): what a spreadsheet user opens. */
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { csvField } from "../sim/output";
import { workbookBytes, xlsxCell } from "../sim/xlsx-writer";

const read = async (bytes: Uint8Array) => {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(new Uint8Array(bytes).buffer);
  return wb;
};

describe("workbookBytes", () => {
  it("numbers stay numbers, missing values are empty, formula-like text is neutralised as in CSV", async () => {
    const wb = await read(await workbookBytes([{ name: "T", header: ["name", "value", "ok"], rows: [["=HYPERLINK(\"x\")", 0.25, true], ["-1.5", null, false], ["plain", Number.NaN, null]] }]));
    const ws = wb.getWorksheet("T")!;
    expect(ws.getRow(1).values).toEqual([undefined, "name", "value", "ok"]);
    expect(ws.getRow(2).getCell(1).value).toBe(`'=HYPERLINK("x")`);
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`); // the same rule
    expect(ws.getRow(2).getCell(1).formula).toBeUndefined();
    expect(ws.getRow(2).getCell(2).value).toBe(0.25);
    expect(ws.getRow(2).getCell(3).value).toBe(true);
    expect(ws.getRow(3).getCell(1).value).toBe("-1.5"); // a plain number as text is not a formula
    expect(ws.getRow(3).getCell(2).value).toBeNull();
    expect(ws.getRow(4).getCell(2).value).toBeNull();
    expect(ws.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
  });

  it("an About sheet first; sheet names made valid and distinct", async () => {
    const wb = await read(await workbookBytes([{ name: "a/b:c", header: ["x"], rows: [] }, { name: "A_B_C", header: ["x"], rows: [] }, { name: "x".repeat(40), header: ["x"], rows: [] }], { about: [["seeds", "1, 2"], ["scale", 0.1]] }));
    expect(wb.worksheets.map((w) => w.name)).toEqual(["About", "a_b_c", "A_B_C-2", "x".repeat(31)]);
    expect(wb.getWorksheet("About")!.getRow(2).values).toEqual([undefined, "scale", 0.1]);
  });

  it("the same tables give the same bytes (fixed dates in the workbook and its zip)", async () => {
    const sheets = [{ name: "T", header: ["a"], rows: [[1], ["x"]] }];
    const a = await workbookBytes(sheets, { about: [["k", "v"]] });
    await new Promise((r) => setTimeout(r, 1100)); // zip dates have 2-second resolution: cross a tick
    const b = await workbookBytes(sheets, { about: [["k", "v"]] });
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(Buffer.from(a).subarray(0, 2).toString()).toBe("PK");
  });

  it("cells: only finite numbers, booleans and safe text", () => {
    expect([xlsxCell(undefined), xlsxCell(Infinity), xlsxCell("@SUM(A1)"), xlsxCell("+1"), xlsxCell(3)]).toEqual([null, null, "'@SUM(A1)", "+1", 3]);
  });
});
